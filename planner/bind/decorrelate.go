package bind

import (
	"github.com/sluicedb/sluice/planner/exec"
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/planner/rules"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/types"
)

// correlationKeys splits a sub-query's WHERE into equalities inner_expr =
// outer_expr (bound: outerKeys over the outer row) and the other conjuncts.
func (b *binder) correlationKeys(sel *ast.Select) (innerKeys []ast.Expr, outerKeys []expr.Expr, rest []ast.Expr, ok bool) {
	// The sub-query's own FROM scope, without any view of outer levels.
	probe := &binder{tables: b.tables, params: b.params, foldErr: new(error), ctes: b.ctes, disabled: b.disabled, noFold: b.noFold}
	_, scope, err := probe.fromList(sel.From)
	if err != nil {
		return nil, nil, nil, false
	}
	probe.scope = scope
	bindsInner := func(e ast.Expr) bool {
		_, err := probe.expr(e)
		return err == nil
	}
	for _, c := range exec.Conjuncts(sel.Where) {
		be, isBin := c.(*ast.BinaryExpr)
		matched := false
		if isBin && be.Op == "=" {
			for _, sides := range [][2]ast.Expr{{be.L, be.R}, {be.R, be.L}} {
				if !exec.OuterOnly(sides[1], bindsInner) || !bindsInner(sides[0]) {
					continue
				}
				oe, err := b.expr(sides[1])
				if err != nil {
					return nil, nil, nil, false
				}
				innerKeys = append(innerKeys, sides[0])
				outerKeys = append(outerKeys, oe)
				matched = true
				break
			}
		}
		if !matched {
			rest = append(rest, c)
		}
	}
	return innerKeys, outerKeys, rest, len(innerKeys) > 0
}

// standalone binds q, which must not reference any enclosing query, and
// applies the rules; ok is false when it does reference one.
func (b *binder) standalone(q *ast.Select) (plan.Node, []plan.Column, bool) {
	child := b.child()
	child.outer = nil
	root, cols, err := child.query(q)
	if err != nil || child.correlated {
		return nil, nil, false
	}
	root, _ = rules.ApplyRules(root, b.disabled)
	return root, cols, true
}

// tryDecorrelateExists returns a hashed EXISTS when the sub-query allows it.
func (b *binder) tryDecorrelateExists(x *ast.SubLink) (expr.Expr, bool) {
	sel := x.Query
	if b.disabled["decorrelate"] || !exec.PlainSelect(sel) {
		return nil, false
	}
	for _, t := range sel.Targets {
		if expr.ContainsAggregate(t.Expr) || plan.ContainsWindow(t.Expr) {
			return nil, false
		}
	}
	innerKeys, outerKeys, rest, ok := b.correlationKeys(sel)
	if !ok {
		return nil, false
	}
	root, cols, ok := b.standalone(exec.Keyed(sel, innerKeys, rest))
	if !ok {
		return nil, false
	}
	e := &exec.ExistsHashExpr{Root: root}
	inner := make([]types.Type, len(cols))
	for i, c := range cols {
		inner[i] = c.Type
	}
	if e.Keys.InnerCast, e.Keys.OuterKeys, e.Keys.KeyTypes, ok = b.keyCasts(inner, outerKeys, false); !ok {
		return nil, false
	}
	return e, true
}

// keyCasts coerces inner key column i (at row position i) and outer key i
// to their common type for "=". With injective set, it refuses a cast that
// could map two distinct inner values to one key (grouping by the inner
// values would then split what "=" joins).
func (b *binder) keyCasts(inner []types.Type, outer []expr.Expr, injective bool) (ic, oc []expr.Expr, ts []types.Type, ok bool) {
	for i, it := range inner {
		in := &expr.ColExpr{Idx: i, T: it}
		t, err := plan.CommonType([]expr.Expr{in, outer[i]}, "=", -1)
		if err != nil {
			return nil, nil, nil, false
		}
		t.Typmod = -1
		if injective && t.OID != it.OID && !(it.IsInteger() && (t.OID == types.OIDInt8 || t.OID == types.OIDNumeric)) &&
			!(it.OID == types.OIDVarchar && t.OID == types.OIDText) {
			return nil, nil, nil, false
		}
		c, err := b.coerce(in, t, "", -1)
		if err != nil {
			return nil, nil, nil, false
		}
		o, err := b.coerce(outer[i], t, "", -1)
		if err != nil {
			return nil, nil, nil, false
		}
		ic, oc, ts = append(ic, c), append(oc, o), append(ts, t)
	}
	return ic, oc, ts, true
}

// tryDecorrelateScalarAgg returns a hashed scalar aggregate sub-query when
// it is SELECT <one expression with aggregates> FROM … WHERE … correlated
// only through inner = outer equalities.
func (b *binder) tryDecorrelateScalarAgg(x *ast.SubLink) (expr.Expr, bool) {
	sel := x.Query
	if b.disabled["decorrelate"] || !exec.PlainSelect(sel) || len(sel.Targets) != 1 || len(sel.OrderBy) > 0 ||
		!expr.ContainsAggregate(sel.Targets[0].Expr) || plan.ContainsWindow(sel.Targets[0].Expr) {
		return nil, false
	}
	innerKeys, outerKeys, rest, ok := b.correlationKeys(sel)
	if !ok {
		return nil, false
	}
	gs := exec.Keyed(sel, innerKeys, rest, sel.Targets[0])
	gs.GroupBy = innerKeys
	grouped, cols, ok := b.standalone(gs)
	if !ok {
		return nil, false
	}
	es := *sel
	es.Where = &ast.Const{Kind: ast.ConstBool, Val: "f", Pos: -1}
	empty, _, ok := b.standalone(&es)
	if !ok {
		return nil, false
	}
	inner := make([]types.Type, len(innerKeys))
	for i := range inner {
		inner[i] = cols[i].Type
	}
	e := &exec.ScalarAggHashExpr{Grouped: grouped, Empty: empty, T: cols[len(innerKeys)].Type}
	if e.Keys.InnerCast, e.Keys.OuterKeys, e.Keys.KeyTypes, ok = b.keyCasts(inner, outerKeys, true); !ok {
		return nil, false
	}
	return e, true
}

// tryDecorrelateIn returns a hashed correlated x = ANY (sub-query) when the
// sub-query is a plain SELECT of one expression correlated only through
// inner = outer equalities.
func (b *binder) tryDecorrelateIn(x *ast.SubLink, test expr.Expr, eq *expr.FnExpr) (expr.Expr, bool) {
	sel := x.Query
	if b.disabled["decorrelate"] || !exec.PlainSelect(sel) || len(sel.Targets) != 1 ||
		expr.ContainsAggregate(sel.Targets[0].Expr) || plan.ContainsWindow(sel.Targets[0].Expr) {
		return nil, false
	}
	innerKeys, outerKeys, rest, ok := b.correlationKeys(sel)
	if !ok {
		return nil, false
	}
	root, cols, ok := b.standalone(exec.Keyed(sel, innerKeys, rest, sel.Targets[0]))
	if !ok {
		return nil, false
	}
	inner := make([]types.Type, len(innerKeys))
	for i := range inner {
		inner[i] = cols[i].Type
	}
	e := &exec.InHashExpr{Root: root, Test: test, Eq: eq}
	if e.Keys.InnerCast, e.Keys.OuterKeys, e.Keys.KeyTypes, ok = b.keyCasts(inner, outerKeys, false); !ok {
		return nil, false
	}
	return e, true
}
