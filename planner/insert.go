package planner

import (
	"context"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/parse"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// InsertPlan is a bound INSERT: a source plan whose rows are coerced to the
// target columns by assignment casts.
type InsertPlan struct {
	Table  Relation // *MemTable or *SourceTable
	Params []types.Type
	src    *Plan
	colMap []int // target column index for each source column
	casts  []Expr
	// defaults fill the columns no source column goes to (DEFAULT
	// expressions, evaluated per row; columns without one stay NULL).
	defaults map[int]Expr
	Err      error // constant-folding error, reported at Bind (see Plan.Err)
}

// BindInsert binds INSERT INTO t [(cols)] query.
func BindInsert(ins *ast.Insert, paramTypes []types.Type, tables Tables) (*InsertPlan, error) {
	rel, err := tables.Relation(ins.Table.Schema, ins.Table.Name)
	if err != nil {
		return nil, errAt(sqlerr.From(err), ins.Table.Pos)
	}
	if _, isView := rel.(*ViewDef); isView {
		return nil, sqlerr.New(sqlerr.ObjectNotInPrerequisiteState, "cannot insert into view \"%s\"", ins.Table.Name).
			WithDetail("Views that do not select from a single table or view are not automatically updatable.")
	}
	if rel == nil {
		return nil, errAt(sqlerr.New(sqlerr.UndefinedTable, "relation \"%s\" does not exist", ins.Table.Name), ins.Table.Pos)
	}
	tcols := rel.Columns()
	colMap, err := ColumnIndexes(rel, ins.Columns)
	if err != nil {
		return nil, err
	}
	params := append([]types.Type(nil), paramTypes...)
	var foldErr error
	b := &binder{tables: tables, params: &params, foldErr: &foldErr}
	// VALUES rows are coerced straight to the column types so that untyped
	// literals and parameters take them (PostgreSQL does the same).
	var root node
	var cols []Column
	if ins.Query.Values != nil {
		rows := make([][]Expr, len(ins.Query.Values))
		for i, r := range ins.Query.Values {
			if len(r) > len(colMap) {
				return nil, sqlerr.New(sqlerr.SyntaxError, "INSERT has more expressions than target columns")
			}
			rows[i] = make([]Expr, len(r))
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
				if rows[i][j], err = b.coerceCtx(be, tc.Type, castAssignment, "column \""+tc.Name+"\"", -1); err != nil {
					return nil, assignErr(err, tc, be)
				}
			}
		}
		root = &valuesNode{rows: rows}
		for j := range ins.Query.Values[0] {
			cols = append(cols, tcols[colMap[j]])
		}
		if len(cols) == 0 {
			cols = []Column{} // DEFAULT VALUES
		}
	} else if root, cols, err = b.query(ins.Query); err != nil { // set operations and WITH included
		return nil, err
	}
	if len(cols) > len(colMap) {
		return nil, sqlerr.New(sqlerr.SyntaxError, "INSERT has more expressions than target columns")
	}
	colMap = colMap[:len(cols)]
	casts := make([]Expr, len(cols))
	for i, c := range cols {
		tc := tcols[colMap[i]]
		e, err := b.coerceCtx(&colExpr{idx: i, t: c.Type}, tc.Type, castAssignment, "column \""+tc.Name+"\"", -1)
		if err != nil {
			return nil, assignErr(err, tc, &colExpr{t: c.Type})
		}
		casts[i] = e
	}
	defaults := map[int]Expr{}
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
	return &InsertPlan{Table: rel, Params: params, src: &Plan{Columns: cols, Params: params, root: root, Err: foldErr},
		colMap: colMap, casts: casts, defaults: defaults, Err: foldErr}, nil
}

func assignErr(err error, tc Column, e Expr) error {
	se := sqlerr.From(err)
	if se.Code == sqlerr.DatatypeMismatch {
		return sqlerr.New(sqlerr.DatatypeMismatch, "column \"%s\" is of type %s but expression is of type %s", tc.Name, tc.Type, e.Type()).
			WithHint("You will need to rewrite or cast the expression.")
	}
	return err
}

// Execute runs the insert and returns the number of rows added. The rows
// become visible together at the end (a failed INSERT adds nothing).
func (p *InsertPlan) Execute(ctx context.Context, env *Env, params []types.Datum) (int64, error) {
	rows, err := p.Rows(ctx, env, params)
	if err != nil {
		return 0, err
	}
	p.Table.(*MemTable).Append(rows)
	return int64(len(rows)), nil
}

