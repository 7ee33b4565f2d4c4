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
	case *rowValueExpr:
		kids = x.args
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
	return mapCols(e, func(i int) int { return i + delta })
}

// mapCols returns a copy of e whose column references go through f.
func mapCols(e Expr, f func(int) int) (Expr, bool) {
	switch x := e.(type) {
	case *colExpr:
		return &colExpr{idx: f(x.idx), t: x.t}, true
	case *constExpr, *paramExpr, *outerColExpr:
		return x, true
	case *castExpr:
		in, ok := mapCols(x.x, f)
		if !ok {
			return nil, false
		}
		return &castExpr{x: in, to: x.to, fn: x.fn}, true
	case *fnExpr:
		c := *x
		args, ok := shiftAll(x.args, f)
		c.args = args
		return &c, ok
	case *boolExpr:
		args, ok := shiftAll(x.args, f)
		return &boolExpr{and: x.and, args: args}, ok
	case *notExpr:
		in, ok := mapCols(x.x, f)
		return &notExpr{x: in}, ok
	case *isNullExpr:
		in, ok := mapCols(x.x, f)
		return &isNullExpr{x: in, not: x.not}, ok
	case *distinctExpr:
		l, ok1 := mapCols(x.l, f)
		r, ok2 := mapCols(x.r, f)
		return &distinctExpr{l: l, r: r, not: x.not}, ok1 && ok2
	case *coalesceExpr:
		args, ok := shiftAll(x.args, f)
		return &coalesceExpr{t: x.t, args: args}, ok
	case *minMaxExpr:
		args, ok := shiftAll(x.args, f)
		return &minMaxExpr{t: x.t, greatest: x.greatest, args: args}, ok
	case *inListExpr:
		in, ok1 := mapCols(x.x, f)
		list, ok2 := shiftAll(x.list, f)
		return &inListExpr{x: in, list: list, not: x.not}, ok1 && ok2
	case *caseExpr:
		conds, ok1 := shiftAll(x.conds, f)
		res, ok2 := shiftAll(x.res, f)
		c := &caseExpr{t: x.t, conds: conds, res: res}
		if x.els != nil {
			var ok3 bool
			if c.els, ok3 = mapCols(x.els, f); !ok3 {
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
		s, ok := mapCols(e, f)
		if !ok {
			return nil, false
		}
		out[i] = s
	}
	return out, true
}
