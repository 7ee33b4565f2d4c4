package exec

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/types"
)

var SelectListSRFs = map[string]bool{"unnest": true, "generate_series": true, "generate_subscripts": true, "_pg_expandarray": true}

// projectSetNodeExec runs a ProjectSetNode (its plan node, with execution methods).
type projectSetNodeExec plan.ProjectSetNode

func (p *projectSetNodeExec) open(ec *expr.EvalCtx) (rowIter, error) {
	in, err := OpenNode(ec, p.Child)
	if err != nil {
		return nil, err
	}
	return &projectSetIter{p: (*plan.ProjectSetNode)(p), in: in, ec: ec}, nil
}

type projectSetIter struct {
	p    *plan.ProjectSetNode
	in   rowIter
	ec   *expr.EvalCtx
	row  []types.Datum
	vals [][]types.Datum // per SRF, its values for the current row
	i, n int
}

func (it *projectSetIter) Next() ([]types.Datum, error) {
	for it.row == nil || it.i >= it.n {
		row, err := it.in.Next()
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

func (it *projectSetIter) Close() { it.in.Close() }
