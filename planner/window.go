package planner

import (
	"slices"

	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// Frame option bits, as PostgreSQL's parsenodes.h defines them.
const (
	frameNonDefault        = 0x00001
	frameRange             = 0x00002
	frameRows              = 0x00004
	frameGroups            = 0x00008
	frameStartUnboundedPre = 0x00020
	frameEndUnboundedFol   = 0x00100
	frameStartCurrent      = 0x00200
	frameEndCurrent        = 0x00400
	frameStartOffsetPre    = 0x00800
	frameEndOffsetPre      = 0x01000
	frameStartOffsetFol    = 0x02000
	frameEndOffsetFol      = 0x04000
	frameExclusions        = 0x08000 | 0x10000 | 0x20000
)

// winCall is one window function call.
type winCall struct {
	name      string
	args      []Expr
	partition []Expr
	order     []Expr
	orderKey  []sortKey
	frame     int32
	start     Expr
	end       Expr
	agg       *aggDef // for aggregates used as window functions
	filter    Expr
	t         types.Type
	// RANGE frames with offsets: the ORDER BY key as compared (dates as
	// timestamps), and key ∓ offset for the frame's start and end.
	rangeKey             Expr
	rangeStart, rangeEnd Expr
}

// winSet collects a query level's window calls; their results are appended
// to each row, so a reference reads from the row's end.
type winSet struct {
	calls []*winCall
	srfs  *srfSet // set-returning results appended after the window results
}

type winRefExpr struct {
	set *winSet
	k   int
	t   types.Type
}

func (e *winRefExpr) Type() types.Type { return e.t }
func (e *winRefExpr) Eval(_ *evalCtx, row []types.Datum) (types.Datum, error) {
	return row[len(row)-len(e.set.srfs.calls)-len(e.set.calls)+e.k], nil
}

var rankingFuncs = map[string]bool{"row_number": true, "rank": true, "dense_rank": true, "percent_rank": true,
	"cume_dist": true, "ntile": true, "lag": true, "lead": true, "first_value": true, "last_value": true, "nth_value": true}

// window binds a window function call at this level.
func (b *binder) window(f *ast.FuncCall) (Expr, error) {
	name := f.Name[len(f.Name)-1]
	if b.win == nil {
		return nil, errAt(sqlerr.New(sqlerr.WindowingError, "window functions are not allowed here"), f.Pos)
	}
	if f.Distinct {
		return nil, errAt(sqlerr.Unsupported("DISTINCT is not implemented for window functions"), f.Pos)
	}
	if len(f.OrderBy) > 0 {
		return nil, errAt(sqlerr.Unsupported("aggregate ORDER BY is not implemented for window functions"), f.Pos)
	}
	w := f.Over
	fr := w.Frame
	if fr&frameExclusions != 0 {
		return nil, errAt(sqlerr.Unsupported("frame exclusions are not supported yet"), f.Pos)
	}
	if fr&frameGroups != 0 && len(w.OrderBy) == 0 {
		return nil, errAt(sqlerr.New(sqlerr.WindowingError, "GROUPS mode requires an ORDER BY clause"), f.Pos)
	}
	rangeOffsets := fr&frameRange != 0 && fr&(frameStartOffsetPre|frameEndOffsetPre|frameStartOffsetFol|frameEndOffsetFol) != 0
	if rangeOffsets && len(w.OrderBy) != 1 {
		return nil, errAt(sqlerr.New(sqlerr.WindowingError, "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column"), w.Pos)
	}
	for _, a := range f.Args {
		if containsWindow(a) {
			return nil, errAt(sqlerr.New(sqlerr.WindowingError, "window function calls cannot be nested"), f.Pos)
		}
	}
	call := &winCall{name: name, frame: fr}
	set := b.win
	b.win = nil // arguments may not hold window calls
	defer func() { b.win = set }()
	for _, a := range f.Args {
		e, err := b.expr(a)
		if err != nil {
			return nil, err
		}
		call.args = append(call.args, e)
	}
	for _, p := range w.PartitionBy {
		e, err := b.expr(p)
		if err != nil {
			return nil, err
		}
		call.partition = append(call.partition, e)
	}
	for i, o := range w.OrderBy {
		e, err := b.expr(o.Expr)
		if err != nil {
			return nil, err
		}
		if isUnknown(e) {
			if e, err = b.coerce(e, types.Text, "", -1); err != nil {
				return nil, err
			}
		}
		call.order = append(call.order, e)
		call.orderKey = append(call.orderKey, sortKeyOf(i, o))
	}
	if rangeOffsets {
		if err := b.rangeFrame(call, w, f.Pos); err != nil {
			return nil, err
		}
	} else {
		for _, off := range []struct {
			in  ast.Expr
			out *Expr
		}{{w.Start, &call.start}, {w.End, &call.end}} {
			if off.in == nil {
				continue
			}
			e, err := b.expr(off.in)
			if err != nil {
				return nil, err
			}
			if *off.out, err = b.coerceCtx(e, types.Int8, castAssignment, "frame offset", -1); err != nil {
				return nil, err
			}
		}
	}
	var err error
	switch name {
	case "row_number", "rank", "dense_rank":
		call.t = types.Int8
	case "percent_rank", "cume_dist":
		call.t = types.Float8
	case "ntile":
		if len(call.args) != 1 {
			return nil, errAt(sqlerr.New(sqlerr.UndefinedFunction, "function ntile() requires one argument"), f.Pos)
		}
		if call.args[0], err = b.coerce(call.args[0], types.Int4, "argument of ntile", f.Pos); err != nil {
			return nil, err
		}
		call.t = types.Int4
	case "lag", "lead", "first_value", "last_value", "nth_value":
		if len(call.args) == 0 || len(call.args) > 3 {
			return nil, errAt(sqlerr.New(sqlerr.UndefinedFunction, "function %s has the wrong number of arguments", name), f.Pos)
		}
		if isUnknown(call.args[0]) {
			if call.args[0], err = b.coerce(call.args[0], types.Text, "", f.Pos); err != nil {
				return nil, err
			}
		}
		call.t = call.args[0].Type()
		if len(call.args) > 1 {
			if call.args[1], err = b.coerce(call.args[1], types.Int4, "offset", f.Pos); err != nil {
				return nil, err
			}
		}
		if len(call.args) > 2 {
			if call.args[2], err = b.coerce(call.args[2], call.t, "default", f.Pos); err != nil {
				return nil, err
			}
		}
	default:
		if !isAggregateName(name) {
			return nil, errAt(sqlerr.New(sqlerr.WrongObjectType, "OVER specified, but %s is not a window function nor an aggregate function", name), f.Pos)
		}
		ac := &aggCall{args: call.args}
		if f.Star {
			ac.args = nil
		}
		if call.agg, err = resolveAggregate(b, name, ac, f); err != nil {
			return nil, err
		}
		call.args, call.t = ac.args, ac.t
		if f.Filter != nil {
			flt, err := b.expr(f.Filter)
			if err != nil {
				return nil, err
			}
			if call.filter, err = b.coerce(flt, types.Bool, "argument of FILTER", f.Pos); err != nil {
				return nil, err
			}
		}
	}
	set.calls = append(set.calls, call)
	return &winRefExpr{set: set, k: len(set.calls) - 1, t: call.t}, nil
}

// containsWindow reports whether an expression calls a window function at
// this query level.
func containsWindow(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(x ast.Expr) bool {
		if f, ok := x.(*ast.FuncCall); ok && f.Over != nil {
			found = true
		}
		return !found
	})
	return found
}

