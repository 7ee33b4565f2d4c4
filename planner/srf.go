package planner

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/sql/types"
)

// Set-returning functions in the select list (SELECT unnest(a), …): like
// PostgreSQL's ProjectSet, all of them run in lockstep for each input row;
// the row repeats as many times as the longest one yields, shorter ones
// padding with NULL. Each is bound as a FROM function whose arguments see
// the current row as an enclosing level.

type SrfSet struct {
	Calls []Node
	// Recs[k] is set when call k returns rows of several columns
	// (information_schema._pg_expandarray): each row is one record value.
	Recs [][]types.Field
}

type SrfRefExpr struct {
	Set *SrfSet
	K   int
	T   types.Type
}

func (*SrfRefExpr) PlanRef()           {}
func (e *SrfRefExpr) Type() types.Type { return e.T }
func (e *SrfRefExpr) Eval(_ *expr.EvalCtx, row []types.Datum) (types.Datum, error) {
	return row[len(row)-len(e.Set.Calls)+e.K], nil
}

var SelectListSRFs = map[string]bool{"unnest": true, "generate_series": true, "generate_subscripts": true, "_pg_expandarray": true}

type ProjectSetNode struct {
	Child Node
	Set   *SrfSet
}

func (p *ProjectSetNode) open(ec *expr.EvalCtx) (rowIter, error) {
	in, err := openNode(ec, p.Child)
	if err != nil {
		return nil, err
	}
	return &projectSetIter{p: p, in: in, ec: ec}, nil
}

type projectSetIter struct {
	p    *ProjectSetNode
	in   rowIter
	ec   *expr.EvalCtx
	row  []types.Datum
	vals [][]types.Datum // per SRF, its values for the current row
	i, n int
}

func (it *projectSetIter) next() ([]types.Datum, error) {
	for it.row == nil || it.i >= it.n {
		row, err := it.in.next()
		if err != nil || row == nil {
			return nil, err
		}
		sub := it.ec.Sub(row)
		it.row, it.i, it.n = row, 0, 0
		it.vals = make([][]types.Datum, len(it.p.Set.Calls))
		for k, c := range it.p.Set.Calls {
			rows, err := collect(sub, c)
			if err != nil {
				return nil, err
			}
			for _, r := range rows {
				if rec := it.p.Set.Recs[k]; rec != nil {
					it.vals[k] = append(it.vals[k], &types.Record{Fields: rec, Vals: r[:len(rec):len(rec)]})
					continue
				}
				it.vals[k] = append(it.vals[k], r[0])
			}
			it.n = max(it.n, len(rows))
		}
	}
	out := make([]types.Datum, len(it.row), len(it.row)+len(it.vals))
	copy(out, it.row)
	for _, v := range it.vals {
		if it.i < len(v) {
			out = append(out, v[it.i])
		} else {
			out = append(out, nil)
		}
	}
	it.i++
	return out, nil
}

func (it *projectSetIter) close() { it.in.close() }
