package planner

import (
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// subLinkExpr evaluates a sub-query as an expression. A correlated one runs
// again for every outer row (correct, if slow); an uncorrelated one runs once
// per execution and its result is kept in the execution's cache.
type subLinkExpr struct {
	kind       ast.SubLinkKind
	root       node
	width      int
	test       Expr // ANY/ALL left operand, over the outer row
	cmp        Expr // comparison over [test value, sub-query value] (ANY/ALL)
	correlated bool
	t          types.Type
}

func (e *subLinkExpr) Type() types.Type { return e.t }

// subRows runs the sub-query for the current row (or takes the cached rows).
func (e *subLinkExpr) subRows(ec *evalCtx, row []types.Datum, limit int) ([][]types.Datum, error) {
	if !e.correlated {
		if v, ok := ec.cache[e]; ok {
			return v.([][]types.Datum), nil
		}
	}
	sec := ec.sub(row)
	it, err := openNode(sec, e.root)
	if err != nil {
		return nil, err
	}
	defer it.close()
	var rows [][]types.Datum
	for limit <= 0 || len(rows) < limit {
		r, err := it.next()
		if err != nil {
			return nil, err
		}
		if r == nil {
			break
		}
		rows = append(rows, r)
	}
	if !e.correlated && limit <= 0 {
		ec.cache[e] = rows
	}
	return rows, nil
}

func (e *subLinkExpr) Eval(ec *evalCtx, row []types.Datum) (types.Datum, error) {
	switch e.kind {
	case ast.ArraySubLink:
		rows, err := e.subRows(ec, row, 0)
		if err != nil {
			return nil, err
		}
		elem, _ := types.ElemOf(e.t)
		out := &types.Array{Elem: elem, Vals: make([]types.Datum, len(rows))}
		for i, r := range rows {
			out.Vals[i] = r[0]
		}
		return out, nil
	case ast.ExistsSubLink:
		limit := 1
		if !e.correlated {
			limit = 0 // cache the full result once
		}
		rows, err := e.subRows(ec, row, limit)
		if err != nil {
			return nil, err
		}
		return len(rows) > 0, nil
	case ast.ExprSubLink:
		limit := 2
		if !e.correlated {
			limit = 0
		}
		rows, err := e.subRows(ec, row, limit)
		if err != nil {
			return nil, err
		}
		switch len(rows) {
		case 0:
			return nil, nil
		case 1:
			return rows[0][0], nil
		}
		return nil, sqlerr.New(sqlerr.CardinalityViolation, "more than one row returned by a subquery used as an expression")
	}
	// ANY / ALL with SQL's three-valued logic.
	lhs, err := e.test.Eval(ec, row)
	if err != nil {
		return nil, err
	}
	if eq, ok := e.cmp.(*fnExpr); ok && eq.isEq && e.kind == ast.AnySubLink && !e.correlated {
		return e.hashedAny(ec, row, lhs, eq)
	}
	rows, err := e.subRows(ec, row, 0)
	if err != nil {
		return nil, err
	}
	any := e.kind == ast.AnySubLink
	sawNull := false
	pair := make([]types.Datum, 2)
	for _, r := range rows {
		pair[0], pair[1] = lhs, r[0]
		v, err := e.cmp.Eval(ec, pair)
		if err != nil {
			return nil, err
		}
		if v == nil {
			sawNull = true
			continue
		}
		if v.(bool) == any {
			return any, nil
		}
	}
	if sawNull {
		return nil, nil
	}
	return !any, nil
}

// subLink binds a sub-query expression.
func (b *binder) subLink(x *ast.SubLink) (Expr, error) {
	child := b.child()
	root, cols, err := child.query(x.Query)
	if err != nil {
		return nil, err
	}
	root, _ = applyRules(root, b.disabled)
	e := &subLinkExpr{kind: x.Kind, root: root, width: len(cols), correlated: child.correlated}
	switch x.Kind {
	case ast.ExistsSubLink:
		if child.correlated {
			if d, ok := b.tryDecorrelateExists(x); ok {
				return d, nil
			}
		}
		e.t = types.Bool
		return e, nil
	case ast.ExprSubLink:
		if len(cols) != 1 {
			return nil, errAt(sqlerr.New(sqlerr.SyntaxError, "subquery must return only one column"), x.Pos)
		}
		if child.correlated {
			if d, ok := b.tryDecorrelateScalarAgg(x); ok && d.Type() == cols[0].Type {
				return d, nil
			}
		}
		e.t = cols[0].Type
		return e, nil
	case ast.AnySubLink, ast.AllSubLink:
		if _, isRow := x.Test.(*ast.RowExpr); isRow {
			return nil, errAt(sqlerr.Unsupported("row constructors compared with a sub-query are not supported yet"), x.Pos)
		}
		if len(cols) != 1 {
			return nil, errAt(sqlerr.New(sqlerr.SyntaxError, "subquery has too many columns"), x.Pos)
		}
		test, err := b.expr(x.Test)
		if err != nil {
			return nil, err
		}
		// The comparison is bound over a two-column row [lhs, sub-query value].
		saved := b.scope
		savedAgg := b.agg
		b.scope, b.agg = []scopeCol{{name: "lhs", t: test.Type()}, {name: "rhs", t: cols[0].Type}}, nil
		cmp, err := b.binary(x.Op, &colExpr{idx: 0, t: test.Type()}, &colExpr{idx: 1, t: cols[0].Type}, x.Pos)
		b.scope, b.agg = saved, savedAgg
		if err != nil {
			return nil, err
		}
		if cmp.Type().OID != types.OIDBool {
			return nil, errAt(sqlerr.New(sqlerr.DatatypeMismatch, "op ANY/ALL (array) requires operator to yield boolean"), x.Pos)
		}
		if isUnknown(test) {
			if test, err = b.coerce(test, cols[0].Type, "", x.Pos); err != nil {
				return nil, err
			}
		}
		if eq, isEq := cmp.(*fnExpr); isEq && eq.isEq && x.Kind == ast.AnySubLink && child.correlated {
			if d, ok := b.tryDecorrelateIn(x, test, eq); ok {
				return d, nil
			}
		}
		e.test, e.cmp, e.t = test, cmp, types.Bool
		return e, nil
	}
	// ARRAY(SELECT …)
	if len(cols) != 1 {
		return nil, errAt(sqlerr.New(sqlerr.SyntaxError, "subquery must return only one column"), x.Pos)
	}
	at, ok := types.ArrayOf(cols[0].Type)
	if !ok {
		return nil, errAt(sqlerr.Unsupported("arrays of %s are not supported", cols[0].Type), x.Pos)
	}
	e.t = at
	return e, nil
}

// hashedIn is an uncorrelated x = ANY (subquery) answered from a hash set
// built once per execution (x IN (SELECT …), and NOT IN through NOT).
type hashedIn struct {
	set     map[string]bool
	hasNull bool
	empty   bool
}

func (e *subLinkExpr) hashedAny(ec *evalCtx, row []types.Datum, lhs types.Datum, eq *fnExpr) (types.Datum, error) {
	key := hashKeyOf(e)
	h, ok := ec.cache[key].(*hashedIn)
	if !ok {
		rows, err := e.subRows(ec, row, 0)
		if err != nil {
			return nil, err
		}
		h = &hashedIn{set: make(map[string]bool, len(rows)), empty: len(rows) == 0}
		pair := make([]types.Datum, 2)
		ts := []types.Type{eq.args[1].Type()}
		var buf []byte
		for _, r := range rows {
			pair[1] = r[0]
			v, err := eq.args[1].Eval(ec, pair)
			if err != nil {
				return nil, err
			}
			if v == nil {
				h.hasNull = true
				continue
			}
			buf = appendKey(buf[:0], []types.Datum{v}, []int{0}, ts)
			h.set[string(buf)] = true
		}
		ec.cache[key] = h
	}
	if h.empty {
		return false, nil
	}
	if lhs == nil {
		return nil, nil
	}
	v, err := eq.args[0].Eval(ec, []types.Datum{lhs, nil})
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, nil
	}
	buf := appendKey(nil, []types.Datum{v}, []int{0}, []types.Type{eq.args[0].Type()})
	if h.set[string(buf)] {
		return true, nil
	}
	if h.hasNull {
		return nil, nil
	}
	return false, nil
}

type hashKey struct{ e *subLinkExpr }

func hashKeyOf(e *subLinkExpr) hashKey { return hashKey{e} }
