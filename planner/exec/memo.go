package exec

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/types"
)

// Scans inside correlated sub-queries and LATERAL.
//
// A correlated sub-query (or the right side of a LATERAL join) is run once
// per outer row, and the scans in it are opened each time, though a scan's
// rows cannot depend on the outer row: its pushed-down predicates and
// vector filters hold only columns and constants. openMemo keeps the rows
// of such a scan the first time it is opened within one execution and
// replays them afterwards (PostgreSQL keeps the inner side of a nested
// loop in a Materialize node for the same reason). A lake table would
// otherwise be listed, opened and decoded again for every outer row. Scans
// of more than memoMaxRows rows are not kept: they stream each time. The
// kept rows are charged to the memory scope of the run that first read
// them, which gives the charge back when it ends; what the memo holds is
// thus not counted afterwards (at most memoMaxRows rows per scan).

const memoMaxRows = 100_000

type memoKey struct{ n plan.Node }

// memoTooBig marks a scan found too large to keep.
type memoTooBig struct{}

// openMemo opens n, through the per-execution memo when n is a scan opened
// for an outer row.
func openMemo(ec *expr.EvalCtx, n plan.Node) (rowIter, error) {
	if len(ec.Outer) == 0 || ec.Cache == nil || !memoizable(n) {
		return openOp(ec, n)
	}
	key := memoKey{n}
	switch v := ec.Cache[key].(type) {
	case [][]types.Datum:
		return &sliceIter{rows: v}, nil
	case memoTooBig:
		return openOp(ec, n)
	}
	it, err := openOp(ec, n)
	if err != nil {
		return nil, err
	}
	var rows [][]types.Datum
	for {
		r, err := it.Next()
		if err != nil {
			it.Close()
			return nil, err
		}
		if r == nil {
			break
		}
		if len(rows) == memoMaxRows {
			ec.Cache[key] = memoTooBig{}
			return &chainIter{first: rows, rest: it}, nil
		}
		if err := ec.Keep(r); err != nil {
			it.Close()
			return nil, err
		}
		rows = append(rows, r)
	}
	it.Close()
	ec.Cache[key] = rows
	return &sliceIter{rows: rows}, nil
}

// memoizable reports whether n's rows cannot depend on the outer row: a
// provider scan (its predicates are constants) or a vectorized filter scan
// without joins (kernels compile only columns and constants).
func memoizable(n plan.Node) bool {
	switch x := n.(type) {
	case *plan.SourceScan:
		return true
	case *plan.VecFilterScan:
		return len(x.Joins) == 0
	}
	return false
}

// chainIter yields the rows already read, then the rest of the input.
type chainIter struct {
	first [][]types.Datum
	i     int
	rest  rowIter
}

func (c *chainIter) Next() ([]types.Datum, error) {
	if c.i < len(c.first) {
		c.i++
		return c.first[c.i-1], nil
	}
	return c.rest.Next()
}

func (c *chainIter) Close() { c.rest.Close() }
