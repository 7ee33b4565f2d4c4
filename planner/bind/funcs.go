package bind

import (
	"strings"

	"github.com/sluicedb/sluice/planner/exec"
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// funcCall resolves a scalar function call by name and argument types.
func (b *binder) funcCall(f *ast.FuncCall) (expr.Expr, error) {
	name := f.Name[len(f.Name)-1]
	if len(f.Name) > 1 && f.Name[0] != "pg_catalog" && !(f.Name[0] == "information_schema" && name == "_pg_expandarray") {
		return nil, expr.ErrAt(sqlerr.New(sqlerr.UndefinedFunction, "function %s does not exist", strings.Join(f.Name, ".")), f.Pos)
	}
	if f.Over != nil {
		return b.window(f)
	}
	if name == "grouping" {
		return b.grouping(f)
	}
	if name == "pg_typeof" && len(f.Args) == 1 {
		e, err := b.expr(f.Args[0])
		if err != nil {
			return nil, err
		}
		return &expr.ConstExpr{T: types.Regtype, V: int64(e.Type().OID)}, nil
	}
	if plan.RankingFuncs[name] {
		return nil, expr.ErrAt(sqlerr.New(sqlerr.WrongObjectType, "window function %s requires an OVER clause", name), f.Pos)
	}
	if expr.IsAggregateName(name) {
		if b.agg != nil {
			return b.aggregate(f)
		}
		return nil, expr.ErrAt(sqlerr.New(sqlerr.GroupingError, "aggregate functions are not allowed here"), f.Pos)
	}
	if f.Star || f.Distinct || f.Filter != nil || f.OrderBy != nil {
		return nil, expr.ErrAt(sqlerr.New(sqlerr.WrongObjectType, "%s is not an aggregate function", name), f.Pos)
	}
	if exec.SelectListSRFs[name] {
		if b.srf == nil {
			return nil, expr.ErrAt(sqlerr.Unsupported("set-returning function %s is only supported in FROM and the select list", name), f.Pos)
		}
		return b.srfCall(f)
	}
	args := make([]expr.Expr, len(f.Args))
	for i, a := range f.Args {
		e, err := b.expr(a)
		if err != nil {
			return nil, err
		}
		args[i] = e
	}
	if e, ok, err := b.arrayFunc(name, args, f.Pos); ok || err != nil {
		return e, err
	}
	if e, ok, err := b.jsonFunc(name, args, f.Pos); ok || err != nil {
		return e, err
	}
	switch name {
	case "format", "concat", "concat_ws":
		// VARIADIC "any": every argument is rendered with its output function.
		if len(args) == 0 {
			break
		}
		textArgs := make([]expr.Expr, len(args))
		for i, a := range args {
			var err error
			switch {
			case expr.IsUnknown(a):
				textArgs[i], err = b.coerce(a, types.Text, "argument", f.Pos)
			case a.Type().IsString():
				textArgs[i], err = b.cast(a, types.Text, expr.CastImplicit, f.Pos)
			default:
				t := a.Type()
				textArgs[i] = &expr.FnExpr{T: types.Text, Args: []expr.Expr{a}, Strict: true, Fn: func(ec *expr.EvalCtx, v []types.Datum) (types.Datum, error) {
					return types.TextOf(t, v[0], ec.Env.Format), nil
				}}
			}
			if err != nil {
				return nil, err
			}
		}
		args = textArgs
	}
	defs, ok := expr.Funcs[name]
	if ok {
		if d := expr.PickOverload(defs, args); d != nil && (!d.Keyword || f.Label != "") {
			for i := range args {
				want := d.Args[min(i, len(d.Args)-1)]
				var err error
				if args[i], err = b.coerce(args[i], want, "argument", f.Pos); err != nil {
					return nil, err
				}
			}
			fe := &expr.FnExpr{T: d.Ret, Args: args, Strict: d.Strict, Pure: d.Pure, Fn: d.Fn}
			if d.Vec != nil {
				fe.Vec = d.Vec(args)
				_, fe.VecBakesFirst = args[0].(*expr.ConstExpr)
			}
			return b.fold(fe), nil
		}
	}
	sig := make([]string, len(args))
	for i, a := range args {
		sig[i] = a.Type().String()
	}
	return nil, expr.ErrAt(sqlerr.New(sqlerr.UndefinedFunction, "function %s(%s) does not exist", name, strings.Join(sig, ", ")).
		WithHint("No function matches the given name and argument types. You might need to add explicit type casts."), f.Pos)
}
