package planner

import (
	"sync"

	"github.com/sluicedb/sluice/sql/types"
)

// Column is a named, typed output or table column.
type Column struct {
	Name    string
	Type    types.Type
	NotNull bool
}

// Tables resolves table names for the binder.
type Tables interface {
	// Table returns the table schema.name ("" schema searches the path), or nil.
	Table(schema, name string) *MemTable
}

// MemTable is an in-memory table (a session's temporary table). Rows are
// append-only between truncations, so a scan reads a stable prefix.
type MemTable struct {
	Schema string
	Name   string
	Cols   []Column

	mu   sync.RWMutex
	rows [][]types.Datum
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
	}
	t.mu.Unlock()
}
