package exec

import (
	"fmt"

	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/types"
)

// openOp starts executing n.
func openOp(ec *expr.EvalCtx, n plan.Node) (rowIter, error) {
	switch x := n.(type) {
	case plan.OneRow:
		return &sliceIter{rows: [][]types.Datum{{}}}, nil
	case *plan.AggNode:
		return (*aggNodeExec)(x).open(ec)
	case *plan.DistinctNode:
		return (*distinctNodeExec)(x).open(ec)
	case *plan.FilterNode:
		return (*filterNodeExec)(x).open(ec)
	case *plan.JoinNode:
		return (*joinNodeExec)(x).open(ec)
	case *plan.LateralJoinNode:
		return (*lateralJoinNodeExec)(x).open(ec)
	case *plan.LimitNode:
		return (*limitNodeExec)(x).open(ec)
	case *plan.MemScan:
		return (*memScanExec)(x).open(ec)
	case *plan.OrdinalityNode:
		return (*ordinalityNodeExec)(x).open(ec)
	case *plan.ProjectNode:
		return (*projectNodeExec)(x).open(ec)
	case *plan.ProjectSetNode:
		return (*projectSetNodeExec)(x).open(ec)
	case *plan.SampleNode:
		return (*sampleNodeExec)(x).open(ec)
	case *plan.SeriesNode:
		return (*seriesNodeExec)(x).open(ec)
	case *plan.SetOpNode:
		return (*setOpNodeExec)(x).open(ec)
	case *plan.SortNode:
		return (*sortNodeExec)(x).open(ec)
	case *plan.SourceScan:
		return (*sourceScanExec)(x).open(ec)
	case *plan.SubscriptsNode:
		return (*subscriptsNodeExec)(x).open(ec)
	case *plan.UnnestNode:
		return (*unnestNodeExec)(x).open(ec)
	case *plan.ValuesNode:
		return (*valuesNodeExec)(x).open(ec)
	case *plan.WindowNode:
		return (*windowNodeExec)(x).open(ec)
	case *plan.CteScan:
		return (*cteScanExec)(x).open(ec)
	case *plan.TopNScan:
		return (*topNScanExec)(x).open(ec)
	case *plan.VecAggNode:
		return (*vecAggNodeExec)(x).open(ec)
	case *plan.VecFilterScan:
		return (*vecFilterScanExec)(x).open(ec)
	}
	panic(fmt.Sprintf("planner: no executor for %T", n))
}
