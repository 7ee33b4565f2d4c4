package planner

import (
	"fmt"
	"math"
	"strings"

	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
)

// Explain renders the plan; with stats (EXPLAIN ANALYZE) it adds each
// operator's rows, loops and inclusive time.
func (p *Plan) explain(stats map[any]*expr.NodeStats, costs bool) []string {
	var lines []string
	seen := map[plan.Node]bool{}
	var walk func(n plan.Node, depth int)
	walk = func(n plan.Node, depth int) {
		desc, kids := plan.Describe(n)
		if costs {
			rows, total := plan.PlanCost(n)
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
