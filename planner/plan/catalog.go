package plan

import (
	"strings"
	"sync"

	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// Column is a named, typed output or table column.
type Column struct {
	Name    string
	Type    types.Type
	NotNull bool
	// Default is the DEFAULT expression's SQL text ("" when none), as
	// PostgreSQL displays it (pg_get_expr, column_default).
	Default string
}

// ColumnTypes lists cols' types.
func ColumnTypes(cols []Column) []types.Type {
	ts := make([]types.Type, len(cols))
	for i, c := range cols {
		ts[i] = c.Type
	}
	return ts
}

// Tables resolves table names for the binder.
type Tables interface {
	// Relation returns schema.name ("" schema searches the path), or nil
	// when there is none.
	Relation(schema, name string) (Relation, error)
}

// MemTable is an in-memory table (a session's temporary table). Rows are
// append-only between truncations, so a scan reads a stable prefix.
type MemTable struct {
	Schema string
	Name   string
	Cols   []Column
	OID    types.OID // set by the owner (the session numbers its temporary tables)

	mu   sync.RWMutex
	rows [][]types.Datum
	// column vectors of the rows, built on demand by the vectorized path
	vecs    []*expr.Vcol
	vecRows int
}

// NewMemTable returns an empty table.
func NewMemTable(schema, name string, cols []Column) *MemTable {
	return &MemTable{Schema: schema, Name: name, Cols: cols}
}

// Append adds rows; each row has len(Cols) datums of the column types.
func (t *MemTable) Append(rows [][]types.Datum) {
	t.mu.Lock()
	t.rows = append(t.rows, rows...)
	t.mu.Unlock()
}

// Snapshot returns the rows visible now.
func (t *MemTable) Snapshot() [][]types.Datum {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.rows[:len(t.rows):len(t.rows)]
}

// Replace swaps in a new set of rows (DELETE, UPDATE and their undo).
func (t *MemTable) Replace(rows [][]types.Datum) {
	t.mu.Lock()
	t.rows = rows[:len(rows):len(rows)]
	t.vecs = nil
	t.mu.Unlock()
}

// Len returns the number of rows.
func (t *MemTable) Len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return len(t.rows)
}

// Truncate keeps the first n rows (transaction rollback).
func (t *MemTable) Truncate(n int) {
	t.mu.Lock()
	if n < len(t.rows) {
		t.rows = t.rows[:n:n]
		t.vecs = nil
	}
	t.mu.Unlock()
}

// relName is a relation's name for messages.
func relName(r Relation) string {
	_, name := r.Ident()
	return name
}

// ColumnIndexes maps column names to positions; no names means all columns.
func ColumnIndexes(rel Relation, names []string) ([]int, error) {
	cols := rel.Columns()
	if len(names) == 0 {
		out := make([]int, len(cols))
		for i := range out {
			out[i] = i
		}
		return out, nil
	}
	out := make([]int, 0, len(names))
	for _, name := range names {
		idx := -1
		for i, c := range cols {
			if c.Name == name {
				idx = i
			}
		}
		if idx < 0 {
			return nil, sqlerr.New(sqlerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", name, relName(rel))
		}
		out = append(out, idx)
	}
	return out, nil
}

// CheckNotNull enforces NOT NULL columns on a full row.
func CheckNotNull(cols []Column, table string, row []types.Datum) error {
	for i, c := range cols {
		if c.NotNull && row[i] == nil {
			vals := make([]string, len(row))
			for j, v := range row {
				if v == nil {
					vals[j] = "null"
				} else {
					vals[j] = types.TextOf(cols[j].Type, v, &types.Format{})
				}
			}
			return sqlerr.New(sqlerr.NotNullViolation, "null value in column \"%s\" of relation \"%s\" violates not-null constraint", c.Name, table).
				WithDetail("Failing row contains (%s).", strings.Join(vals, ", "))
		}
	}
	return nil
}
