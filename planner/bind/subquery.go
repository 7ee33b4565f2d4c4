package bind

import (
	"fmt"

	"github.com/sluicedb/sluice/planner/exec"
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/planner/rules"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// subLink binds a sub-query expression.
func (b *binder) subLink(x *ast.SubLink) (expr.Expr, error) {
	child := b.child()
	root, cols, err := child.query(x.Query)
	if err != nil {
		return nil, err
	}
	root, _ = rules.ApplyRules(root, b.disabled)
	e := &exec.SubLinkExpr{Kind: x.Kind, Root: root, Width: len(cols), Correlated: child.correlated}
	switch x.Kind {
	case ast.ExistsSubLink:
		if child.correlated {
			if d, ok := b.tryDecorrelateExists(x); ok {
				return d, nil
			}
		}
		e.T = types.Bool
		return e, nil
	case ast.ExprSubLink:
		if len(cols) != 1 {
			return nil, expr.ErrAt(sqlerr.New(sqlerr.SyntaxError, "subquery must return only one column"), x.Pos)
		}
		if child.correlated {
			if d, ok := b.tryDecorrelateScalarAgg(x); ok && d.Type() == cols[0].Type {
				return d, nil
			}
		}
		e.T = cols[0].Type
		return e, nil
	case ast.AnySubLink, ast.AllSubLink:
		if row, isRow := x.Test.(*ast.RowExpr); isRow {
			return b.rowSubLink(e, x, row, cols)
		}
		if len(cols) != 1 {
			return nil, expr.ErrAt(sqlerr.New(sqlerr.SyntaxError, "subquery has too many columns"), x.Pos)
		}
		test, err := b.expr(x.Test)
		if err != nil {
			return nil, err
		}
		// The comparison is bound over a two-column row [lhs, sub-query value].
		saved := b.scope
		savedAgg := b.agg
		b.scope, b.agg = []plan.ScopeCol{{Name: "lhs", T: test.Type()}, {Name: "rhs", T: cols[0].Type}}, nil
		cmp, err := b.binary(x.Op, &expr.ColExpr{Idx: 0, T: test.Type()}, &expr.ColExpr{Idx: 1, T: cols[0].Type}, x.Pos)
		b.scope, b.agg = saved, savedAgg
		if err != nil {
			return nil, err
		}
		if cmp.Type().OID != types.OIDBool {
			return nil, expr.ErrAt(sqlerr.New(sqlerr.DatatypeMismatch, "op ANY/ALL (array) requires operator to yield boolean"), x.Pos)
		}
		if expr.IsUnknown(test) {
			if test, err = b.coerce(test, cols[0].Type, "", x.Pos); err != nil {
				return nil, err
			}
		}
		if eq, isEq := cmp.(*expr.FnExpr); isEq && eq.IsEq && x.Kind == ast.AnySubLink && child.correlated {
			if d, ok := b.tryDecorrelateIn(x, test, eq); ok {
				return d, nil
			}
		}
		e.Test, e.Cmp, e.T = test, cmp, types.Bool
		return e, nil
	}
	// ARRAY(SELECT …)
	if len(cols) != 1 {
		return nil, expr.ErrAt(sqlerr.New(sqlerr.SyntaxError, "subquery must return only one column"), x.Pos)
	}
	at, ok := types.ArrayOf(cols[0].Type)
	if !ok {
		return nil, expr.ErrAt(sqlerr.Unsupported("arrays of %s are not supported", cols[0].Type), x.Pos)
	}
	e.T = at
	return e, nil
}

// rowSubLink binds (a, b, …) op ANY/ALL (SELECT x, y, …): the comparison is
// the row-wise one (rows.go) over [a, b, …, x, y, …].
func (b *binder) rowSubLink(e *exec.SubLinkExpr, x *ast.SubLink, row *ast.RowExpr, cols []plan.Column) (expr.Expr, error) {
	if len(row.Args) != len(cols) {
		return nil, expr.ErrAt(sqlerr.New(sqlerr.SyntaxError, "subquery has too %s columns", map[bool]string{true: "many", false: "few"}[len(cols) > len(row.Args)]), x.Pos)
	}
	for _, a := range row.Args {
		t, err := b.expr(a)
		if err != nil {
			return nil, err
		}
		e.RowTests = append(e.RowTests, t)
	}
	n := len(cols)
	saved, savedAgg := b.scope, b.agg
	b.scope, b.agg = nil, nil
	var l, r ast.RowExpr
	for i := range n {
		b.scope = append(b.scope, plan.ScopeCol{Name: fmt.Sprintf("lhs%d", i), T: e.RowTests[i].Type()})
		l.Args = append(l.Args, &ast.ColumnRef{Names: []string{fmt.Sprintf("lhs%d", i)}, Pos: x.Pos})
	}
	for i, c := range cols {
		b.scope = append(b.scope, plan.ScopeCol{Name: fmt.Sprintf("rhs%d", i), T: c.Type})
		r.Args = append(r.Args, &ast.ColumnRef{Names: []string{fmt.Sprintf("rhs%d", i)}, Pos: x.Pos})
	}
	cmp, err := b.rowCompare(x.Op, &l, &r, x.Pos)
	b.scope, b.agg = saved, savedAgg
	if err != nil {
		return nil, err
	}
	e.Cmp, e.T = cmp, types.Bool
	return e, nil
}
