package rules

import (
	"github.com/sluicedb/sluice/planner/exec"
	"github.com/sluicedb/sluice/planner/plan"
)

// vectorize replaces Filter*(Seq Scan) and aggregations over it with their
// vectorized forms when every expression has a kernel.
func vectorize(n plan.Node) plan.Node {
	return plan.MapNodes(n, func(n plan.Node) plan.Node {
		switch x := n.(type) {
		case *plan.AggNode:
			if v := exec.VectorizeAgg(x); v != nil {
				return v
			}
		case *plan.FilterNode:
			if v := exec.VectorizeScan(x); v != nil {
				return v
			}
		}
		return n
	})
}
