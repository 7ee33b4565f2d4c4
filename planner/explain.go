package planner

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/sql/types"
)

// openNode opens a child operator, instrumenting it under EXPLAIN ANALYZE.
func openNode(ec *expr.EvalCtx, n Node) (rowIter, error) {
	if ec.Stats == nil {
		return openMemo(ec, n)
	}
	st := ec.Stats[n]
	if st == nil {
		st = &expr.NodeStats{}
		ec.Stats[n] = st
	}
	st.Loops++
	t0 := time.Now()
	it, err := openMemo(ec, n)
	st.Dur += time.Since(t0)
	if err != nil {
		return nil, err
	}
	return &statIter{it: it, st: st}, nil
}

type statIter struct {
	it rowIter
	st *expr.NodeStats
}

func (s *statIter) next() ([]types.Datum, error) {
	t0 := time.Now()
	r, err := s.it.next()
	s.st.Dur += time.Since(t0)
	if r != nil {
		s.st.Rows++
	}
	return r, err
}
func (s *statIter) close() { s.it.close() }

// describe is the one-line description of an operator and the inputs EXPLAIN shows.
func describe(n Node) (string, []Node) {
	d := describeOne(n)
	if c, ok := n.(*cteScan); ok {
		if c.def.Recursive {
			return d, []Node{c.def.Base, c.def.Rec}
		}
		return d, []Node{c.def.Base}
	}
	switch x := n.(type) {
	case *vecAggNode:
		return d, []Node{x.scan}
	case *vecFilterScan:
		var kids []Node
		for _, j := range x.joins {
			kids = append(kids, j.build)
		}
		return d, kids
	}
	return d, Children(n)
}

func describeOne(n Node) string {
	switch x := n.(type) {
	case OneRow:
		return "Result"
	case *ValuesNode:
		return fmt.Sprintf("Values Scan (%d rows)", len(x.Rows))
	case *MemScan:
		return "Seq Scan on " + x.T.Schema + "." + x.T.Name
	case *SourceScan:
		return describeScan(x)
	case *topNScan:
		return describeScan(x.src) + " (top-N prefilter)"
	case *vecFilterScan:
		if len(x.joins) > 0 {
			return fmt.Sprintf("Vector Hash Join (%d joins) over %s (%d filters)", len(x.joins), x.tableName(), len(x.preds))
		}
		if len(x.preds) == 0 {
			return "Vector Scan on " + x.tableName()
		}
		return fmt.Sprintf("Vector Filter Scan on %s (%d filters)", x.tableName(), len(x.preds))
	case *vecAggNode:
		if len(x.keys) == 0 {
			return fmt.Sprintf("Vector Aggregate (%d aggregates)", len(x.aggs))
		}
		return fmt.Sprintf("Vector HashAggregate (%d keys, %d aggregates)", len(x.keys), len(x.aggs))
	case *SeriesNode:
		return "Function Scan on generate_series"
	case *UnnestNode:
		return "Function Scan on unnest"
	case *SubscriptsNode:
		return "Function Scan on generate_subscripts"
	case *FilterNode:
		return "Filter"
	case *SampleNode:
		return "Sample (" + x.Method + ")"
	case *ProjectNode:
		return fmt.Sprintf("Project (%d columns)", len(x.Exprs))
	case *SortNode:
		keys := make([]string, len(x.Keys))
		for i, k := range x.Keys {
			keys[i] = fmt.Sprintf("#%d", k.Idx+1)
			if k.Desc {
				keys[i] += " DESC"
			}
			if k.NullsFirst != k.Desc {
				if k.NullsFirst {
					keys[i] += " NULLS FIRST"
				} else {
					keys[i] += " NULLS LAST"
				}
			}
		}
		return "Sort (" + strings.Join(keys, ", ") + ")"
	case *LimitNode:
		return "Limit"
	case *DistinctNode:
		return fmt.Sprintf("Unique (%d keys)", len(x.Idx))
	case *JoinNode:
		kind := map[int]string{0: "Inner", 1: "Left", 2: "Right", 3: "Full", 4: "Cross"}[int(x.Kind)]
		if len(x.Lkeys) > 0 {
			return fmt.Sprintf("Hash Join (%s, %d keys)", kind, len(x.Lkeys))
		}
		return fmt.Sprintf("Nested Loop (%s)", kind)
	case *LateralJoinNode:
		kind := map[int]string{0: "Inner", 1: "Left", 4: "Cross"}[int(x.Kind)]
		return "Nested Loop Lateral (" + kind + ")"
	case *OrdinalityNode:
		return "WithOrdinality"
	case *AggNode:
		if len(x.Ctx.Groups) == 0 {
			return fmt.Sprintf("Aggregate (%d aggregates)", len(x.Ctx.Aggs))
		}
		return fmt.Sprintf("HashAggregate (%d keys, %d aggregates)", len(x.Ctx.Groups), len(x.Ctx.Aggs))
	case *SetOpNode:
		name := map[int]string{1: "Union", 2: "Intersect", 3: "Except"}[int(x.Kind)]
		if x.All {
			name += " All"
		}
		return name
	case *cteScan:
		if x.def.Recursive {
			return "Recursive CTE Scan on " + x.def.Name
		}
		return "CTE Scan on " + x.def.Name
	case *ProjectSetNode:
		return fmt.Sprintf("ProjectSet (%d functions)", len(x.Set.Calls))
	case *WindowNode:
		return fmt.Sprintf("WindowAgg (%d functions)", len(x.Set.Calls))
	}
	return fmt.Sprintf("%T", n)
}

