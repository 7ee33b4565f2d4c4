package planner

import (
	"context"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sluicedb/sluice/planner/exec"
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/parse"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// InsertPlan is a bound INSERT: a source plan whose rows are coerced to the
// target columns by assignment casts.
type InsertPlan struct {
	Table  plan.Relation // *MemTable or *SourceTable
	Params []types.Type
	Src    *Plan
	ColMap []int // target column index for each source column
	Casts  []expr.Expr
	// Defaults fill the columns no source column goes to (DEFAULT
	// expressions, evaluated per row; columns without one stay NULL).
	Defaults map[int]expr.Expr
	Err      error // constant-folding error, reported at Bind (see Plan.Err)
}

func AssignErr(err error, tc plan.Column, e expr.Expr) error {
	se := sqlerr.From(err)
	if se.Code == sqlerr.DatatypeMismatch {
		return sqlerr.New(sqlerr.DatatypeMismatch, "column \"%s\" is of type %s but expression is of type %s", tc.Name, tc.Type, e.Type()).
			WithHint("You will need to rewrite or cast the expression.")
	}
	return err
}

// Execute runs the insert and returns the number of rows added. The rows
// become visible together at the end (a failed INSERT adds nothing).
func (p *InsertPlan) Execute(ctx context.Context, env *expr.Env, params []types.Datum) (int64, error) {
	rows, err := p.Rows(ctx, env, params)
	if err != nil {
		return 0, err
	}
	p.Table.(*plan.MemTable).Append(rows)
	return int64(len(rows)), nil
}

// Rows evaluates the source and returns the full rows to append.
func (p *InsertPlan) Rows(ctx context.Context, env *expr.Env, params []types.Datum) ([][]types.Datum, error) {
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
func (p *InsertPlan) Each(ctx context.Context, env *expr.Env, params []types.Datum, fn func(rows [][]types.Datum) error) error {
	ec := expr.NewEvalCtx(ctx, env, params)
	cols := p.Table.Columns()
	_, name := p.Table.Ident()
	return EachRow(ctx, p.Src, env, params, func(src [][]types.Datum) error {
		out := make([][]types.Datum, len(src))
		for r, row := range src {
			full := make([]types.Datum, len(cols))
			for i, c := range p.Casts {
				v, err := c.Eval(ec, row)
				if err != nil {
					return err
				}
				full[p.ColMap[i]] = v
			}
			for i, d := range p.Defaults {
				v, err := d.Eval(ec, nil)
				if err != nil {
					return err
				}
				full[i] = v
			}
			if err := plan.CheckNotNull(cols, name, full); err != nil {
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
func CoerceRow(t plan.Relation, cols []int, fields []*string, f *types.Format, d *Defaults) ([]types.Datum, error) {
	tc := t.Columns()
	row := make([]types.Datum, len(tc))
	if d != nil {
		for i, e := range d.Exprs {
			v, err := e.Eval(d.Ec, nil)
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
	if err := plan.CheckNotNull(tc, name, row); err != nil {
		return nil, err
	}
	return row, nil
}

// Drain reads a stream to the end and discards it (used by tests and DDL).
func Drain(ctx context.Context, p *Plan, env *expr.Env, params []types.Datum) (int64, error) {
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
func TypeOf(tn *ast.TypeName) (types.Type, error) { return plan.TypeOfName(tn) }

// EachRow runs a plan and hands its rows to fn in chunks (streaming: a
// CREATE TABLE AS of millions of rows never holds them all).
func EachRow(ctx context.Context, p *Plan, env *expr.Env, params []types.Datum, fn func(rows [][]types.Datum) error) error {
	if p.Err != nil {
		return p.Err
	}
	ec := expr.NewEvalCtx(ctx, env, params)
	it, err := exec.OpenNode(ec, p.Root)
	if err != nil {
		return err
	}
	defer it.Close()
	chunk := make([][]types.Datum, 0, insertChunk)
	for {
		row, err := it.Next()
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
func CollectRows(ctx context.Context, p *Plan, env *expr.Env, params []types.Datum) ([][]types.Datum, error) {
	ec := expr.NewEvalCtx(ctx, env, params)
	it, err := exec.OpenNode(ec, p.Root)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var out [][]types.Datum
	for {
		row, err := it.Next()
		if err != nil {
			return nil, err
		}
		if row == nil {
			return out, nil
		}
		if err := ec.Keep(row); err != nil {
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
func BuildBatch(cols []plan.Column, rows [][]types.Datum) (arrow.RecordBatch, error) {
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

// NoTables resolves no table (a DEFAULT expression sees none).
type NoTables struct{}

func (NoTables) Relation(string, string) (plan.Relation, error) { return nil, nil }

// Defaults are the DEFAULT expressions of the columns a COPY FROM leaves
// out, bound once and evaluated for each row.
type Defaults struct {
	Exprs map[int]expr.Expr
	Ec    *expr.EvalCtx
}
