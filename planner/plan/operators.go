package plan

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/sql/types"
)

// Node is one operator of a plan: a plain value whose exported fields say
// what it computes (its inputs, expressions, keys). Children, WithChildren
// and MapNodes walk and rebuild trees of them; describeOne renders one for
// EXPLAIN; package exec runs them. Only this package's types are nodes.
type Node interface {
	planNode()
}

// Operators.

type OneRow struct{}

type ValuesNode struct{ Rows [][]expr.Expr }

type MemScan struct{ T *MemTable }

type FilterNode struct {
	Child Node
	Pred  expr.Expr
}

type ProjectNode struct {
	Child Node
	Exprs []expr.Expr
}

type SortNode struct {
	Child Node
	Keys  []expr.SortKey
}

type LimitNode struct {
	Child         Node
	Limit, Offset expr.Expr // nil when absent
	TopN          bool      // the topn rule: keep only limit+offset rows of the sort below
}

// DistinctNode passes the first row of each distinct key (the columns idx).
type DistinctNode struct {
	Child Node
	Idx   []int
	Cols  []types.Type
}
