package planner

import (
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/types"
)

// Decorrelation of EXISTS: a sub-query correlated only through equalities
// inner_expr = outer_expr in its WHERE (outer_expr over the outer row only) is run once per execution without
// them, its inner_expr values hashed, and each outer row probes the hash
// set. That turns EXISTS / NOT EXISTS from O(outer × inner) into a semi/anti
// hash join. It applies when the sub-query is a plain SELECT … FROM … WHERE
// (no grouping, aggregates, windows, LIMIT, set operations or WITH), which
// keeps EXISTS's meaning: some inner row satisfies the remaining conditions
// and equals the outer row on every key (NULL keys never match).

type existsHashExpr struct {
	root      node
	outerKeys []Expr // over the outer row
	innerCast []Expr // over the sub-query row: its key columns in the common types
	keyTypes  []types.Type
}

func (e *existsHashExpr) Type() types.Type { return types.Bool }

func (e *existsHashExpr) Eval(ec *evalCtx, row []types.Datum) (types.Datum, error) {
	set, ok := ec.cache[e].(map[string]bool)
	if !ok {
		rows, err := collect(ec.sub(nil), e.root)
		if err != nil {
			return nil, err
		}
		set = make(map[string]bool, len(rows))
		vals := make([]types.Datum, len(e.innerCast))
		idx := seq(len(vals))
		var buf []byte
	rowsLoop:
		for _, r := range rows {
			for i, c := range e.innerCast {
				v, err := c.Eval(ec, r)
				if err != nil {
					return nil, err
				}
				if v == nil {
					continue rowsLoop
				}
				vals[i] = v
			}
			buf = appendKey(buf[:0], vals, idx, e.keyTypes)
			set[string(buf)] = true
		}
		ec.cache[e] = set
	}
	if len(set) == 0 {
		return false, nil // no inner row: the outer keys are never compared
	}
	vals := make([]types.Datum, len(e.outerKeys))
	for i, k := range e.outerKeys {
		v, err := k.Eval(ec, row)
		if err != nil {
			return nil, err
		}
		if v == nil {
			return false, nil
		}
		vals[i] = v
	}
	return set[string(appendKey(nil, vals, seq(len(vals)), e.keyTypes))], nil
}

func conjuncts(e ast.Expr) []ast.Expr {
	if be, ok := e.(*ast.BoolExpr); ok && be.Op == ast.And {
		var out []ast.Expr
		for _, a := range be.Args {
			out = append(out, conjuncts(a)...)
		}
		return out
	}
	if e == nil {
		return nil
	}
	return []ast.Expr{e}
}

// outerOnly reports whether e is built from outer column references (each
// one unknown to the sub-query's own scope, so no name inside can mean an
// inner column), literals, parameters, operators and casts — an expression
// of the outer row alone, like a.v + 1. Function calls are left out: a
// volatile one must run per inner row.
func outerOnly(e ast.Expr, bindsInner func(ast.Expr) bool) bool {
	cols := 0
	var ok func(ast.Expr) bool
	ok = func(e ast.Expr) bool {
		switch x := e.(type) {
		case *ast.ColumnRef:
			cols++
			return !bindsInner(x)
		case *ast.Const, *ast.Param:
			return true
		case *ast.BinaryExpr:
			return ok(x.L) && ok(x.R)
		case *ast.UnaryExpr:
			return ok(x.X)
		case *ast.Cast:
			return ok(x.X)
		}
		return false
	}
	return ok(e) && cols > 0
}

// tryDecorrelateExists returns a hashed EXISTS when the sub-query allows it.
func (b *binder) tryDecorrelateExists(x *ast.SubLink) (Expr, bool) {
	if b.disabled["decorrelate"] {
		return nil, false
	}
	sel := x.Query
	if sel.SetOp != ast.SetNone || sel.Values != nil || len(sel.With) > 0 || len(sel.From) == 0 ||
		len(sel.GroupBy) > 0 || sel.Having != nil || sel.Limit != nil || sel.Offset != nil || len(sel.DistinctOn) > 0 {
		return nil, false
	}
	for _, t := range sel.Targets {
		if containsAggregate(t.Expr) || containsWindow(t.Expr) {
			return nil, false
		}
	}
	// The sub-query's own FROM scope, without any view of outer levels.
	probe := &binder{tables: b.tables, params: b.params, foldErr: new(error), ctes: b.ctes, disabled: b.disabled, noFold: b.noFold}
	if _, scope, err := probe.fromList(sel.From); err != nil {
		return nil, false
	} else {
		probe.scope = scope
	}
	bindsInner := func(e ast.Expr) bool {
		_, err := probe.expr(e)
		return err == nil
	}
	var innerKeys []ast.Expr
	var outerKeys []Expr
	var rest []ast.Expr
	for _, c := range conjuncts(sel.Where) {
		be, ok := c.(*ast.BinaryExpr)
		matched := false
		if ok && be.Op == "=" {
			for _, sides := range [][2]ast.Expr{{be.L, be.R}, {be.R, be.L}} {
				if !outerOnly(sides[1], bindsInner) || !bindsInner(sides[0]) {
					continue
				}
				oe, err := b.expr(sides[1])
				if err != nil {
					return nil, false
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
	if len(innerKeys) == 0 {
		return nil, false
	}
	ns := *sel
	ns.Targets = nil
	for _, k := range innerKeys {
		ns.Targets = append(ns.Targets, &ast.Target{Expr: k, Pos: -1})
	}
	ns.Where = nil
	if len(rest) == 1 {
		ns.Where = rest[0]
	} else if len(rest) > 1 {
		ns.Where = &ast.BoolExpr{Op: ast.And, Args: rest, Pos: -1}
	}
	child := b.child()
	child.outer = nil // must stand alone
	root, cols, err := child.query(&ns)
	if err != nil || child.correlated {
		return nil, false
	}
	root, _ = applyRules(root, b.disabled)
	e := &existsHashExpr{root: root}
	for i, c := range cols {
		in := &colExpr{idx: i, t: c.Type}
		t, err := commonType([]Expr{in, outerKeys[i]}, "=", -1)
		if err != nil {
			return nil, false
		}
		t.Typmod = -1
		ic, err := b.coerce(in, t, "", -1)
		if err != nil {
			return nil, false
		}
		oc, err := b.coerce(outerKeys[i], t, "", -1)
		if err != nil {
			return nil, false
		}
		e.innerCast = append(e.innerCast, ic)
		e.outerKeys = append(e.outerKeys, oc)
		e.keyTypes = append(e.keyTypes, t)
	}
	return e, true
}
