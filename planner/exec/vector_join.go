package exec

import (
	"math"
	"slices"

	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/types"
)

// joinTable is a build input in vectors, with a hash table from its key
// to the key's first build row; next gives the following ones.
type joinTable struct {
	cols   []*expr.Vcol
	ints   *expr.I64map
	strs   map[string]int32
	next   []int32
	strKey bool
	dups   bool // some key has more than one build row (else next is all -1)
	// dense, when set, replaces ints for integer keys that fill most of
	// their range [lo, lo+len(dense)): the first build row of key k is
	// dense[k-lo] (-1: none). A probe is one read of a 4-byte slot.
	dense []int32
	lo    int64
	sink  int32 // touchDense's loads go here so the compiler keeps them
}

// touchDense loads the dense slots of a block of probe keys before the
// probes that branch on them (as i64map.touch).
func (t *joinTable) touchDense(keys []int64, sel []int32) {
	var sink int32
	for _, r := range sel {
		if d := uint64(keys[r]) - uint64(t.lo); d < uint64(len(t.dense)) {
			sink += t.dense[d]
		}
	}
	t.sink = sink
}

// first is the first build row of integer key k (-1: none).
func (t *joinTable) first(k int64) int32 {
	if t.dense != nil {
		if d := uint64(k) - uint64(t.lo); d < uint64(len(t.dense)) {
			return t.dense[d]
		}
		return -1
	}
	b, _ := t.ints.Get(k)
	return b
}

// intJoinTable indexes build rows by an integer key: the first row of each
// key, the following ones through next (in build order), dense when the
// keys allow. key reads a row's key (nil: NULL, never matched).
func intJoinTable(ec *expr.EvalCtx, rows [][]types.Datum, key func(r []types.Datum) (types.Datum, error)) (*joinTable, error) {
	t := &joinTable{next: make([]int32, len(rows)), ints: expr.NewI64Map(len(rows))}
	// Inserted last row first, so each key's chain lists its rows in
	// build order.
	for r := len(rows) - 1; r >= 0; r-- {
		k, err := key(rows[r])
		if err != nil {
			return nil, err
		}
		t.next[r] = -1
		if k == nil {
			continue
		}
		t.next[r] = t.ints.Put(k.(int64), int32(r))
		t.dups = t.dups || t.next[r] >= 0
	}
	return t, t.makeDense(ec)
}

// denseMax bounds a dense key table (64 M slots, 256 MB).
const denseMax = 1 << 26

// makeDense replaces t's integer hash table by a directly indexed array
// when the keys' range is at most four times their number (plus slack).
func (t *joinTable) makeDense(ec *expr.EvalCtx) error {
	n := t.ints.Len()
	if n == 0 {
		return nil
	}
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	t.ints.Each(func(k int64, _ int32) {
		lo, hi = min(lo, k), max(hi, k)
	})
	d := uint64(hi) - uint64(lo) // the span less one; no overflow, as hi >= lo
	if d >= uint64(4*n+4096) || d >= denseMax {
		return nil
	}
	span := d + 1
	if err := ec.Mem.Charge(4 * int64(span)); err != nil {
		return err
	}
	t.dense, t.lo = slices.Repeat([]int32{-1}, int(span)), lo
	t.ints.Each(func(k int64, v int32) { t.dense[k-lo] = v })
	t.ints = nil
	return nil
}

// vecFilterScanExec runs a vecFilterScan (its plan node, with execution methods).
type vecFilterScanExec plan.VecFilterScan

