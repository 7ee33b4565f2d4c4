package bind

import (
	"strings"

	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// tableFunc binds a set-returning function in FROM.
func (b *binder) tableFunc(ft *ast.FuncTable) (plan.Node, []plan.ScopeCol, error) {
	n, sc, err := b.tableFuncNoOrd(ft)
	if err != nil || !ft.Ordinality {
		return n, sc, err
	}
	name := "ordinality"
	if len(ft.ColAliases) > len(sc) {
		name = ft.ColAliases[len(sc)]
	}
	table := sc[0].Table
	return &plan.OrdinalityNode{Child: n}, append(sc, plan.ScopeCol{Table: table, Name: name, T: types.Int8}), nil
}

func (b *binder) tableFuncNoOrd(ft *ast.FuncTable) (plan.Node, []plan.ScopeCol, error) {
	name := ft.Func.Name[len(ft.Func.Name)-1]
	if name == "unnest" {
		return b.unnest(ft)
	}
	if name == "generate_subscripts" {
		return b.generateSubscripts(ft)
	}
	if name == "_pg_expandarray" {
		return b.expandArray(ft)
	}
	if name == "pg_partition_ancestors" {
		// No relation sluice has is a PostgreSQL partition or partitioned
		// table (lake partitioning is inside one table), so no rows.
		if len(ft.Func.Args) != 1 {
			return nil, nil, expr.ErrAt(sqlerr.New(sqlerr.UndefinedFunction, "function pg_partition_ancestors has the wrong number of arguments"), ft.Func.Pos)
		}
		arg, err := b.expr(ft.Func.Args[0])
		if err != nil {
			return nil, nil, err
		}
		if _, err := b.coerce(arg, types.Regclass, "argument", ft.Func.Pos); err != nil {
			return nil, nil, err
		}
		alias := "pg_partition_ancestors"
		if ft.Alias != "" {
			alias = ft.Alias
		}
		return &plan.ValuesNode{}, []plan.ScopeCol{{Table: alias, Name: "relid", T: types.Regclass}}, nil
	}
	if name != "generate_series" {
		return b.scalarFuncTable(ft, name)
	}
	if len(ft.Func.Args) < 2 || len(ft.Func.Args) > 3 {
		return nil, nil, expr.ErrAt(sqlerr.New(sqlerr.UndefinedFunction, "function generate_series with %d arguments does not exist", len(ft.Func.Args)), ft.Func.Pos)
	}
	args := make([]expr.Expr, len(ft.Func.Args))
	for i, a := range ft.Func.Args {
		e, err := b.expr(a)
		if err != nil {
			return nil, nil, err
		}
		args[i] = e
	}
	// Integer series (int4 or int8), numeric, or timestamp[tz] with an interval step.
	t, err := plan.CommonType(args[:2], "generate_series", ft.Func.Pos)
	if err != nil {
		return nil, nil, err
	}
	if t.OID == types.OIDText {
		t = types.Int4
	}
	if t.OID == types.OIDInt2 {
		t = types.Int4
	}
	switch t.OID {
	case types.OIDInt4, types.OIDInt8, types.OIDTimestamp, types.OIDTimestamptz:
	default:
		return nil, nil, expr.ErrAt(sqlerr.Unsupported("generate_series over %s is not supported yet", t), ft.Func.Pos)
	}
	for i := 0; i < 2; i++ {
		if args[i], err = b.coerce(args[i], t, "argument", ft.Func.Pos); err != nil {
			return nil, nil, err
		}
	}
	stepT := t
	if t.OID == types.OIDTimestamp || t.OID == types.OIDTimestamptz {
		stepT = types.IntervalT
		if len(args) < 3 {
			return nil, nil, expr.ErrAt(sqlerr.New(sqlerr.UndefinedFunction, "function generate_series(%s, %s) does not exist", t, t), ft.Func.Pos)
		}
	}
	if len(args) == 3 {
		if args[2], err = b.coerce(args[2], stepT, "argument", ft.Func.Pos); err != nil {
			return nil, nil, err
		}
	}
	col := "generate_series"
	alias := "generate_series"
	if ft.Alias != "" {
		alias, col = ft.Alias, ft.Alias
	}
	if len(ft.ColAliases) > 0 {
		col = ft.ColAliases[0]
	}
	return &plan.SeriesNode{T: t, Args: args}, []plan.ScopeCol{{Table: alias, Name: col, T: t}}, nil
}

func (b *binder) unnest(ft *ast.FuncTable) (plan.Node, []plan.ScopeCol, error) {
	if len(ft.Func.Args) != 1 {
		return nil, nil, expr.ErrAt(sqlerr.Unsupported("unnest with several arrays is not supported yet"), ft.Func.Pos)
	}
	arg, err := b.expr(ft.Func.Args[0])
	if err != nil {
		return nil, nil, err
	}
	if expr.IsUnknown(arg) {
		if arg, err = b.coerce(arg, types.Type{OID: 1009, Typmod: -1}, "", ft.Func.Pos); err != nil {
			return nil, nil, err
		}
	}
	et, ok := types.ElemOf(arg.Type())
	if !ok {
		return nil, nil, expr.ErrAt(sqlerr.New(sqlerr.UndefinedFunction, "function unnest(%s) does not exist", arg.Type()), ft.Func.Pos)
	}
	alias, col := "unnest", "unnest"
	if ft.Alias != "" {
		alias, col = ft.Alias, ft.Alias
	}
	if len(ft.ColAliases) > 0 {
		col = ft.ColAliases[0]
	}
	return &plan.UnnestNode{Arg: arg}, []plan.ScopeCol{{Table: alias, Name: col, T: et}}, nil
}

// generateSubscripts is generate_subscripts(array, dim [, reverse]).
func (b *binder) generateSubscripts(ft *ast.FuncTable) (plan.Node, []plan.ScopeCol, error) {
	if len(ft.Func.Args) < 2 || len(ft.Func.Args) > 3 {
		return nil, nil, expr.ErrAt(sqlerr.New(sqlerr.UndefinedFunction, "function generate_subscripts has the wrong number of arguments"), ft.Func.Pos)
	}
	arr, err := b.expr(ft.Func.Args[0])
	if err != nil {
		return nil, nil, err
	}
	if !arr.Type().IsArray() {
		return nil, nil, expr.ErrAt(sqlerr.New(sqlerr.UndefinedFunction, "function generate_subscripts(%s, integer) does not exist", arr.Type()), ft.Func.Pos)
	}
	dim, err := b.expr(ft.Func.Args[1])
	if err != nil {
		return nil, nil, err
	}
	if dim, err = b.coerce(dim, types.Int4, "argument", ft.Func.Pos); err != nil {
		return nil, nil, err
	}
	var rev expr.Expr = &expr.ConstExpr{T: types.Bool, V: false}
	if len(ft.Func.Args) == 3 {
		if rev, err = b.expr(ft.Func.Args[2]); err != nil {
			return nil, nil, err
		}
		if rev, err = b.coerce(rev, types.Bool, "argument", ft.Func.Pos); err != nil {
			return nil, nil, err
		}
	}
	alias, col := "generate_subscripts", "generate_subscripts"
	if ft.Alias != "" {
		alias, col = ft.Alias, ft.Alias
	}
	if len(ft.ColAliases) > 0 {
		col = ft.ColAliases[0]
	}
	return &plan.SubscriptsNode{Arr: arr, Dim: dim, Rev: rev}, []plan.ScopeCol{{Table: alias, Name: col, T: types.Int4}}, nil
}

// expandArray is information_schema._pg_expandarray(anyarray): the
// elements with their positions, as columns (x, n) — or, in a select
// list, as one record value per element, whose fields clients read with
// (…).x and (…).n (pgjdbc's getPrimaryKeys and getIndexInfo).
func (b *binder) expandArray(ft *ast.FuncTable) (plan.Node, []plan.ScopeCol, error) {
	if q := ft.Func.Name; len(q) == 1 || q[0] != "information_schema" {
		return nil, nil, expr.ErrAt(sqlerr.New(sqlerr.UndefinedFunction, "function %s does not exist", strings.Join(q, ".")), ft.Func.Pos)
	}
	if len(ft.Func.Args) != 1 {
		return nil, nil, expr.ErrAt(sqlerr.New(sqlerr.UndefinedFunction, "function information_schema._pg_expandarray has the wrong number of arguments"), ft.Func.Pos)
	}
	arr, err := b.expr(ft.Func.Args[0])
	if err != nil {
		return nil, nil, err
	}
	et, ok := types.ElemOf(arr.Type())
	if !ok {
		return nil, nil, expr.ErrAt(sqlerr.New(sqlerr.UndefinedFunction, "function information_schema._pg_expandarray(%s) does not exist", arr.Type()), ft.Func.Pos)
	}
	alias := "_pg_expandarray"
	if ft.Alias != "" {
		alias = ft.Alias
	}
	names := []string{"x", "n"}
	copy(names, ft.ColAliases)
	return &plan.UnnestNode{Arg: arr, Ordinal: true}, []plan.ScopeCol{{Table: alias, Name: names[0], T: et}, {Table: alias, Name: names[1], T: types.Int4}}, nil
}

// scalarFuncTable is a function returning one value used in FROM (FROM
// string_to_array(…) s): one row, one column named after the alias or the
// function.
func (b *binder) scalarFuncTable(ft *ast.FuncTable, name string) (plan.Node, []plan.ScopeCol, error) {
	if expr.IsAggregateName(name) && ft.Func.Over == nil {
		return nil, nil, expr.ErrAt(sqlerr.New(sqlerr.GroupingError, "aggregate functions are not allowed in functions in FROM"), ft.Func.Pos)
	}
	e, err := b.expr(ft.Func)
	if err != nil {
		return nil, nil, err
	}
	if _, isSRF := e.(*plan.SrfRefExpr); isSRF {
		return nil, nil, expr.ErrAt(sqlerr.Unsupported("function %s in FROM is not supported yet", name), ft.Func.Pos)
	}
	alias, col := name, name
	if ft.Alias != "" {
		alias, col = ft.Alias, ft.Alias
	}
	if len(ft.ColAliases) > 0 {
		col = ft.ColAliases[0]
	}
	return &plan.ProjectNode{Child: plan.OneRow{}, Exprs: []expr.Expr{e}}, []plan.ScopeCol{{Table: alias, Name: col, T: e.Type()}}, nil
}