// windowNode appends the window results to each input row.
type windowNode struct {
	child node
	set   *winSet
}

func (w *windowNode) open(ec *evalCtx) (rowIter, error) {
	rows, err := collect(ec, w.child)
	if err != nil {
		return nil, err
	}
	n := len(w.set.calls)
	if len(rows) == 0 {
		return &sliceIter{}, nil
	}
	out := make([][]types.Datum, len(rows))
	for i, r := range rows {
		out[i] = append(append(make([]types.Datum, 0, len(r)+n), r...), make([]types.Datum, n)...)
	}
	for k, c := range w.set.calls {
		if err := c.compute(ec, rows, out, len(out[0])-n+k); err != nil {
			return nil, err
		}
	}
	return &sliceIter{rows: out}, nil
}

// compute fills column col of out with the call's value for each row.
func (c *winCall) compute(ec *evalCtx, rows, out [][]types.Datum, col int) error {
	type entry struct {
		i    int
		part []types.Datum
		ord  []types.Datum
	}
	es := make([]entry, len(rows))
	np := len(c.partition)
	for i, r := range rows {
		kr := make([]types.Datum, np+len(c.order)) // partition keys, then order keys
		e := entry{i: i, part: kr[:np], ord: kr[np:]}
		for j, p := range c.partition {
			v, err := p.Eval(ec, r)
			if err != nil {
				return err
			}
			e.part[j] = v
		}
		for j, o := range c.order {
			v, err := o.Eval(ec, r)
			if err != nil {
				return err
			}
			e.ord[j] = v
		}
		es[i] = e
	}
	partKeys := make([]sortKey, np)
	for j := range partKeys {
		partKeys[j] = sortKey{idx: j}
	}
	// Partition keys, then order keys; stable, so input order breaks ties.
	keys := slices.Clone(partKeys)
	for _, k := range c.orderKey {
		k.idx += np
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
	peer := func(a, b int) bool { return compareRows(es[a].ord, es[b].ord, c.orderKey) == 0 }
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

func (c *winCall) arg(ec *evalCtx, rows [][]types.Datum, r, k int) (types.Datum, error) {
	return c.args[k].Eval(ec, rows[r])
}

// partitionValues computes the function over one sorted partition.
func (c *winCall) partitionValues(ec *evalCtx, rows [][]types.Datum, idx []int, peer func(a, b int) bool, set func(int, types.Datum)) error {
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
	switch c.name {
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
			if len(c.args) > 1 {
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
			if c.name == "lead" {
				j = int64(i) + off
			}
			if j >= 0 && j < int64(n) {
				v, err := c.arg(ec, rows, idx[j], 0)
				if err != nil {
					return err
				}
				set(i, v)
			} else if len(c.args) > 2 {
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
	if c.frame&frameGroups != 0 {
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
	if c.rangeKey != nil {
		keys = make([]types.Datum, n)
		for i := range keys {
			v, err := c.rangeKey.Eval(ec, rows[idx[i]])
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
		if err == nil && c.frame&frameGroups != 0 {
			lo, hi, err = c.groupsBounds(ec, rows, idx, i, n, groupOf, starts, ends)
		}
		return lo, hi, err
	}
	if c.agg != nil {
		return c.aggregateFrames(ec, rows, idx, bounds, set)
	}
	// first_value, last_value, nth_value.
	for i := 0; i < n; i++ {
		lo, hi, err := bounds(i)
		if err != nil {
			return err
		}
		pos := lo
		if c.name == "last_value" {
			pos = hi - 1
		}
		if c.name == "nth_value" {
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
func (c *winCall) aggregateFrames(ec *evalCtx, rows [][]types.Datum, idx []int, bounds func(int) (int, int, error), set func(int, types.Datum)) error {
	n := len(idx)
	incremental := windowIncremental[c.agg.name]
	reverse := incremental && c.frame&frameEndUnboundedFol != 0 && c.frame&frameStartUnboundedPre == 0 && c.orderInsensitive()
	add := func(st aggState, j int) error {
		r := rows[idx[j]]
		if c.filter != nil {
			v, err := c.filter.Eval(ec, r)
			if err != nil {
				return err
			}
			if v == nil || !v.(bool) {
				return nil
			}
		}
		args := make([]types.Datum, len(c.args))
		for k, a := range c.args {
			var err error
			if args[k], err = a.Eval(ec, r); err != nil {
				return err
			}
		}
		return st.add(args)
	}
	var st aggState
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
				st, stLo, stHi = c.agg.make(), hi, hi
			}
			for ; stLo > lo; stLo-- {
				if err := add(st, stLo-1); err != nil {
					return err
				}
			}
		} else {
			if !incremental || st == nil || lo != stLo || hi < stHi {
				st, stLo, stHi = c.agg.make(), lo, lo
			}
			for ; stHi < hi; stHi++ {
				if err := add(st, stHi); err != nil {
					return err
				}
			}
		}
		v, err := st.result()
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
func (c *winCall) orderInsensitive() bool {
	switch c.agg.name {
	case "count", "min", "max", "bool_and", "bool_or", "every":
		return true
	}
	if len(c.args) == 0 {
		return false
	}
	oid := c.args[0].Type().OID
	return oid != types.OIDFloat4 && oid != types.OIDFloat8
}

// windowIncremental lists the aggregates whose result() leaves the state
// usable for more rows and returns a value later additions do not change,
// so a growing frame can keep one state.
var windowIncremental = map[string]bool{"count": true, "sum": true, "avg": true, "min": true, "max": true,
	"bool_and": true, "bool_or": true, "every": true, "stddev": true, "stddev_samp": true, "stddev_pop": true,
	"variance": true, "var_samp": true, "var_pop": true}

// frameBounds returns the half-open range of partition positions in row i's frame.
func (c *winCall) frameBounds(ec *evalCtx, rows [][]types.Datum, idx []int, i, n int, gs, ge []int) (int, int, error) {
	fr := c.frame
	if fr&frameNonDefault == 0 {
		if len(c.order) == 0 {
			return 0, n, nil
		}
		return 0, ge[i], nil
	}
	offset := func(e Expr) (int, error) { return frameOffset(ec, e, rows[idx[i]], n) }
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
	case fr&frameStartOffsetPre != 0:
		k, err := offset(c.start)
		if err != nil {
			return 0, 0, err
		}
		lo = max(i-k, 0)
	case fr&frameStartOffsetFol != 0:
		k, err := offset(c.start)
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
	case fr&frameEndOffsetPre != 0:
		k, err := offset(c.end)
		if err != nil {
			return 0, 0, err
		}
		hi = max(i-k+1, 0)
	case fr&frameEndOffsetFol != 0:
		k, err := offset(c.end)
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
func (c *winCall) groupsBounds(ec *evalCtx, rows [][]types.Datum, idx []int, i, n int, groupOf, starts, ends []int) (int, int, error) {
	fr := c.frame
	g, ng := groupOf[i], len(starts)
	offset := func(e Expr) (int, error) { return frameOffset(ec, e, rows[idx[i]], n) }
	lo, hi := 0, n
	switch {
	case fr&frameStartUnboundedPre != 0:
		lo = 0
	case fr&frameStartCurrent != 0:
		lo = starts[g]
	case fr&frameStartOffsetPre != 0:
		k, err := offset(c.start)
		if err != nil {
			return 0, 0, err
		}
		lo = starts[max(g-k, 0)]
	case fr&frameStartOffsetFol != 0:
		k, err := offset(c.start)
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
	case fr&frameEndOffsetPre != 0:
		k, err := offset(c.end)
		if err != nil {
			return 0, 0, err
		}
		if g-k < 0 {
			hi = 0
		} else {
			hi = ends[g-k]
		}
	case fr&frameEndOffsetFol != 0:
		k, err := offset(c.end)
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
func frameOffset(ec *evalCtx, e Expr, row []types.Datum, n int) (int, error) {
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
