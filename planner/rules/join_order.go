package rules

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/types"
)

// join_order: a tree of inner and cross joins (none lateral) over three or
// more inputs is flattened into its inputs and its conditions, and rebuilt
// left-deep in an order chosen greedily by estimated cardinality — when
// that order has fewer cross products (steps that join two inputs no
// equality relates, so no hash join can answer them) than the written one. FROM a, b, c WHERE a.x = c.x AND
// b.y = c.y is written with a × b first; the rule joins c to a, then b, so
// no step is a Cartesian product. A projection above restores the written
// column order. Orders without cross products are left as written: with
// hash joins and build_side choosing build inputs, a star join written
// fact-first is already the plan the vectorized join path runs, and an
// estimate is not worth overriding the user's order for.
//
// The greedy order starts with the input estimated largest among those some
// equality relates (it becomes the probe side every later join streams)
// and then adds, among the inputs an equality relates to those already
// joined, the one whose join is estimated smallest: with an equality to a
// joined input, rows·rowsᵢ / min(baseᵢ, base_joined) — the larger side
// taken as a foreign key into the smaller, whose filters keep their share
// of the rows. Only when nothing is related does a step take the smallest
// input as a cross product.

// joinLeaf is one input of a flattened join tree: its columns are
// [off, off+width) of the tree's output.
type joinLeaf struct {
	n          plan.Node
	off, width int
	rows, base float64
}

// joinConj is one condition of a flattened tree over the tree's columns,
// with the leaves it reads.
type joinConj struct {
	e      expr.Expr
	leaves []int
	eq     bool // an equality: it can join its leaves by hashing
}

func isEquality(e expr.Expr) bool {
	f, ok := e.(*expr.FnExpr)
	return ok && f.IsEq && len(f.Args) == 2
}

// equiJoins reports whether c is an equality between the two sides of a
// join (what hash_join turns into a key), so the join is no cross product.
func equiJoins(c expr.Expr, leftWidth int) bool {
	if !isEquality(c) {
		return false
	}
	f := c.(*expr.FnExpr)
	a, b := plan.Side(f.Args[0], leftWidth), plan.Side(f.Args[1], leftWidth)
	return a == 1 && b == 2 || a == 2 && b == 1
}

func orderJoins(n plan.Node) plan.Node {
	if j, ok := n.(*plan.JoinNode); ok && innerJoin(j) {
		if r := reorderJoins(j); r != nil {
			return r
		}
	}
	kids := plan.Children(n)
	if len(kids) == 0 {
		return n
	}
	mapped := make([]plan.Node, len(kids))
	for i, k := range kids {
		mapped[i] = orderJoins(k)
	}
	return plan.WithChildren(n, mapped)
}

func innerJoin(j *plan.JoinNode) bool {
	return (j.Kind == ast.InnerJoin || j.Kind == ast.CrossJoin) && !j.Lateral && len(j.Lkeys) == 0
}

// reorderJoins rebuilds j's inner-join tree, or returns nil to keep it.
func reorderJoins(j *plan.JoinNode) plan.Node {
	width := j.LeftWidth + j.RightWidth
	if len(j.ColTypes) != width {
		return nil
	}
	var leaves []joinLeaf
	var conds []expr.Expr
	cross := 0 // cross products in the written tree
	var flatten func(n plan.Node, off, w int) bool
	flatten = func(n plan.Node, off, w int) bool {
		x, ok := n.(*plan.JoinNode)
		if !ok || !innerJoin(x) {
			leaves = append(leaves, joinLeaf{n: n, off: off, width: w})
			return true
		}
		related := false
		if x.Cond != nil {
			for _, c := range plan.AndArgs(x.Cond) {
				related = related || equiJoins(c, x.LeftWidth)
				m, ok := expr.ShiftCols(c, off)
				if !ok {
					return false
				}
				conds = append(conds, m)
			}
		}
		if !related {
			cross++
		}
		return flatten(x.Left, off, x.LeftWidth) && flatten(x.Right, off+x.LeftWidth, x.RightWidth)
	}
	if !flatten(j, 0, width) || len(leaves) < 3 || cross == 0 {
		return nil
	}
	leafOf := func(col int) int {
		for i, l := range leaves {
			if col >= l.off && col < l.off+l.width {
				return i
			}
		}
		return -1
	}
	var cs []joinConj
	for _, e := range conds {
		seen := map[int]bool{}
		var ls []int
		ok := expr.WalkExpr(e, func(x expr.Expr) bool {
			if c, isCol := x.(*expr.ColExpr); isCol {
				if l := leafOf(c.Idx); l >= 0 && !seen[l] {
					seen[l] = true
					ls = append(ls, l)
				}
			}
			return true
		})
		if !ok {
			return nil // a sub-query: its columns are not visible here
		}
		cs = append(cs, joinConj{e: e, leaves: ls, eq: isEquality(e)})
	}
	for i := range leaves {
		leaves[i].rows, leaves[i].base = leafRows(leaves[i].n)
	}
	order, crossSteps := greedyJoinOrder(leaves, cs)
	if crossSteps >= cross {
		return nil
	}
	for i := range leaves {
		leaves[i].n = orderJoins(leaves[i].n)
	}
	return buildJoinOrder(j, leaves, cs, order)
}

