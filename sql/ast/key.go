package ast

import (
	"fmt"
	"strings"
)

// Key renders an expression without positions: equal keys mean the same
// expression as written (GROUP BY matching, grouping-set de-duplication).
func Key(e Expr) string {
	var b strings.Builder
	var w func(Expr)
	w = func(e Expr) {
		switch x := e.(type) {
		case nil:
			b.WriteString("nil")
		case *Const:
			fmt.Fprintf(&b, "C%d:%q", x.Kind, x.Val)
		case *Param:
			fmt.Fprintf(&b, "$%d", x.N)
		case *ColumnRef:
			fmt.Fprintf(&b, "R%q%v", x.Names, x.Star)
		case *FuncCall:
			fmt.Fprintf(&b, "F%q%v%v(", x.Name, x.Star, x.Distinct)
			for _, a := range x.Args {
				w(a)
				b.WriteByte(',')
			}
			b.WriteByte(')')
			if x.Filter != nil || x.OrderBy != nil || x.Over != nil {
				fmt.Fprintf(&b, "%p", x) // never equal to another call
			}
		case *Cast:
			fmt.Fprintf(&b, "T%q%v%v(", x.Type.Name, x.Type.Mods, x.Type.Array)
			w(x.X)
			b.WriteByte(')')
		case *BinaryExpr:
			fmt.Fprintf(&b, "B%q(", x.Op)
			w(x.L)
			b.WriteByte(',')
			w(x.R)
			b.WriteByte(')')
		case *UnaryExpr:
			fmt.Fprintf(&b, "U%q(", x.Op)
			w(x.X)
			b.WriteByte(')')
		case *BoolExpr:
			fmt.Fprintf(&b, "L%d(", x.Op)
			for _, a := range x.Args {
				w(a)
				b.WriteByte(',')
			}
			b.WriteByte(')')
		case *NullTest:
			fmt.Fprintf(&b, "N%v(", x.Not)
			w(x.X)
			b.WriteByte(')')
		case *CaseExpr:
			b.WriteString("CASE(")
			w(x.Arg)
			for _, wh := range x.Whens {
				w(wh.Cond)
				b.WriteByte(':')
				w(wh.Result)
				b.WriteByte(';')
			}
			w(x.Else)
			b.WriteByte(')')
		case *Coalesce:
			b.WriteString("COALESCE(")
			for _, a := range x.Args {
				w(a)
				b.WriteByte(',')
			}
			b.WriteByte(')')
		default:
			fmt.Fprintf(&b, "%T%p", e, e) // unique: never matches another node
		}
	}
	w(e)
	return b.String()
}
