package connectors

import (
	"context"

	"github.com/sluicedb/sluice/sql/types"
)

// Column is one column a provider serves, with its PostgreSQL type.
type Column struct {
	Name    string
	Type    types.Type
	NotNull bool
}

// Op is the comparison of a pushed-down predicate.
type Op uint8

// Predicate operators. IsNull and IsNotNull ignore Value.
const (
	OpEq Op = iota
	OpNe
	OpLt
	OpLe
	OpGt
	OpGe
	OpIsNull
	OpIsNotNull
)

var opNames = [...]string{"=", "<>", "<", "<=", ">", ">=", "IS NULL", "IS NOT NULL"}

func (o Op) String() string { return opNames[o] }

// Predicate is "column Op Value" over one of the provider's columns (an
// index into Columns()). Value has the column's type and is never NULL.
type Predicate struct {
	Col   int
	Op    Op
	Value types.Datum
}

// Support is a provider's answer for one predicate.
type Support uint8

const (
	// Unsupported: the provider ignores the predicate.
	Unsupported Support = iota
	// Inexact: the provider uses it to skip data (files, row groups) but
	// may still return rows that fail it; the engine filters again.
	Inexact
	// Exact: every returned row satisfies it; the engine need not check.
	Exact
)

// ScanRequest says what a scan needs: the columns to return, in this order
// (empty means none — only the row count matters), the predicates the
// provider may use, and a row limit (-1 for none) it may stop after.
type ScanRequest struct {
	Columns []int
	Preds   []Predicate
	Limit   int64
}

// Split is one independently readable part of a scan (a file, a row group).
type Split interface {
	// Rows is the split's row count before predicates (-1 if unknown).
	Rows() int64
}

// ColumnStats are statistics of one column; nil Min/Max mean unknown.
type ColumnStats struct {
	Min, Max types.Datum
	Nulls    int64 // -1 if unknown
	Distinct int64 // -1 if unknown
}

// Stats describes a provider's data at its current version.
type Stats struct {
	Rows  int64 // -1 if unknown
	Bytes int64
	Exact bool // Rows and per-column Nulls are exact, not estimates
	Cols  []ColumnStats
}

// PruneStats counts what a scan's planning skipped (EXPLAIN ANALYZE shows it).
type PruneStats struct {
	Files, FilesSkipped         int
	RowGroups, RowGroupsSkipped int
}

// Provider is a source of rows the planner can scan: lake tables, streams,
// materialized views and remote databases all implement it.
type Provider interface {
	Columns() []Column
	Stats(ctx context.Context) (Stats, error)
	// Pushdown answers, per predicate, how the provider can use it.
	Pushdown(preds []Predicate) []Support
	// Splits plans a scan; the splits may be opened concurrently.
	Splits(ctx context.Context, req ScanRequest) ([]Split, PruneStats, error)
	// Open reads one split; batches have one column per req.Columns.
	Open(ctx context.Context, s Split, req ScanRequest) (RecordStream, error)
	// Version identifies the data a scan sees (a snapshot id), for caches.
	Version() string
}
