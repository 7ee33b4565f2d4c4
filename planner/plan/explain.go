package plan

import (
	"fmt"
	"strings"
)

// Describe is the one-line description of an operator and the inputs EXPLAIN shows.
func Describe(n Node) (string, []Node) {
	d := describeOne(n)
	if c, ok := n.(*CteScan); ok {
		if c.Def.Recursive {
			return d, []Node{c.Def.Base, c.Def.Rec}
		}
		return d, []Node{c.Def.Base}
	}
	switch x := n.(type) {
	case *VecAggNode:
		return d, []Node{x.Scan}
	case *VecFilterScan:
		var kids []Node
		for _, j := range x.Joins {
			kids = append(kids, j.Build)
		}
		return d, kids
	}
	return d, Children(n)
}

func describeOne(n Node) string {
	switch x := n.(type) {
	case OneRow:
		return "Result"
	case *ValuesNode:
		return fmt.Sprintf("Values Scan (%d rows)", len(x.Rows))
	case *MemScan:
		return "Seq Scan on " + x.T.Schema + "." + x.T.Name
	case *SourceScan:
		return describeScan(x)
	case *TopNScan:
		return describeScan(x.Src) + " (top-N prefilter)"
	case *VecFilterScan:
		if len(x.Joins) > 0 {
			return fmt.Sprintf("Vector Hash Join (%d joins) over %s (%d filters)", len(x.Joins), x.tableName(), len(x.Preds))
		}
		if len(x.Preds) == 0 {
			return "Vector Scan on " + x.tableName()
		}
		return fmt.Sprintf("Vector Filter Scan on %s (%d filters)", x.tableName(), len(x.Preds))
	case *VecAggNode:
		if len(x.Keys) == 0 {
			return fmt.Sprintf("Vector Aggregate (%d aggregates)", len(x.Aggs))
		}
		return fmt.Sprintf("Vector HashAggregate (%d keys, %d aggregates)", len(x.Keys), len(x.Aggs))
	case *SeriesNode:
		return "Function Scan on generate_series"
	case *UnnestNode:
		return "Function Scan on unnest"
	case *SubscriptsNode:
		return "Function Scan on generate_subscripts"
	case *FilterNode:
		return "Filter"
	case *SampleNode:
		return "Sample (" + x.Method + ")"
	case *ProjectNode:
		return fmt.Sprintf("Project (%d columns)", len(x.Exprs))
	case *SortNode:
		keys := make([]string, len(x.Keys))
		for i, k := range x.Keys {
			keys[i] = fmt.Sprintf("#%d", k.Idx+1)
			if k.Desc {
				keys[i] += " DESC"
			}
			if k.NullsFirst != k.Desc {
				if k.NullsFirst {
					keys[i] += " NULLS FIRST"
				} else {
					keys[i] += " NULLS LAST"
				}
			}
		}
		return "Sort (" + strings.Join(keys, ", ") + ")"
	case *LimitNode:
		return "Limit"
	case *DistinctNode:
		return fmt.Sprintf("Unique (%d keys)", len(x.Idx))
	case *JoinNode:
		kind := map[int]string{0: "Inner", 1: "Left", 2: "Right", 3: "Full", 4: "Cross"}[int(x.Kind)]
		if len(x.Lkeys) > 0 {
			return fmt.Sprintf("Hash Join (%s, %d keys)", kind, len(x.Lkeys))
		}
		return fmt.Sprintf("Nested Loop (%s)", kind)
	case *LateralJoinNode:
		kind := map[int]string{0: "Inner", 1: "Left", 4: "Cross"}[int(x.Kind)]
		return "Nested Loop Lateral (" + kind + ")"
	case *OrdinalityNode:
		return "WithOrdinality"
	case *AggNode:
		if len(x.Ctx.Groups) == 0 {
			return fmt.Sprintf("Aggregate (%d aggregates)", len(x.Ctx.Aggs))
		}
		return fmt.Sprintf("HashAggregate (%d keys, %d aggregates)", len(x.Ctx.Groups), len(x.Ctx.Aggs))
	case *SetOpNode:
		name := map[int]string{1: "Union", 2: "Intersect", 3: "Except"}[int(x.Kind)]
		if x.All {
			name += " All"
		}
		return name
	case *CteScan:
		if x.Def.Recursive {
			return "Recursive CTE Scan on " + x.Def.Name
		}
		return "CTE Scan on " + x.Def.Name
	case *ProjectSetNode:
		return fmt.Sprintf("ProjectSet (%d functions)", len(x.Set.Calls))
	case *WindowNode:
		return fmt.Sprintf("WindowAgg (%d functions)", len(x.Set.Calls))
	}
	return fmt.Sprintf("%T", n)
}

// PlanCost estimates an operator's output rows and total cost: a
// hundredth per row produced, plus its inputs' cost.
func PlanCost(n Node) (rows, total float64) {
	for _, k := range Children(n) {
		r, c := PlanCost(k)
		total += c
		if rows < r {
			rows = r
		}
	}
	if est := EstimateRows(n); est >= 0 {
		rows = est
	} else if len(Children(n)) == 0 {
		rows = 1000
	}
	if _, ok := n.(OneRow); ok {
		rows = 1
	}
	total += rows * 0.01
	return rows, total
}
