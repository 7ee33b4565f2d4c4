package planner

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/sql/types"
)

// columnsOf builds (or reuses) the column vectors of a table's rows.
func (t *MemTable) columns(rows [][]types.Datum) []*expr.Vcol {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.vecs != nil && t.vecRows == len(rows) {
		return t.vecs
	}
	cols := rowVecs(rows, t.Cols)
	t.vecs, t.vecRows = cols, len(rows)
	return cols
}
