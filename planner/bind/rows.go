package bind

import (
	"strconv"

	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// Row constructors, ROW(a, b) or (a, b). Compared with each other they
// expand into their pairs with PostgreSQL's row-wise semantics, written as
// ordinary boolean expressions (so every rule and kernel sees them):
//
//	(a1, a2) = (b1, b2)   a1 = b1 AND a2 = b2 (a false pair decides; else a NULL makes it NULL)
//	(a1, a2) <> (b1, b2)  a1 <> b1 OR a2 <> b2
//	(a1, a2) < (b1, b2)   a1 < b1 OR (a1 = b1 AND a2 < b2): the first unequal pair
//	                      decides, a NULL reached first makes it NULL (<= and >= use
//	                      their own operator on the last pair)
//	IS [NOT] DISTINCT FROM: any pair distinct / every pair not distinct
//
// ROW(…) IS NULL is true when every field is NULL, IS NOT NULL when none is;
// (a, b) IN ((1, 2), …) is an OR of row equalities. Elsewhere a row
// constructor is a record value (fields f1, f2, …).

// rowCompare binds l op r for two row constructors.
func (b *binder) rowCompare(op string, l, r *ast.RowExpr, pos int) (expr.Expr, error) {
	if len(l.Args) != len(r.Args) {
		return nil, expr.ErrAt(sqlerr.New(sqlerr.SyntaxError, "unequal number of entries in row expressions"), pos)
	}
	if len(l.Args) == 0 {
		return nil, expr.ErrAt(sqlerr.Unsupported("cannot compare rows of zero length"), pos)
	}
	pair := func(op string, i int) ast.Expr { return &ast.BinaryExpr{Op: op, L: l.Args[i], R: r.Args[i], Pos: pos} }
	each := func(op string, combine ast.BoolOp) ast.Expr {
		args := make([]ast.Expr, len(l.Args))
		for i := range args {
			args[i] = pair(op, i)
		}
		if len(args) == 1 {
			return args[0]
		}
		return &ast.BoolExpr{Op: combine, Args: args, Pos: pos}
	}
	var e ast.Expr
	switch op {
	case "=", "IS NOT DISTINCT FROM":
		e = each(op, ast.And)
	case "<>", "!=", "IS DISTINCT FROM":
		e = each(op, ast.Or)
	case "<", "<=", ">", ">=":
		strict := op[:1]
		n := len(l.Args)
		e = pair(op, n-1)
		for i := n - 2; i >= 0; i-- {
			e = &ast.BoolExpr{Op: ast.Or, Pos: pos, Args: []ast.Expr{pair(strict, i),
				&ast.BoolExpr{Op: ast.And, Pos: pos, Args: []ast.Expr{pair("=", i), e}}}}
		}
	default:
		return nil, expr.ErrAt(sqlerr.Unsupported("operator %s on row constructors is not supported yet", op), pos)
	}
	return b.expr(e)
}

// rowNullTest binds ROW(…) IS [NOT] NULL: every field NULL (not NULL).
func (b *binder) rowNullTest(r *ast.RowExpr, not bool, pos int) (expr.Expr, error) {
	args := make([]ast.Expr, len(r.Args))
	for i, a := range r.Args {
		args[i] = &ast.NullTest{X: a, Not: not, Pos: pos}
	}
	if len(args) == 1 {
		return b.expr(args[0])
	}
	return b.expr(&ast.BoolExpr{Op: ast.And, Args: args, Pos: pos})
}

// rowInList binds (a, b) [NOT] IN ((…), (…)).
func (b *binder) rowInList(x *ast.InList) (expr.Expr, error) {
	ors := make([]ast.Expr, len(x.List))
	for i, item := range x.List {
		r, ok := item.(*ast.RowExpr)
		if !ok {
			return nil, expr.ErrAt(sqlerr.Unsupported("IN with a row on the left needs rows in its list"), x.Pos)
		}
		ors[i] = &ast.BinaryExpr{Op: "=", L: x.X, R: r, Pos: x.Pos}
	}
	var e ast.Expr = &ast.BoolExpr{Op: ast.Or, Args: ors, Pos: x.Pos}
	if len(ors) == 1 {
		e = ors[0]
	}
	if x.Not {
		e = &ast.BoolExpr{Op: ast.Not, Args: []ast.Expr{e}, Pos: x.Pos}
	}
	return b.expr(e)
}

func (b *binder) rowValue(r *ast.RowExpr) (expr.Expr, error) {
	e := &expr.RowValueExpr{}
	for i, a := range r.Args {
		x, err := b.expr(a)
		if err != nil {
			return nil, err
		}
		if expr.IsUnknown(x) {
			if x, err = b.coerce(x, types.Text, "", r.Pos); err != nil {
				return nil, err
			}
		}
		e.Args = append(e.Args, x)
		e.Fields = append(e.Fields, types.Field{Name: "f" + strconv.Itoa(i+1), Type: x.Type()})
	}
	e.T = types.RecordType(e.Fields)
	return e, nil
}