// leafRows estimates an input's rows, and the rows of the table under its
// filters (its base); 1,000 where nothing can be told.
func leafRows(n plan.Node) (rows, base float64) {
	rows = plan.EstimateRows(n)
	if rows < 0 {
		rows = 1000
	}
	base = rows
	for {
		switch x := n.(type) {
		case *plan.FilterNode:
			n = x.Child
			continue
		case *plan.ProjectNode:
			n = x.Child
			continue
		case *plan.SourceScan:
			if b := plan.EstimateSourceRows(x); b >= rows {
				base = b
			}
		case *plan.MemScan:
			base = max(rows, float64(x.T.Len()))
		}
		return rows, base
	}
}

// greedyJoinOrder picks the order of the leaves (see the rule's comment)
// and counts its cross products.
func greedyJoinOrder(leaves []joinLeaf, cs []joinConj) ([]int, int) {
	in := make([]bool, len(leaves))
	related := func(l int) bool { // some equality joins l to another leaf
		for _, c := range cs {
			if c.eq && len(c.leaves) > 1 && contains(c.leaves, l) {
				return true
			}
		}
		return false
	}
	first := -1
	for i, l := range leaves {
		if related(i) && (first < 0 || l.rows > leaves[first].rows) {
			first = i
		}
	}
	if first < 0 {
		first = 0
	}
	order := []int{first}
	in[first] = true
	est := leaves[first].rows
	cross := 0
	for len(order) < len(leaves) {
		best, bestEst := -1, 0.0
		for i, l := range leaves {
			if in[i] {
				continue
			}
			// The most selective condition joining i to what is joined.
			e, ok := 0.0, false
			for _, c := range cs {
				if !c.eq || !contains(c.leaves, i) || len(c.leaves) < 2 || !allIn(c.leaves, in, i) {
					continue
				}
				denom := l.base
				for _, o := range c.leaves {
					if o != i {
						denom = min(denom, leaves[o].base)
					}
				}
				x := est * l.rows / max(denom, 1)
				if !ok || x < e {
					e, ok = x, true
				}
			}
			if ok && (best < 0 || e < bestEst) {
				best, bestEst = i, e
			}
		}
		if best < 0 { // nothing related: the smallest input, as a cross product
			for i, l := range leaves {
				if !in[i] && (best < 0 || l.rows < leaves[best].rows) {
					best = i
				}
			}
			bestEst = est * leaves[best].rows
			cross++
		}
		order = append(order, best)
		in[best] = true
		est = bestEst
	}
	return order, cross
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// allIn reports whether every leaf is joined already or is next.
func allIn(ls []int, in []bool, next int) bool {
	for _, l := range ls {
		if !in[l] && l != next {
			return false
		}
	}
	return true
}

// buildJoinOrder builds the left-deep tree for order: each condition goes
// to the first join where every leaf it reads is present (conditions
// reading one leaf or none go to the first join).
func buildJoinOrder(j *plan.JoinNode, leaves []joinLeaf, cs []joinConj, order []int) plan.Node {
	pos := make([]int, j.LeftWidth+j.RightWidth) // written column → built column
	used := make([]bool, len(cs))
	in := make([]bool, len(leaves))
	var cur plan.Node
	curW := 0
	var curTypes []types.Type
	for step, l := range order {
		lf := leaves[l]
		for c := 0; c < lf.width; c++ {
			pos[lf.off+c] = curW + c
		}
		in[l] = true
		leafTypes := j.ColTypes[lf.off : lf.off+lf.width]
		if step == 0 {
			cur, curW, curTypes = lf.n, lf.width, append([]types.Type(nil), leafTypes...)
			continue
		}
		var here []expr.Expr
		for i, c := range cs {
			if used[i] || !allIn(c.leaves, in, -1) {
				continue
			}
			e, ok := expr.MapCols(c.e, func(col int) int { return pos[col] })
			if !ok {
				return nil
			}
			used[i] = true
			here = append(here, e)
		}
		nj := &plan.JoinNode{Left: cur, Right: lf.n, Kind: ast.CrossJoin, LeftWidth: curW, RightWidth: lf.width,
			ColTypes: append(append([]types.Type(nil), curTypes...), leafTypes...)}
		if len(here) > 0 {
			nj.Kind, nj.Cond = ast.InnerJoin, plan.And(here)
		}
		cur, curW, curTypes = nj, curW+lf.width, nj.ColTypes
	}
	exprs := make([]expr.Expr, len(pos))
	for i, p := range pos {
		exprs[i] = &expr.ColExpr{Idx: p, T: j.ColTypes[i]}
	}
	return &plan.ProjectNode{Child: cur, Exprs: exprs}
}
