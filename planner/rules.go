package planner

import (
	"strings"
	"time"

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
	apply func(n node) node
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

// applyRules runs the enabled rewrite rules over the plan tree and records
// how long each took.
func applyRules(root node, disabled map[string]bool) (node, map[string]time.Duration) {
	rules := []rule{
		{"filter_pushdown", pushFilters},
		{"scan_pushdown", pushScanPredicates},
		{"join_order", orderJoins},
		{"hash_join", func(n node) node { return mapNodes(n, planHashJoin) }},
		{"build_side", func(n node) node { return mapNodes(n, chooseBuildSide) }},
		{"topn", func(n node) node { return mapNodes(n, markTopN) }},
		{"scan_limit", func(n node) node { return mapNodes(n, limitScan) }},
		{"prune_outputs", func(n node) node { return mapNodes(n, pruneOutputs) }},
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

// mapNodes applies f bottom-up to every operator of the tree (rules rebuild
// nodes; plans stay immutable).
func mapNodes(n node, f func(node) node) node {
	kids := children(n)
	if len(kids) == 0 {
		return f(n)
	}
	mapped := make([]node, len(kids))
	for i, k := range kids {
		mapped[i] = mapNodes(k, f)
	}
	return f(withChildren(n, mapped))
}

// children returns an operator's inputs.
func children(n node) []node {
	switch x := n.(type) {
	case *filterNode:
		return []node{x.child}
	case *sampleNode:
		return []node{x.child}
	case *projectNode:
		return []node{x.child}
	case *sortNode:
		return []node{x.child}
	case *limitNode:
		return []node{x.child}
	case *distinctNode:
		return []node{x.child}
	case *aggNode:
		return []node{x.child}
	case *windowNode:
		return []node{x.child}
	case *projectSetNode:
		return []node{x.child}
	case *ordinalityNode:
		return []node{x.child}
	case *joinNode:
		return []node{x.left, x.right}
	case *lateralJoinNode:
		return []node{x.left, x.right}
	case *setOpNode:
		return []node{x.left, x.right}
	}
	return nil
}

// withChildren returns a copy of n reading from new inputs.
func withChildren(n node, k []node) node {
	switch x := n.(type) {
	case *filterNode:
		c := *x
		c.child = k[0]
		return &c
	case *sampleNode:
		c := *x
		c.child = k[0]
		return &c
	case *projectNode:
		c := *x
		c.child = k[0]
		return &c
	case *sortNode:
		c := *x
		c.child = k[0]
		return &c
	case *limitNode:
		c := *x
		c.child = k[0]
		return &c
	case *distinctNode:
		c := *x
		c.child = k[0]
		return &c
	case *aggNode:
		c := *x
		c.child = k[0]
		return &c
	case *windowNode:
		c := *x
		c.child = k[0]
		return &c
	case *projectSetNode:
		c := *x
		c.child = k[0]
		return &c
	case *ordinalityNode:
		c := *x
		c.child = k[0]
		return &c
	case *joinNode:
		c := *x
		c.left, c.right = k[0], k[1]
		return &c
	case *lateralJoinNode:
		c := *x
		c.left, c.right = k[0], k[1]
		return &c
	case *setOpNode:
		c := *x
		c.left, c.right = k[0], k[1]
		return &c
	}
	return n
}

func planHashJoin(n node) node {
	if j, ok := n.(*joinNode); ok {
		j.planHash()
	}
	return n
}

func markTopN(n node) node {
	if l, ok := n.(*limitNode); ok {
		if _, isSort := l.child.(*sortNode); isSort {
			l.topN = true
			prefilterTopN(l)
		}
	}
	return n
}

// limitScan hands a LIMIT's count and offset to the provider scan below
// it, through projections only (rule scan_limit).
func limitScan(n node) node {
	l, ok := n.(*limitNode)
	if !ok || l.limit == nil {
		return n
	}
	var chain []*projectNode
	c := l.child
	for {
		p, ok := c.(*projectNode)
		if !ok {
			break
		}
		chain = append(chain, p)
		c = p.child
	}
	s, ok := c.(*sourceScan)
	if !ok || s.limit != nil {
		return n
	}
	ns := *s
	ns.limit, ns.offset = l.limit, l.offset
	var out node = &ns
	for i := len(chain) - 1; i >= 0; i-- {
		p := *chain[i]
		p.child = out
		out = &p
	}
	nl := *l
	nl.child = out
	return &nl
}

// pushFilters moves single-side conjuncts of a filter directly over an
// inner/cross join into that side.
func pushFilters(n node) node {
	return mapNodes(n, pushFilter)
}

// pushFilter pushes one filter as far down as it goes.
func pushFilter(n node) node {
	{
		f, ok := n.(*filterNode)
		if !ok {
			return n
		}
		j, ok := f.child.(*joinNode)
		if !ok || (j.kind != 0 && j.kind != 4) || j.lateral { // inner or cross only
			return n
		}
		conj := andArgs(f.pred)
		var keep, left, right, both []Expr
		for _, c := range conj {
			switch side(c, j.leftWidth) {
			case 1:
				left = append(left, c)
			case 2:
				if s, ok := shiftCols(c, -j.leftWidth); ok {
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
			if j.cond != nil {
				both = append([]Expr{j.cond}, both...)
			}
			nj.cond, nj.kind, nj.lkeys, nj.rkeys, nj.keyTypes = and(both), 0, nil, nil, nil
		}
		if len(left) > 0 {
			nj.left = pushFilter(&filterNode{child: j.left, pred: and(left)})
		}
		if len(right) > 0 {
			nj.right = pushFilter(&filterNode{child: j.right, pred: and(right)})
		}
		if len(keep) == 0 {
			return &nj
		}
		return &filterNode{child: &nj, pred: and(keep)}
	}
}

// andArgs splits a bound AND into its arguments.
func andArgs(e Expr) []Expr {
	if be, ok := e.(*boolExpr); ok && be.and {
		return be.args
	}
	return []Expr{e}
}

func and(es []Expr) Expr {
	if len(es) == 1 {
		return es[0]
	}
	return &boolExpr{and: true, args: es}
}

// estimateRows guesses an operator's output rows from table sizes; -1 when
// it cannot tell.
func estimateRows(n node) float64 {
	switch x := n.(type) {
	case *memScan:
		return float64(x.t.Len())
	case *sourceScan:
		return estimateSourceRows(x)
	case *vecFilterScan:
		base := float64(0)
		if x.src != nil {
			base = estimateSourceRows(x.src)
		} else {
			base = float64(x.t.Len())
		}
		if len(x.preds) == 0 || base < 0 {
			return base
		}
		return base / 3
	case *filterNode:
		if s, ok := x.child.(*sourceScan); ok {
			return estimateSourceFilter(s, andArgs(x.pred))
		}
		if c := estimateRows(x.child); c >= 0 {
			return c / 3 // a filter keeps a third, the classic default
		}
	case *projectNode:
		return estimateRows(x.child)
	case *joinNode:
		l, r := estimateRows(x.left), estimateRows(x.right)
		if l >= 0 && r >= 0 {
			return max(l, r)
		}
	}
	return -1
}

// chooseBuildSide swaps an inner hash join's inputs when the left one is smaller.
func chooseBuildSide(n node) node {
	j, ok := n.(*joinNode)
	if !ok || j.kind != ast.InnerJoin || len(j.lkeys) == 0 || j.lateral {
		return n
	}
	l, r := estimateRows(j.left), estimateRows(j.right)
	if l < 0 || r < 0 || l >= r {
		return n
	}
	lw, rw := j.leftWidth, j.rightWidth
	swap := func(i int) int {
		if i < lw {
			return i + rw
		}
		return i - lw
	}
	sj := &joinNode{left: j.right, right: j.left, kind: j.kind, leftWidth: rw, rightWidth: lw,
		lkeys: j.rkeys, rkeys: j.lkeys, keyTypes: j.keyTypes}
	if len(j.colTypes) == lw+rw {
		sj.colTypes = append(append([]types.Type(nil), j.colTypes[lw:]...), j.colTypes[:lw]...)
	}
	if j.cond != nil {
		c, ok := mapCols(j.cond, swap)
		if !ok {
			return n
		}
		sj.cond = c
	}
	// Restore the original column order: old left columns, then old right.
	exprs := make([]Expr, 0, lw+rw)
	for i := 0; i < lw; i++ {
		exprs = append(exprs, &colExpr{idx: rw + i})
	}
	for i := 0; i < rw; i++ {
		exprs = append(exprs, &colExpr{idx: i})
	}
	return &projectNode{child: sj, exprs: exprs}
}
