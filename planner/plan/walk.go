package plan

import "github.com/sluicedb/sluice/planner/expr"

// MapNodes applies f bottom-up to every operator of the tree (rules rebuild
// nodes; plans stay immutable).
func MapNodes(n Node, f func(Node) Node) Node {
	kids := Children(n)
	if len(kids) == 0 {
		return f(n)
	}
	mapped := make([]Node, len(kids))
	for i, k := range kids {
		mapped[i] = MapNodes(k, f)
	}
	return f(WithChildren(n, mapped))
}

// Children returns an operator's inputs.
func Children(n Node) []Node {
	switch x := n.(type) {
	case *FilterNode:
		return []Node{x.Child}
	case *SampleNode:
		return []Node{x.Child}
	case *ProjectNode:
		return []Node{x.Child}
	case *SortNode:
		return []Node{x.Child}
	case *LimitNode:
		return []Node{x.Child}
	case *DistinctNode:
		return []Node{x.Child}
	case *AggNode:
		return []Node{x.Child}
	case *WindowNode:
		return []Node{x.Child}
	case *ProjectSetNode:
		return []Node{x.Child}
	case *OrdinalityNode:
		return []Node{x.Child}
	case *JoinNode:
		return []Node{x.Left, x.Right}
	case *LateralJoinNode:
		return []Node{x.Left, x.Right}
	case *SetOpNode:
		return []Node{x.Left, x.Right}
	}
	return nil
}

// WithChildren returns a copy of n reading from new inputs.
func WithChildren(n Node, k []Node) Node {
	switch x := n.(type) {
	case *FilterNode:
		c := *x
		c.Child = k[0]
		return &c
	case *SampleNode:
		c := *x
		c.Child = k[0]
		return &c
	case *ProjectNode:
		c := *x
		c.Child = k[0]
		return &c
	case *SortNode:
		c := *x
		c.Child = k[0]
		return &c
	case *LimitNode:
		c := *x
		c.Child = k[0]
		return &c
	case *DistinctNode:
		c := *x
		c.Child = k[0]
		return &c
	case *AggNode:
		c := *x
		c.Child = k[0]
		return &c
	case *WindowNode:
		c := *x
		c.Child = k[0]
		return &c
	case *ProjectSetNode:
		c := *x
		c.Child = k[0]
		return &c
	case *OrdinalityNode:
		c := *x
		c.Child = k[0]
		return &c
	case *JoinNode:
		c := *x
		c.Left, c.Right = k[0], k[1]
		return &c
	case *LateralJoinNode:
		c := *x
		c.Left, c.Right = k[0], k[1]
		return &c
	case *SetOpNode:
		c := *x
		c.Left, c.Right = k[0], k[1]
		return &c
	}
	return n
}

// AndArgs splits a bound AND into its arguments.
func AndArgs(e expr.Expr) []expr.Expr {
	if be, ok := e.(*expr.BoolExpr); ok && be.And {
		return be.Args
	}
	return []expr.Expr{e}
}

func And(es []expr.Expr) expr.Expr {
	if len(es) == 1 {
		return es[0]
	}
	return &expr.BoolExpr{And: true, Args: es}
}

// EstimateRows guesses an operator's output rows from table sizes; -1 when
// it cannot tell.
func EstimateRows(n Node) float64 {
	switch x := n.(type) {
	case *MemScan:
		return float64(x.T.Len())
	case *SourceScan:
		return EstimateSourceRows(x)
	case *VecFilterScan:
		base := float64(0)
		if x.Src != nil {
			base = EstimateSourceRows(x.Src)
		} else {
			base = float64(x.T.Len())
		}
		if len(x.Preds) == 0 || base < 0 {
			return base
		}
		return base / 3
	case *FilterNode:
		if s, ok := x.Child.(*SourceScan); ok {
			return estimateSourceFilter(s, AndArgs(x.Pred))
		}
		if c := EstimateRows(x.Child); c >= 0 {
			return c / 3 // a filter keeps a third, the classic default
		}
	case *ProjectNode:
		return EstimateRows(x.Child)
	case *JoinNode:
		l, r := EstimateRows(x.Left), EstimateRows(x.Right)
		if l >= 0 && r >= 0 {
			return max(l, r)
		}
	}
	return -1
}
