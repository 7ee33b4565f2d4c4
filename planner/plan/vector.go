package plan

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/sql/types"
)

// Vectors builds (or reuses) the column vectors of the table's rows.
func (t *MemTable) Vectors(rows [][]types.Datum) []*expr.Vcol {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.vecs != nil && t.vecRows == len(rows) {
		return t.vecs
	}
	cols := RowVecs(rows, t.Cols)
	t.vecs, t.vecRows = cols, len(rows)
	return cols
}
