package plan

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/sql/types"
)

// AggCtx is the binding state above a GROUP BY: expressions there see a row
// of [group keys…, aggregate results…].
// Rows above it are [group keys…, grouping-set number, aggregate results…].
type AggCtx struct {
	Input    []ScopeCol  // the FROM scope
	Groups   []expr.Expr // bound over input
	GroupKey []string    // ast keys of the GROUP BY expressions
	GroupCol map[int]int
	Sets     [][]int // grouping sets as indexes into groups (one set with all when plain GROUP BY)
	Aggs     []*expr.AggCall
	Node     *AggNode
}

// AggNode groups its input and computes aggregates; its rows are [group
// keys…, aggregate results…].
type AggNode struct {
	Child Node
	Ctx   *AggCtx
}

// GroupingExpr is grouping(a, b, …): bit i (from the right) is 1 when
// argument i is not grouped in the current grouping set.
type GroupingExpr struct {
	Ac   *AggCtx
	Args []int
}

func (*GroupingExpr) PlanRef()           {}
func (e *GroupingExpr) Type() types.Type { return types.Int4 }
func (e *GroupingExpr) Eval(_ *expr.EvalCtx, row []types.Datum) (types.Datum, error) {
	set := e.Ac.Sets[row[len(e.Ac.Groups)].(int64)]
	var bits int64
	for _, g := range e.Args {
		in := false
		for _, s := range set {
			if s == g {
				in = true
			}
		}
		bits <<= 1
		if !in {
			bits |= 1
		}
	}
	return bits, nil
}
