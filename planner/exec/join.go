package exec

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/types"
)

// joinNodeExec runs a JoinNode (its plan node, with execution methods).
type joinNodeExec plan.JoinNode

func (j *joinNodeExec) open(ec *expr.EvalCtx) (rowIter, error) {
	if j.Lateral {
		return (&lateralJoinNodeExec{Left: j.Left, Right: j.Right, Kind: j.Kind, Cond: j.Cond, LeftWidth: j.LeftWidth, RightWidth: j.RightWidth}).open(ec)
	}
	// A condition that is constant FALSE or NULL matches nothing (as
	// PostgreSQL's planner sees, which then runs no input it needs not):
	// an inner join is empty, a left join only pads its left rows, a
	// right join only its right rows.
	never := j.Cond != nil && neverTrue(j.Cond)
	if never && (j.Kind == ast.InnerJoin || j.Kind == ast.CrossJoin) {
		return &sliceIter{}, nil
	}
	var l rowIter = &sliceIter{}
	if !never || j.Kind != ast.RightJoin {
		var err error
		if l, err = OpenNode(ec, j.Left); err != nil {
			return nil, err
		}
		// No left row: an inner or left join is empty without reading
		// the right input.
		first, err := l.Next()
		if err != nil {
			l.Close()
			return nil, err
		}
		if first == nil && j.Kind != ast.RightJoin && j.Kind != ast.FullJoin {
			l.Close()
			return &sliceIter{}, nil
		}
		if first != nil {
			l = &chainIter{first: [][]types.Datum{first}, rest: l}
		}
	}
	var right [][]types.Datum
	if !never || j.Kind != ast.LeftJoin {
		var err error
		if right, err = collect(ec, j.Right); err != nil {
			l.Close()
			return nil, err
		}
	}
	it := &joinIter{j: (*plan.JoinNode)(j), ec: ec, l: l, right: right, matched: make([]bool, len(right))}
	if j.Cond != nil {
		it.conds = filterConjuncts(j.Cond)
	}
	if len(j.Lkeys) == 1 && j.KeyTypes[0].IsInteger() {
		// One integer key: an integer (or dense) table instead of encoded
		// keys in a string map.
		t, err := intJoinTable(ec, right, func(r []types.Datum) (types.Datum, error) { return j.Rkeys[0].Eval(ec, r) })
		if err != nil {
			l.Close()
			return nil, err
		}
		it.ints = t
		return it, nil
	}
	if len(j.Lkeys) > 0 {
		it.table = map[string][]int{}
		for i, row := range right {
			key, null, err := evalKey(ec, j.Rkeys, j.KeyTypes, row, it.buf[:0])
			if err != nil {
				l.Close()
				return nil, err
			}
			it.buf = key
			if !null {
				it.table[string(key)] = append(it.table[string(key)], i)
			}
		}
	}
	return it, nil
}

// evalKey encodes key expressions; null reports a NULL (which never matches).
func evalKey(ec *expr.EvalCtx, keys []expr.Expr, ts []types.Type, row []types.Datum, buf []byte) ([]byte, bool, error) {
	vals := make([]types.Datum, len(keys))
	for i, k := range keys {
		v, err := k.Eval(ec, row)
		if err != nil {
			return buf, false, err
		}
		if v == nil {
			return buf, true, nil
		}
		vals[i] = v
	}
	return appendKey(buf, vals, plan.Seq(len(keys)), ts), false, nil
}

type joinIter struct {
	j       *plan.JoinNode
	ec      *expr.EvalCtx
	l       rowIter
	right   [][]types.Datum
	matched []bool
	table   map[string][]int
	ints    *joinTable // one integer key: its rows by key
	buf     []byte

	conds    []expr.Expr   // the condition's conjuncts, cheap ones first
	cur      []types.Datum // current left row
	cands    []int         // candidate right rows for cur
	pos      int
	curMatch bool
	leftDone bool
	tailPos  int // emitting unmatched right rows (RIGHT/FULL)
	n        int
}

func (it *joinIter) concat(l, r []types.Datum) []types.Datum {
	row := make([]types.Datum, it.j.LeftWidth+it.j.RightWidth)
	copy(row, l)
	copy(row[it.j.LeftWidth:], r)
	return row
}