// buildJoins collects every build input of the scan's joins.
func (v *vecFilterScanExec) buildJoins(ec *expr.EvalCtx) ([]*joinTable, error) {
	out := make([]*joinTable, len(v.Joins))
	for i, j := range v.Joins {
		rows, err := collect(ec, j.Build)
		if err != nil {
			return nil, err
		}
		if err := ec.Mem.Charge(int64(len(rows)) * 24); err != nil {
			return nil, err
		}
		kind, _ := expr.VkindOf(j.BuildKey.Type())
		var t *joinTable
		if kind == expr.VStr {
			t = &joinTable{strKey: true, strs: make(map[string]int32, len(rows)), next: make([]int32, len(rows))}
			// Last row first, so each key's chain lists its rows in build order.
			for r := len(rows) - 1; r >= 0; r-- {
				k, err := j.BuildKey.Eval(ec, rows[r])
				if err != nil {
					return nil, err
				}
				t.next[r] = -1
				if k == nil {
					continue // NULL keys never match
				}
				if h, ok := t.strs[k.(string)]; ok {
					t.next[r] = h
				}
				t.strs[k.(string)] = int32(r)
				t.dups = t.dups || t.next[r] >= 0
			}
		} else if t, err = intJoinTable(ec, rows, func(r []types.Datum) (types.Datum, error) { return j.BuildKey.Eval(ec, r) }); err != nil {
			return nil, err
		}
		t.cols = plan.RowVecs(rows, j.BuildCols)
		for _, c := range t.cols {
			if c != nil && c.Kind == expr.VStr {
				encodeDict(c)
			}
		}
		out[i] = t
	}
	return out, nil
}

// joinChunk joins one chunk's selected rows through every join and returns
// the joined columns and the positions that pass the joins' conditions.
func (v *vecFilterScanExec) joinChunk(tabs []*joinTable, cols []*expr.Vcol, sel []int32) ([]*expr.Vcol, []int32, error) {
	for i, j := range v.Joins {
		t := tabs[i]
		pk, err := j.ProbeKey(cols, chunkLen(cols))
		if err != nil {
			return nil, nil, err
		}
		pIdx, bIdx := make([]int32, 0, len(sel)), make([]int32, 0, len(sel))
		for x, r := range sel {
			if x%expr.TouchBlock == 0 {
				switch blk := sel[x:min(x+expr.TouchBlock, len(sel))]; {
				case t.ints != nil:
					t.ints.Touch(pk.I, blk)
				case len(t.dense) >= expr.TouchMinSlots:
					t.touchDense(pk.I, blk)
				}
			}
			b := int32(-1)
			switch {
			case pk.IsNull(int(r)):
			case t.strKey:
				if h, ok := t.strs[pk.S[r]]; ok {
					b = h
				}
			default:
				b = t.first(pk.I[r])
			}
			if b < 0 {
				if j.Left {
					pIdx, bIdx = append(pIdx, r), append(bIdx, -1)
				}
				continue
			}
			pIdx, bIdx = append(pIdx, r), append(bIdx, b)
			for t.dups && t.next[b] >= 0 {
				b = t.next[b]
				pIdx, bIdx = append(pIdx, r), append(bIdx, b)
			}
		}
		m := len(pIdx)
		out := make([]*expr.Vcol, j.Width+len(t.cols)+1)
		for c := 0; c < j.Width && c < len(cols); c++ {
			if cols[c] != nil && v.Used[c] {
				out[c] = gather(cols[c], pIdx)
			}
		}
		for c, bc := range t.cols {
			if bc != nil && v.Used[j.Width+c] {
				out[j.Width+c] = gather(bc, bIdx)
			}
		}
		out[len(out)-1] = &expr.Vcol{Kind: expr.VBool, B: make([]bool, m)} // row counter
		sel = make([]int32, m)
		for k := range sel {
			sel[k] = int32(k)
		}
		if sel, err = narrow(out, m, sel, j.Post, j.PostFails); err != nil {
			return nil, nil, err
		}
		cols = out
	}
	return cols, sel, nil
}

// gather picks rows of c by position; -1 gives NULL.
func gather(c *expr.Vcol, idx []int32) *expr.Vcol {
	out := &expr.Vcol{Kind: c.Kind}
	switch c.Kind {
	case expr.VInt, expr.VTS:
		out.I = gatherVals(c.I, idx)
	case expr.VFloat:
		out.F = gatherVals(c.F, idx)
	case expr.VStr:
		if c.Codes != nil {
			// Through the codes: a small array read at random and a small
			// dictionary, instead of the strings themselves.
			out.Codes, out.Dict = gatherVals(c.Codes, idx), c.Dict
			out.S = make([]string, len(idx))
			for k, code := range out.Codes {
				if idx[k] >= 0 && !c.IsNull(int(idx[k])) {
					out.S[k] = c.Dict[code]
				}
			}
			break
		}
		out.S = gatherVals(c.S, idx)
	case expr.VBool:
		out.B = gatherVals(c.B, idx)
	}
	for k, r := range idx {
		if r < 0 || c.IsNull(int(r)) {
			if out.Null == nil {
				out.Null = make([]bool, len(idx))
			}
			out.Null[k] = true
		}
	}
	return out
}

