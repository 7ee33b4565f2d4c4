package planner

import (
	"encoding/binary"
	"math"

	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// vecChunk is how many rows a vectorized operator processes at a time: it
// bounds the memory of intermediate vectors and the latency of a cancel.
const vecChunk = 64 << 10

// slice returns rows [lo, hi) of a column (sharing its storage).
func (c *vcol) slice(lo, hi int) *vcol {
	if c == nil {
		return nil
	}
	out := &vcol{kind: c.kind}
	switch c.kind {
	case vInt:
		out.i = c.i[lo:hi]
	case vFloat:
		out.f = c.f[lo:hi]
	case vStr:
		out.s = c.s[lo:hi]
	case vBool:
		out.b = c.b[lo:hi]
	}
	if c.null != nil {
		out.null = c.null[lo:hi]
	}
	return out
}

// vecFilterScan is a table scan with its filters evaluated a column at a
// time; it yields the table's own rows that pass.
type vecFilterScan struct {
	t     *MemTable
	preds []vexpr
}

func (v *vecFilterScan) selected(ec *evalCtx, fn func(rows [][]types.Datum, cols []*vcol, sel []int32) error) error {
	rows := v.t.Snapshot()
	all := v.t.columns(rows)
	cols := make([]*vcol, len(all))
	sel := make([]int32, 0, vecChunk)
	for lo := 0; lo < len(rows); lo += vecChunk {
		if err := ec.ctx.Err(); err != nil {
			return err
		}
		hi := min(lo+vecChunk, len(rows))
		n := hi - lo
		for i, c := range all {
			cols[i] = c.slice(lo, hi)
		}
		pass := make([]bool, n)
		for k := range pass {
			pass[k] = true
		}
		for _, p := range v.preds {
			out, err := p(cols, n)
			if err != nil {
				return err
			}
			for k := 0; k < n; k++ {
				pass[k] = pass[k] && out.b[k] && !out.isNull(k)
			}
		}
		sel = sel[:0]
		for k, ok := range pass {
			if ok {
				sel = append(sel, int32(k))
			}
		}
		if err := fn(rows[lo:hi], cols, sel); err != nil {
			return err
		}
	}
	return nil
}

func (v *vecFilterScan) open(ec *evalCtx) (rowIter, error) {
	var out [][]types.Datum
	err := v.selected(ec, func(rows [][]types.Datum, _ []*vcol, sel []int32) error {
		for _, k := range sel {
			out = append(out, rows[k])
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &sliceIter{rows: out}, nil
}

// vecAgg is one aggregate the vectorized aggregation computes with typed
// accumulators.
type vecAgg struct {
	name string // count, count_star, sum, min, max, avg
	arg  vexpr
	in   types.Type
	out  types.Type
}

// vecAggNode is a GROUP BY over a vectorized filtered scan; its rows have
// aggNode's layout [keys…, 0, aggregates…].
type vecAggNode struct {
	scan *vecFilterScan
	keys []vexpr
	kt   []types.Type
	aggs []vecAgg
	orig *aggNode // what EXPLAIN and rules-off runs see
}

// vaccs holds every group's accumulators in flat slices indexed by
// group*len(aggs)+aggregate, so a million groups cost a few large slices
// instead of a million small objects.
type vaccs struct {
	na   int
	keys [][]types.Datum
	cnt  []int64
	isum []int64
	over []bool // integer sum overflowed into dsum
	dsum map[int]*types.Decimal
	fsum []float64
	seen []bool
	best []types.Datum
}

func (v *vaccs) add(keys []types.Datum) int {
	g := len(v.keys)
	v.keys = append(v.keys, keys)
	for i := 0; i < v.na; i++ {
		v.cnt = append(v.cnt, 0)
		v.isum = append(v.isum, 0)
		v.over = append(v.over, false)
		v.fsum = append(v.fsum, 0)
		v.seen = append(v.seen, false)
		v.best = append(v.best, nil)
	}
	return g
}

func (a *vecAggNode) open(ec *evalCtx) (rowIter, error) {
	na := len(a.aggs)
	acc := &vaccs{na: na, dsum: map[int]*types.Decimal{}}
	byStr := map[string]int{}
	byInt := map[int64]int{}
	nullGroup := -1
	intKey := len(a.keys) == 1 && a.kt[0].IsInteger()
	var buf []byte
	err := a.scan.selected(ec, func(_ [][]types.Datum, cols []*vcol, sel []int32) error {
		rowsN := chunkLen(cols)
		keyCols := make([]*vcol, len(a.keys))
		for i, k := range a.keys {
			c, err := k(cols, rowsN)
			if err != nil {
				return err
			}
			keyCols[i] = c
		}
		argCols := make([]*vcol, na)
		for i, g := range a.aggs {
			if g.arg == nil {
				continue
			}
			c, err := g.arg(cols, rowsN)
			if err != nil {
				return err
			}
			argCols[i] = c
		}
		for _, r := range sel {
			k := int(r)
			g := -1
			newKeys := func() error {
				keys := make([]types.Datum, len(keyCols))
				for i, kc := range keyCols {
					keys[i] = kc.datum(k)
				}
				if err := ec.mem.charge(rowBytes(keys) + int64(len(buf)) + 64*int64(na+1)); err != nil {
					return err
				}
				g = acc.add(keys)
				return nil
			}
			switch {
			case intKey && keyCols[0].isNull(k):
				if nullGroup < 0 {
					if err := newKeys(); err != nil {
						return err
					}
					nullGroup = g
				}
				g = nullGroup
			case intKey:
				var ok bool
				if g, ok = byInt[keyCols[0].i[k]]; !ok {
					if err := newKeys(); err != nil {
						return err
					}
					byInt[keyCols[0].i[k]] = g
				}
			default:
				buf = buf[:0]
				for _, kc := range keyCols {
					buf = appendVecKey(buf, kc, k)
				}
				var ok bool
				if g, ok = byStr[string(buf)]; !ok {
					if err := newKeys(); err != nil {
						return err
					}
					byStr[string(buf)] = g
				}
			}
			base := g * na
			for i, ag := range a.aggs {
				j := base + i
				c := argCols[i]
				if ag.name == "count_star" {
					acc.cnt[j]++
					continue
				}
				if c.isNull(k) {
					continue
				}
				acc.cnt[j]++
				switch ag.name {
				case "sum", "avg":
					if c.kind == vFloat {
						acc.fsum[j] += c.f[k]
						continue
					}
					x := c.i[k]
					if acc.over[j] {
						acc.dsum[j] = acc.dsum[j].Add(types.DecimalFromInt(x))
						continue
					}
					s := acc.isum[j] + x
					if (x > 0 && s < acc.isum[j]) || (x < 0 && s > acc.isum[j]) {
						acc.over[j] = true
						acc.dsum[j] = types.DecimalFromInt(acc.isum[j]).Add(types.DecimalFromInt(x))
						continue
					}
					acc.isum[j] = s
				case "min", "max":
					v := c.datum(k)
					if !acc.seen[j] {
						acc.best[j], acc.seen[j] = v, true
						continue
					}
					cmp := types.Compare(v, acc.best[j])
					if (ag.name == "max" && cmp > 0) || (ag.name == "min" && cmp < 0) {
						acc.best[j] = v
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(a.keys) == 0 && len(acc.keys) == 0 {
		acc.add(nil)
	}
	out := make([][]types.Datum, 0, len(acc.keys))
	for g, keys := range acc.keys {
		row := make([]types.Datum, len(a.keys)+1+na)
		copy(row, keys)
		row[len(a.keys)] = int64(0)
		for i, ag := range a.aggs {
			v, err := ag.result(acc, g*na+i)
			if err != nil {
				return nil, err
			}
			row[len(a.keys)+1+i] = v
		}
		out = append(out, row)
	}
	return &sliceIter{rows: out}, nil
}

func chunkLen(cols []*vcol) int {
	for _, c := range cols {
		if c == nil {
			continue
		}
		switch c.kind {
		case vInt:
			return len(c.i)
		case vFloat:
			return len(c.f)
		case vStr:
			return len(c.s)
		case vBool:
			return len(c.b)
		}
	}
	return 0
}

// result finishes accumulator j with the row engine's result types.
func (ag vecAgg) result(g *vaccs, j int) (types.Datum, error) {
	switch ag.name {
	case "count", "count_star":
		return g.cnt[j], nil
	case "min", "max":
		if !g.seen[j] {
			return nil, nil
		}
		return g.best[j], nil
	}
	if g.cnt[j] == 0 {
		return nil, nil
	}
	if ag.in.OID == types.OIDFloat8 {
		if ag.name == "avg" {
			return g.fsum[j] / float64(g.cnt[j]), nil
		}
		return g.fsum[j], nil
	}
	sum := g.dsum[j]
	if !g.over[j] {
		if ag.out.OID == types.OIDInt8 && ag.name == "sum" {
			return g.isum[j], nil
		}
		sum = types.DecimalFromInt(g.isum[j])
	} else if ag.out.OID == types.OIDInt8 {
		return nil, sqlerr.New(sqlerr.NumericValueOutOfRange, "bigint out of range")
	}
	if ag.name == "avg" {
		return sum.Div(types.DecimalFromInt(g.cnt[j]))
	}
	return sum, nil
}

// appendVecKey encodes element k of a key column (NULL distinct from values).
func appendVecKey(buf []byte, c *vcol, k int) []byte {
	if c.isNull(k) {
		return append(buf, 0)
	}
	buf = append(buf, 1)
	switch c.kind {
	case vInt:
		return binary.BigEndian.AppendUint64(buf, uint64(c.i[k]))
	case vFloat:
		f := c.f[k]
		if f == 0 {
			f = 0
		}
		if f != f {
			f = math.NaN()
		}
		return binary.BigEndian.AppendUint64(buf, math.Float64bits(f))
	case vStr:
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(c.s[k])))
		return append(buf, c.s[k]...)
	}
	if c.b[k] {
		return append(buf, 1)
	}
	return append(buf, 0)
}

// vectorize replaces Filter*(Seq Scan) and aggregations over it with their
// vectorized forms when every expression has a kernel.
func vectorize(n node) node {
	return mapNodes(n, func(n node) node {
		switch x := n.(type) {
		case *aggNode:
			if v := vectorizeAgg(x); v != nil {
				return v
			}
		case *filterNode:
			if v := vectorizeScan(x); v != nil {
				return v
			}
		}
		return n
	})
}

func vectorizeScan(n node) *vecFilterScan {
	var preds []Expr
	for {
		switch x := n.(type) {
		case *filterNode:
			preds = append(preds, x.pred)
			n = x.child
			continue
		case *vecFilterScan:
			// already vectorized below: merge
			out := &vecFilterScan{t: x.t, preds: append([]vexpr(nil), x.preds...)}
			for _, p := range preds {
				c, ok := compileVec(p, x.t.Cols)
				if !ok {
					return nil
				}
				out.preds = append(out.preds, c)
			}
			return out
		case *memScan:
			out := &vecFilterScan{t: x.t}
			for _, p := range preds {
				c, ok := compileVec(p, x.t.Cols)
				if !ok {
					return nil
				}
				out.preds = append(out.preds, c)
			}
			return out
		}
		return nil
	}
}

func vectorizeAgg(a *aggNode) node {
	ac := a.ctx
	if len(ac.sets) != 1 || len(ac.sets[0]) != len(ac.groups) {
		return nil // grouping sets keep the row path
	}
	scan := vectorizeScan(a.child)
	if scan == nil {
		return nil
	}
	out := &vecAggNode{scan: scan, orig: a}
	for _, g := range ac.groups {
		kind, ok := vkindOf(g.Type())
		if !ok || kind == vFloat {
			return nil
		}
		c, ok := compileVec(g, scan.t.Cols)
		if !ok {
			return nil
		}
		out.keys = append(out.keys, c)
		out.kt = append(out.kt, g.Type())
	}
	for _, c := range ac.aggs {
		if c.distinct || c.filter != nil || len(c.order) > 0 {
			return nil
		}
		va := vecAgg{name: c.def.name, out: c.t}
		switch c.def.name {
		case "count":
			if len(c.args) == 0 {
				va.name = "count_star"
				break
			}
			fallthrough
		case "sum", "avg", "min", "max":
			if len(c.args) != 1 {
				return nil
			}
			va.in = c.args[0].Type()
			kind, ok := vkindOf(va.in)
			if !ok || (c.def.name == "sum" || c.def.name == "avg") && kind != vInt && kind != vFloat {
				return nil
			}
			arg, ok := compileVec(c.args[0], scan.t.Cols)
			if !ok {
				return nil
			}
			va.arg = arg
		default:
			return nil
		}
		out.aggs = append(out.aggs, va)
	}
	return out
}
