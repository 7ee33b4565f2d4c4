package plan

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/types"
)

// JoinNode joins two inputs. With equality keys between the sides it builds
// a hash table on the right input; otherwise it loops. cond is evaluated on
// the concatenated row (left ++ right).
type JoinNode struct {
	Left, Right           Node
	Kind                  ast.JoinKind
	Cond                  expr.Expr
	LeftWidth, RightWidth int
	// hash keys: left-side expressions (over the left row) and right-side
	// expressions (over the right row) that must be equal for a match.
	Lkeys, Rkeys []expr.Expr
	KeyTypes     []types.Type
	// Lateral: the right input is re-run for every left row (it reads the
	// left row as its enclosing level).
	Lateral bool
	// ColTypes are the types of the joined row's columns (left, then right).
	ColTypes []types.Type
}

// ScopeTypes lists the types of the columns of two scopes joined.
func ScopeTypes(l, r []ScopeCol) []types.Type {
	out := make([]types.Type, 0, len(l)+len(r))
	for _, c := range append(append([]ScopeCol(nil), l...), r...) {
		out = append(out, c.T)
	}
	return out
}

// PlanHash extracts equality conjuncts left = right from cond.
func (j *JoinNode) PlanHash() {
	if j.Cond == nil || j.Kind == ast.CrossJoin || j.Lateral || len(j.Lkeys) > 0 {
		return
	}
	for _, c := range AndArgs(j.Cond) {
		f, ok := c.(*expr.FnExpr)
		if !ok || !f.IsEq || len(f.Args) != 2 {
			continue
		}
		a, b := f.Args[0], f.Args[1]
		sa, sb := Side(a, j.LeftWidth), Side(b, j.LeftWidth)
		switch {
		case sa == 1 && sb == 2:
		case sa == 2 && sb == 1:
			a, b = b, a
		default:
			continue
		}
		rb, ok := expr.ShiftCols(b, -j.LeftWidth)
		if !ok {
			continue
		}
		j.Lkeys = append(j.Lkeys, a)
		j.Rkeys = append(j.Rkeys, rb)
		j.KeyTypes = append(j.KeyTypes, a.Type())
	}
}

// Side reports which join input an expression reads: 1 left, 2 right, 0
// none or unknown, 3 both.
func Side(e expr.Expr, leftWidth int) int {
	s := 0
	ok := expr.WalkExpr(e, func(x expr.Expr) bool {
		if c, isCol := x.(*expr.ColExpr); isCol {
			if c.Idx < leftWidth {
				s |= 1
			} else {
				s |= 2
			}
		}
		return true
	})
	if !ok {
		return 3
	}
	return s
}

// LateralCapable reports whether a FROM item may refer to items on its left:
// LATERAL sub-queries and (implicitly) functions.
func LateralCapable(t ast.TableRef) bool {
	switch x := t.(type) {
	case *ast.SubqueryTable:
		return x.Lateral
	case *ast.FuncTable:
		return true
	}
	return false
}

// LateralJoinNode runs its right input once per left row, with the left row
// as the right side's enclosing level (LATERAL).
type LateralJoinNode struct {
	Left, Right           Node
	Kind                  ast.JoinKind
	Cond                  expr.Expr
	LeftWidth, RightWidth int
}
