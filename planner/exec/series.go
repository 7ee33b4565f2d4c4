package exec

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// ordinalityNodeExec runs a OrdinalityNode (its plan node, with execution methods).
type ordinalityNodeExec plan.OrdinalityNode

func (o *ordinalityNodeExec) open(ec *expr.EvalCtx) (rowIter, error) {
	in, err := OpenNode(ec, o.Child)
	if err != nil {
		return nil, err
	}
	return &ordIter{in: in}, nil
}

type ordIter struct {
	in rowIter
	n  int64
}

func (it *ordIter) Next() ([]types.Datum, error) {
	r, err := it.in.Next()
	if r == nil || err != nil {
		return nil, err
	}
	it.n++
	return append(append([]types.Datum{}, r...), it.n), nil
}
func (it *ordIter) Close() { it.in.Close() }

// seriesNodeExec runs a SeriesNode (its plan node, with execution methods).
type seriesNodeExec plan.SeriesNode

func (s *seriesNodeExec) open(ec *expr.EvalCtx) (rowIter, error) {
	vals := make([]types.Datum, len(s.Args))
	for i, a := range s.Args {
		v, err := a.Eval(ec, nil)
		if err != nil {
			return nil, err
		}
		if v == nil {
			return &sliceIter{}, nil
		}
		vals[i] = v
	}
	if s.T.IsInteger() {
		step := int64(1)
		if len(vals) == 3 {
			step = vals[2].(int64)
		}
		if step == 0 {
			return nil, sqlerr.New(sqlerr.InvalidParameterValue, "step size cannot equal zero")
		}
		return &intSeries{cur: vals[0].(int64), stop: vals[1].(int64), step: step, ec: ec}, nil
	}
	iv := vals[2].(types.Interval)
	if iv.Months == 0 && iv.Days == 0 && iv.Micros == 0 {
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "step size cannot equal zero")
	}
	return &tsSeries{start: vals[0].(types.Timestamp), stop: vals[1].(types.Timestamp), step: iv, tz: s.T.OID == types.OIDTimestamptz, ec: ec}, nil
}

type intSeries struct {
	cur, stop, step int64
	done            bool
	ec              *expr.EvalCtx
	n               int
}

func (s *intSeries) Next() ([]types.Datum, error) {
	if s.done || (s.step > 0 && s.cur > s.stop) || (s.step < 0 && s.cur < s.stop) {
		return nil, nil
	}
	if s.n++; s.n%1024 == 0 {
		if err := s.ec.Ctx.Err(); err != nil {
			return nil, err
		}
	}
	v := s.cur
	next := s.cur + s.step
	if (s.step > 0 && next < s.cur) || (s.step < 0 && next > s.cur) {
		s.done = true // overflow ends the series, as in PostgreSQL
	}
	s.cur = next
	return []types.Datum{v}, nil
}
func (s *intSeries) Close() {}

type tsSeries struct {
	start, stop types.Timestamp
	step        types.Interval
	tz          bool
	i           int
	ec          *expr.EvalCtx
}

func (s *tsSeries) Next() ([]types.Datum, error) {
	cur := s.start
	if s.i > 0 {
		iv := types.Interval{Months: s.step.Months * int32(s.i), Days: s.step.Days * int32(s.i), Micros: s.step.Micros * int64(s.i)}
		cur = expr.AddInterval(s.ec, s.start, iv, s.tz)
	}
	forward := float64(s.step.Months)*30*86400e6+float64(s.step.Days)*86400e6+float64(s.step.Micros) > 0
	if (forward && cur > s.stop) || (!forward && cur < s.stop) {
		return nil, nil
	}
	if s.i++; s.i%1024 == 0 {
		if err := s.ec.Ctx.Err(); err != nil {
			return nil, err
		}
	}
	return []types.Datum{cur}, nil
}
func (s *tsSeries) Close() {}

// subscriptsNodeExec runs a SubscriptsNode (its plan node, with execution methods).
type subscriptsNodeExec plan.SubscriptsNode

func (s *subscriptsNodeExec) open(ec *expr.EvalCtx) (rowIter, error) {
	var vals [3]types.Datum
	for i, e := range []expr.Expr{s.Arr, s.Dim, s.Rev} {
		v, err := e.Eval(ec, nil)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	if vals[0] == nil || vals[1] == nil || vals[1].(int64) != 1 {
		return &sliceIter{}, nil
	}
	n := len(vals[0].(*types.Array).Vals)
	rows := make([][]types.Datum, n)
	for i := range rows {
		k := int64(i + 1)
		if vals[2] != nil && vals[2].(bool) {
			k = int64(n - i)
		}
		rows[i] = []types.Datum{k}
	}
	return &sliceIter{rows: rows}, nil
}
