package expr

import (
	"sync/atomic"

	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// MemAccount is a query's memory budget. Operators that hold rows (sort,
// hash aggregation, join build sides, set operations, windows, CTEs) charge
// what they keep; passing the limit fails the query with 53200 instead of
// letting one query take the process down. Rows are estimated, not
// measured: slice headers, boxed datums and variable-length payloads.
type MemAccount struct {
	limit int64        // 0: unlimited
	used  atomic.Int64 // charged concurrently by parallel workers
	// parent: this account is a scope of the query's (one run of a
	// correlated sub-query or of LATERAL's right side); its charges count
	// against the parent and are given back together by release.
	parent *MemAccount
}

// scope returns an account whose charges count against m and can be
// given back at once (release) when what they paid for is dropped.
func (m *MemAccount) scope() *MemAccount {
	if m == nil {
		return nil
	}
	return &MemAccount{parent: m}
}

// Release gives back everything charged to a scope.
func (m *MemAccount) Release() {
	if m == nil || m.parent == nil {
		return
	}
	_ = m.parent.Charge(-m.used.Swap(0))
}

func (m *MemAccount) Charge(n int64) error {
	if m == nil {
		return nil
	}
	if m.parent != nil {
		m.used.Add(n)
		return m.parent.Charge(n)
	}
	used := m.used.Add(n)
	if m.limit > 0 && used > m.limit {
		return sqlerr.New(sqlerr.OutOfMemory, "out of memory").
			WithDetail("The query needed more than its memory budget of %d bytes.", m.limit).
			WithHint("Raise sluice.query_memory, or make the query hold fewer rows (filter earlier, aggregate, or LIMIT).")
	}
	return nil
}

// RowBytes estimates the memory a materialized row holds.
func RowBytes(row []types.Datum) int64 {
	n := int64(24 + 16*len(row))
	for _, d := range row {
		switch v := d.(type) {
		case string:
			n += int64(len(v)) + 16
		case []byte:
			n += int64(len(v)) + 24
		case *types.Decimal:
			n += 48
		}
	}
	return n
}

// Keep charges a row's estimate to the query's budget.
func (ec *EvalCtx) Keep(row []types.Datum) error {
	return ec.Mem.Charge(RowBytes(row))
}