// gatherVals picks src's values by position (the zero value for -1).
func gatherVals[T any](src []T, idx []int32) []T {
	out := make([]T, len(idx))
	for k, r := range idx {
		if r >= 0 {
			out[k] = src[r]
		}
	}
	return out
}

// vectorizeJoin turns filters over a join whose left input vectorizes into
// a vectorized scan with joins; space is the join's output columns.
func vectorizeJoin(j *plan.JoinNode, preds []expr.Expr) *plan.VecFilterScan {
	if j.Lateral || len(j.Lkeys) != 1 || len(j.ColTypes) != j.LeftWidth+j.RightWidth ||
		(j.Kind != ast.InnerJoin && j.Kind != ast.LeftJoin) {
		return nil
	}
	probe := vectorizeScanJoins(j.Left)
	if probe == nil || len(probe.Space()) != j.LeftWidth {
		return nil
	}
	lk, rk := j.Lkeys[0], j.Rkeys[0]
	kind, ok := expr.VkindOf(lk.Type())
	rkind, ok2 := expr.VkindOf(rk.Type())
	if !ok || !ok2 || kind != rkind || (kind != expr.VInt && kind != expr.VStr) {
		return nil
	}
	pk, ok := expr.CompileVec(lk, plan.ColumnTypes(probe.Space()))
	if !ok {
		return nil
	}
	var residual []expr.Expr
	for _, c := range plan.AndArgs(j.Cond) {
		if f, ok := c.(*expr.FnExpr); ok && f.IsEq && len(f.Args) == 2 && (plan.SameExpr(f.Args[0], lk) && sameShifted(f.Args[1], rk, j.LeftWidth) ||
			plan.SameExpr(f.Args[1], lk) && sameShifted(f.Args[0], rk, j.LeftWidth)) {
			continue // the hash key itself
		}
		residual = append(residual, c)
	}
	if j.Kind == ast.LeftJoin && (len(residual) > 0 || len(preds) > 0) {
		return nil // ON conditions of an outer join decide matches, not rows
	}
	buildCols := make([]plan.Column, j.RightWidth)
	for i, t := range j.ColTypes[j.LeftWidth:] {
		buildCols[i] = plan.Column{Type: t}
	}
	space := append(append([]plan.Column(nil), probe.Space()...), buildCols...)
	vj := &plan.VecJoin{Build: j.Right, BuildCols: buildCols, ProbeKey: pk, BuildKey: rk, Left: j.Kind == ast.LeftJoin, Width: j.LeftWidth}
	conds := append(residual, preds...)
	if vj.Post, vj.PostFails, ok = plan.CompileConjuncts(conds, space); !ok {
		return nil
	}
	// What this join reads, besides the aggregation: its conditions and
	// its probe key (and what the joins below read).
	reads := append(append(slices.Clone(probe.JoinExprs), conds...), lk)
	out := &plan.VecFilterScan{T: probe.T, Src: probe.Src, Preds: probe.Preds, Fails: probe.Fails, Joins: append(slices.Clone(probe.Joins), vj),
		JoinSpace: space, JoinExprs: reads}
	return out
}

// sameShifted reports whether a (over the join row) is the right-side
// column b (over the right input's row).
func sameShifted(a, b expr.Expr, leftWidth int) bool {
	ca, ok1 := a.(*expr.ColExpr)
	cb, ok2 := b.(*expr.ColExpr)
	return ok1 && ok2 && ca.Idx == cb.Idx+leftWidth
}

// encodeDict gives a text vector codes when it has few distinct values
// (at most a quarter of its rows): grouping by it then costs an array
// index per row.
func encodeDict(c *expr.Vcol) {
	ids := map[string]int32{}
	codes := make([]int32, len(c.S))
	var dict []string
	for k, v := range c.S {
		if c.IsNull(k) {
			continue
		}
		id, ok := ids[v]
		if !ok {
			if len(dict) >= len(c.S)/4+16 {
				return
			}
			id = int32(len(dict))
			ids[v] = id
			dict = append(dict, v)
		}
		codes[k] = id
	}
	c.Codes, c.Dict = codes, dict
}
