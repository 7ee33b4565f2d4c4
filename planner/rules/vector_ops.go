package rules

import "github.com/sluicedb/sluice/planner"

// vectorize replaces Filter*(Seq Scan) and aggregations over it with their
// vectorized forms when every expression has a kernel.
func vectorize(n planner.Node) planner.Node {
	return planner.MapNodes(n, func(n planner.Node) planner.Node {
		switch x := n.(type) {
		case *planner.AggNode:
			if v := planner.VectorizeAgg(x); v != nil {
				return v
			}
		case *planner.FilterNode:
			if v := planner.VectorizeScan(x); v != nil {
				return v
			}
		}
		return n
	})
}
