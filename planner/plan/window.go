package plan

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/types"
)

// WinCall is one window function call.
type WinCall struct {
	Name      string
	Args      []expr.Expr
	Partition []expr.Expr
	Order     []expr.Expr
	OrderKey  []expr.SortKey
	Frame     int32
	Start     expr.Expr
	End       expr.Expr
	Agg       *expr.AggDef // for aggregates used as window functions
	Filter    expr.Expr
	T         types.Type
	// RANGE frames with offsets: the ORDER BY key as compared (dates as
	// timestamps), and key ∓ offset for the frame's start and end.
	RangeKey             expr.Expr
	RangeStart, RangeEnd expr.Expr
}

// WinSet collects a query level's window calls; their results are appended
// to each row, so a reference reads from the row's end.
type WinSet struct {
	Calls []*WinCall
	Srfs  *SrfSet // set-returning results appended after the window results
}

type WinRefExpr struct {
	Set *WinSet
	K   int
	T   types.Type
}

func (*WinRefExpr) PlanRef()           {}
func (e *WinRefExpr) Type() types.Type { return e.T }
func (e *WinRefExpr) Eval(_ *expr.EvalCtx, row []types.Datum) (types.Datum, error) {
	return row[len(row)-len(e.Set.Srfs.Calls)-len(e.Set.Calls)+e.K], nil
}

var RankingFuncs = map[string]bool{"row_number": true, "rank": true, "dense_rank": true, "percent_rank": true,
	"cume_dist": true, "ntile": true, "lag": true, "lead": true, "first_value": true, "last_value": true, "nth_value": true}

// ContainsWindow reports whether an expression calls a window function at
// this query level.
func ContainsWindow(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(x ast.Expr) bool {
		if f, ok := x.(*ast.FuncCall); ok && f.Over != nil {
			found = true
		}
		return !found
	})
	return found
}

// WindowNode appends the window results to each input row.
type WindowNode struct {
	Child Node
	Set   *WinSet
}
