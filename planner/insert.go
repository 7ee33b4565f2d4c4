package planner

import (
	"context"
	"io"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sluicedb/sluice/sql/ast"
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
	Err    error // constant-folding error, reported at Bind (see Plan.Err)
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
	colMap, err := columnIndexes(rel, ins.Columns)
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
				be, err := b.expr(e)
				if err != nil {
					return nil, err
				}
				tc := tcols[colMap[j]]
				if rows[i][j], err = b.coerceCtx(be, tc.Type, castAssignment, "column \""+tc.Name+"\"", -1); err != nil {
					return nil, assignErr(err, tc, be)
				}
			}
		}
		root = &valuesNode{rows: rows}
		for j := range ins.Query.Values[0] {
			cols = append(cols, tcols[colMap[j]])
		}
	} else if root, cols, err = b.selectNode(ins.Query); err != nil {
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
	for i, p := range params {
		if p.OID == types.OIDUnknown {
			params[i] = types.Text
		}
	}
	return &InsertPlan{Table: rel, Params: params, src: &Plan{Columns: cols, Params: params, root: root, Err: foldErr}, colMap: colMap, casts: casts, Err: foldErr}, nil
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
			if err := checkNotNull(cols, name, full); err != nil {
				return err
			}
			out[r] = full
		}
		return fn(out)
	})
}

// CoerceRow converts text fields (COPY FROM) to a table's column types.
func CoerceRow(t Relation, cols []int, fields []*string, f *types.Format) ([]types.Datum, error) {
	tc := t.Columns()
	row := make([]types.Datum, len(tc))
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
func TypeOf(tn *ast.TypeName) (types.Type, error) { return typeOf(tn) }

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
