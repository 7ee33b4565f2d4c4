package plan

import (
	"strconv"

	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// OutputRef resolves an ORDER BY item naming an output column by position
// or name: the index, -1 if it is something else, -2 for a bad position.
func OutputRef(e ast.Expr, cols []Column) int {
	switch x := e.(type) {
	case *ast.Const:
		if x.Kind == ast.ConstInt {
			n, _ := strconv.Atoi(x.Val)
			if n < 1 || n > len(cols) {
				return -2
			}
			return n - 1
		}
	case *ast.ColumnRef:
		if len(x.Names) == 1 && !x.Star {
			for i, c := range cols {
				if c.Name == x.Names[0] {
					return i
				}
			}
		}
	}
	return -1
}

func ExprPos(e ast.Expr) int { return ast.PosOf(e) }

func SortKeyOf(idx int, o *ast.OrderItem) expr.SortKey {
	nf := o.Desc
	if o.NullsFirst != nil {
		nf = *o.NullsFirst
	}
	return expr.SortKey{Idx: idx, Desc: o.Desc, NullsFirst: nf}
}

func Seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func ExprTypes(es []expr.Expr) []types.Type {
	out := make([]types.Type, len(es))
	for i, e := range es {
		out[i] = e.Type()
	}
	return out
}

// SameExpr reports whether two bound expressions are the same column.
func SameExpr(a, b expr.Expr) bool {
	x, ok1 := a.(*expr.ColExpr)
	y, ok2 := b.(*expr.ColExpr)
	return ok1 && ok2 && x.Idx == y.Idx
}

// DerivedScope names a derived table's columns (with its column aliases).
func DerivedScope(x *ast.SubqueryTable, cols []Column) ([]ScopeCol, error) {
	if len(x.ColAliases) > len(cols) {
		return nil, sqlerr.New(sqlerr.InvalidColumnReference, "table \"%s\" has %d columns available but %d columns specified", x.Alias, len(cols), len(x.ColAliases))
	}
	sc := make([]ScopeCol, len(cols))
	for i, c := range cols {
		name := c.Name
		if i < len(x.ColAliases) {
			name = x.ColAliases[i]
		}
		sc[i] = ScopeCol{Table: x.Alias, Name: name, T: c.Type}
	}
	return sc, nil
}

// namedByCast reports whether e's column name would come from a cast's
// type name: a cast over nothing that names a column more strongly.
func namedByCast(e ast.Expr) bool {
	c, ok := e.(*ast.Cast)
	return ok && (namedByCast(c.X) || ColumnName(c.X) == "?column?")
}

// ColumnName is PostgreSQL's FigureColname for an unnamed select item.
func ColumnName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.ColumnRef:
		if len(x.Names) > 0 {
			return x.Names[len(x.Names)-1]
		}
	case *ast.FuncCall:
		if x.Label != "" {
			return x.Label
		}
		return x.Name[len(x.Name)-1]
	case *ast.Cast:
		// A cast's type names the column only weakly (FigureColname's
		// strength 1): a name from below wins unless it too is a type name.
		if !namedByCast(x.X) {
			if n := ColumnName(x.X); n != "?column?" {
				return n
			}
		}
		return x.Type.Name
	case *ast.CaseExpr:
		return "case"
	case *ast.ArrayExpr:
		return "array"
	case *ast.Subscript:
		return ColumnName(x.X)
	case *ast.FieldSelect:
		return x.Field
	case *ast.RowExpr:
		return "row"
	case *ast.Coalesce:
		return "coalesce"
	case *ast.NullIf:
		return "nullif"
	case *ast.MinMax:
		if x.Greatest {
			return "greatest"
		}
		return "least"
	case *ast.SubLink:
		switch x.Kind {
		case ast.ExistsSubLink:
			return "exists"
		case ast.ArraySubLink:
			return "array"
		case ast.ExprSubLink:
			if len(x.Query.Targets) == 1 {
				if x.Query.Targets[0].Name != "" {
					return x.Query.Targets[0].Name
				}
				return ColumnName(x.Query.Targets[0].Expr)
			}
		}
	case *ast.Const:
		if x.Kind == ast.ConstBool {
			return "bool"
		}
	}
	return "?column?"
}
