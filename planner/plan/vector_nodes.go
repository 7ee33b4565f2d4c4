package plan

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/sql/types"
)

// VecFilterScan is a table scan with its filters evaluated a column at a
// time; it yields the table's own rows that pass.
type VecFilterScan struct {
	T     *MemTable   // an in-memory table, or
	Src   *SourceScan // a provider's scan (vector_source.go)
	Preds []expr.Vexpr
	// Joins, under an aggregation only: the passing rows are joined with
	// build inputs (vector_join.go). joinSpace is then the joined row's
	// columns, joinExprs every expression the joins evaluate, and used
	// marks the columns of joinSpace anything reads (the others are not
	// gathered).
	Joins     []*VecJoin
	JoinSpace []Column
	JoinExprs []expr.Expr
	Used      []bool
	// Fails[i]: preds[i] may raise an error (it then sees only the rows
	// the filters before it kept).
	Fails []bool
}

// Space is the columns the expressions over this scan's rows refer to.
func (v *VecFilterScan) Space() []Column {
	if len(v.Joins) > 0 {
		return v.JoinSpace
	}
	return v.TableCols()
}

// TableCols are the scanned table's columns.
func (v *VecFilterScan) TableCols() []Column {
	if v.Src != nil {
		return v.Src.T.Cols
	}
	return v.T.Cols
}

// tableName is the scanned table's schema.name.
func (v *VecFilterScan) tableName() string {
	if v.Src != nil {
		return v.Src.T.Schema + "." + v.Src.T.Name
	}
	return v.T.Schema + "." + v.T.Name
}

// VecAgg is one aggregate the vectorized aggregation computes with typed
// accumulators.
type VecAgg struct {
	Name string // count, count_star, sum, min, max, avg
	Arg  expr.Vexpr
	In   types.Type
	Out  types.Type
}

// VecAggNode is a GROUP BY over a vectorized filtered scan; its rows have
// aggNode's layout [keys…, 0, aggregates…].
type VecAggNode struct {
	Scan *VecFilterScan
	Keys []expr.Vexpr
	Kt   []types.Type
	Aggs []VecAgg
	Orig *AggNode // what EXPLAIN and rules-off runs see
	// CompactArgs: a key or argument may fail, so it is evaluated over the
	// selected rows only (compact) when a filter dropped some.
	CompactArgs bool
}

// AddPreds adds filter predicates to the scan (compileConjuncts).
func (v *VecFilterScan) AddPreds(preds []expr.Expr, cols []Column) bool {
	ks, fails, ok := CompileConjuncts(preds, cols)
	v.Preds, v.Fails = append(v.Preds, ks...), append(v.Fails, fails...)
	return ok
}

// CompileConjuncts compiles predicates conjunct by conjunct, in order:
// each narrows the selection before the next is evaluated, and one that
// can fail (mayFail) sees only the rows still selected — so WHERE a <> 0
// AND 10 / a > 2 divides only where a <> 0, as the row engine does.
func CompileConjuncts(preds []expr.Expr, cols []Column) ([]expr.Vexpr, []bool, bool) {
	var ks []expr.Vexpr
	var fails []bool
	for _, p := range preds {
		for _, c := range AndArgs(p) {
			k, ok := expr.CompileVec(c, ColumnTypes(cols))
			if !ok {
				return nil, nil, false
			}
			ks, fails = append(ks, k), append(fails, MayFail(c))
		}
	}
	return ks, fails, true
}

// MayFail reports whether evaluating e can raise an error for some row:
// arithmetic (overflow, division by zero), casts and function calls. Such
// kernels are run only over the rows still selected.
func MayFail(e expr.Expr) bool {
	fails := false
	ok := expr.WalkExpr(e, func(x expr.Expr) bool {
		switch f := x.(type) {
		case *expr.FnExpr:
			switch f.Op {
			case "=", "<>", "!=", "<", ">", "<=", ">=":
			default:
				fails = true
			}
		case *expr.CastExpr:
			fails = true
		}
		return !fails
	})
	return fails || !ok
}