// Explain renders the plan; with stats (EXPLAIN ANALYZE) it adds each
// operator's rows, loops and inclusive time.
func (p *Plan) explain(stats map[any]*expr.NodeStats, costs bool) []string {
	var lines []string
	seen := map[Node]bool{}
	var walk func(n Node, depth int)
	walk = func(n Node, depth int) {
		desc, kids := describe(n)
		if costs {
			rows, total := planCost(n)
			desc += fmt.Sprintf("  (cost=0.00..%.2f rows=%d width=%d)", total, int64(math.Max(1, math.Round(rows))), 32)
		}
		if st, ok := stats[n]; ok {
			desc += fmt.Sprintf(" (actual rows=%d loops=%d time=%.3f ms)", st.Rows, st.Loops, float64(st.Dur.Microseconds())/1000)
		} else if stats != nil {
			desc += " (never executed)"
		}
		prefix := ""
		if depth > 0 {
			prefix = strings.Repeat("      ", depth-1) + "  ->  "
		}
		lines = append(lines, prefix+desc)
		if st, ok := stats[n]; ok {
			pad := strings.Repeat(" ", len(prefix)+2)
			if depth > 0 {
				pad = strings.Repeat(" ", len(prefix))
			}
			for _, e := range st.Extra {
				lines = append(lines, pad+e)
			}
			if st.SplitsRead > 0 {
				lines = append(lines, fmt.Sprintf("%sSplits Read: %d", pad, st.SplitsRead))
			}
		}
		if seen[n] {
			return // a CTE read twice is shown once
		}
		seen[n] = true
		for _, k := range kids {
			walk(k, depth+1)
		}
	}
	walk(p.Root, 0)
	return lines
}

// Explain returns the plan's EXPLAIN lines.
func (p *Plan) Explain() []string { return p.explain(nil, false) }

// ExplainCosts returns the EXPLAIN lines with PostgreSQL-style estimates
// on each operator — "  (cost=0.00..12.34 rows=100 width=32)" — from
// table statistics where known (1,000 rows where not, PostgreSQL's own
// default); tools parse them (Superset's cost estimate).
func (p *Plan) ExplainCosts() []string { return p.explain(nil, true) }

// planCost estimates an operator's output rows and total cost: a
// hundredth per row produced, plus its inputs' cost.
func planCost(n Node) (rows, total float64) {
	for _, k := range Children(n) {
		r, c := planCost(k)
		total += c
		if rows < r {
			rows = r
		}
	}
	if est := EstimateRows(n); est >= 0 {
		rows = est
	} else if len(Children(n)) == 0 {
		rows = 1000
	}
	if _, ok := n.(OneRow); ok {
		rows = 1
	}
	total += rows * 0.01
	return rows, total
}
