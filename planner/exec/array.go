package exec

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/types"
)

// Arrays: ARRAY[…], subscripts and slices, x op ANY/ALL (array), array
// functions, unnest in FROM and array_agg. One-dimensional only; PostgreSQL
// semantics for NULLs (a NULL element makes ANY/ALL unknown when no match
// decides it) and out-of-range subscripts (NULL).

type ArrayExpr struct {
	T     types.Type
	Elem  types.Type
	Elems []expr.Expr
}

func (e *ArrayExpr) Type() types.Type { return e.T }
func (e *ArrayExpr) Eval(ec *expr.EvalCtx, row []types.Datum) (types.Datum, error) {
	out := &types.Array{Elem: e.Elem, Vals: make([]types.Datum, len(e.Elems))}
	for i, x := range e.Elems {
		v, err := x.Eval(ec, row)
		if err != nil {
			return nil, err
		}
		out.Vals[i] = v
	}
	return out, nil
}

func OrNull(e expr.Expr) expr.Expr {
	if e == nil {
		return &expr.ConstExpr{T: types.Int4}
	}
	return e
}

func ArrayVals(d types.Datum) []types.Datum { return d.(*types.Array).Vals }

// unnestNodeExec runs a UnnestNode (its plan node, with execution methods).
type unnestNodeExec plan.UnnestNode

func (u *unnestNodeExec) open(ec *expr.EvalCtx) (rowIter, error) {
	v, err := u.Arg.Eval(ec, nil)
	if err != nil || v == nil {
		return &sliceIter{}, err
	}
	vals := ArrayVals(v)
	rows := make([][]types.Datum, len(vals))
	for i, x := range vals {
		rows[i] = []types.Datum{x}
		if u.Ordinal {
			rows[i] = append(rows[i], int64(i+1))
		}
	}
	return &sliceIter{rows: rows}, nil
}
