package rules

import (
	"strings"
	"time"

	"github.com/sluicedb/sluice/planner/exec"
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/types"
)

// Rules rewrite a bound plan. They are small, named and applied in one
// ordered list; each can be disabled by name (SET sluice.disabled_rules =
// 'topn,hash_join' or 'all'), and each keeps the output columns. Turning
// them all off must never change a result — the test corpus runs every query
// both ways.
//
// constant_folding: evaluate immutable functions of constants at bind time.
//
//	Wrong if a function were volatile (random(), now()): those are not pure.
//
// hash_join: answer a join's col = col conjuncts with a hash table on the
//
//	right input. Wrong for a LATERAL right side (it changes per left row), so
//	lateral joins keep their nested loop.
//
// filter_pushdown: move WHERE conjuncts that read one side of an inner or
//
//	cross join below the join. Wrong for outer joins (a NULL-extended row
//	would be filtered before it exists), which it leaves alone.
//
// decorrelate: EXISTS correlated only through inner = f(outer row)
//
//	equalities becomes a hash probe into the sub-query's rows, computed once;
//	a scalar aggregate sub-query so correlated runs once grouped by its inner
//	keys, and a missing group takes the value over no rows. Wrong with a
//	LIMIT (a per-outer-row LIMIT 1 is not the same set), a volatile call
//	(random() per outer row is not random() once) or a non-injective key
//	cast (grouping would split what = joins): those keep running per row.
//
// scan_pushdown: comparisons of a column with a constant and IS [NOT] NULL
//
//	in a filter over a provider's scan go to the provider, which skips
//	files and row groups whose statistics rule them out. Wrong if a
//	statistic's order differed from the SQL order (floats, with NaN, are not
//	pushed) or if an Inexact answer dropped the filter (only Exact ones do).
//
// vectorize: filters over a table scan, and GROUP BY over such a scan, run
//
//	a column at a time (vector.go). Wrong if a kernel differed from the row
//	function in overflow or NULL handling; they share PostgreSQL's rules
//	and the corpus compares both ways.
//
// join_order: an inner-join tree of three or more inputs written with a
//
//	cross product that some order avoids is rebuilt left-deep in a greedy
//	order by estimated cardinality (join_order.go). Wrong for outer and
//	lateral joins (their order is their meaning): they end the tree.
//
// build_side: an inner hash join builds its table on the smaller input
//
//	(estimated from table sizes), swapping the inputs and restoring the
//	column order above. Wrong for outer joins (the sides are not symmetric),
//	which keep their order.
//
// topn: LIMIT over ORDER BY keeps only the first rows in a heap. Wrong if
//
//	the limit were not a per-execution constant; it is evaluated at open.
//	Over a lake table ordered first by a numeric column, rows whose key is
//	worse than k values already seen are dropped before they are
//	materialized (ties and NULLs kept). Wrong if a dropped row could still
//	be among the first k, which strictly worse rows cannot.
//
// scan_limit: LIMIT (and OFFSET) over a provider's scan, with only
//
//	projections between them, tells the scan how many rows the query can
//	take: it reads only the splits whose row counts cover them, instead of
//	decoding row groups ahead on every core. Wrong with a filter, a join or
//	an aggregation between them (the scan's rows are not the limit's rows):
//	those keep reading everything.
type rule struct {
	name  string
	apply func(n plan.Node) plan.Node
}

// ruleNames lists every rule in application order.
var ruleNames = []string{"constant_folding", "decorrelate", "filter_pushdown", "scan_pushdown", "join_order", "hash_join", "build_side", "topn", "scan_limit", "prune_outputs", "vectorize"}

// RuleNames returns the rule names, for SET validation and SHOW.
func RuleNames() []string { return append([]string(nil), ruleNames...) }

// Disabled parses a sluice.disabled_rules value.
func Disabled(setting string) map[string]bool {
	out := map[string]bool{}
	for _, r := range strings.Split(setting, ",") {
		r = strings.TrimSpace(strings.ToLower(r))
		if r == "all" {
			for _, n := range ruleNames {
				out[n] = true
			}
		} else if r != "" {
			out[r] = true
		}
	}
	return out
}

// ApplyRules runs the enabled rewrite rules over the plan tree and records
// how long each took.
func ApplyRules(root plan.Node, disabled map[string]bool) (plan.Node, map[string]time.Duration) {
	rules := []rule{
		{"filter_pushdown", pushFilters},
		{"scan_pushdown", pushScanPredicates},
		{"join_order", orderJoins},
		{"hash_join", func(n plan.Node) plan.Node { return plan.MapNodes(n, planHashJoin) }},
		{"build_side", func(n plan.Node) plan.Node { return plan.MapNodes(n, chooseBuildSide) }},
		{"topn", func(n plan.Node) plan.Node { return plan.MapNodes(n, markTopN) }},
		{"scan_limit", func(n plan.Node) plan.Node { return plan.MapNodes(n, limitScan) }},
		{"prune_outputs", func(n plan.Node) plan.Node { return plan.MapNodes(n, pruneOutputs) }},
		{"vectorize", vectorize},
	}
	times := map[string]time.Duration{}
	for _, r := range rules {
		if disabled[r.name] {
			continue
		}
		t0 := time.Now()
		root = r.apply(root)
		times[r.name] = time.Since(t0)
	}
	return root, times
}

