package planner

// walkExpr calls fn on e and its sub-expressions (pre-order) while fn
// returns true. It returns false if it met an expression it cannot see
// into (a sub-query), so callers can stay conservative.
func walkExpr(e Expr, fn func(Expr) bool) bool {
	if e == nil {
		return true
	}
	if !fn(e) {
		return true
	}
	var kids []Expr
	switch x := e.(type) {
	case *constExpr, *paramExpr, *colExpr, *outerColExpr, *unknownLit, *groupingExpr, *winRefExpr, *srfRefExpr:
	case *fnExpr:
		kids = x.args
	case *castExpr:
		kids = []Expr{x.x}
	case *boolExpr:
		kids = x.args
	case *notExpr:
		kids = []Expr{x.x}
	case *isNullExpr:
		kids = []Expr{x.x}
	case *distinctExpr:
		kids = []Expr{x.l, x.r}
	case *caseExpr:
		kids = append(append(append([]Expr{}, x.conds...), x.res...), x.els)
	case *coalesceExpr:
		kids = x.args
	case *minMaxExpr:
		kids = x.args
	case *inListExpr:
		kids = append([]Expr{x.x}, x.list...)
	default:
		return false
	}
	for _, k := range kids {
		if !walkExpr(k, fn) {
			return false
		}
	}
	return true
}

// shiftCols returns a copy of e whose column references are moved by delta;
// ok is false when e holds something that cannot be copied this way.
func shiftCols(e Expr, delta int) (Expr, bool) {
	switch x := e.(type) {
	case *colExpr:
		return &colExpr{idx: x.idx + delta, t: x.t}, true
	case *constExpr, *paramExpr, *outerColExpr:
		return x, true
	case *castExpr:
		in, ok := shiftCols(x.x, delta)
		if !ok {
			return nil, false
		}
		return &castExpr{x: in, to: x.to, fn: x.fn}, true
	case *fnExpr:
		c := *x
		c.args = make([]Expr, len(x.args))
		for i, a := range x.args {
			s, ok := shiftCols(a, delta)
			if !ok {
				return nil, false
			}
			c.args[i] = s
		}
		return &c, true
	}
	return nil, false
}
