package bind

import (
	"context"
	"math"
	"strconv"
	"strings"

	"github.com/sluicedb/sluice/planner"
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// BindInsert binds INSERT INTO t [(cols)] query.
func BindInsert(ins *ast.Insert, paramTypes []types.Type, tables plan.Tables) (*planner.InsertPlan, error) {
	rel, err := tables.Relation(ins.Table.Schema, ins.Table.Name)
	if err != nil {
		return nil, expr.ErrAt(sqlerr.From(err), ins.Table.Pos)
	}
	if _, isView := rel.(*plan.ViewDef); isView {
		return nil, sqlerr.New(sqlerr.ObjectNotInPrerequisiteState, "cannot insert into view \"%s\"", ins.Table.Name).
			WithDetail("Views that do not select from a single table or view are not automatically updatable.")
	}
	if rel == nil {
		return nil, expr.ErrAt(sqlerr.New(sqlerr.UndefinedTable, "relation \"%s\" does not exist", ins.Table.Name), ins.Table.Pos)
	}
	tcols := rel.Columns()
	colMap, err := plan.ColumnIndexes(rel, ins.Columns)
	if err != nil {
		return nil, err
	}
	params := append([]types.Type(nil), paramTypes...)
	var foldErr error
	b := &binder{tables: tables, params: &params, foldErr: &foldErr}
	// VALUES rows are coerced straight to the column types so that untyped
	// literals and parameters take them (PostgreSQL does the same).
	var root plan.Node
	var cols []plan.Column
	if ins.Query.Values != nil {
		rows := make([][]expr.Expr, len(ins.Query.Values))
		for i, r := range ins.Query.Values {
			if len(r) > len(colMap) {
				return nil, sqlerr.New(sqlerr.SyntaxError, "INSERT has more expressions than target columns")
			}
			rows[i] = make([]expr.Expr, len(r))
			for j, e := range r {
				tc := tcols[colMap[j]]
				if _, isDefault := e.(*ast.Default); isDefault {
					if rows[i][j], err = b.columnDefault(tc); err != nil {
						return nil, err
					}
					continue
				}
				be, err := b.expr(e)
				if err != nil {
					return nil, err
				}
				if rows[i][j], err = b.coerceCtx(be, tc.Type, expr.CastAssignment, "column \""+tc.Name+"\"", -1); err != nil {
					return nil, planner.AssignErr(err, tc, be)
				}
			}
		}
		root = &plan.ValuesNode{Rows: rows}
		for j := range ins.Query.Values[0] {
			cols = append(cols, tcols[colMap[j]])
		}
		if len(cols) == 0 {
			cols = []plan.Column{} // DEFAULT VALUES
		}
	} else if root, cols, err = b.query(ins.Query); err != nil { // set operations and WITH included
		return nil, err
	}
	if len(cols) > len(colMap) {
		return nil, sqlerr.New(sqlerr.SyntaxError, "INSERT has more expressions than target columns")
	}
	colMap = colMap[:len(cols)]
	casts := make([]expr.Expr, len(cols))
	for i, c := range cols {
		tc := tcols[colMap[i]]
		e, err := b.coerceCtx(&expr.ColExpr{Idx: i, T: c.Type}, tc.Type, expr.CastAssignment, "column \""+tc.Name+"\"", -1)
		if err != nil {
			return nil, planner.AssignErr(err, tc, &expr.ColExpr{T: c.Type})
		}
		casts[i] = e
	}
	defaults := map[int]expr.Expr{}
	mapped := make([]bool, len(tcols))
	for _, c := range colMap {
		mapped[c] = true
	}
	for i, tc := range tcols {
		if !mapped[i] && tc.Default != "" {
			if defaults[i], err = b.columnDefault(tc); err != nil {
				return nil, err
			}
		}
	}
	for i, p := range params {
		if p.OID == types.OIDUnknown {
			params[i] = types.Text
		}
	}
	return &planner.InsertPlan{Table: rel, Params: params, Src: &planner.Plan{Columns: cols, Params: params, Root: root, Err: foldErr},
		ColMap: colMap, Casts: casts, Defaults: defaults, Err: foldErr}, nil
}

// EvalConstants evaluates parameter-free expressions (EXECUTE's arguments)
// coerced to the given types.
func EvalConstants(ctx context.Context, exprs []ast.Expr, want []types.Type, env *expr.Env) ([]types.Datum, error) {
	var none []types.Type
	b := &binder{params: &none}
	ec := expr.NewEvalCtx(ctx, env, nil)
	out := make([]types.Datum, len(exprs))
	for i, e := range exprs {
		be, err := b.expr(e)
		if err != nil {
			return nil, err
		}
		if be, err = b.coerceCtx(be, want[i], expr.CastAssignment, "parameter $"+strconv.Itoa(i+1), -1); err != nil {
			return nil, err
		}
		if out[i], err = be.Eval(ec, nil); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// columnDefault binds a column's DEFAULT expression, cast to its type by
// assignment (a typed NULL when it has none).
func (b *binder) columnDefault(c plan.Column) (expr.Expr, error) {
	if c.Default == "" {
		return &expr.ConstExpr{T: c.Type}, nil
	}
	e, err := planner.ParseDefault(c.Default)
	if err != nil {
		return nil, err
	}
	return b.defaultExpr(e, c)
}

// defaultExpr binds a DEFAULT expression for column c: no column
// references or sub-queries (0A000, as PostgreSQL), cast to c's type.
func (b *binder) defaultExpr(e ast.Expr, c plan.Column) (expr.Expr, error) {
	var params []types.Type
	db := &binder{tables: planner.NoTables{}, params: &params, foldErr: b.foldErr}
	be, err := db.expr(e)
	if err != nil {
		switch sqlerr.From(err).Code {
		case sqlerr.UndefinedColumn:
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "cannot use column reference in DEFAULT expression")
		case sqlerr.UndefinedTable:
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "cannot use subquery in DEFAULT expression")
		}
		return nil, err
	}
	if !expr.WalkExpr(be, func(expr.Expr) bool { return true }) {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "cannot use subquery in DEFAULT expression")
	}
	if len(params) > 0 {
		return nil, sqlerr.New(sqlerr.UndefinedParameter, "there is no parameter $1")
	}
	return b.coerceCtx(be, c.Type, expr.CastAssignment, "column \""+c.Name+"\"", -1)
}

