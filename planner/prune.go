package planner

// pruneOutputs is the prune_outputs rule: an aggregation over a projection
// (possibly through a filter) often reads only some of its columns — BI tools count a query's rows as
// SELECT count(*) FROM (<query>) AS source — and the others need not be
// computed. Each column the aggregation does not read, whose expression is
// immutable and holds no sub-query, becomes a typed NULL (positions stay,
// so nothing above is renumbered). PostgreSQL removes unused sub-query
// outputs the same way; volatile ones stay.
func pruneOutputs(n node) node {
	a, ok := n.(*aggNode)
	if !ok {
		return n
	}
	// Directly above the projection, or with a filter between (WHERE on
	// the sub-query's columns): the filter's reads count too.
	f, _ := a.child.(*filterNode)
	below := a.child
	if f != nil {
		below = f.child
	}
	p, ok := below.(*projectNode)
	if !ok {
		return n
	}
	ac := a.ctx
	reads := append([]Expr(nil), ac.groups...)
	if f != nil {
		reads = append(reads, f.pred)
	}
	for _, c := range ac.aggs {
		reads = append(reads, c.args...)
		reads = append(reads, c.order...)
		if c.filter != nil {
			reads = append(reads, c.filter)
		}
	}
	used := make([]bool, len(p.exprs))
	for _, e := range reads {
		seen := walkExpr(e, func(x Expr) bool {
			if c, isCol := x.(*colExpr); isCol && c.idx < len(used) {
				used[c.idx] = true
			}
			return true
		})
		if !seen {
			return n // an expression it cannot see into (a sub-query)
		}
	}
	out := make([]Expr, len(p.exprs))
	changed := false
	for i, e := range p.exprs {
		if used[i] || !immutable(e) {
			out[i] = e
			continue
		}
		if _, isConst := e.(*constExpr); !isConst {
			changed = true
		}
		out[i] = &constExpr{t: e.Type()}
	}
	if !changed {
		return n
	}
	np := *p
	np.exprs = out
	na := *a
	na.child = &np
	if f != nil {
		nf := *f
		nf.child = &np
		na.child = &nf
	}
	return &na
}

// immutable reports whether e reads only its row: columns, constants and
// immutable functions, no sub-query or anything walkExpr cannot see into.
func immutable(e Expr) bool {
	ok := true
	seen := walkExpr(e, func(x Expr) bool {
		if f, isFn := x.(*fnExpr); isFn && !f.pure {
			ok = false
		}
		return ok
	})
	return seen && ok
}
