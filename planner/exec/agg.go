package exec

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/types"
)

type groupState struct {
	keys   []types.Datum
	states []expr.AggState
	bufs   [][][]types.Datum // buffered argument rows for DISTINCT/ORDER BY aggregates
}

// aggNodeExec runs a AggNode (its plan node, with execution methods).
type aggNodeExec plan.AggNode

func (a *aggNodeExec) open(ec *expr.EvalCtx) (rowIter, error) {
	ac := a.Ctx
	in, err := OpenNode(ec, a.Child)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	type setState struct {
		groups map[string]*groupState
		order  []*groupState
	}
	sets := make([]setState, len(ac.Sets))
	for i := range sets {
		sets[i].groups = map[string]*groupState{}
	}
	keyTypes := plan.ExprTypes(ac.Groups)
	var buf []byte
	newGroup := func(keys []types.Datum) *groupState {
		g := &groupState{keys: keys, states: make([]expr.AggState, len(ac.Aggs)), bufs: make([][][]types.Datum, len(ac.Aggs))}
		for i, c := range ac.Aggs {
			g.states[i] = c.Def.Make()
		}
		return g
	}
	n := 0
	all := make([]types.Datum, len(ac.Groups))
	for {
		row, err := in.Next()
		if err != nil {
			return nil, err
		}
		if row == nil {
			break
		}
		if n++; n%1024 == 0 {
			if err := ec.Ctx.Err(); err != nil {
				return nil, err
			}
		}
		for i, g := range ac.Groups {
			if all[i], err = g.Eval(ec, row); err != nil {
				return nil, err
			}
		}
		var args [][]types.Datum // per aggregate, evaluated once for all sets
		for si, set := range ac.Sets {
			buf = appendKey(buf[:0], all, set, keyTypes)
			st := &sets[si]
			g, ok := st.groups[string(buf)]
			if !ok {
				keys := make([]types.Datum, len(ac.Groups))
				for _, i := range set {
					keys[i] = all[i]
				}
				if err := ec.Mem.Charge(expr.RowBytes(keys) + int64(len(buf)) + 64*int64(len(ac.Aggs)+1)); err != nil {
					return nil, err
				}
				g = newGroup(keys)
				st.groups[string(buf)] = g
				st.order = append(st.order, g)
			}
			if args == nil {
				if args, err = a.evalArgs(ec, row); err != nil {
					return nil, err
				}
			}
			for i, c := range ac.Aggs {
				if args[i] == nil {
					continue // filtered out
				}
				if c.Distinct || len(c.Order) > 0 {
					if err := ec.Keep(args[i]); err != nil {
						return nil, err
					}
					g.bufs[i] = append(g.bufs[i], args[i])
					continue
				}
				if err := g.states[i].Add(args[i]); err != nil {
					return nil, err
				}
			}
		}
	}
	var out [][]types.Datum
	for si, set := range ac.Sets {
		order := sets[si].order
		if len(set) == 0 && len(order) == 0 {
			order = append(order, newGroup(make([]types.Datum, len(ac.Groups)))) // an aggregate over no rows still yields one row
		}
		for _, g := range order {
			row := make([]types.Datum, len(ac.Groups)+1+len(ac.Aggs))
			copy(row, g.keys)
			row[len(ac.Groups)] = int64(si)
			for i, c := range ac.Aggs {
				if c.Distinct || len(c.Order) > 0 {
					if err := feedBuffered(c, g.states[i], g.bufs[i]); err != nil {
						return nil, err
					}
				}
				v, err := g.states[i].Result()
				if err != nil {
					return nil, err
				}
				row[len(ac.Groups)+1+i] = v
			}
			out = append(out, row)
		}
	}
	return &sliceIter{rows: out}, nil
}

// evalArgs evaluates each aggregate's arguments (and ORDER BY values) for a
// row; a nil entry means the FILTER rejected the row.
func (a *aggNodeExec) evalArgs(ec *expr.EvalCtx, row []types.Datum) ([][]types.Datum, error) {
	out := make([][]types.Datum, len(a.Ctx.Aggs))
	for i, c := range a.Ctx.Aggs {
		if c.Filter != nil {
			v, err := c.Filter.Eval(ec, row)
			if err != nil {
				return nil, err
			}
			if v == nil || !v.(bool) {
				continue
			}
		}
		args := make([]types.Datum, len(c.Args), len(c.Args)+len(c.Order))
		for j, e := range c.Args {
			v, err := e.Eval(ec, row)
			if err != nil {
				return nil, err
			}
			args[j] = v
		}
		for _, o := range c.Order {
			v, err := o.Eval(ec, row)
			if err != nil {
				return nil, err
			}
			args = append(args, v)
		}
		out[i] = args
	}
	return out, nil
}

// feedBuffered sorts and de-duplicates buffered argument rows, then feeds them.
func feedBuffered(c *expr.AggCall, st expr.AggState, rows [][]types.Datum) error {
	na := len(c.Args)
	if len(c.Order) > 0 {
		keys := make([]expr.SortKey, len(c.OrderKey))
		for i, k := range c.OrderKey {
			keys[i] = k
			keys[i].Idx = na + k.Idx
		}
		sortRows(rows, keys)
	}
	var seen map[string]bool
	if c.Distinct {
		seen = map[string]bool{}
	}
	ts := plan.ExprTypes(c.Args)
	var buf []byte
	for _, r := range rows {
		if c.Distinct {
			if c.Def.Name != "count" || na > 0 {
				if r[0] == nil {
					continue // DISTINCT aggregates skip NULL inputs
				}
			}
			buf = appendKey(buf[:0], r, plan.Seq(na), ts)
			if seen[string(buf)] {
				continue
			}
			seen[string(buf)] = true
		}
		if err := st.Add(r[:na]); err != nil {
			return err
		}
	}
	return nil
}
