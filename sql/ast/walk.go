package ast

// Inspect calls fn on e and, while fn returns true, on its sub-expressions
// in source order. It stays at e's query level: a sub-query's body is not
// entered (only the left operand of ANY/ALL, which belongs to this level).
func Inspect(e Expr, fn func(Expr) bool) {
	if e == nil || !fn(e) {
		return
	}
	each := func(es ...Expr) {
		for _, x := range es {
			Inspect(x, fn)
		}
	}
	orderItems := func(items []*OrderItem) {
		for _, o := range items {
			Inspect(o.Expr, fn)
		}
	}
	switch x := e.(type) {
	case *FuncCall:
		each(x.Args...)
		each(x.Filter)
		orderItems(x.OrderBy)
		if x.Over != nil {
			each(x.Over.PartitionBy...)
			orderItems(x.Over.OrderBy)
			each(x.Over.Start, x.Over.End)
		}
	case *Cast:
		each(x.X)
	case *BinaryExpr:
		each(x.L, x.R)
	case *UnaryExpr:
		each(x.X)
	case *BoolExpr:
		each(x.Args...)
	case *NullTest:
		each(x.X)
	case *CaseExpr:
		each(x.Arg)
		for _, w := range x.Whens {
			each(w.Cond, w.Result)
		}
		each(x.Else)
	case *Coalesce:
		each(x.Args...)
	case *NullIf:
		each(x.L, x.R)
	case *MinMax:
		each(x.Args...)
	case *InList:
		each(x.X)
		each(x.List...)
	case *Between:
		each(x.X, x.Lo, x.Hi)
	case *ArrayExpr:
		each(x.Elems...)
	case *Subscript:
		each(x.X, x.Index, x.Lo, x.Hi)
	case *FieldSelect:
		each(x.X)
	case *RowExpr:
		each(x.Args...)
	case *ArrayCmp:
		each(x.X, x.Array)
	case *SubLink:
		each(x.Test)
	}
}

// PosOf is where an expression starts in the statement text, for errors
// about it (-1: unknown).
func PosOf(e Expr) int {
	switch x := e.(type) {
	case *Const:
		return x.Pos
	case *ColumnRef:
		return x.Pos
	case *FuncCall:
		return x.Pos
	case *BinaryExpr:
		return x.Pos
	case *FieldSelect:
		return x.Pos
	case *Subscript:
		return PosOf(x.X)
	}
	return -1
}
