package exec

import (
	"encoding/binary"
	"hash/maphash"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// vecChunk is how many rows a vectorized operator processes at a time: it
// bounds the memory of intermediate vectors and the latency of a cancel.
const vecChunk = 64 << 10

// selected evaluates the filters over rows [lo, hi) a chunk at a time and
// hands each chunk's columns and passing positions to fn.
// With joins, fn gets the joined chunk's columns and positions (no rows).
func (v *vecFilterScanExec) selected(ec *expr.EvalCtx, rows [][]types.Datum, all []*expr.Vcol, lo, hi int, tabs []*joinTable,
	fn func(start int, rows [][]types.Datum, cols []*expr.Vcol, sel []int32) error) error {
	cols := make([]*expr.Vcol, len(all))
	sel := make([]int32, 0, vecChunk)
	for start := lo; start < hi; start += vecChunk {
		if err := ec.Ctx.Err(); err != nil {
			return err
		}
		end := min(start+vecChunk, hi)
		n := end - start
		for i, c := range all {
			cols[i] = c.Slice(start, end)
		}
		// The positions that pass: all of them, then narrowed by each
		// filter in turn (a filter's vector is computed for the whole
		// chunk; only positions still selected are read).
		sel = sel[:n]
		for k := range sel {
			sel[k] = int32(k)
		}
		var err error
		if sel, err = narrow(cols, n, sel, v.Preds, v.Fails); err != nil {
			return err
		}
		if len(v.Joins) > 0 {
			jc, js, err := v.joinChunk(tabs, cols, sel)
			if err != nil {
				return err
			}
			if err := fn(start, nil, jc, js); err != nil {
				return err
			}
			continue
		}
		var rs [][]types.Datum
		if rows != nil {
			rs = rows[start:end]
		}
		if err := fn(start, rs, cols, sel); err != nil {
			return err
		}
	}
	return nil
}

// splits divides n rows into contiguous, chunk-aligned ranges, one per core
// when the input is large enough to pay for the goroutines.
func splits(n int) [][2]int {
	p := runtime.GOMAXPROCS(0)
	if p < 2 || n < 4*vecChunk {
		return [][2]int{{0, n}}
	}
	per := ((n/p + vecChunk - 1) / vecChunk) * vecChunk
	var out [][2]int
	for lo := 0; lo < n; lo += per {
		out = append(out, [2]int{lo, min(lo+per, n)})
	}
	return out
}

// parallel runs work for every split and returns the error of the earliest
// split that failed, which is the error a sequential run would meet first.
func parallel(parts [][2]int, work func(i int, lo, hi int) error) error {
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					errs[i] = sqlerr.Internal("internal error in parallel worker: %v", r)
				}
			}()
			errs[i] = work(i, p[0], p[1])
		}()
	}
	wg.Wait()
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func (v *vecFilterScanExec) open(ec *expr.EvalCtx) (rowIter, error) {
	if v.Src != nil {
		return v.openSource(ec)
	}
	rows := v.T.Snapshot()
	all := v.T.Vectors(rows)
	parts := splits(len(rows))
	outs := make([][][]types.Datum, len(parts))
	err := parallel(parts, func(i, lo, hi int) error {
		return v.selected(ec, rows, all, lo, hi, nil, func(_ int, rows [][]types.Datum, _ []*expr.Vcol, sel []int32) error {
			for _, k := range sel {
				outs[i] = append(outs[i], rows[k])
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	out := outs[0]
	for _, o := range outs[1:] {
		out = append(out, o...)
	}
	return &sliceIter{rows: out}, nil
}

// vaccs holds every group's accumulators in flat slices indexed by
// group*len(aggs)+aggregate, so a million groups cost a few large slices
// instead of a million small objects. Only the slices some aggregate uses
// are kept (a count over a million groups needs 16 bytes a group: its key
// and its count).
type vaccs struct {
	na   int
	n    int             // groups
	ikey []int64         // keys of groups keyed by one integer (intKey); NULL's is the vstate's nullGroup
	keys [][]types.Datum // keys of other groups
	cnt  []int64
	isum []int64 // with ints
	over []bool  // with ints: integer sum overflowed into dsum
	dsum map[int]*types.Decimal
	fsum []float64            // with floats
	seen []bool               // with best
	best []types.Datum        // with best: min/max
	dist map[int]*expr.StrSet // count(DISTINCT …) value sets by accumulator
	idst map[int]*expr.I64map // the same for integer arguments (no key encoding)

	intKeyed, ints, floats, bests bool
}

// newSlot makes room for one more group's accumulators and returns its number.
func (v *vaccs) newSlot() int {
	g := v.n
	if g == cap(v.cnt)/max(v.na, 1) {
		// Double every slice at once: append alone grows large slices by
		// a quarter, and with a million groups the copies cost more than
		// the aggregation (a profile of q07 put 22 % there).
		c := max(2*g, 64)
		na := max(v.na, 1)
		v.cnt = growTo(v.cnt, c*na)
		if v.intKeyed {
			v.ikey = growTo(v.ikey, c)
		} else {
			v.keys = growTo(v.keys, c)
		}
		if v.ints {
			v.isum = growTo(v.isum, c*na)
			v.over = growTo(v.over, c*na)
		}
		if v.floats {
			v.fsum = growTo(v.fsum, c*na)
		}
		if v.bests {
			v.seen = growTo(v.seen, c*na)
			v.best = growTo(v.best, c*na)
		}
	}
	v.n++
	grow := func(n int) int { return n + max(v.na, 1) }
	v.cnt = v.cnt[:grow(len(v.cnt))]
	if v.ints {
		v.isum, v.over = v.isum[:grow(len(v.isum))], v.over[:grow(len(v.over))]
	}
	if v.floats {
		v.fsum = v.fsum[:grow(len(v.fsum))]
	}
	if v.bests {
		v.seen, v.best = v.seen[:grow(len(v.seen))], v.best[:grow(len(v.best))]
	}
	return g
}

// Add appends a group with these keys (not intKeyed).
func (v *vaccs) Add(keys []types.Datum) int {
	g := v.newSlot()
	v.keys = append(v.keys, keys)
	return g
}

// addIntGroup appends a group keyed by one integer (intKeyed).
func (v *vaccs) addIntGroup(k int64) int {
	g := v.newSlot()
	v.ikey = append(v.ikey, k)
	return g
}

// growTo returns s with a capacity of exactly n (at least len(s)).
func growTo[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s
	}
	t := make([]T, len(s), n)
	copy(t, s)
	return t
}

// vstate is one worker's groups and accumulators.
type vstate struct {
	// replay: float sums are not added here but recorded, group and value
	// in scan order (a list of chunks per aggregate), to be added into a
	// total in the order the row engine would (vector_source.go).
	replay bool
	floats [][]floatChunk
	// codeGroup maps the codes of a dictionary-encoded key column to
	// groups (-1: not seen yet); codeDict is the dictionary it is for.
	codeGroup []int32
	codeDict  []string
	// The same for a coded text key beside an integer one: pairOrd maps
	// codes of pairDict to the text's number, whose pairMaps entry maps
	// the integer to its group.
	pairDict  []string
	pairOrd   []int32
	pairByStr map[string]int32
	pairMaps  []*expr.I64map
	acc       *vaccs
	byStr     map[string]int
	byInt     *expr.I64map
	nullGroup int
	enc       []string // each group's key encoding (groups not keyed by one integer)
}

// floatChunk is one chunk's float values to be summed, with their groups.
type floatChunk struct {
	g []int32
	v []float64
}

// newState is an empty state with the accumulator slices a's aggregates use.
func (a *vecAggNodeExec) newState() *vstate {
	acc := &vaccs{na: len(a.Aggs), intKeyed: a.intKey(), dsum: map[int]*types.Decimal{}, dist: map[int]*expr.StrSet{}, idst: map[int]*expr.I64map{}}
	for _, ag := range a.Aggs {
		switch ag.Name {
		case "sum", "avg":
			if ag.In.OID == types.OIDFloat8 {
				acc.floats = true
			} else {
				acc.ints = true
			}
		case "min", "max":
			acc.bests = true
		}
	}
	return &vstate{acc: acc, byStr: map[string]int{}, byInt: expr.NewI64Map(0), nullGroup: -1}
}

func (a *vecAggNodeExec) intKey() bool { return len(a.Keys) == 1 && a.Kt[0].IsInteger() }

// vecAggNodeExec runs a vecAggNode (its plan node, with execution methods).
type vecAggNodeExec plan.VecAggNode

// accumulate folds rows [lo, hi) of the scan into st. Each chunk is done
// in two passes: the selected rows' group numbers first, then one tight
// loop per aggregate over them (an accumulator still sees its rows in scan
// order, so float sums match the row engine's to the last digit).
func (a *vecAggNodeExec) accumulate(ec *expr.EvalCtx, st *vstate, rows [][]types.Datum, all []*expr.Vcol, lo, hi int, tabs []*joinTable) error {
	na := len(a.Aggs)
	acc := st.acc
	intKey := a.intKey()
	global := len(a.Keys) == 0
	var buf, dbuf []byte
	var gids []int32
	var strs []string // count(DISTINCT text) keys waiting for strSet.addBatch
	keyCols := make([]*expr.Vcol, len(a.Keys))
	argCols := make([]*expr.Vcol, na)
	return (*vecFilterScanExec)(a.Scan).selected(ec, rows, all, lo, hi, tabs, func(_ int, _ [][]types.Datum, cols []*expr.Vcol, sel []int32) error {
		if a.CompactArgs && len(sel) < chunkLen(cols) {
			cols, sel = compact(cols, sel)
		}
		rowsN := chunkLen(cols)
		for i, k := range a.Keys {
			c, err := k(cols, rowsN)
			if err != nil {
				return err
			}
			keyCols[i] = c
		}
		for i, g := range a.Aggs {
			if g.Arg == nil {
				continue
			}
			c, err := g.Arg(cols, rowsN)
			if err != nil {
				return err
			}
			argCols[i] = c
		}
		newGroup := func(k int) (int, error) {
			if intKey {
				if err := ec.Mem.Charge(16 + 32*int64(na)); err != nil {
					return 0, err
				}
				return acc.addIntGroup(keyCols[0].I[k]), nil
			}
			keys := make([]types.Datum, len(keyCols))
			for i, kc := range keyCols {
				keys[i] = kc.Datum(k)
			}
			if err := ec.Mem.Charge(expr.RowBytes(keys) + int64(len(buf)) + 64*int64(na+1)); err != nil {
				return 0, err
			}
			st.enc = append(st.enc, string(buf))
			return acc.Add(keys), nil
		}
		// strGroup finds or makes the group whose encoded key is in buf.
		strGroup := func(k int) (int, error) {
			g, ok := st.byStr[string(buf)]
			if !ok {
				var err error
				if g, err = newGroup(k); err != nil {
					return 0, err
				}
				st.byStr[string(buf)] = g
			}
			return g, nil
		}
		// Pass 1: group numbers of the selected rows (global: all in group 0).
		gids = slices.Grow(gids[:0], len(sel))
		switch {
		case global:
			gids = append(gids, make([]int32, len(sel))...)
			if acc.n == 0 {
				buf = buf[:0]
				if _, err := newGroup(0); err != nil {
					return err
				}
				st.byStr[""] = 0
			}
		case intKey:
			kc := keyCols[0]
			for x, r := range sel {
				if x%expr.TouchBlock == 0 {
					st.byInt.Touch(kc.I, sel[x:min(x+expr.TouchBlock, len(sel))])
				}
				k := int(r)
				if kc.IsNull(k) {
					if st.nullGroup < 0 {
						buf = buf[:0]
						g, err := newGroup(k)
						if err != nil {
							return err
						}
						st.nullGroup = g
					}
					gids = append(gids, int32(st.nullGroup))
					continue
				}
				g, ok := st.byInt.Get(kc.I[k])
				if !ok {
					buf = buf[:0]
					ng, err := newGroup(k)
					if err != nil {
						return err
					}
					g = int32(ng)
					st.byInt.Put(kc.I[k], g)
				}
				gids = append(gids, g)
			}
		case len(keyCols) == 1 && keyCols[0].Codes != nil:
			kc := keyCols[0]
			if len(st.codeDict) != len(kc.Dict) || len(kc.Dict) > 0 && &st.codeDict[0] != &kc.Dict[0] {
				st.codeDict = kc.Dict
				st.codeGroup = slices.Repeat([]int32{-1}, len(kc.Dict))
			}
			for _, r := range sel {
				k := int(r)
				code := kc.Codes[k]
				if !kc.IsNull(k) && st.codeGroup[code] >= 0 {
					gids = append(gids, st.codeGroup[code])
					continue
				}
				buf = appendVecKey(buf[:0], kc, k)
				g, err := strGroup(k)
				if err != nil {
					return err
				}
				if !kc.IsNull(k) {
					st.codeGroup[code] = int32(g)
				}
				gids = append(gids, int32(g))
			}
		case len(keyCols) == 2 && keyCols[0].Codes != nil && (keyCols[1].Kind == expr.VInt || keyCols[1].Kind == expr.VTS) && keyCols[1].Null == nil:
			// A dictionary-coded text key and an integer one (GROUP BY
			// region, date_trunc('day', ts)): the text's code picks a
			// per-value integer map, so no row builds a composite key.
			// New groups still get their encoded key (merges use it).
			kc, ic := keyCols[0], keyCols[1]
			if len(st.pairDict) != len(kc.Dict) || len(kc.Dict) > 0 && &st.pairDict[0] != &kc.Dict[0] {
				st.pairDict = kc.Dict
				st.pairOrd = slices.Repeat([]int32{-1}, len(kc.Dict))
			}
			for _, r := range sel {
				k := int(r)
				var m *expr.I64map
				if !kc.IsNull(k) {
					ord := st.pairOrd[kc.Codes[k]]
					if ord < 0 {
						o, seen := st.pairByStr[kc.Dict[kc.Codes[k]]]
						if !seen {
							if st.pairByStr == nil {
								st.pairByStr = map[string]int32{}
							}
							o = int32(len(st.pairMaps))
							st.pairByStr[strings.Clone(kc.Dict[kc.Codes[k]])] = o
							st.pairMaps = append(st.pairMaps, expr.NewI64Map(0))
						}
						ord, st.pairOrd[kc.Codes[k]] = o, o
					}
					m = st.pairMaps[ord]
					if g, ok := m.Get(ic.I[k]); ok {
						gids = append(gids, g)
						continue
					}
				}
				buf = appendVecKey(appendVecKey(buf[:0], kc, k), ic, k)
				g, err := strGroup(k)
				if err != nil {
					return err
				}
				if m != nil {
					m.Put(ic.I[k], int32(g))
				}
				gids = append(gids, int32(g))
			}
		default:
			for _, r := range sel {
				k := int(r)
				buf = buf[:0]
				for _, kc := range keyCols {
					buf = appendVecKey(buf, kc, k)
				}
				g, err := strGroup(k)
				if err != nil {
					return err
				}
				gids = append(gids, int32(g))
			}
		}
		// Pass 2: each aggregate over the selected rows.
		for i, ag := range a.Aggs {
			c := argCols[i]
			switch {
			case ag.Name == "count_star":
				if global {
					acc.cnt[i] += int64(len(sel))
					continue
				}
				for _, g := range gids {
					acc.cnt[int(g)*na+i]++
				}
			case ag.Name == "count_distinct":
				for x, r := range sel {
					if global && x%expr.TouchBlock == 0 && acc.idst[i] != nil {
						acc.idst[i].Touch(c.I, sel[x:min(x+expr.TouchBlock, len(sel))])
					}
					k := int(r)
					if c.IsNull(k) {
						continue
					}
					j := int(gids[x])*na + i
					if c.Kind == expr.VInt || c.Kind == expr.VTS {
						set := acc.idst[j]
						if set == nil {
							set = expr.NewI64Map(0)
							acc.idst[j] = set
						}
						if set.Put(c.I[k], 0) < 0 {
							if err := ec.Mem.Charge(24); err != nil {
								return err
							}
						}
						continue
					}
					set := acc.dist[j]
					if set == nil {
						set = expr.NewStrSet()
						acc.dist[j] = set
					}
					// Text is its own key (NULLs never get here); other
					// kinds are encoded. One aggregate's keys are all of
					// one kind, so the two never meet in a set. The set
					// copies keys into its arena: no batch stays alive.
					if c.Kind == expr.VStr && global {
						// One set: hash a block, load its slots, then probe.
						if strs = append(strs, c.S[k]); len(strs) == expr.TouchBlock {
							if err := addStrs(ec, set, strs); err != nil {
								return err
							}
							strs = strs[:0]
						}
						continue
					}
					key := ""
					if c.Kind == expr.VStr {
						key = c.S[k]
					} else {
						dbuf = appendVecKey(dbuf[:0], c, k)
						key = string(dbuf)
					}
					if set.Add(key) {
						if err := ec.Mem.Charge(int64(len(key)) + 12); err != nil {
							return err
						}
					}
				}
				if len(strs) > 0 {
					if err := addStrs(ec, acc.dist[i], strs); err != nil {
						return err
					}
					strs = strs[:0]
				}
			case (ag.Name == "sum" || ag.Name == "avg") && c.Kind == expr.VFloat && st.replay:
				if st.floats == nil {
					st.floats = make([][]floatChunk, na)
				}
				if err := ec.Mem.Charge(12 * int64(len(sel))); err != nil {
					return err
				}
				fc := floatChunk{g: make([]int32, 0, len(sel)), v: make([]float64, 0, len(sel))}
				for x, r := range sel {
					if c.IsNull(int(r)) {
						continue
					}
					acc.cnt[int(gids[x])*na+i]++
					fc.g = append(fc.g, gids[x])
					fc.v = append(fc.v, c.F[r])
				}
				st.floats[i] = append(st.floats[i], fc)
			case ag.Name == "sum" || ag.Name == "avg":
				if global && c.Null == nil && c.Kind == expr.VFloat {
					s := acc.fsum[i]
					for _, r := range sel {
						s += c.F[r]
					}
					acc.fsum[i] = s
					acc.cnt[i] += int64(len(sel))
					continue
				}
				if global && c.Null == nil && !acc.over[i] {
					if s, ok := sumInts(acc.isum[i], c.I, sel); ok {
						acc.isum[i] = s
						acc.cnt[i] += int64(len(sel))
						continue
					}
				}
				for x, r := range sel {
					if c.IsNull(int(r)) {
						continue
					}
					j := int(gids[x])*na + i
					acc.cnt[j]++
					if c.Kind == expr.VFloat {
						acc.fsum[j] += c.F[r]
					} else {
						acc.addInt(j, c.I[r])
					}
				}
			default: // count, min, max
				isMax := ag.Name == "max"
				for x, r := range sel {
					k := int(r)
					if c.IsNull(k) {
						continue
					}
					j := int(gids[x])*na + i
					acc.cnt[j]++
					if ag.Name != "count" {
						acc.offer(j, c.Datum(k), isMax)
					}
				}
			}
		}
		return nil
	})
}

// addStrs adds a block of keys to a set and charges what the set grew by.
func addStrs(ec *expr.EvalCtx, set *expr.StrSet, keys []string) error {
	before := set.Bytes()
	set.AddBatch(keys)
	return ec.Mem.Charge(set.Bytes() - before)
}

// sumInts adds the selected values to s; ok is false if the sum would
// overflow int64 (the caller then adds them one by one into numeric).
func sumInts(s int64, v []int64, sel []int32) (int64, bool) {
	for _, r := range sel {
		x := v[r]
		t := s + x
		if (t^s)&(t^x) < 0 {
			return 0, false
		}
		s = t
	}
	return s, true
}

// addInt adds to an integer sum, moving to numeric on overflow.
func (acc *vaccs) addInt(j int, x int64) {
	if acc.over[j] {
		acc.dsum[j] = acc.dsum[j].Add(types.DecimalFromInt(x))
		return
	}
	s := acc.isum[j] + x
	if (x > 0 && s < acc.isum[j]) || (x < 0 && s > acc.isum[j]) {
		acc.over[j] = true
		acc.dsum[j] = types.DecimalFromInt(acc.isum[j]).Add(types.DecimalFromInt(x))
		return
	}
	acc.isum[j] = s
}

// offer keeps the minimum or maximum.
func (acc *vaccs) offer(j int, v types.Datum, isMax bool) {
	if !acc.seen[j] {
		acc.best[j], acc.seen[j] = v, true
		return
	}
	c := types.Compare(v, acc.best[j])
	if (isMax && c > 0) || (!isMax && c < 0) {
		acc.best[j] = v
	}
}

// merge folds worker state o into st, keeping first-appearance order, and
// returns where each of o's groups went.
func (a *vecAggNodeExec) merge(st, o *vstate) []int { return a.mergePart(st, o, -1, 0) }

// mergePart folds into st the groups of o in hash partition part of n
// (all of them if part < 0).
func (a *vecAggNodeExec) mergePart(st, o *vstate, part, n int) []int {
	where := make([]int, o.acc.n)
	na := len(a.Aggs)
	intKey := a.intKey()
	var blk []int32
	ahead := 0 // groups from g on whose slots in st's map are loaded
	for g := range o.acc.n {
		if part >= 0 && a.partOf(o, g, n) != part {
			continue
		}
		if intKey && ahead == 0 {
			// Load the slots of this partition's next groups before
			// probing for them (i64map.touch).
			blk = blk[:0]
			for h := g; h < o.acc.n && len(blk) < expr.TouchBlock; h++ {
				if part < 0 || a.partOf(o, h, n) == part {
					blk = append(blk, int32(h))
				}
			}
			st.byInt.Touch(o.acc.ikey, blk)
			ahead = len(blk)
		}
		ahead--
		var dst int
		var ok bool
		switch {
		case intKey && g == o.nullGroup:
			dst, ok = st.nullGroup, st.nullGroup >= 0
		case intKey:
			var d int32
			d, ok = st.byInt.Get(o.acc.ikey[g])
			dst = int(d)
		default:
			dst, ok = st.byStr[o.enc[g]]
		}
		if !ok {
			switch {
			case intKey:
				dst = st.acc.addIntGroup(o.acc.ikey[g])
				if g == o.nullGroup {
					st.nullGroup = dst
				} else {
					st.byInt.Put(o.acc.ikey[g], int32(dst))
				}
			default:
				dst = st.acc.Add(o.acc.keys[g])
				st.enc = append(st.enc, o.enc[g])
				st.byStr[o.enc[g]] = dst
			}
		}
		where[g] = dst
		for i, ag := range a.Aggs {
			j, k := dst*na+i, g*na+i
			st.acc.cnt[j] += o.acc.cnt[k]
			switch ag.Name {
			case "sum", "avg":
				switch {
				case ag.In.OID == types.OIDFloat8:
					st.acc.fsum[j] += o.acc.fsum[k]
				case o.acc.over[k]:
					if !st.acc.over[j] {
						st.acc.over[j] = true
						st.acc.dsum[j] = types.DecimalFromInt(st.acc.isum[j])
					}
					st.acc.dsum[j] = st.acc.dsum[j].Add(o.acc.dsum[k])
				default:
					st.acc.addInt(j, o.acc.isum[k])
				}
			case "min", "max":
				if o.acc.seen[k] {
					st.acc.offer(j, o.acc.best[k], ag.Name == "max")
				}
			case "count_distinct":
				if o.acc.idst[k].Len() > 0 {
					if st.acc.idst[j] == nil {
						st.acc.idst[j] = expr.NewI64Map(0)
					}
					o.acc.idst[k].Each(func(v int64, _ int32) { st.acc.idst[j].Put(v, 0) })
				}
				if o.acc.dist[k].Len() > 0 {
					if st.acc.dist[j] == nil {
						st.acc.dist[j] = expr.NewStrSet()
					}
					o.acc.dist[k].Each(func(v []byte) { st.acc.dist[j].Add(string(v)) })
				}
			}
		}
	}
	return where
}

// parallelMergeMin is how many groups the workers must have found between
// them before their states are merged in parallel.
const parallelMergeMin = 1 << 16

var partSeed = maphash.MakeSeed()

// partOf is the hash partition (of n) of group g of o.
func (a *vecAggNodeExec) partOf(o *vstate, g, n int) int {
	var h uint64
	switch {
	case a.intKey() && g == o.nullGroup:
		return 0
	case a.intKey():
		// Bits of the product the group maps' slots do not use (they take
		// the top ones), so a partition's keys still spread over its map.
		h = uint64(o.acc.ikey[g]) * 0x9E3779B97F4A7C15 >> 16
	default:
		h = maphash.String(partSeed, o.enc[g])
	}
	return int(h % uint64(n))
}

// mergeAll folds the workers' states together. With many groups the
// merge itself would be the sequential part of a parallel aggregation, so
// it is split by key hash into one partition per worker, each merged by
// its own goroutine; the result is the partitions' groups one after
// another.
func (a *vecAggNodeExec) mergeAll(states []*vstate) ([]*vstate, error) {
	total := 0
	for _, o := range states {
		total += o.acc.n
	}
	if len(states) == 1 || total < parallelMergeMin {
		for _, o := range states[1:] {
			a.merge(states[0], o)
		}
		return states[:1], nil
	}
	n := len(states)
	parts := make([]*vstate, n)
	most := 0
	for _, o := range states {
		most = max(most, o.acc.n)
	}
	err := parallel(make([][2]int, n), func(p, _, _ int) error {
		parts[p] = a.newState()
		parts[p].byInt = expr.NewI64Map(most / n)
		for _, o := range states {
			a.mergePart(parts[p], o, p, n)
		}
		return nil
	})
	return parts, err
}

func (a *vecAggNodeExec) open(ec *expr.EvalCtx) (rowIter, error) {
	tabs, err := (*vecFilterScanExec)(a.Scan).buildJoins(ec)
	if err != nil {
		return nil, err
	}
	if a.Scan.Src != nil {
		sts, err := a.accumulateSource(ec, tabs)
		if err != nil {
			return nil, err
		}
		return a.Result(sts...)
	}
	rows := a.Scan.T.Snapshot()
	all := a.Scan.T.Vectors(rows)
	parts := [][2]int{{0, len(rows)}}
	floatSum := false
	for _, ag := range a.Aggs {
		floatSum = floatSum || (ag.Name == "sum" || ag.Name == "avg") && ag.In.OID == types.OIDFloat8
	}
	if !floatSum {
		// Float sums stay sequential: a different addition order would
		// change the last digits PostgreSQL shows.
		parts = splits(len(rows))
	}
	states := make([]*vstate, len(parts))
	err = parallel(parts, func(i, lo, hi int) error {
		states[i] = a.newState()
		return a.accumulate(ec, states[i], rows, all, lo, hi, tabs)
	})
	if err != nil {
		return nil, err
	}
	merged, err := a.mergeAll(states)
	if err != nil {
		return nil, err
	}
	return a.Result(merged...)
}

// bareColumns reports whether a projection only picks columns.
func bareColumns(exprs []expr.Expr) bool {
	for _, e := range exprs {
		if _, ok := e.(*expr.ColExpr); !ok {
			return false
		}
	}
	return true
}

// Result turns the merged accumulators (one state, or hash partitions
// of the groups, turned into rows in parallel) into aggNode-shaped rows.
func (a *vecAggNodeExec) Result(sts ...*vstate) (rowIter, error) {
	if len(a.Keys) == 0 && sts[0].acc.n == 0 {
		sts[0].acc.Add(nil)
	}
	parts := make([][][]types.Datum, len(sts))
	err := parallel(make([][2]int, len(sts)), func(p, _, _ int) error {
		var err error
		parts[p], err = a.rows(sts[p])
		return err
	})
	if err != nil {
		return nil, err
	}
	return &sliceIter{rows: slices.Concat(parts...)}, nil
}

// rows are st's groups as aggNode-shaped rows.
func (a *vecAggNodeExec) rows(st *vstate) ([][]types.Datum, error) {
	na, acc := len(a.Aggs), st.acc
	out := make([][]types.Datum, acc.n)
	w := len(a.Keys) + 1 + na
	cells := make([]types.Datum, acc.n*w) // one allocation for every row
	for g := range acc.n {
		row := cells[g*w : (g+1)*w : (g+1)*w]
		switch {
		case !acc.intKeyed:
			copy(row, acc.keys[g])
		case g != st.nullGroup:
			row[0] = acc.ikey[g]
		}
		row[len(a.Keys)] = int64(0)
		for i, ag := range a.Aggs {
			v, err := vecAggExec(ag).Result(acc, g*na+i)
			if err != nil {
				return nil, err
			}
			row[len(a.Keys)+1+i] = v
		}
		out[g] = row
	}
	return out, nil
}

func chunkLen(cols []*expr.Vcol) int {
	for _, c := range cols {
		if c == nil {
			continue
		}
		switch c.Kind {
		case expr.VInt, expr.VTS:
			return len(c.I)
		case expr.VFloat:
			return len(c.F)
		case expr.VStr:
			return len(c.S)
		case expr.VBool:
			return len(c.B)
		}
	}
	return 0
}

// vecAggExec runs a vecAgg (its plan node, with execution methods).
type vecAggExec plan.VecAgg

// Result finishes accumulator j with the row engine's result types.
func (ag vecAggExec) Result(g *vaccs, j int) (types.Datum, error) {
	switch ag.Name {
	case "count", "count_star":
		return g.cnt[j], nil
	case "count_distinct":
		return int64(g.dist[j].Len() + g.idst[j].Len()), nil
	case "min", "max":
		if !g.seen[j] {
			return nil, nil
		}
		return g.best[j], nil
	}
	if g.cnt[j] == 0 {
		return nil, nil
	}
	if ag.In.OID == types.OIDFloat8 {
		if ag.Name == "avg" {
			return g.fsum[j] / float64(g.cnt[j]), nil
		}
		return g.fsum[j], nil
	}
	sum := g.dsum[j]
	if !g.over[j] {
		if ag.Out.OID == types.OIDInt8 && ag.Name == "sum" {
			return g.isum[j], nil
		}
		sum = types.DecimalFromInt(g.isum[j])
	} else if ag.Out.OID == types.OIDInt8 {
		return nil, sqlerr.New(sqlerr.NumericValueOutOfRange, "bigint out of range")
	}
	if ag.Name == "avg" {
		return sum.Div(types.DecimalFromInt(g.cnt[j]))
	}
	return sum, nil
}

// appendVecKey encodes element k of a key column (NULL distinct from values).
func appendVecKey(buf []byte, c *expr.Vcol, k int) []byte {
	if c.IsNull(k) {
		return append(buf, 0)
	}
	buf = append(buf, 1)
	switch c.Kind {
	case expr.VInt, expr.VTS:
		return binary.BigEndian.AppendUint64(buf, uint64(c.I[k]))
	case expr.VFloat:
		f := c.F[k]
		if f == 0 {
			f = 0
		}
		if f != f {
			f = math.NaN()
		}
		return binary.BigEndian.AppendUint64(buf, math.Float64bits(f))
	case expr.VStr:
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(c.S[k])))
		return append(buf, c.S[k]...)
	}
	if c.B[k] {
		return append(buf, 1)
	}
	return append(buf, 0)
}

func VectorizeScan(n plan.Node) *plan.VecFilterScan { return vectorizeInput(n, false) }

// vectorizeScanJoins is vectorizeScan that also takes inner and left
// equi-joins whose left input vectorizes (for aggregations).
func vectorizeScanJoins(n plan.Node) *plan.VecFilterScan { return vectorizeInput(n, true) }

func vectorizeInput(n plan.Node, joins bool) *plan.VecFilterScan {
	var preds []expr.Expr
	for {
		switch x := n.(type) {
		case *plan.FilterNode:
			preds = append(preds, x.Pred)
			n = x.Child
			continue
		case *plan.JoinNode:
			if !joins {
				return nil
			}
			return vectorizeJoin(x, preds)
		case *plan.VecFilterScan:
			if len(x.Joins) > 0 {
				return nil
			}
			// already vectorized below: merge
			out := &plan.VecFilterScan{T: x.T, Src: x.Src, Preds: slices.Clone(x.Preds), Fails: slices.Clone(x.Fails)}
			if !out.AddPreds(preds, x.TableCols()) {
				return nil
			}
			return out
		case *plan.SourceScan:
			out := &plan.VecFilterScan{Src: x}
			if !out.AddPreds(preds, x.T.Cols) {
				return nil
			}
			return out
		case *plan.MemScan:
			out := &plan.VecFilterScan{T: x.T}
			if !out.AddPreds(preds, x.T.Cols) {
				return nil
			}
			return out
		}
		return nil
	}
}

// narrow keeps the positions of sel where each predicate in turn is true.
// A predicate that may fail (fails[i]) sees only the rows still selected,
// gathered into a compact chunk; the others run over the whole chunk of n
// rows (only the selected positions are read).
func narrow(cols []*expr.Vcol, n int, sel []int32, preds []expr.Vexpr, fails []bool) ([]int32, error) {
	for pi, p := range preds {
		at := func(j int, k int32) int { return int(k) }
		evalCols, evalN := cols, n
		if pi < len(fails) && fails[pi] && len(sel) < n {
			evalCols, _ = compact(cols, sel)
			evalN = len(sel)
			at = func(j int, _ int32) int { return j }
		}
		out, err := p(evalCols, evalN)
		if err != nil {
			return nil, err
		}
		keep := sel[:0]
		for j, k := range sel {
			if x := at(j, k); out.B[x] && !out.IsNull(x) {
				keep = append(keep, k)
			}
		}
		sel = keep
	}
	return sel, nil
}

// compact gathers a chunk's selected rows, for kernels that may fail: the
// selection becomes 0, 1, ….
func compact(cols []*expr.Vcol, sel []int32) ([]*expr.Vcol, []int32) {
	out := make([]*expr.Vcol, len(cols))
	for i, c := range cols {
		if c != nil {
			out[i] = gather(c, sel)
		}
	}
	ns := make([]int32, len(sel))
	for i := range ns {
		ns[i] = int32(i)
	}
	return out, ns
}

func VectorizeAgg(a *plan.AggNode) plan.Node {
	ac := a.Ctx
	if len(ac.Sets) != 1 || len(ac.Sets[0]) != len(ac.Groups) {
		return nil // grouping sets keep the row path
	}
	// A projection of bare columns (how build_side restores a swapped
	// join's column order) is read through.
	child, remap := a.Child, func(e expr.Expr) (expr.Expr, bool) { return e, true }
	if p, ok := child.(*plan.ProjectNode); ok && bareColumns(p.Exprs) {
		if j, isJoin := p.Child.(*plan.JoinNode); isJoin {
			child = j
			remap = func(e expr.Expr) (expr.Expr, bool) {
				return expr.MapCols(e, func(i int) int { return p.Exprs[i].(*expr.ColExpr).Idx })
			}
		}
	}
	scan := vectorizeScanJoins(child)
	if scan == nil {
		return nil
	}
	space := scan.Space()
	var exprs []expr.Expr
	compile := func(e expr.Expr) (expr.Vexpr, bool) {
		e, ok := remap(e)
		if !ok {
			return nil, false
		}
		exprs = append(exprs, e)
		return expr.CompileVec(e, plan.ColumnTypes(space))
	}
	defer func() {
		// Columns a joined chunk must carry: those any expression reads.
		if len(scan.Joins) > 0 {
			scan.Used = make([]bool, len(space))
			for _, e := range append(exprs, scan.JoinExprs...) {
				expr.WalkExpr(e, func(x expr.Expr) bool {
					if c, ok := x.(*expr.ColExpr); ok && c.Idx < len(space) {
						scan.Used[c.Idx] = true
					}
					return true
				})
			}
		}
	}()
	out := &plan.VecAggNode{Scan: scan, Orig: a}
	for _, g := range ac.Groups {
		kind, ok := expr.VkindOf(g.Type())
		if !ok || kind == expr.VFloat {
			return nil
		}
		c, ok := compile(g)
		if !ok {
			return nil
		}
		out.Keys = append(out.Keys, c)
		out.Kt = append(out.Kt, g.Type())
	}
	for _, c := range ac.Aggs {
		if c.Distinct && c.Def.Name == "count" && len(c.Args) == 1 && c.Filter == nil {
			kind, ok := expr.VkindOf(c.Args[0].Type())
			arg, ok2 := compile(c.Args[0])
			if !ok || !ok2 || kind == expr.VFloat {
				return nil // float keys would need -0/NaN care: row path
			}
			out.Aggs = append(out.Aggs, plan.VecAgg{Name: "count_distinct", Arg: arg, In: c.Args[0].Type(), Out: c.T})
			continue
		}
		if c.Distinct || c.Filter != nil || len(c.Order) > 0 {
			return nil
		}
		va := plan.VecAgg{Name: c.Def.Name, Out: c.T}
		switch c.Def.Name {
		case "count":
			if len(c.Args) == 0 {
				va.Name = "count_star"
				break
			}
			fallthrough
		case "sum", "avg", "min", "max":
			if len(c.Args) != 1 {
				return nil
			}
			va.In = c.Args[0].Type()
			kind, ok := expr.VkindOf(va.In)
			if !ok || (c.Def.Name == "sum" || c.Def.Name == "avg") && kind != expr.VInt && kind != expr.VFloat {
				return nil
			}
			arg, ok := compile(c.Args[0])
			if !ok {
				return nil
			}
			va.Arg = arg
		default:
			return nil
		}
		out.Aggs = append(out.Aggs, va)
	}
	for _, e := range exprs {
		out.CompactArgs = out.CompactArgs || plan.MayFail(e)
	}
	return out
}
