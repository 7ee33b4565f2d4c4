package rules

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
)

// pruneOutputs is the prune_outputs rule: an aggregation over a projection
// (possibly through a filter) often reads only some of its columns — BI tools count a query's rows as
// SELECT count(*) FROM (<query>) AS source — and the others need not be
// computed. Each column the aggregation does not read, whose expression is
// immutable and holds no sub-query, becomes a typed NULL (positions stay,
// so nothing above is renumbered). PostgreSQL removes unused sub-query
// outputs the same way; volatile ones stay.
func pruneOutputs(n plan.Node) plan.Node {
	a, ok := n.(*plan.AggNode)
	if !ok {
		return n
	}
	// Directly above the projection, or with a filter between (WHERE on
	// the sub-query's columns): the filter's reads count too.
	f, _ := a.Child.(*plan.FilterNode)
	below := a.Child
	if f != nil {
		below = f.Child
	}
	p, ok := below.(*plan.ProjectNode)
	if !ok {
		return n
	}
	ac := a.Ctx
	reads := append([]expr.Expr(nil), ac.Groups...)
	if f != nil {
		reads = append(reads, f.Pred)
	}
	for _, c := range ac.Aggs {
		reads = append(reads, c.Args...)
		reads = append(reads, c.Order...)
		if c.Filter != nil {
			reads = append(reads, c.Filter)
		}
	}
	used := make([]bool, len(p.Exprs))
	for _, e := range reads {
		seen := expr.WalkExpr(e, func(x expr.Expr) bool {
			if c, isCol := x.(*expr.ColExpr); isCol && c.Idx < len(used) {
				used[c.Idx] = true
			}
			return true
		})
		if !seen {
			return n // an expression it cannot see into (a sub-query)
		}
	}
	out := make([]expr.Expr, len(p.Exprs))
	changed := false
	for i, e := range p.Exprs {
		if used[i] || !immutable(e) {
			out[i] = e
			continue
		}
		if _, isConst := e.(*expr.ConstExpr); !isConst {
			changed = true
		}
		out[i] = &expr.ConstExpr{T: e.Type()}
	}
	if !changed {
		return n
	}
	np := *p
	np.Exprs = out
	na := *a
	na.Child = &np
	if f != nil {
		nf := *f
		nf.Child = &np
		na.Child = &nf
	}
	return &na
}

// immutable reports whether e reads only its row: columns, constants and
// immutable functions, no sub-query or anything walkExpr cannot see into.
func immutable(e expr.Expr) bool {
	ok := true
	seen := expr.WalkExpr(e, func(x expr.Expr) bool {
		if f, isFn := x.(*expr.FnExpr); isFn && !f.Pure {
			ok = false
		}
		return ok
	})
	return seen && ok
}
