package bind

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// join binds a JOIN: the row is left ++ right; USING/NATURAL columns are
// merged into leading columns (COALESCE for FULL joins) and the inputs'
// copies become reachable only by qualified name.
func (b *binder) join(j *ast.JoinTable) (plan.Node, []plan.ScopeCol, error) {
	ln, lsc, err := b.fromItem(j.Left)
	if err != nil {
		return nil, nil, err
	}
	var rn plan.Node
	var rsc []plan.ScopeCol
	lateral := false
	if plan.LateralCapable(j.Right) {
		if rn, rsc, lateral, err = b.lateralItem(j.Right, lsc); err != nil {
			return nil, nil, err
		}
		if lateral && (j.Kind == ast.RightJoin || j.Kind == ast.FullJoin) {
			return nil, nil, sqlerr.New(sqlerr.InvalidColumnReference, "invalid reference to FROM-clause entry for table").
				WithDetail("The combining JOIN type must be INNER or LEFT for a LATERAL reference.")
		}
	} else if rn, rsc, err = b.fromItem(j.Right); err != nil {
		return nil, nil, err
	}
	scope := append(append([]plan.ScopeCol{}, lsc...), rsc...)
	jn := &plan.JoinNode{Left: ln, Right: rn, Kind: j.Kind, LeftWidth: len(lsc), RightWidth: len(rsc), Lateral: lateral, ColTypes: plan.ScopeTypes(lsc, rsc)}
	using := j.Using
	if j.Natural {
		for _, l := range lsc {
			for _, r := range rsc {
				if l.Name == r.Name && !l.QualOnly && !r.QualOnly {
					using = append(using, l.Name)
				}
			}
		}
		if len(using) == 0 && j.Kind == ast.InnerJoin {
			jn.Kind = ast.CrossJoin
		}
	}
	saved := b.scope
	b.scope = scope
	defer func() { b.scope = saved }()
	var conds []expr.Expr
	type pair struct{ l, r int }
	var pairs []pair
	for _, name := range using {
		li, ri := -1, -1
		for i, c := range lsc {
			if c.Name == name && !c.QualOnly {
				if li >= 0 {
					return nil, nil, sqlerr.New(sqlerr.AmbiguousColumn, "common column name \"%s\" appears more than once in left table", name)
				}
				li = i
			}
		}
		for i, c := range rsc {
			if c.Name == name && !c.QualOnly {
				if ri >= 0 {
					return nil, nil, sqlerr.New(sqlerr.AmbiguousColumn, "common column name \"%s\" appears more than once in right table", name)
				}
				ri = i
			}
		}
		if li < 0 {
			return nil, nil, sqlerr.New(sqlerr.UndefinedColumn, "column \"%s\" specified in USING clause does not exist in left table", name)
		}
		if ri < 0 {
			return nil, nil, sqlerr.New(sqlerr.UndefinedColumn, "column \"%s\" specified in USING clause does not exist in right table", name)
		}
		eq, err := b.binary("=", &expr.ColExpr{Idx: li, T: lsc[li].T}, &expr.ColExpr{Idx: len(lsc) + ri, T: rsc[ri].T}, -1)
		if err != nil {
			return nil, nil, err
		}
		conds = append(conds, eq)
		pairs = append(pairs, pair{li, ri})
		lsc[li].MarkUsed()
		rsc[ri].MarkUsed()
	}
	if j.On != nil {
		if expr.ContainsAggregate(j.On) {
			return nil, nil, sqlerr.New(sqlerr.GroupingError, "aggregate functions are not allowed in JOIN conditions")
		}
		on, err := b.expr(j.On)
		if err != nil {
			return nil, nil, err
		}
		if on, err = b.coerce(on, types.Bool, "argument of JOIN/ON", -1); err != nil {
			return nil, nil, err
		}
		conds = append(conds, on)
	}
	if len(conds) == 1 {
		jn.Cond = conds[0]
	} else if len(conds) > 1 {
		jn.Cond = &expr.BoolExpr{And: true, Args: conds}
	}
	var n plan.Node = jn
	out := scope
	if len(pairs) > 0 {
		// Merged USING columns first, then every input column.
		var exprs []expr.Expr
		var merged []plan.ScopeCol
		for _, p := range pairs {
			l := &expr.ColExpr{Idx: p.l, T: lsc[p.l].T}
			r := &expr.ColExpr{Idx: len(lsc) + p.r, T: rsc[p.r].T}
			t, err := plan.CommonType([]expr.Expr{l, r}, "JOIN/USING", -1)
			if err != nil {
				return nil, nil, err
			}
			lc, err := b.coerce(l, t, "JOIN/USING", -1)
			if err != nil {
				return nil, nil, err
			}
			rc, err := b.coerce(r, t, "JOIN/USING", -1)
			if err != nil {
				return nil, nil, err
			}
			var m expr.Expr
			switch j.Kind {
			case ast.RightJoin:
				m = rc
			case ast.FullJoin:
				m = &expr.CoalesceExpr{T: t, Args: []expr.Expr{lc, rc}}
			default:
				m = lc
			}
			exprs = append(exprs, m)
			merged = append(merged, plan.ScopeCol{Table: j.Alias, Name: lsc[p.l].Name, T: t})
		}
		out = merged
		for i, c := range scope {
			exprs = append(exprs, &expr.ColExpr{Idx: i, T: c.T})
			for _, p := range pairs {
				if i == p.l || i == len(lsc)+p.r {
					c.QualOnly, c.NoStar = true, true
				}
			}
			out = append(out, c)
		}
		n = &plan.ProjectNode{Child: jn, Exprs: exprs}
	}
	if j.Alias != "" {
		// An aliased join hides the inner table names.
		renamed := make([]plan.ScopeCol, 0, len(out))
		k := 0
		for _, c := range out {
			if c.QualOnly {
				continue
			}
			c.Table = j.Alias
			if k < len(j.ColAliases) {
				c.Name = j.ColAliases[k]
			}
			k++
			renamed = append(renamed, c)
		}
		if len(renamed) != len(out) {
			exprs := make([]expr.Expr, 0, len(renamed))
			for i, c := range out {
				if !c.QualOnly {
					exprs = append(exprs, &expr.ColExpr{Idx: i, T: c.T})
				}
			}
			n = &plan.ProjectNode{Child: n, Exprs: exprs}
		}
		out = renamed
	}
	return n, out, nil
}

// lateralItem binds a LATERAL item with the columns on its left visible as
// an enclosing level; lateral reports whether it must run per left row.
func (b *binder) lateralItem(t ast.TableRef, left []plan.ScopeCol) (plan.Node, []plan.ScopeCol, bool, error) {
	leftLvl := &binder{tables: b.tables, params: b.params, foldErr: b.foldErr, outer: b.outer, ctes: b.ctes, scope: left}
	inner := b.child()
	inner.outer = leftLvl
	var n plan.Node
	var sc []plan.ScopeCol
	var err error
	switch x := t.(type) {
	case *ast.SubqueryTable:
		var cols []plan.Column
		if n, cols, err = inner.query(x.Query); err != nil {
			return nil, nil, false, err
		}
		if sc, err = plan.DerivedScope(x, cols); err != nil {
			return nil, nil, false, err
		}
	case *ast.FuncTable:
		if n, sc, err = inner.tableFunc(x); err != nil {
			return nil, nil, false, err
		}
	}
	if leftLvl.correlated {
		// References beyond the left items reach this query's enclosing levels.
		b.correlated = true
	}
	return n, sc, inner.correlated, nil
}
