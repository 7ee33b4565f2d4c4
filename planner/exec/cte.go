package exec

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/types"
)

// cteScanExec runs a cteScan (its plan node, with execution methods).
type cteScanExec plan.CteScan

func (c *cteScanExec) open(ec *expr.EvalCtx) (rowIter, error) {
	d := c.Def
	if d.Recursive {
		// Inside the recursive term, the name reads the working table.
		if w, ok := ec.Cache[d.Work]; ok {
			return &sliceIter{rows: w.([][]types.Datum)}, nil
		}
	}
	if rows, ok := ec.Cache[d]; ok {
		return &sliceIter{rows: rows.([][]types.Datum)}, nil
	}
	rows, err := collect(ec, d.Base)
	if err != nil {
		return nil, err
	}
	if d.Recursive {
		if rows, err = (*cteDefExec)(d).iterate(ec, rows); err != nil {
			return nil, err
		}
	}
	ec.Cache[d] = rows
	return &sliceIter{rows: rows}, nil
}

// cteDefExec runs a CteDef (its plan node, with execution methods).
type cteDefExec plan.CteDef

// iterate evaluates a recursive CTE from its base rows.
func (d *cteDefExec) iterate(ec *expr.EvalCtx, base [][]types.Datum) ([][]types.Datum, error) {
	ts := make([]types.Type, len(d.Cols))
	for i, c := range d.Cols {
		ts[i] = c.Type
	}
	idx := plan.Seq(len(ts))
	var seen map[string]bool
	var buf []byte
	fresh := func(rows [][]types.Datum) [][]types.Datum {
		if d.UnionAll {
			return rows
		}
		var out [][]types.Datum
		for _, r := range rows {
			buf = appendKey(buf[:0], r, idx, ts)
			if !seen[string(buf)] {
				seen[string(buf)] = true
				out = append(out, r)
			}
		}
		return out
	}
	if !d.UnionAll {
		seen = map[string]bool{}
	}
	result := fresh(base)
	work := result
	for len(work) > 0 {
		if err := ec.Ctx.Err(); err != nil {
			return nil, err
		}
		ec.Cache[d.Work] = work
		next, err := collect(ec, d.Rec)
		if err != nil {
			return nil, err
		}
		// A new execution of the term must not reuse cached sub-results of the old one.
		for k := range ec.Cache {
			if k != any(d.Work) && k != any(d) {
				if _, isDef := k.(*plan.CteDef); !isDef {
					delete(ec.Cache, k)
				}
			}
		}
		work = fresh(next)
		result = append(result, work...)
	}
	delete(ec.Cache, d.Work)
	return result, nil
}

// collect runs a node to completion.
func collect(ec *expr.EvalCtx, n plan.Node) ([][]types.Datum, error) {
	it, err := OpenNode(ec, n)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	// Rows gather in chunks of growing size and are copied into one slice
	// at the end: growing one slice by doubling would copy every row
	// pointer about twice more, under the GC's write barriers.
	var chunks [][][]types.Datum
	var rows [][]types.Datum
	total := 0
	for {
		r, err := it.Next()
		if err != nil {
			return nil, err
		}
		if r == nil {
			break
		}
		if err := ec.Keep(r); err != nil {
			return nil, err
		}
		if len(rows) == cap(rows) {
			if len(rows) > 0 {
				chunks = append(chunks, rows)
			}
			rows = make([][]types.Datum, 0, min(max(2*len(rows), 64), 1<<16))
		}
		rows = append(rows, r)
		total++
		if total%1024 == 0 {
			if err := ec.Ctx.Err(); err != nil {
				return nil, err
			}
		}
	}
	if len(chunks) == 0 {
		return rows, nil
	}
	out := make([][]types.Datum, 0, total)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, rows...), nil
}