func (it *joinIter) Next() ([]types.Datum, error) {
	j := it.j
	for !it.leftDone {
		if it.cur == nil {
			row, err := it.l.Next()
			if err != nil {
				return nil, err
			}
			if row == nil {
				it.leftDone = true
				break
			}
			it.cur, it.pos, it.curMatch = row, 0, false
			if it.ints != nil {
				k, err := j.Lkeys[0].Eval(it.ec, row)
				if err != nil {
					return nil, err
				}
				it.cands = it.cands[:0]
				if k != nil {
					for b := it.ints.first(k.(int64)); b >= 0; b = it.ints.next[b] {
						it.cands = append(it.cands, int(b))
					}
				}
			} else if it.table != nil {
				key, null, err := evalKey(it.ec, j.Lkeys, j.KeyTypes, row, it.buf[:0])
				if err != nil {
					return nil, err
				}
				it.buf = key
				it.cands = nil
				if !null {
					it.cands = it.table[string(key)]
				}
			}
		}
		limit := len(it.right)
		if it.table != nil || it.ints != nil {
			limit = len(it.cands)
		}
		for it.pos < limit {
			ri := it.pos
			if it.table != nil || it.ints != nil {
				ri = it.cands[it.pos]
			}
			it.pos++
			if it.n++; it.n%4096 == 0 {
				if err := it.ec.Ctx.Err(); err != nil {
					return nil, err
				}
			}
			row := it.concat(it.cur, it.right[ri])
			ok, err := allTrue(it.ec, it.conds, row)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
			it.curMatch = true
			it.matched[ri] = true
			return row, nil
		}
		cur := it.cur
		it.cur = nil
		if !it.curMatch && (j.Kind == ast.LeftJoin || j.Kind == ast.FullJoin) {
			return it.concat(cur, nil), nil
		}
	}
	if j.Kind == ast.RightJoin || j.Kind == ast.FullJoin {
		for it.tailPos < len(it.right) {
			i := it.tailPos
			it.tailPos++
			if !it.matched[i] {
				return it.concat(nil, it.right[i]), nil
			}
		}
	}
	return nil, nil
}

func (it *joinIter) Close() { it.l.Close() }

// lateralJoinNodeExec runs a LateralJoinNode (its plan node, with execution methods).
type lateralJoinNodeExec plan.LateralJoinNode

func (j *lateralJoinNodeExec) open(ec *expr.EvalCtx) (rowIter, error) {
	l, err := OpenNode(ec, j.Left)
	if err != nil {
		return nil, err
	}
	return &lateralIter{j: (*plan.LateralJoinNode)(j), ec: ec, l: l}, nil
}

type lateralIter struct {
	j       *plan.LateralJoinNode
	ec      *expr.EvalCtx
	l       rowIter
	cur     []types.Datum
	right   [][]types.Datum
	scope   *expr.MemAccount // what the current right rows are charged to
	pos     int
	matched bool
}

func (it *lateralIter) Next() ([]types.Datum, error) {
	j := it.j
	for {
		if it.cur == nil {
			row, err := it.l.Next()
			if err != nil || row == nil {
				return nil, err
			}
			// The previous left row's right rows are dropped: give back
			// what they were charged.
			it.scope.Release()
			sec := it.ec.Sub(row)
			it.scope = sec.Mem
			if it.right, err = collect(sec, j.Right); err != nil {
				return nil, err
			}
			it.cur, it.pos, it.matched = row, 0, false
		}
		for it.pos < len(it.right) {
			r := it.right[it.pos]
			it.pos++
			row := make([]types.Datum, j.LeftWidth+j.RightWidth)
			copy(row, it.cur)
			copy(row[j.LeftWidth:], r)
			if j.Cond != nil {
				v, err := j.Cond.Eval(it.ec, row)
				if err != nil {
					return nil, err
				}
				if v == nil || !v.(bool) {
					continue
				}
			}
			it.matched = true
			return row, nil
		}
		cur := it.cur
		it.cur = nil
		if !it.matched && j.Kind == ast.LeftJoin {
			row := make([]types.Datum, j.LeftWidth+j.RightWidth)
			copy(row, cur)
			return row, nil
		}
	}
}

func (it *lateralIter) Close() { it.l.Close() }
