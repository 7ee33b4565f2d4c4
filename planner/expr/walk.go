package expr

// Ref is an expression that refers to a value computed elsewhere in the
// plan (a grouping set number, a window or set-returning function's
// result): it has no sub-expressions to walk.
type Ref interface {
	Expr
	PlanRef()
}

// WalkExpr calls fn on e and its sub-expressions (pre-order) while fn
// returns true. It returns false if it met an expression it cannot see
// into (a sub-query), so callers can stay conservative.
func WalkExpr(e Expr, fn func(Expr) bool) bool {
	if e == nil {
		return true
	}
	if !fn(e) {
		return true
	}
	var kids []Expr
	switch x := e.(type) {
	case *ConstExpr, *ParamExpr, *ColExpr, *OuterColExpr, *UnknownLit, Ref:
	case *FnExpr:
		kids = x.Args
	case *CastExpr:
		kids = []Expr{x.X}
	case *BoolExpr:
		kids = x.Args
	case *NotExpr:
		kids = []Expr{x.X}
	case *IsNullExpr:
		kids = []Expr{x.X}
	case *DistinctExpr:
		kids = []Expr{x.L, x.R}
	case *CaseExpr:
		kids = append(append(append([]Expr{}, x.Conds...), x.Res...), x.Els)
	case *CoalesceExpr:
		kids = x.Args
	case *MinMaxExpr:
		kids = x.Args
	case *InListExpr:
		kids = append([]Expr{x.X}, x.List...)
	case *RowValueExpr:
		kids = x.Args
	default:
		return false
	}
	for _, k := range kids {
		if !WalkExpr(k, fn) {
			return false
		}
	}
	return true
}

// ShiftCols returns a copy of e whose column references are moved by delta;
// ok is false when e holds something that cannot be copied this way.
func ShiftCols(e Expr, delta int) (Expr, bool) {
	return MapCols(e, func(i int) int { return i + delta })
}

// MapCols returns a copy of e whose column references go through f.
func MapCols(e Expr, f func(int) int) (Expr, bool) {
	switch x := e.(type) {
	case *ColExpr:
		return &ColExpr{Idx: f(x.Idx), T: x.T}, true
	case *ConstExpr, *ParamExpr, *OuterColExpr:
		return x, true
	case *CastExpr:
		in, ok := MapCols(x.X, f)
		if !ok {
			return nil, false
		}
		return &CastExpr{X: in, To: x.To, Fn: x.Fn}, true
	case *FnExpr:
		c := *x
		args, ok := shiftAll(x.Args, f)
		c.Args = args
		return &c, ok
	case *BoolExpr:
		args, ok := shiftAll(x.Args, f)
		return &BoolExpr{And: x.And, Args: args}, ok
	case *NotExpr:
		in, ok := MapCols(x.X, f)
		return &NotExpr{X: in}, ok
	case *IsNullExpr:
		in, ok := MapCols(x.X, f)
		return &IsNullExpr{X: in, Not: x.Not}, ok
	case *DistinctExpr:
		l, ok1 := MapCols(x.L, f)
		r, ok2 := MapCols(x.R, f)
		return &DistinctExpr{L: l, R: r, Not: x.Not}, ok1 && ok2
	case *CoalesceExpr:
		args, ok := shiftAll(x.Args, f)
		return &CoalesceExpr{T: x.T, Args: args}, ok
	case *MinMaxExpr:
		args, ok := shiftAll(x.Args, f)
		return &MinMaxExpr{T: x.T, Greatest: x.Greatest, Args: args}, ok
	case *InListExpr:
		in, ok1 := MapCols(x.X, f)
		list, ok2 := shiftAll(x.List, f)
		return &InListExpr{X: in, List: list, Not: x.Not}, ok1 && ok2
	case *CaseExpr:
		conds, ok1 := shiftAll(x.Conds, f)
		res, ok2 := shiftAll(x.Res, f)
		c := &CaseExpr{T: x.T, Conds: conds, Res: res}
		if x.Els != nil {
			var ok3 bool
			if c.Els, ok3 = MapCols(x.Els, f); !ok3 {
				return nil, false
			}
		}
		return c, ok1 && ok2
	}
	return nil, false
}

func shiftAll(es []Expr, f func(int) int) ([]Expr, bool) {
	out := make([]Expr, len(es))
	for i, e := range es {
		s, ok := MapCols(e, f)
		if !ok {
			return nil, false
		}
		out[i] = s
	}
	return out, true
}
