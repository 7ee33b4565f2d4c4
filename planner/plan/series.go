package plan

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/sql/types"
)

// OrdinalityNode numbers its input rows (WITH ORDINALITY).
type OrdinalityNode struct{ Child Node }

type SeriesNode struct {
	T    types.Type
	Args []expr.Expr
}

type SubscriptsNode struct{ Arr, Dim, Rev expr.Expr }