// CheckDefault validates a column's DEFAULT expression at CREATE TABLE and
// returns the text PostgreSQL would display for it (pg_get_expr,
// column_default); "" for DEFAULT NULL, which PostgreSQL does not keep.
// Literals are shown as PostgreSQL's ruleutils shows constants: a number
// as written unless negative ('-1'::integer), a string literal as the
// column type's value ('x'::text, 7 for an integer column, true).
// Other expressions are shown as pg_query deparses them, which can differ
// from PostgreSQL's spelling in parentheses and casts ((1 + 1) there).
func CheckDefault(e ast.Expr, text string, c plan.Column) (string, error) {
	var params []types.Type
	b := &binder{params: &params, foldErr: new(error)}
	be, err := b.defaultExpr(e, c)
	if err != nil {
		return "", err
	}
	k, isConst := e.(*ast.Const)
	if !isConst {
		switch x := e.(type) {
		case *ast.FuncCall:
			if x.Label != "" && len(x.Args) == 0 {
				return strings.ToUpper(text), nil // CURRENT_TIMESTAMP, CURRENT_DATE, …
			}
		case *ast.BinaryExpr:
			return "(" + text + ")", nil // ruleutils parenthesizes an operator
		}
		return text, nil
	}
	switch k.Kind {
	case ast.ConstNull:
		return "", nil
	case ast.ConstInt, ast.ConstNumeric:
		if !strings.HasPrefix(k.Val, "-") {
			return text, nil
		}
		val, t := k.Val, "numeric"
		if d, err := types.ParseDecimal(k.Val); err == nil && k.Kind == ast.ConstNumeric {
			val = d.String() // -1.5e3 is shown as -1500
		}
		if k.Kind == ast.ConstInt {
			t = "integer"
			if n, err := strconv.ParseInt(k.Val, 10, 64); err == nil && (n < math.MinInt32) {
				t = "bigint"
			}
		}
		return "'" + val + "'::" + t, nil
	case ast.ConstString:
		v, ok := be.(*expr.ConstExpr)
		if !ok || v.V == nil {
			return text, nil
		}
		out := types.TextOf(c.Type, v.V, &types.Format{})
		switch c.Type.OID {
		case types.OIDInt4:
			if !strings.HasPrefix(out, "-") {
				return out, nil
			}
		case types.OIDBool:
			if out == "t" {
				return "true", nil
			}
			return "false", nil
		case types.OIDNumeric:
			if c.Type.Typmod < 0 && !strings.HasPrefix(out, "-") && strings.ContainsAny(out, ".eE") {
				return out, nil
			}
		}
		return "'" + strings.ReplaceAll(out, "'", "''") + "'::" + types.Type{OID: c.Type.OID, Typmod: -1}.String(), nil
	}
	return text, nil
}

// BindDefaults binds the defaults of t's columns that cols does not list;
// nil when none has a default.
func BindDefaults(ctx context.Context, env *expr.Env, t plan.Relation, cols []int) (*planner.Defaults, error) {
	listed := map[int]bool{}
	for _, c := range cols {
		listed[c] = true
	}
	var params []types.Type
	b := &binder{params: &params, foldErr: new(error)}
	d := &planner.Defaults{Exprs: map[int]expr.Expr{}, Ec: expr.NewEvalCtx(ctx, env, nil)}
	for i, c := range t.Columns() {
		if listed[i] || c.Default == "" {
			continue
		}
		e, err := b.columnDefault(c)
		if err != nil {
			return nil, err
		}
		d.Exprs[i] = e
	}
	if len(d.Exprs) == 0 {
		return nil, nil
	}
	return d, nil
}
