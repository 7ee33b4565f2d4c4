package planner

import (
	"fmt"
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
	test       Expr   // ANY/ALL left operand, over the outer row
	rowTests   []Expr // or a row constructor's fields: (a, b) IN (SELECT x, y …)
	cmp        Expr   // comparison over [test value(s), sub-query value(s)] (ANY/ALL)
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
	if e.correlated {
		// What this run held is dropped with it (only up to limit rows
		// are returned); an uncorrelated result is cached and stays charged.
		defer sec.mem.release()
	}
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
	if e.rowTests != nil {
		return e.rowAnyAll(ec, row)
	}
	lhs, err := e.test.Eval(ec, row)
	if err != nil {
		return nil, err
	}
	if eq, ok := e.cmp.(*fnExpr); ok && eq.isEq && e.kind == ast.AnySubLink && !e.correlated {
		return e.hashedAny(ec, row, lhs, eq)
	}
	pair := make([]types.Datum, 2)
	return e.anyAll(ec, row, func(r []types.Datum) []types.Datum {
		pair[0], pair[1] = lhs, r[0]
		return pair
	})
}

// anyAll runs the sub-query and compares each of its rows (arranged by
// operands): true (false for ALL) at the first row the comparison
// decides, NULL if some row gave NULL, else the other.
func (e *subLinkExpr) anyAll(ec *evalCtx, row []types.Datum, operands func(r []types.Datum) []types.Datum) (types.Datum, error) {
	rows, err := e.subRows(ec, row, 0)
	if err != nil {
		return nil, err
	}
	any := e.kind == ast.AnySubLink
	sawNull := false
	for _, r := range rows {
		v, err := e.cmp.Eval(ec, operands(r))
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
		if row, isRow := x.Test.(*ast.RowExpr); isRow {
			return b.rowSubLink(e, x, row, cols)
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

// rowSubLink binds (a, b, …) op ANY/ALL (SELECT x, y, …): the comparison is
// the row-wise one (rows.go) over [a, b, …, x, y, …].
func (b *binder) rowSubLink(e *subLinkExpr, x *ast.SubLink, row *ast.RowExpr, cols []Column) (Expr, error) {
	if len(row.Args) != len(cols) {
		return nil, errAt(sqlerr.New(sqlerr.SyntaxError, "subquery has too %s columns", map[bool]string{true: "many", false: "few"}[len(cols) > len(row.Args)]), x.Pos)
	}
	for _, a := range row.Args {
		t, err := b.expr(a)
		if err != nil {
			return nil, err
		}
		e.rowTests = append(e.rowTests, t)
	}
	n := len(cols)
	saved, savedAgg := b.scope, b.agg
	b.scope, b.agg = nil, nil
	var l, r ast.RowExpr
	for i := range n {
		b.scope = append(b.scope, scopeCol{name: fmt.Sprintf("lhs%d", i), t: e.rowTests[i].Type()})
		l.Args = append(l.Args, &ast.ColumnRef{Names: []string{fmt.Sprintf("lhs%d", i)}, Pos: x.Pos})
	}
	for i, c := range cols {
		b.scope = append(b.scope, scopeCol{name: fmt.Sprintf("rhs%d", i), t: c.Type})
		r.Args = append(r.Args, &ast.ColumnRef{Names: []string{fmt.Sprintf("rhs%d", i)}, Pos: x.Pos})
	}
	cmp, err := b.rowCompare(x.Op, &l, &r, x.Pos)
	b.scope, b.agg = saved, savedAgg
	if err != nil {
		return nil, err
	}
	e.cmp, e.t = cmp, types.Bool
	return e, nil
}

// rowAnyAll evaluates a row ANY/ALL over [the row's values, the
// sub-query row].
func (e *subLinkExpr) rowAnyAll(ec *evalCtx, row []types.Datum) (types.Datum, error) {
	n := len(e.rowTests)
	tests := make([]types.Datum, n, 2*n)
	for i, t := range e.rowTests {
		v, err := t.Eval(ec, row)
		if err != nil {
			return nil, err
		}
		tests[i] = v
	}
	return e.anyAll(ec, row, func(r []types.Datum) []types.Datum { return append(tests[:n], r...) })
}
