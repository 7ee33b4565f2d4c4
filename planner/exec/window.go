package exec

import (
	"slices"

	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// Frame option bits, as PostgreSQL's parsenodes.h defines them.
const (
	frameNonDefault        = 0x00001
	FrameRange             = 0x00002
	frameRows              = 0x00004
	FrameGroups            = 0x00008
	frameStartUnboundedPre = 0x00020
	frameEndUnboundedFol   = 0x00100
	frameStartCurrent      = 0x00200
	frameEndCurrent        = 0x00400
	FrameStartOffsetPre    = 0x00800
	FrameEndOffsetPre      = 0x01000
	FrameStartOffsetFol    = 0x02000
	FrameEndOffsetFol      = 0x04000
	FrameExclusions        = 0x08000 | 0x10000 | 0x20000
)

// windowNodeExec runs a WindowNode (its plan node, with execution methods).
type windowNodeExec plan.WindowNode

func (w *windowNodeExec) open(ec *expr.EvalCtx) (rowIter, error) {
	rows, err := collect(ec, w.Child)
	if err != nil {
		return nil, err
	}
	n := len(w.Set.Calls)
	if len(rows) == 0 {
		return &sliceIter{}, nil
	}
	out := make([][]types.Datum, len(rows))
	for i, r := range rows {
		out[i] = append(append(make([]types.Datum, 0, len(r)+n), r...), make([]types.Datum, n)...)
	}
	for k, c := range w.Set.Calls {
		if err := (*winCallExec)(c).compute(ec, rows, out, len(out[0])-n+k); err != nil {
			return nil, err
		}
	}
	return &sliceIter{rows: out}, nil
}

// winCallExec runs a WinCall (its plan node, with execution methods).
type winCallExec plan.WinCall

// compute fills column col of out with the call's value for each row.
func (c *winCallExec) compute(ec *expr.EvalCtx, rows, out [][]types.Datum, col int) error {
	type entry struct {
		i    int
		part []types.Datum
		ord  []types.Datum
	}
	es := make([]entry, len(rows))
	np := len(c.Partition)
	for i, r := range rows {
		kr := make([]types.Datum, np+len(c.Order)) // partition keys, then order keys
		e := entry{i: i, part: kr[:np], ord: kr[np:]}
		for j, p := range c.Partition {
			v, err := p.Eval(ec, r)
			if err != nil {
				return err
			}
			e.part[j] = v
		}
		for j, o := range c.Order {
			v, err := o.Eval(ec, r)
			if err != nil {
				return err
			}
			e.ord[j] = v
		}
		es[i] = e
	}
	partKeys := make([]expr.SortKey, np)
	for j := range partKeys {
		partKeys[j] = expr.SortKey{Idx: j}
	}
	// Partition keys, then order keys; stable, so input order breaks ties.
	keys := slices.Clone(partKeys)
	for _, k := range c.OrderKey {
		k.Idx += np
		keys = append(keys, k)
	}
	keyRows := make([][]types.Datum, len(es))
	for i, e := range es {
		keyRows[i] = e.part[:np+len(e.ord)]
	}
	sorted := make([]entry, len(es))
	for i, p := range sortPerm(keyRows, keys) {
		sorted[i] = es[p]
	}
	es = sorted
	samePart := func(a, b int) bool { return compareRows(es[a].part, es[b].part, partKeys) == 0 }
	peer := func(a, b int) bool { return compareRows(es[a].ord, es[b].ord, c.OrderKey) == 0 }
	for start := 0; start < len(es); {
		end := start + 1
		for end < len(es) && samePart(start, end) {
			end++
		}
		part := es[start:end]
		idx := make([]int, len(part))
		for i, e := range part {
			idx[i] = e.i
		}
		isPeer := func(a, b int) bool { return peer(start+a, start+b) }
		if err := c.partitionValues(ec, rows, idx, isPeer, func(i int, v types.Datum) { out[idx[i]][col] = v }); err != nil {
			return err
		}
		start = end
	}
	return nil
}

func (c *winCallExec) arg(ec *expr.EvalCtx, rows [][]types.Datum, r, k int) (types.Datum, error) {
	return c.Args[k].Eval(ec, rows[r])
}

// partitionValues computes the function over one sorted partition.
func (c *winCallExec) partitionValues(ec *expr.EvalCtx, rows [][]types.Datum, idx []int, peer func(a, b int) bool, set func(int, types.Datum)) error {
	n := len(idx)
	// peer group bounds
	groupStart := make([]int, n)
	groupEnd := make([]int, n)
	for i := 0; i < n; {
		j := i + 1
		for j < n && peer(i, j) {
			j++
		}
		for k := i; k < j; k++ {
			groupStart[k], groupEnd[k] = i, j
		}
		i = j
	}
	switch c.Name {
	case "row_number":
		for i := 0; i < n; i++ {
			set(i, int64(i+1))
		}
		return nil
	case "rank":
		for i := 0; i < n; i++ {
			set(i, int64(groupStart[i]+1))
		}
		return nil
	case "dense_rank":
		rank := int64(0)
		for i := 0; i < n; i++ {
			if groupStart[i] == i {
				rank++
			}
			set(i, rank)
		}
		return nil
	case "percent_rank":
		for i := 0; i < n; i++ {
			if n == 1 {
				set(i, 0.0)
			} else {
				set(i, float64(groupStart[i])/float64(n-1))
			}
		}
		return nil
	case "cume_dist":
		for i := 0; i < n; i++ {
			set(i, float64(groupEnd[i])/float64(n))
		}
		return nil
	case "ntile":
		v, err := c.arg(ec, rows, idx[0], 0)
		if err != nil {
			return err
		}
		if v == nil {
			for i := 0; i < n; i++ {
				set(i, nil)
			}
			return nil
		}
		buckets := v.(int64)
		if buckets <= 0 {
			return sqlerr.New(sqlerr.InvalidArgumentForNtile, "argument of ntile must be greater than zero")
		}
		per, extra := int64(n)/buckets, int64(n)%buckets
		i := 0
		for bkt := int64(1); bkt <= buckets && i < n; bkt++ {
			size := per
			if bkt <= extra {
				size++
			}
			for k := int64(0); k < size && i < n; k++ {
				set(i, bkt)
				i++
			}
		}
		return nil
	case "lag", "lead":
		for i := 0; i < n; i++ {
			off := int64(1)
			if len(c.Args) > 1 {
				v, err := c.arg(ec, rows, idx[i], 1)
				if err != nil {
					return err
				}
				if v == nil {
					set(i, nil)
					continue
				}
				off = v.(int64)
			}
			j := int64(i) - off
			if c.Name == "lead" {
				j = int64(i) + off
			}
			if j >= 0 && j < int64(n) {
				v, err := c.arg(ec, rows, idx[j], 0)
				if err != nil {
					return err
				}
				set(i, v)
			} else if len(c.Args) > 2 {
				v, err := c.arg(ec, rows, idx[i], 2)
				if err != nil {
					return err
				}
				set(i, v)
			} else {
				set(i, nil)
			}
		}
		return nil
	}
	// Peer-group ordinals and bounds, for GROUPS frames.
	var groupOf, starts, ends []int
	if c.Frame&FrameGroups != 0 {
		groupOf = make([]int, n)
		for i := 0; i < n; i++ {
			if groupStart[i] == i {
				starts = append(starts, i)
				ends = append(ends, groupEnd[i])
			}
			groupOf[i] = len(starts) - 1
		}
	}
	var keys []types.Datum // RANGE with offsets: each position's key
	if c.RangeKey != nil {
		keys = make([]types.Datum, n)
		for i := range keys {
			v, err := c.RangeKey.Eval(ec, rows[idx[i]])
			if err != nil {
				return err
			}
			keys[i] = v
		}
	}
	bounds := func(i int) (int, int, error) {
		if keys != nil {
			return c.rangeBounds(ec, rows[idx[i]], keys, i, groupStart, groupEnd)
		}
		lo, hi, err := c.frameBounds(ec, rows, idx, i, n, groupStart, groupEnd)
		if err == nil && c.Frame&FrameGroups != 0 {
			lo, hi, err = c.groupsBounds(ec, rows, idx, i, n, groupOf, starts, ends)
		}
		return lo, hi, err
	}
	if c.Agg != nil {
		return c.aggregateFrames(ec, rows, idx, bounds, set)
	}
	// first_value, last_value, nth_value.
	for i := 0; i < n; i++ {
		lo, hi, err := bounds(i)
		if err != nil {
			return err
		}
		pos := lo
		if c.Name == "last_value" {
			pos = hi - 1
		}
		if c.Name == "nth_value" {
			v, err := c.arg(ec, rows, idx[i], 1)
			if err != nil {
				return err
			}
			if v == nil {
				set(i, nil)
				continue
			}
			if v.(int64) <= 0 {
				return sqlerr.New(sqlerr.InvalidArgumentForNthValue, "argument of nth_value must be greater than zero")
			}
			pos = lo + int(v.(int64)) - 1
		}
		if pos < lo || pos >= hi {
			set(i, nil)
			continue
		}
		v, err := c.arg(ec, rows, idx[pos], 0)
		if err != nil {
			return err
		}
		set(i, v)
	}
	return nil
}

// aggregateFrames computes an aggregate over each row's frame. A frame that
// keeps its start and only grows at the end (the default frame, UNBOUNDED
// PRECEDING, a whole partition) carries one state from row to row and adds
// just the new rows — linear instead of quadratic, in the order a fresh
// aggregation would add them, so float sums keep their digits. A frame
// ending at UNBOUNDED FOLLOWING whose start moves is walked from the last
// row back, growing at the front, when the aggregate's result does not
// depend on input order (PostgreSQL uses inverse transitions there, and
// restarts for float sums, as happens here). Other frames start afresh.
func (c *winCallExec) aggregateFrames(ec *expr.EvalCtx, rows [][]types.Datum, idx []int, bounds func(int) (int, int, error), set func(int, types.Datum)) error {
	n := len(idx)
	incremental := windowIncremental[c.Agg.Name]
	reverse := incremental && c.Frame&frameEndUnboundedFol != 0 && c.Frame&frameStartUnboundedPre == 0 && c.orderInsensitive()
	add := func(st expr.AggState, j int) error {
		r := rows[idx[j]]
		if c.Filter != nil {
			v, err := c.Filter.Eval(ec, r)
			if err != nil {
				return err
			}
			if v == nil || !v.(bool) {
				return nil
			}
		}
		args := make([]types.Datum, len(c.Args))
		for k, a := range c.Args {
			var err error
			if args[k], err = a.Eval(ec, r); err != nil {
				return err
			}
		}
		return st.Add(args)
	}
	var st expr.AggState
	stLo, stHi := -1, -1 // the rows st holds
	for step := 0; step < n; step++ {
		i := step
		if reverse {
			i = n - 1 - step
		}
		lo, hi, err := bounds(i)
		if err != nil {
			return err
		}
		if reverse {
			if st == nil || hi != stHi || lo > stLo {
				st, stLo, stHi = c.Agg.Make(), hi, hi
			}
			for ; stLo > lo; stLo-- {
				if err := add(st, stLo-1); err != nil {
					return err
				}
			}
		} else {
			if !incremental || st == nil || lo != stLo || hi < stHi {
				st, stLo, stHi = c.Agg.Make(), lo, lo
			}
			for ; stHi < hi; stHi++ {
				if err := add(st, stHi); err != nil {
					return err
				}
			}
		}
		v, err := st.Result()
		if err != nil {
			return err
		}
		set(i, v)
	}
	return nil
}

// orderInsensitive reports whether the aggregate's result is the same for
// any order of its input: not so for sums and variances of floats, whose
// rounding depends on the order of additions.
func (c *winCallExec) orderInsensitive() bool {
	switch c.Agg.Name {
	case "count", "min", "max", "bool_and", "bool_or", "every":
		return true
	}
	if len(c.Args) == 0 {
		return false
	}
	oid := c.Args[0].Type().OID
	return oid != types.OIDFloat4 && oid != types.OIDFloat8
}

// windowIncremental lists the aggregates whose result() leaves the state
// usable for more rows and returns a value later additions do not change,
// so a growing frame can keep one state.
var windowIncremental = map[string]bool{"count": true, "sum": true, "avg": true, "min": true, "max": true,
	"bool_and": true, "bool_or": true, "every": true, "stddev": true, "stddev_samp": true, "stddev_pop": true,
	"variance": true, "var_samp": true, "var_pop": true}

// frameBounds returns the half-open range of partition positions in row i's frame.
func (c *winCallExec) frameBounds(ec *expr.EvalCtx, rows [][]types.Datum, idx []int, i, n int, gs, ge []int) (int, int, error) {
	fr := c.Frame
	if fr&frameNonDefault == 0 {
		if len(c.Order) == 0 {
			return 0, n, nil
		}
		return 0, ge[i], nil
	}
	offset := func(e expr.Expr) (int, error) { return frameOffset(ec, e, rows[idx[i]], n) }
	rowsMode := fr&frameRows != 0
	lo, hi := 0, n
	switch {
	case fr&frameStartUnboundedPre != 0:
		lo = 0
	case fr&frameStartCurrent != 0:
		lo = i
		if !rowsMode {
			lo = gs[i]
		}
	case fr&FrameStartOffsetPre != 0:
		k, err := offset(c.Start)
		if err != nil {
			return 0, 0, err
		}
		lo = max(i-k, 0)
	case fr&FrameStartOffsetFol != 0:
		k, err := offset(c.Start)
		if err != nil {
			return 0, 0, err
		}
		lo = min(i+k, n)
	}
	switch {
	case fr&frameEndUnboundedFol != 0:
		hi = n
	case fr&frameEndCurrent != 0:
		hi = i + 1
		if !rowsMode {
			hi = ge[i]
		}
	case fr&FrameEndOffsetPre != 0:
		k, err := offset(c.End)
		if err != nil {
			return 0, 0, err
		}
		hi = max(i-k+1, 0)
	case fr&FrameEndOffsetFol != 0:
		k, err := offset(c.End)
		if err != nil {
			return 0, 0, err
		}
		hi = min(i+k+1, n)
	}
	if hi < lo {
		hi = lo
	}
	return lo, hi, nil
}

// groupsBounds computes a GROUPS frame: offsets count peer groups.
func (c *winCallExec) groupsBounds(ec *expr.EvalCtx, rows [][]types.Datum, idx []int, i, n int, groupOf, starts, ends []int) (int, int, error) {
	fr := c.Frame
	g, ng := groupOf[i], len(starts)
	offset := func(e expr.Expr) (int, error) { return frameOffset(ec, e, rows[idx[i]], n) }
	lo, hi := 0, n
	switch {
	case fr&frameStartUnboundedPre != 0:
		lo = 0
	case fr&frameStartCurrent != 0:
		lo = starts[g]
	case fr&FrameStartOffsetPre != 0:
		k, err := offset(c.Start)
		if err != nil {
			return 0, 0, err
		}
		lo = starts[max(g-k, 0)]
	case fr&FrameStartOffsetFol != 0:
		k, err := offset(c.Start)
		if err != nil {
			return 0, 0, err
		}
		if g+k >= ng {
			lo = n
		} else {
			lo = starts[g+k]
		}
	}
	switch {
	case fr&frameEndUnboundedFol != 0:
		hi = n
	case fr&frameEndCurrent != 0:
		hi = ends[g]
	case fr&FrameEndOffsetPre != 0:
		k, err := offset(c.End)
		if err != nil {
			return 0, 0, err
		}
		if g-k < 0 {
			hi = 0
		} else {
			hi = ends[g-k]
		}
	case fr&FrameEndOffsetFol != 0:
		k, err := offset(c.End)
		if err != nil {
			return 0, 0, err
		}
		hi = ends[min(g+k, ng-1)]
	}
	if hi < lo {
		hi = lo
	}
	return lo, hi, nil
}

// frameOffset evaluates a frame's n PRECEDING/FOLLOWING for a row.
func frameOffset(ec *expr.EvalCtx, e expr.Expr, row []types.Datum, n int) (int, error) {
	v, err := e.Eval(ec, row)
	if err != nil {
		return 0, err
	}
	if v == nil {
		return 0, sqlerr.New(sqlerr.NullValueNotAllowed, "frame starting offset must not be null")
	}
	if v.(int64) < 0 {
		return 0, sqlerr.New(sqlerr.InvalidPrecedingOrFollowingSize, "frame starting offset must not be negative")
	}
	return int(min(v.(int64), int64(n))), nil
}
