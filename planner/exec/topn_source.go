package exec

import (
	"container/heap"
	"math"
	"sort"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/sluicedb/sluice/connectors"
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/types"
)

// bound keeps the k best values seen (the root is the worst of them).
type bound struct {
	k    int
	desc bool
	v    []float64
}

func (b *bound) Len() int { return len(b.v) }
func (b *bound) Less(i, j int) bool {
	if b.desc {
		return b.v[i] < b.v[j] // min-heap: the root is the smallest of the largest
	}
	return b.v[i] > b.v[j]
}
func (b *bound) Swap(i, j int) { b.v[i], b.v[j] = b.v[j], b.v[i] }
func (b *bound) Push(x any)    { b.v = append(b.v, x.(float64)) }
func (b *bound) Pop() any {
	x := b.v[len(b.v)-1]
	b.v = b.v[:len(b.v)-1]
	return x
}

// Keep reports whether a row with key x may be among the first k, and
// records it.
func (b *bound) Keep(x float64) bool {
	if len(b.v) < b.k {
		heap.Push(b, x)
		return true
	}
	root := b.v[0]
	better := x > root
	if !b.desc {
		better = x < root
	}
	if better {
		b.v[0] = x
		heap.Fix(b, 0)
		return true
	}
	return x == root
}

func evalCount(ec *expr.EvalCtx, e expr.Expr) (int64, bool) {
	if e == nil {
		return 0, true
	}
	v, err := e.Eval(ec, nil)
	if err != nil || v == nil {
		return 0, false
	}
	return v.(int64), true
}

// topNScanExec runs a topNScan (its plan node, with execution methods).
type topNScanExec plan.TopNScan

func (t *topNScanExec) open(ec *expr.EvalCtx) (rowIter, error) {
	lim, ok1 := evalCount(ec, t.Limit)
	off, ok2 := evalCount(ec, t.Off)
	if !ok1 || !ok2 || t.Limit == nil || lim < 0 || off < 0 || lim+off > 1<<16 {
		return (*sourceScanExec)(t.Src).open(ec) // no usable bound: scan everything
	}
	k := int(lim + off)
	req := connectors.ScanRequest{Columns: (*sourceScanExec)(t.Src).columns(), Preds: t.Src.Preds, Limit: -1}
	workers := scanWorkers()
	bounds := make([]*bound, workers)
	for i := range bounds {
		bounds[i] = &bound{k: max(k, 1), desc: t.Desc}
	}
	var mu sync.Mutex
	perSplit := map[int][][]types.Datum{}
	err := eachSourceBatch(ec, (*plan.TopNScan)(t), t.Src, workers, func(w, split int, rb arrow.RecordBatch, cols []*expr.Vcol) error {
		v := cols[t.Col]
		if v == nil {
			return nil
		}
		n := int(rb.NumRows())
		sel := make([]int32, 0, 64)
		b := bounds[w]
		for r := 0; r < n; r++ {
			if v.IsNull(r) {
				sel = append(sel, int32(r))
				continue
			}
			x := 0.0
			if v.Kind == expr.VInt {
				x = float64(v.I[r]) // monotonic: ties only grow, nothing better is lost
			} else if x = v.F[r]; math.IsNaN(x) {
				sel = append(sel, int32(r)) // NaN sorts above every number: keep it
				continue
			}
			if b.Keep(x) {
				sel = append(sel, int32(r))
			}
		}
		if len(sel) == 0 {
			return nil
		}
		rows := materialize(rb, req, t.Src.T.Cols, sel)
		mu.Lock()
		perSplit[split] = append(perSplit[split], rows...)
		mu.Unlock()
		return nil
	}, nil)
	if err != nil {
		return nil, err
	}
	splits := make([]int, 0, len(perSplit))
	for i := range perSplit {
		splits = append(splits, i)
	}
	sort.Ints(splits)
	var out [][]types.Datum
	for _, i := range splits {
		out = append(out, perSplit[i]...)
	}
	return &sliceIter{rows: out}, nil
}

// PrefilterTopN puts a topNScan under LIMIT (top-N) over ORDER BY whose
// first key is a numeric column of a lake table, read directly or through
// a projection of columns.
func PrefilterTopN(l *plan.LimitNode) {
	sn, ok := l.Child.(*plan.SortNode)
	if !ok || len(sn.Keys) == 0 {
		return
	}
	key := sn.Keys[0]
	var src *plan.SourceScan
	col := key.Idx
	var rebuild func(n plan.Node) plan.Node
	switch c := sn.Child.(type) {
	case *plan.SourceScan:
		src = c
		rebuild = func(n plan.Node) plan.Node { return n }
	case *plan.ProjectNode:
		s, ok := c.Child.(*plan.SourceScan)
		if !ok || key.Idx >= len(c.Exprs) {
			return
		}
		ce, ok := c.Exprs[key.Idx].(*expr.ColExpr)
		if !ok {
			return
		}
		src, col = s, ce.Idx
		rebuild = func(n plan.Node) plan.Node { p := *c; p.Child = n; return &p }
	default:
		return
	}
	if kind, ok := expr.VkindOf(src.T.Cols[col].Type); !ok || (kind != expr.VInt && kind != expr.VFloat) || !src.Used[col] {
		return
	}
	ns := *sn
	ns.Child = rebuild(&plan.TopNScan{Src: src, Col: col, Desc: key.Desc, Limit: l.Limit, Off: l.Offset})
	l.Child = &ns
}