// Rows evaluates the source and returns the full rows to append.
func (p *InsertPlan) Rows(ctx context.Context, env *Env, params []types.Datum) ([][]types.Datum, error) {
	var out [][]types.Datum
	err := p.Each(ctx, env, params, func(rows [][]types.Datum) error {
		out = append(out, rows...)
		return nil
	})
	return out, err
}

// insertChunk is how many rows Each hands over at a time.
const insertChunk = 16 << 10

// Each evaluates the source and hands the full rows to fn in chunks, so a
// large INSERT … SELECT streams into its target without holding every row.
func (p *InsertPlan) Each(ctx context.Context, env *Env, params []types.Datum, fn func(rows [][]types.Datum) error) error {
	ec := newEvalCtx(ctx, env, params)
	cols := p.Table.Columns()
	_, name := p.Table.Ident()
	return EachRow(ctx, p.src, env, params, func(src [][]types.Datum) error {
		out := make([][]types.Datum, len(src))
		for r, row := range src {
			full := make([]types.Datum, len(cols))
			for i, c := range p.casts {
				v, err := c.Eval(ec, row)
				if err != nil {
					return err
				}
				full[p.colMap[i]] = v
			}
			for i, d := range p.defaults {
				v, err := d.Eval(ec, nil)
				if err != nil {
					return err
				}
				full[i] = v
			}
			if err := checkNotNull(cols, name, full); err != nil {
				return err
			}
			out[r] = full
		}
		return fn(out)
	})
}

// CoerceRow converts text fields (COPY FROM) to a table's column types.
// Columns cols does not name take their defaults (d, from BindDefaults;
// nil when none has one).
func CoerceRow(t Relation, cols []int, fields []*string, f *types.Format, d *Defaults) ([]types.Datum, error) {
	tc := t.Columns()
	row := make([]types.Datum, len(tc))
	if d != nil {
		for i, e := range d.exprs {
			v, err := e.Eval(d.ec, nil)
			if err != nil {
				return nil, err
			}
			row[i] = v
		}
	}
	for i, ci := range cols {
		if fields[i] == nil {
			continue
		}
		v, err := types.ParseText(tc[ci].Type, *fields[i], f)
		if err != nil {
			return nil, err
		}
		row[ci] = v
	}
	_, name := t.Ident()
	if err := checkNotNull(tc, name, row); err != nil {
		return nil, err
	}
	return row, nil
}

// Drain reads a stream to the end and discards it (used by tests and DDL).
func Drain(ctx context.Context, p *Plan, env *Env, params []types.Datum) (int64, error) {
	s, err := p.Execute(ctx, env, params)
	if err != nil {
		return 0, err
	}
	defer s.Close()
	var n int64
	for {
		rb, err := s.Next(ctx)
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n += rb.NumRows()
		rb.Release()
	}
}

// TypeOf resolves a written type name (for CREATE TABLE and PREPARE).
func TypeOf(tn *ast.TypeName) (types.Type, error) { return typeOfName(tn) }

// EachRow runs a plan and hands its rows to fn in chunks (streaming: a
// CREATE TABLE AS of millions of rows never holds them all).
func EachRow(ctx context.Context, p *Plan, env *Env, params []types.Datum, fn func(rows [][]types.Datum) error) error {
	if p.Err != nil {
		return p.Err
	}
	ec := newEvalCtx(ctx, env, params)
	it, err := openNode(ec, p.root)
	if err != nil {
		return err
	}
	defer it.close()
	chunk := make([][]types.Datum, 0, insertChunk)
	for {
		row, err := it.next()
		if err != nil {
			return err
		}
		if row == nil {
			break
		}
		if chunk = append(chunk, row); len(chunk) == insertChunk {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(chunk); err != nil {
				return err
			}
			chunk = make([][]types.Datum, 0, insertChunk)
		}
	}
	if len(chunk) > 0 {
		return fn(chunk)
	}
	return nil
}

// CollectRows runs a plan and returns all its rows as Datums.
func CollectRows(ctx context.Context, p *Plan, env *Env, params []types.Datum) ([][]types.Datum, error) {
	ec := newEvalCtx(ctx, env, params)
	it, err := openNode(ec, p.root)
	if err != nil {
		return nil, err
	}
	defer it.close()
	var out [][]types.Datum
	for {
		row, err := it.next()
		if err != nil {
			return nil, err
		}
		if row == nil {
			return out, nil
		}
		if err := ec.keep(row); err != nil {
			return nil, err
		}
		out = append(out, row)
		if len(out)%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
	}
}

