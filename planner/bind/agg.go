package bind

import (
	"fmt"

	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// beginGrouping binds GROUP BY and switches the binder to post-aggregate
// mode; it returns the aggregate node (whose aggregates fill in as the
// outputs are bound).
func (b *binder) beginGrouping(src plan.Node, sel *ast.Select) (plan.Node, error) {
	ac := &plan.AggCtx{Input: b.scope, GroupCol: map[int]int{}}
	for _, g := range sel.GroupBy {
		g, err := b.resolveGroupItem(g, sel)
		if err != nil {
			return nil, err
		}
		if expr.ContainsAggregate(g) {
			return nil, sqlerr.New(sqlerr.GroupingError, "aggregate functions are not allowed in GROUP BY")
		}
		e, err := b.expr(g)
		if err != nil {
			return nil, err
		}
		if expr.IsUnknown(e) {
			if e, err = b.coerce(e, types.Text, "", -1); err != nil {
				return nil, err
			}
		}
		if c, ok := e.(*expr.ColExpr); ok {
			if _, dup := ac.GroupCol[c.Idx]; !dup {
				ac.GroupCol[c.Idx] = len(ac.Groups)
			}
		}
		ac.Groups = append(ac.Groups, e)
		ac.GroupKey = append(ac.GroupKey, ast.Key(g))
	}
	if sel.GroupingSets == nil {
		ac.Sets = [][]int{plan.Seq(len(ac.Groups))}
	} else {
		for _, set := range sel.GroupingSets {
			var idx []int
			for _, e := range set {
				r, err := b.resolveGroupItem(e, sel)
				if err != nil {
					return nil, err
				}
				k := ast.Key(r)
				for i, gk := range ac.GroupKey {
					if gk == k {
						idx = append(idx, i)
						break
					}
				}
			}
			ac.Sets = append(ac.Sets, idx)
		}
	}
	ac.Node = &plan.AggNode{Child: src, Ctx: ac}
	b.agg = ac
	return ac.Node, nil
}

// resolveGroupItem maps GROUP BY 2 and GROUP BY output_alias to the select
// item they name, as PostgreSQL does.
func (b *binder) resolveGroupItem(g ast.Expr, sel *ast.Select) (ast.Expr, error) {
	if c, ok := g.(*ast.Const); ok && c.Kind == ast.ConstInt {
		n := 0
		fmt.Sscan(c.Val, &n)
		if n < 1 || n > len(sel.Targets) {
			return nil, expr.ErrAt(sqlerr.New(sqlerr.InvalidColumnReference, "GROUP BY position %d is not in select list", n), c.Pos)
		}
		return sel.Targets[n-1].Expr, nil
	}
	if cr, ok := g.(*ast.ColumnRef); ok && len(cr.Names) == 1 && !cr.Star {
		if idx, _ := b.lookup("", cr.Names[0], cr.Pos); idx < 0 {
			for _, t := range sel.Targets {
				if t.Name == cr.Names[0] {
					return t.Expr, nil
				}
			}
		}
	}
	return g, nil
}

// aggregate binds an aggregate call above a GROUP BY.
func (b *binder) aggregate(f *ast.FuncCall) (expr.Expr, error) {
	ac := b.agg
	name := f.Name[len(f.Name)-1]
	// Arguments are bound over the input row, outside post-aggregate mode.
	b.agg = nil
	defer func() { b.agg = ac }()
	for _, a := range f.Args {
		if expr.ContainsAggregate(a) {
			return nil, expr.ErrAt(sqlerr.New(sqlerr.GroupingError, "aggregate function calls cannot be nested"), f.Pos)
		}
	}
	call := &expr.AggCall{Distinct: f.Distinct}
	if f.WithinGroup || name == "percentile_cont" || name == "percentile_disc" || name == "mode" {
		b.agg = ac
		return b.orderedSetAggregate(name, f)
	}
	for _, a := range f.Args {
		e, err := b.expr(a)
		if err != nil {
			return nil, err
		}
		call.Args = append(call.Args, e)
	}
	if f.Star {
		if name != "count" {
			return nil, expr.ErrAt(sqlerr.New(sqlerr.WrongObjectType, "%s(*) specified, but %s is not an aggregate function", name, name), f.Pos)
		}
		call.Args = nil
	}
	def, err := expr.ResolveAggregate(b.coerce, name, call, f)
	if err != nil {
		return nil, err
	}
	call.Def = def
	if f.Filter != nil {
		flt, err := b.expr(f.Filter)
		if err != nil {
			return nil, err
		}
		if call.Filter, err = b.coerce(flt, types.Bool, "argument of FILTER", f.Pos); err != nil {
			return nil, err
		}
	}
	for i, o := range f.OrderBy {
		e, err := b.expr(o.Expr)
		if err != nil {
			return nil, err
		}
		if expr.IsUnknown(e) {
			if e, err = b.coerce(e, types.Text, "", -1); err != nil {
				return nil, err
			}
		}
		call.Order = append(call.Order, e)
		call.OrderKey = append(call.OrderKey, plan.SortKeyOf(i, o))
	}
	if call.Distinct && len(call.Order) > 0 {
		// PostgreSQL requires ORDER BY items of a DISTINCT aggregate to be its arguments.
		for _, o := range f.OrderBy {
			found := false
			for _, a := range f.Args {
				if ast.Key(a) == ast.Key(o.Expr) {
					found = true
				}
			}
			if !found {
				return nil, expr.ErrAt(sqlerr.New(sqlerr.InvalidColumnReference, "in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list"), f.Pos)
			}
		}
	}
	ac.Aggs = append(ac.Aggs, call)
	return &expr.ColExpr{Idx: len(ac.Groups) + 1 + len(ac.Aggs) - 1, T: call.T}, nil
}

// grouping binds grouping(…) above a GROUP BY.
func (b *binder) grouping(f *ast.FuncCall) (expr.Expr, error) {
	if b.agg == nil {
		return nil, expr.ErrAt(sqlerr.New(sqlerr.GroupingError, "arguments to GROUPING must be grouping expressions of the associated query level"), f.Pos)
	}
	e := &plan.GroupingExpr{Ac: b.agg}
	for _, a := range f.Args {
		k := ast.Key(a)
		found := -1
		for i, gk := range b.agg.GroupKey {
			if gk == k {
				found = i
			}
		}
		if found < 0 {
			return nil, expr.ErrAt(sqlerr.New(sqlerr.GroupingError, "arguments to GROUPING must be grouping expressions of the associated query level"), f.Pos)
		}
		e.Args = append(e.Args, found)
	}
	return e, nil
}

// orderedSetAggregate binds percentile_cont, percentile_disc and mode with
// their WITHIN GROUP (ORDER BY …) input.
func (b *binder) orderedSetAggregate(name string, f *ast.FuncCall) (expr.Expr, error) {
	ac := b.agg
	if !f.WithinGroup {
		return nil, expr.ErrAt(sqlerr.New(sqlerr.WrongObjectType, "WITHIN GROUP is required for ordered-set aggregate %s", name), f.Pos)
	}
	if len(f.OrderBy) != 1 {
		return nil, expr.ErrAt(sqlerr.Unsupported("ordered-set aggregates over several ORDER BY items are not supported yet"), f.Pos)
	}
	wantArgs := 1
	if name == "mode" {
		wantArgs = 0
	}
	if len(f.Args) != wantArgs {
		return nil, expr.ErrAt(sqlerr.New(sqlerr.UndefinedFunction, "function %s has the wrong number of arguments", name), f.Pos)
	}
	b.agg = nil
	defer func() { b.agg = ac }()
	x, err := b.expr(f.OrderBy[0].Expr)
	if err != nil {
		return nil, err
	}
	call := &expr.AggCall{Order: []expr.Expr{x}, OrderKey: []expr.SortKey{plan.SortKeyOf(0, f.OrderBy[0])}}
	call.Args = []expr.Expr{x}
	switch name {
	case "percentile_cont":
		if x.Type().OID == types.OIDInterval {
			return nil, expr.ErrAt(sqlerr.Unsupported("percentile_cont over interval is not supported yet"), f.Pos)
		}
		if call.Args[0], err = b.coerce(x, types.Float8, "argument", f.Pos); err != nil {
			return nil, err
		}
		call.Order[0] = call.Args[0]
		call.T = types.Float8
	default:
		if expr.IsUnknown(x) {
			if x, err = b.coerce(x, types.Text, "", f.Pos); err != nil {
				return nil, err
			}
			call.Args[0], call.Order[0] = x, x
		}
		call.T = x.Type()
	}
	if name != "mode" {
		frac, err := b.expr(f.Args[0])
		if err != nil {
			return nil, err
		}
		if frac, err = b.coerce(frac, types.Float8, "argument", f.Pos); err != nil {
			return nil, err
		}
		call.Args = append(call.Args, frac)
	}
	cont := name == "percentile_cont"
	isMode := name == "mode"
	call.Def = &expr.AggDef{Name: name, Make: func() expr.AggState { return &expr.OrderedSetState{Cont: cont, Mode: isMode} }}
	ac.Aggs = append(ac.Aggs, call)
	return &expr.ColExpr{Idx: len(ac.Groups) + 1 + len(ac.Aggs) - 1, T: call.T}, nil
}
