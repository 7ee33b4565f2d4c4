package bind

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

func (b *binder) srfCall(f *ast.FuncCall) (expr.Expr, error) {
	if b.srf == nil {
		return nil, expr.ErrAt(sqlerr.New(sqlerr.FeatureNotSupported, "set-returning functions are not allowed here"), f.Pos)
	}
	set := b.srf
	b.srf = nil
	defer func() { b.srf = set }()
	child := b.child()
	n, cols, err := child.tableFunc(&ast.FuncTable{Func: f})
	if err != nil {
		return nil, err
	}
	set.Calls = append(set.Calls, n)
	t := cols[0].T
	var rec []types.Field
	if len(cols) > 1 {
		for _, c := range cols {
			rec = append(rec, types.Field{Name: c.Name, Type: c.T})
		}
		t = types.RecordType(rec)
	}
	set.Recs = append(set.Recs, rec)
	return &plan.SrfRefExpr{Set: set, K: len(set.Calls) - 1, T: t}, nil
}

// fieldSelect binds (x).field over a record value.
func (b *binder) fieldSelect(x *ast.FieldSelect) (expr.Expr, error) {
	in, err := b.expr(x.X)
	if err != nil {
		return nil, err
	}
	fields, ok := types.RecordFields(in.Type())
	if !ok && in.Type().OID != types.OIDRecord {
		return nil, expr.ErrAt(sqlerr.New(sqlerr.WrongObjectType, "column notation .%s applied to type %s, which is not a composite type", x.Field, in.Type()), x.Pos)
	}
	for i, f := range fields {
		if f.Name == x.Field {
			return &expr.FnExpr{T: f.Type, Args: []expr.Expr{in}, Strict: true, Fn: func(_ *expr.EvalCtx, a []types.Datum) (types.Datum, error) {
				return a[0].(*types.Record).Vals[i], nil
			}}, nil
		}
	}
	return nil, expr.ErrAt(sqlerr.New(sqlerr.UndefinedColumn, "could not identify column \"%s\" in record data type", x.Field), x.Pos)
}