// BuildBatch makes one Arrow batch of rows (small, materialized results).
func BuildBatch(cols []Column, rows [][]types.Datum) (arrow.RecordBatch, error) {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = types.FieldFor(c.Name, c.Type)
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, arrow.NewSchema(fields, nil))
	defer b.Release()
	for _, r := range rows {
		for i, c := range cols {
			types.AppendDatum(b.Field(i), c.Type, r[i])
		}
	}
	return b.NewRecordBatch(), nil
}

// EvalConstants evaluates parameter-free expressions (EXECUTE's arguments)
// coerced to the given types.
func EvalConstants(ctx context.Context, exprs []ast.Expr, want []types.Type, env *Env) ([]types.Datum, error) {
	var none []types.Type
	b := &binder{params: &none}
	ec := newEvalCtx(ctx, env, nil)
	out := make([]types.Datum, len(exprs))
	for i, e := range exprs {
		be, err := b.expr(e)
		if err != nil {
			return nil, err
		}
		if be, err = b.coerceCtx(be, want[i], castAssignment, "parameter $"+strconv.Itoa(i+1), -1); err != nil {
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
func (b *binder) columnDefault(c Column) (Expr, error) {
	if c.Default == "" {
		return &constExpr{t: c.Type}, nil
	}
	e, err := ParseDefault(c.Default)
	if err != nil {
		return nil, err
	}
	return b.defaultExpr(e, c)
}

// defaultExpr binds a DEFAULT expression for column c: no column
// references or sub-queries (0A000, as PostgreSQL), cast to c's type.
func (b *binder) defaultExpr(e ast.Expr, c Column) (Expr, error) {
	var params []types.Type
	db := &binder{tables: noTables{}, params: &params, foldErr: b.foldErr}
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
	if !walkExpr(be, func(Expr) bool { return true }) {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "cannot use subquery in DEFAULT expression")
	}
	if len(params) > 0 {
		return nil, sqlerr.New(sqlerr.UndefinedParameter, "there is no parameter $1")
	}
	return b.coerceCtx(be, c.Type, castAssignment, "column \""+c.Name+"\"", -1)
}

// ParseDefault parses a DEFAULT expression's text.
func ParseDefault(text string) (ast.Expr, error) {
	stmts, err := parse.Parse("SELECT " + text)
	if err != nil {
		return nil, err
	}
	sel, ok := stmts[0].AST.(*ast.Select)
	if len(stmts) != 1 || !ok || len(sel.Targets) != 1 {
		return nil, sqlerr.Internal("malformed DEFAULT expression %q", text)
	}
	return sel.Targets[0].Expr, nil
}

// CheckDefault validates a column's DEFAULT expression at CREATE TABLE and
// returns the text PostgreSQL would display for it (pg_get_expr,
// column_default); "" for DEFAULT NULL, which PostgreSQL does not keep.
// Literals are shown as PostgreSQL's ruleutils shows constants: a number
// as written unless negative ('-1'::integer), a string literal as the
// column type's value ('x'::text, 7 for an integer column, true).
// Other expressions are shown as pg_query deparses them, which can differ
// from PostgreSQL's spelling in parentheses and casts ((1 + 1) there).
func CheckDefault(e ast.Expr, text string, c Column) (string, error) {
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
		v, ok := be.(*constExpr)
		if !ok || v.v == nil {
			return text, nil
		}
		out := types.TextOf(c.Type, v.v, &types.Format{})
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

// noTables resolves no table (a DEFAULT expression sees none).
type noTables struct{}

func (noTables) Relation(string, string) (Relation, error) { return nil, nil }

// Defaults are the DEFAULT expressions of the columns a COPY FROM leaves
// out, bound once and evaluated for each row.
type Defaults struct {
	exprs map[int]Expr
	ec    *evalCtx
}

// BindDefaults binds the defaults of t's columns that cols does not list;
// nil when none has a default.
func BindDefaults(ctx context.Context, env *Env, t Relation, cols []int) (*Defaults, error) {
	listed := map[int]bool{}
	for _, c := range cols {
		listed[c] = true
	}
	var params []types.Type
	b := &binder{params: &params, foldErr: new(error)}
	d := &Defaults{exprs: map[int]Expr{}, ec: newEvalCtx(ctx, env, nil)}
	for i, c := range t.Columns() {
		if listed[i] || c.Default == "" {
			continue
		}
		e, err := b.columnDefault(c)
		if err != nil {
			return nil, err
		}
		d.exprs[i] = e
	}
	if len(d.exprs) == 0 {
		return nil, nil
	}
	return d, nil
}
