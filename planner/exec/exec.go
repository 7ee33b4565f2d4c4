package exec

import (
	"container/heap"
	"context"
	"encoding/binary"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// BatchRows is the number of rows per Arrow batch the row engine emits.
const BatchRows = 1024

// rowIter yields rows; a nil row with a nil error is the end.
type rowIter interface {
	Next() ([]types.Datum, error)
	Close()
}

// RowStream assembles rows into Arrow batches.
type RowStream struct {
	ArrowSchema *arrow.Schema
	Cols        []plan.Column
	It          rowIter
	Ec          *expr.EvalCtx
	Mem         memory.Allocator
	done        bool
}

func (s *RowStream) Schema() *arrow.Schema { return s.ArrowSchema }

// Next implements connectors.RecordStream.
func (s *RowStream) Next(ctx context.Context) (arrow.RecordBatch, error) {
	if s.done {
		return nil, io.EOF
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.Ec.Ctx = ctx
	b := array.NewRecordBuilder(s.Mem, s.ArrowSchema)
	defer b.Release()
	n := 0
	for n < BatchRows {
		row, err := s.It.Next()
		if err != nil {
			return nil, err
		}
		if row == nil {
			s.done = true
			break
		}
		for i, c := range s.Cols {
			types.AppendDatum(b.Field(i), c.Type, row[i])
		}
		n++
		if n%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
	}
	if n == 0 {
		return nil, io.EOF
	}
	return b.NewRecordBatch(), nil
}

// Close implements connectors.RecordStream.
func (s *RowStream) Close() { s.It.Close() }

type sliceIter struct {
	rows [][]types.Datum
	i    int
}

func (s *sliceIter) Next() ([]types.Datum, error) {
	if s.i >= len(s.rows) {
		return nil, nil
	}
	s.i++
	return s.rows[s.i-1], nil
}
func (s *sliceIter) Close() {}

// valuesNodeExec runs a ValuesNode (its plan node, with execution methods).
type valuesNodeExec plan.ValuesNode

func (v *valuesNodeExec) open(ec *expr.EvalCtx) (rowIter, error) {
	return &valuesIter{n: (*plan.ValuesNode)(v), ec: ec}, nil
}

type valuesIter struct {
	n  *plan.ValuesNode
	ec *expr.EvalCtx
	i  int
}

func (it *valuesIter) Next() ([]types.Datum, error) {
	if it.i >= len(it.n.Rows) {
		return nil, nil
	}
	exprs := it.n.Rows[it.i]
	it.i++
	row := make([]types.Datum, len(exprs))
	for j, e := range exprs {
		v, err := e.Eval(it.ec, nil)
		if err != nil {
			return nil, err
		}
		row[j] = v
	}
	return row, nil
}
func (it *valuesIter) Close() {}

// memScanExec runs a MemScan (its plan node, with execution methods).
type memScanExec plan.MemScan

func (m *memScanExec) open(*expr.EvalCtx) (rowIter, error) {
	return &sliceIter{rows: m.T.Snapshot()}, nil
}

// filterNodeExec runs a FilterNode (its plan node, with execution methods).
type filterNodeExec plan.FilterNode

func (f *filterNodeExec) open(ec *expr.EvalCtx) (rowIter, error) {
	if neverTrue(f.Pred) {
		// No row can pass: the input is not run at all (PostgreSQL's
		// one-time filter).
		return &sliceIter{}, nil
	}
	conj := filterConjuncts(f.Pred)
	c, err := OpenNode(ec, f.Child)
	if err != nil {
		return nil, err
	}
	return &filterIter{c: c, conj: conj, ec: ec}, nil
}

// neverTrue reports whether a filter or join condition can never be true:
// it, or one of its AND-ed conjuncts, is a constant FALSE or NULL.
func neverTrue(pred expr.Expr) bool {
	conj := []expr.Expr{pred}
	if b, ok := pred.(*expr.BoolExpr); ok && b.And {
		conj = b.Args
	}
	for _, e := range conj {
		if c, ok := e.(*expr.ConstExpr); ok && (c.V == nil || !c.V.(bool)) {
			return true
		}
	}
	return false
}

// filterConjuncts splits a filter into its AND-ed conjuncts, those holding
// a sub-query (or anything walkExpr cannot see into) last, as PostgreSQL
// orders quals by cost: a row that a cheap conjunct rejects never runs
// the sub-query. SQL leaves the order of evaluation open.
func filterConjuncts(pred expr.Expr) []expr.Expr {
	b, ok := pred.(*expr.BoolExpr)
	if !ok || !b.And {
		return []expr.Expr{pred}
	}
	var cheap, costly []expr.Expr
	for _, a := range b.Args {
		if expr.WalkExpr(a, func(expr.Expr) bool { return true }) {
			cheap = append(cheap, a)
		} else {
			costly = append(costly, a)
		}
	}
	return append(cheap, costly...)
}

// allTrue evaluates conjuncts in order and stops at the first that is not
// true: in WHERE and ON, NULL rejects a row as FALSE does.
func allTrue(ec *expr.EvalCtx, conj []expr.Expr, row []types.Datum) (bool, error) {
	for _, e := range conj {
		v, err := e.Eval(ec, row)
		if err != nil {
			return false, err
		}
		if v == nil || !v.(bool) {
			return false, nil
		}
	}
	return true, nil
}

type filterIter struct {
	c    rowIter
	conj []expr.Expr // a row passes when every one is true
	ec   *expr.EvalCtx
}

func (it *filterIter) Next() ([]types.Datum, error) {
	for {
		row, err := it.c.Next()
		if row == nil || err != nil {
			return nil, err
		}
		pass, err := allTrue(it.ec, it.conj, row)
		if err != nil {
			return nil, err
		}
		if pass {
			return row, nil
		}
		if err := it.ec.Ctx.Err(); err != nil {
			return nil, err
		}
	}
}
func (it *filterIter) Close() { it.c.Close() }

// projectNodeExec runs a ProjectNode (its plan node, with execution methods).
type projectNodeExec plan.ProjectNode

func (p *projectNodeExec) open(ec *expr.EvalCtx) (rowIter, error) {
	c, err := OpenNode(ec, p.Child)
	if err != nil {
		return nil, err
	}
	return &projectIter{c: c, exprs: p.Exprs, ec: ec}, nil
}

type projectIter struct {
	c     rowIter
	exprs []expr.Expr
	ec    *expr.EvalCtx
}

func (it *projectIter) Next() ([]types.Datum, error) {
	row, err := it.c.Next()
	if row == nil || err != nil {
		return nil, err
	}
	out := make([]types.Datum, len(it.exprs))
	for i, e := range it.exprs {
		if out[i], err = e.Eval(it.ec, row); err != nil {
			return nil, err
		}
	}
	return out, nil
}
func (it *projectIter) Close() { it.c.Close() }

// sortNodeExec runs a SortNode (its plan node, with execution methods).
type sortNodeExec plan.SortNode

func (s *sortNodeExec) open(ec *expr.EvalCtx) (rowIter, error) {
	rows, err := collect(ec, s.Child)
	if err != nil {
		return nil, err
	}
	sortRows(rows, s.Keys)
	return &sliceIter{rows: rows}, nil
}

// sortRows sorts stably by keys (see sortPerm).
func sortRows(rows [][]types.Datum, keys []expr.SortKey) {
	perm := sortPerm(rows, keys)
	orig := slices.Clone(rows)
	for i, p := range perm {
		rows[i] = orig[p]
	}
}

// compareRows is lessRow's three-way form.
func compareRows(x, y []types.Datum, keys []expr.SortKey) int {
	for _, k := range keys {
		a, b := x[k.Idx], y[k.Idx]
		var c int
		switch {
		case a == nil && b == nil:
			c = 0
		case a == nil:
			c = 1
			if k.NullsFirst {
				c = -1
			}
		case b == nil:
			c = -1
			if k.NullsFirst {
				c = 1
			}
		default:
			c = types.Compare(a, b)
			if k.Desc {
				c = -c
			}
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// lessRow orders rows by keys with PostgreSQL's NULL placement (NULLs
// last ascending, first descending, unless NULLS FIRST/LAST says otherwise).
func lessRow(x, y []types.Datum, keys []expr.SortKey) bool {
	return compareRows(x, y, keys) < 0
}

// limitNodeExec runs a LimitNode (its plan node, with execution methods).
type limitNodeExec plan.LimitNode

func (l *limitNodeExec) open(ec *expr.EvalCtx) (rowIter, error) {
	lim, off := int64(-1), int64(0)
	if l.Limit != nil {
		v, err := l.Limit.Eval(ec, nil)
		if err != nil {
			return nil, err
		}
		if v != nil {
			lim = v.(int64)
			if lim < 0 {
				return nil, sqlerr.New(sqlerr.InvalidRowCountInLimit, "LIMIT must not be negative")
			}
		}
	}
	if l.Offset != nil {
		v, err := l.Offset.Eval(ec, nil)
		if err != nil {
			return nil, err
		}
		if v != nil {
			off = v.(int64)
			if off < 0 {
				return nil, sqlerr.New(sqlerr.InvalidRowCountInOffset, "OFFSET must not be negative")
			}
		}
	}
	if sn, ok := l.Child.(*plan.SortNode); ok && l.TopN && lim >= 0 && lim+off <= 1<<20 {
		// Top-N: keep only the first lim+off rows of the order in a heap.
		c, err := (*sortNodeExec)(sn).openTopN(ec, int(lim+off))
		if err != nil {
			return nil, err
		}
		return &limitIter{c: c, left: lim, skip: off}, nil
	}
	c, err := OpenNode(ec, l.Child)
	if err != nil {
		return nil, err
	}
	return &limitIter{c: c, left: lim, skip: off}, nil
}

type limitIter struct {
	c          rowIter
	left, skip int64
	closed     bool
}

func (it *limitIter) Next() ([]types.Datum, error) {
	for it.skip > 0 {
		row, err := it.c.Next()
		if row == nil || err != nil {
			return nil, err
		}
		it.skip--
	}
	if it.left == 0 {
		return nil, nil
	}
	row, err := it.c.Next()
	if row != nil && it.left > 0 {
		it.left--
		if it.left == 0 {
			// Done: stop the input now (scans reading ahead, sub-queries),
			// not when the consumer gets round to closing.
			it.Close()
		}
	}
	return row, err
}

func (it *limitIter) Close() {
	if !it.closed {
		it.closed = true
		it.c.Close()
	}
}

// distinctNodeExec runs a DistinctNode (its plan node, with execution methods).
type distinctNodeExec plan.DistinctNode

func (d *distinctNodeExec) open(ec *expr.EvalCtx) (rowIter, error) {
	c, err := OpenNode(ec, d.Child)
	if err != nil {
		return nil, err
	}
	return &distinctIter{c: c, d: (*plan.DistinctNode)(d), seen: map[string]bool{}, ec: ec}, nil
}

type distinctIter struct {
	ec   *expr.EvalCtx
	c    rowIter
	d    *plan.DistinctNode
	seen map[string]bool
	buf  []byte
}

func (it *distinctIter) Next() ([]types.Datum, error) {
	for {
		row, err := it.c.Next()
		if row == nil || err != nil {
			return nil, err
		}
		it.buf = appendKey(it.buf[:0], row, it.d.Idx, it.d.Cols)
		k := string(it.buf)
		if !it.seen[k] {
			if err := it.ec.Mem.Charge(int64(len(k)) + 48); err != nil {
				return nil, err
			}
			it.seen[k] = true
			return row, nil
		}
	}
}
func (it *distinctIter) Close() { it.c.Close() }

// appendKey encodes the columns idx of a row so that equal keys (with NULLs
// equal, as DISTINCT and GROUP BY treat them) encode identically.
func appendKey(buf []byte, row []types.Datum, idx []int, ts []types.Type) []byte {
	for _, i := range idx {
		d := row[i]
		if d == nil {
			buf = append(buf, 0)
			continue
		}
		buf = append(buf, 1)
		switch v := d.(type) {
		case float64:
			if v == 0 {
				d = float64(0) // -0 and 0 are equal
			} else if v != v {
				d = math.NaN()
			}
		case *types.Decimal:
			// 1.0 and 1.00 are equal numerics.
			buf = append(buf, normDecimal(v)...)
			buf = append(buf, 0xff, 0)
			continue
		}
		start := len(buf)
		buf = append(buf, 0, 0, 0, 0)
		buf = types.AppendBinary(buf, ts[i], d)
		binary.BigEndian.PutUint32(buf[start:], uint32(len(buf)-start-4))
	}
	return buf
}

func normDecimal(d *types.Decimal) string {
	if d.NaN {
		return "NaN"
	}
	s := d.String()
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// openTopN returns the first k rows of the sort order, holding at most k
// rows (plus one) in a max-heap instead of sorting the whole input.
func (s *sortNodeExec) openTopN(ec *expr.EvalCtx, k int) (rowIter, error) {
	c, err := OpenNode(ec, s.Child)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	h := &topHeap{keys: s.Keys}
	pos := 0
	for {
		row, err := c.Next()
		if err != nil {
			return nil, err
		}
		if row == nil {
			break
		}
		pos++
		if pos%4096 == 0 {
			if err := ec.Ctx.Err(); err != nil {
				return nil, err
			}
		}
		if k == 0 {
			continue
		}
		it := topItem{row: row, pos: pos}
		if h.Len() < k {
			if err := ec.Keep(row); err != nil {
				return nil, err
			}
			heap.Push(h, it)
			continue
		}
		if h.before(it, h.items[0]) {
			h.items[0] = it
			heap.Fix(h, 0)
		}
	}
	out := make([][]types.Datum, h.Len())
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(h).(topItem).row
	}
	return &sliceIter{rows: out}, nil
}

type topItem struct {
	row []types.Datum
	pos int
}

// topHeap is a max-heap by sort order (ties: later input last), so its root
// is the row to drop first.
type topHeap struct {
	items []topItem
	keys  []expr.SortKey
}

func (h *topHeap) before(a, b topItem) bool {
	if c := compareRows(a.row, b.row, h.keys); c != 0 {
		return c < 0
	}
	return a.pos < b.pos
}
func (h *topHeap) Len() int           { return len(h.items) }
func (h *topHeap) Less(i, j int) bool { return h.before(h.items[j], h.items[i]) }
func (h *topHeap) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *topHeap) Push(x any)         { h.items = append(h.items, x.(topItem)) }
func (h *topHeap) Pop() any {
	it := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return it
}
