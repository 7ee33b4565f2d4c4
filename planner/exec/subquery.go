package exec

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// SubLinkExpr evaluates a sub-query as an expression. A correlated one runs
// again for every outer row (correct, if slow); an uncorrelated one runs once
// per execution and its result is kept in the execution's cache.
type SubLinkExpr struct {
	Kind       ast.SubLinkKind
	Root       plan.Node
	Width      int
	Test       expr.Expr   // ANY/ALL left operand, over the outer row
	RowTests   []expr.Expr // or a row constructor's fields: (a, b) IN (SELECT x, y …)
	Cmp        expr.Expr   // comparison over [test value(s), sub-query value(s)] (ANY/ALL)
	Correlated bool
	T          types.Type
}

func (e *SubLinkExpr) Type() types.Type { return e.T }

// subRows runs the sub-query for the current row (or takes the cached rows).
func (e *SubLinkExpr) subRows(ec *expr.EvalCtx, row []types.Datum, limit int) ([][]types.Datum, error) {
	if !e.Correlated {
		if v, ok := ec.Cache[e]; ok {
			return v.([][]types.Datum), nil
		}
	}
	sec := ec.Sub(row)
	if e.Correlated {
		// What this run held is dropped with it (only up to limit rows
		// are returned); an uncorrelated result is cached and stays charged.
		defer sec.Mem.Release()
	}
	it, err := OpenNode(sec, e.Root)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var rows [][]types.Datum
	for limit <= 0 || len(rows) < limit {
		r, err := it.Next()
		if err != nil {
			return nil, err
		}
		if r == nil {
			break
		}
		rows = append(rows, r)
	}
	if !e.Correlated && limit <= 0 {
		ec.Cache[e] = rows
	}
	return rows, nil
}

func (e *SubLinkExpr) Eval(ec *expr.EvalCtx, row []types.Datum) (types.Datum, error) {
	switch e.Kind {
	case ast.ArraySubLink:
		rows, err := e.subRows(ec, row, 0)
		if err != nil {
			return nil, err
		}
		elem, _ := types.ElemOf(e.T)
		out := &types.Array{Elem: elem, Vals: make([]types.Datum, len(rows))}
		for i, r := range rows {
			out.Vals[i] = r[0]
		}
		return out, nil
	case ast.ExistsSubLink:
		limit := 1
		if !e.Correlated {
			limit = 0 // cache the full result once
		}
		rows, err := e.subRows(ec, row, limit)
		if err != nil {
			return nil, err
		}
		return len(rows) > 0, nil
	case ast.ExprSubLink:
		limit := 2
		if !e.Correlated {
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
	if e.RowTests != nil {
		return e.rowAnyAll(ec, row)
	}
	lhs, err := e.Test.Eval(ec, row)
	if err != nil {
		return nil, err
	}
	if eq, ok := e.Cmp.(*expr.FnExpr); ok && eq.IsEq && e.Kind == ast.AnySubLink && !e.Correlated {
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
func (e *SubLinkExpr) anyAll(ec *expr.EvalCtx, row []types.Datum, operands func(r []types.Datum) []types.Datum) (types.Datum, error) {
	rows, err := e.subRows(ec, row, 0)
	if err != nil {
		return nil, err
	}
	any := e.Kind == ast.AnySubLink
	sawNull := false
	for _, r := range rows {
		v, err := e.Cmp.Eval(ec, operands(r))
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

// hashedIn is an uncorrelated x = ANY (subquery) answered from a hash set
// built once per execution (x IN (SELECT …), and NOT IN through NOT).
type hashedIn struct {
	set     map[string]bool
	hasNull bool
	empty   bool
}

func (e *SubLinkExpr) hashedAny(ec *expr.EvalCtx, row []types.Datum, lhs types.Datum, eq *expr.FnExpr) (types.Datum, error) {
	key := hashKeyOf(e)
	h, ok := ec.Cache[key].(*hashedIn)
	if !ok {
		rows, err := e.subRows(ec, row, 0)
		if err != nil {
			return nil, err
		}
		h = &hashedIn{set: make(map[string]bool, len(rows)), empty: len(rows) == 0}
		pair := make([]types.Datum, 2)
		ts := []types.Type{eq.Args[1].Type()}
		var buf []byte
		for _, r := range rows {
			pair[1] = r[0]
			v, err := eq.Args[1].Eval(ec, pair)
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
		ec.Cache[key] = h
	}
	if h.empty {
		return false, nil
	}
	if lhs == nil {
		return nil, nil
	}
	v, err := eq.Args[0].Eval(ec, []types.Datum{lhs, nil})
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, nil
	}
	buf := appendKey(nil, []types.Datum{v}, []int{0}, []types.Type{eq.Args[0].Type()})
	if h.set[string(buf)] {
		return true, nil
	}
	if h.hasNull {
		return nil, nil
	}
	return false, nil
}

type hashKey struct{ e *SubLinkExpr }

func hashKeyOf(e *SubLinkExpr) hashKey { return hashKey{e} }

// rowAnyAll evaluates a row ANY/ALL over [the row's values, the
// sub-query row].
func (e *SubLinkExpr) rowAnyAll(ec *expr.EvalCtx, row []types.Datum) (types.Datum, error) {
	n := len(e.RowTests)
	tests := make([]types.Datum, n, 2*n)
	for i, t := range e.RowTests {
		v, err := t.Eval(ec, row)
		if err != nil {
			return nil, err
		}
		tests[i] = v
	}
	return e.anyAll(ec, row, func(r []types.Datum) []types.Datum { return append(tests[:n], r...) })
}