func planHashJoin(n plan.Node) plan.Node {
	if j, ok := n.(*plan.JoinNode); ok {
		j.PlanHash()
	}
	return n
}

func markTopN(n plan.Node) plan.Node {
	if l, ok := n.(*plan.LimitNode); ok {
		if _, isSort := l.Child.(*plan.SortNode); isSort {
			l.TopN = true
			exec.PrefilterTopN(l)
		}
	}
	return n
}

// limitScan hands a LIMIT's count and offset to the provider scan below
// it, through projections only (rule scan_limit).
func limitScan(n plan.Node) plan.Node {
	l, ok := n.(*plan.LimitNode)
	if !ok || l.Limit == nil {
		return n
	}
	var chain []*plan.ProjectNode
	c := l.Child
	for {
		p, ok := c.(*plan.ProjectNode)
		if !ok {
			break
		}
		chain = append(chain, p)
		c = p.Child
	}
	s, ok := c.(*plan.SourceScan)
	if !ok || s.Limit != nil {
		return n
	}
	ns := *s
	ns.Limit, ns.Offset = l.Limit, l.Offset
	var out plan.Node = &ns
	for i := len(chain) - 1; i >= 0; i-- {
		p := *chain[i]
		p.Child = out
		out = &p
	}
	nl := *l
	nl.Child = out
	return &nl
}

// pushFilters moves single-side conjuncts of a filter directly over an
// inner/cross join into that side.
func pushFilters(n plan.Node) plan.Node {
	return plan.MapNodes(n, pushFilter)
}

// pushFilter pushes one filter as far down as it goes.
func pushFilter(n plan.Node) plan.Node {
	{
		f, ok := n.(*plan.FilterNode)
		if !ok {
			return n
		}
		j, ok := f.Child.(*plan.JoinNode)
		if !ok || (j.Kind != 0 && j.Kind != 4) || j.Lateral { // inner or cross only
			return n
		}
		conj := plan.AndArgs(f.Pred)
		var keep, left, right, both []expr.Expr
		for _, c := range conj {
			switch plan.Side(c, j.LeftWidth) {
			case 1:
				left = append(left, c)
			case 2:
				if s, ok := expr.ShiftCols(c, -j.LeftWidth); ok {
					right = append(right, s)
				} else {
					keep = append(keep, c)
				}
			case 3:
				both = append(both, c) // reads both sides: joins them
			default:
				keep = append(keep, c)
			}
		}
		if len(left) == 0 && len(right) == 0 && len(both) == 0 {
			return n
		}
		nj := *j
		if len(both) > 0 {
			// WHERE a.x = b.y over a cross join is an inner join on it.
			if j.Cond != nil {
				both = append([]expr.Expr{j.Cond}, both...)
			}
			nj.Cond, nj.Kind, nj.Lkeys, nj.Rkeys, nj.KeyTypes = plan.And(both), 0, nil, nil, nil
		}
		if len(left) > 0 {
			nj.Left = pushFilter(&plan.FilterNode{Child: j.Left, Pred: plan.And(left)})
		}
		if len(right) > 0 {
			nj.Right = pushFilter(&plan.FilterNode{Child: j.Right, Pred: plan.And(right)})
		}
		if len(keep) == 0 {
			return &nj
		}
		return &plan.FilterNode{Child: &nj, Pred: plan.And(keep)}
	}
}

// chooseBuildSide swaps an inner hash join's inputs when the left one is smaller.
func chooseBuildSide(n plan.Node) plan.Node {
	j, ok := n.(*plan.JoinNode)
	if !ok || j.Kind != ast.InnerJoin || len(j.Lkeys) == 0 || j.Lateral {
		return n
	}
	l, r := plan.EstimateRows(j.Left), plan.EstimateRows(j.Right)
	if l < 0 || r < 0 || l >= r {
		return n
	}
	lw, rw := j.LeftWidth, j.RightWidth
	swap := func(i int) int {
		if i < lw {
			return i + rw
		}
		return i - lw
	}
	sj := &plan.JoinNode{Left: j.Right, Right: j.Left, Kind: j.Kind, LeftWidth: rw, RightWidth: lw,
		Lkeys: j.Rkeys, Rkeys: j.Lkeys, KeyTypes: j.KeyTypes}
	if len(j.ColTypes) == lw+rw {
		sj.ColTypes = append(append([]types.Type(nil), j.ColTypes[lw:]...), j.ColTypes[:lw]...)
	}
	if j.Cond != nil {
		c, ok := expr.MapCols(j.Cond, swap)
		if !ok {
			return n
		}
		sj.Cond = c
	}
	// Restore the original column order: old left columns, then old right.
	exprs := make([]expr.Expr, 0, lw+rw)
	for i := 0; i < lw; i++ {
		exprs = append(exprs, &expr.ColExpr{Idx: rw + i})
	}
	for i := 0; i < rw; i++ {
		exprs = append(exprs, &expr.ColExpr{Idx: i})
	}
	return &plan.ProjectNode{Child: sj, Exprs: exprs}
}
