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
	Table  *MemTable
	Params []types.Type
	src    *Plan
	colMap []int // target column index for each source column
	casts  []Expr
	Err    error // constant-folding error, reported at Bind (see Plan.Err)
}

// BindInsert binds INSERT INTO t [(cols)] query.
func BindInsert(ins *ast.Insert, paramTypes []types.Type, tables Tables) (*InsertPlan, error) {
	t := tables.Table(ins.Table.Schema, ins.Table.Name)
	if t == nil {
		return nil, errAt(sqlerr.New(sqlerr.UndefinedTable, "relation \"%s\" does not exist", ins.Table.Name), ins.Table.Pos)
	}
	colMap, err := t.ColumnIndexes(ins.Columns)
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
				tc := t.Cols[colMap[j]]
				if rows[i][j], err = b.coerceCtx(be, tc.Type, castAssignment, "column \""+tc.Name+"\"", -1); err != nil {
					return nil, assignErr(err, tc, be)
				}
			}
		}
		root = &valuesNode{rows: rows}
		for j := range ins.Query.Values[0] {
			cols = append(cols, t.Cols[colMap[j]])
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
		tc := t.Cols[colMap[i]]
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
	return &InsertPlan{Table: t, Params: params, src: &Plan{Columns: cols, Params: params, root: root, Err: foldErr}, colMap: colMap, casts: casts, Err: foldErr}, nil
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
	p.Table.Append(rows)
	return int64(len(rows)), nil
}

// Rows evaluates the source and returns the full rows to append.
func (p *InsertPlan) Rows(ctx context.Context, env *Env, params []types.Datum) ([][]types.Datum, error) {
	src, err := CollectRows(ctx, p.src, env, params)
	if err != nil {
		return nil, err
	}
	ec := newEvalCtx(ctx, env, params)
	out := make([][]types.Datum, 0, len(src))
	for _, row := range src {
		full := make([]types.Datum, len(p.Table.Cols))
		for i, c := range p.casts {
			v, err := c.Eval(ec, row)
			if err != nil {
				return nil, err
			}
			full[p.colMap[i]] = v
		}
		if err := p.Table.checkNotNull(full); err != nil {
			return nil, err
		}
		out = append(out, full)
	}
	return out, nil
}

// CoerceRow converts text fields (COPY FROM) to a table's column types.
func CoerceRow(t *MemTable, cols []int, fields []*string, f *types.Format) ([]types.Datum, error) {
	row := make([]types.Datum, len(t.Cols))
	for i, ci := range cols {
		if fields[i] == nil {
			continue
		}
		v, err := types.ParseText(t.Cols[ci].Type, *fields[i], f)
		if err != nil {
			return nil, err
		}
		row[ci] = v
	}
	if err := t.checkNotNull(row); err != nil {
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
