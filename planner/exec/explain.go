package exec

import (
	"time"

	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/types"
)

// OpenNode opens a child operator, instrumenting it under EXPLAIN ANALYZE.
func OpenNode(ec *expr.EvalCtx, n plan.Node) (rowIter, error) {
	if ec.Stats == nil {
		return openMemo(ec, n)
	}
	st := ec.Stats[n]
	if st == nil {
		st = &expr.NodeStats{}
		ec.Stats[n] = st
	}
	st.Loops++
	t0 := time.Now()
	it, err := openMemo(ec, n)
	st.Dur += time.Since(t0)
	if err != nil {
		return nil, err
	}
	return &statIter{it: it, st: st}, nil
}

type statIter struct {
	it rowIter
	st *expr.NodeStats
}

func (s *statIter) Next() ([]types.Datum, error) {
	t0 := time.Now()
	r, err := s.it.Next()
	s.st.Dur += time.Since(t0)
	if r != nil {
		s.st.Rows++
	}
	return r, err
}
func (s *statIter) Close() { s.it.Close() }
