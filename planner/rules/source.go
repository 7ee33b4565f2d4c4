package rules

import (
	"github.com/sluicedb/sluice/connectors"
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
)

// pushScanPredicates hands simple conjuncts of a filter over a source scan
// (column op constant, IS [NOT] NULL) to the provider, which prunes files
// and row groups with them; conjuncts it answers Exact leave the filter.
func pushScanPredicates(n plan.Node) plan.Node {
	return plan.MapNodes(n, func(n plan.Node) plan.Node {
		f, ok := n.(*plan.FilterNode)
		if !ok {
			return n
		}
		s, ok := f.Child.(*plan.SourceScan)
		if !ok {
			return n
		}
		conj := plan.AndArgs(f.Pred)
		var preds []connectors.Predicate
		var from []int
		for i, c := range conj {
			if p, ok := plan.ScanPredicate(c, s.T.Cols); ok {
				preds = append(preds, p)
				from = append(from, i)
			}
		}
		if len(preds) == 0 {
			return n
		}
		support := s.T.Provider.Pushdown(preds)
		ns := &plan.SourceScan{T: s.T, Used: s.Used, Preds: append(append([]connectors.Predicate(nil), s.Preds...), preds...)}
		exact := map[int]bool{}
		for i, sp := range support {
			if sp == connectors.Exact {
				exact[from[i]] = true
			}
		}
		var keep []expr.Expr
		for i, c := range conj {
			if !exact[i] {
				keep = append(keep, c)
			}
		}
		if len(keep) == 0 {
			return ns
		}
		return &plan.FilterNode{Child: ns, Pred: plan.And(keep)}
	})
}
