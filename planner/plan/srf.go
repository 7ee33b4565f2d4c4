package plan

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/sql/types"
)

// Set-returning functions in the select list (SELECT unnest(a), …): like
// PostgreSQL's ProjectSet, all of them run in lockstep for each input row;
// the row repeats as many times as the longest one yields, shorter ones
// padding with NULL. Each is bound as a FROM function whose arguments see
// the current row as an enclosing level.

type SrfSet struct {
	Calls []Node
	// Recs[k] is set when call k returns rows of several columns
	// (information_schema._pg_expandarray): each row is one record value.
	Recs [][]types.Field
}

type SrfRefExpr struct {
	Set *SrfSet
	K   int
	T   types.Type
}

func (*SrfRefExpr) PlanRef()           {}
func (e *SrfRefExpr) Type() types.Type { return e.T }
func (e *SrfRefExpr) Eval(_ *expr.EvalCtx, row []types.Datum) (types.Datum, error) {
	return row[len(row)-len(e.Set.Calls)+e.K], nil
}

type ProjectSetNode struct {
	Child Node
	Set   *SrfSet
}
