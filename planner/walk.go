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
		args, ok := shiftAll(x.args, delta)
		c.args = args
		return &c, ok
	case *boolExpr:
		args, ok := shiftAll(x.args, delta)
		return &boolExpr{and: x.and, args: args}, ok
	case *notExpr:
		in, ok := shiftCols(x.x, delta)
		return &notExpr{x: in}, ok
	case *isNullExpr:
		in, ok := shiftCols(x.x, delta)
		return &isNullExpr{x: in, not: x.not}, ok
	case *distinctExpr:
		l, ok1 := shiftCols(x.l, delta)
		r, ok2 := shiftCols(x.r, delta)
		return &distinctExpr{l: l, r: r, not: x.not}, ok1 && ok2
	case *coalesceExpr:
		args, ok := shiftAll(x.args, delta)
		return &coalesceExpr{t: x.t, args: args}, ok
	case *minMaxExpr:
		args, ok := shiftAll(x.args, delta)
		return &minMaxExpr{t: x.t, greatest: x.greatest, args: args}, ok
	case *inListExpr:
		in, ok1 := shiftCols(x.x, delta)
		list, ok2 := shiftAll(x.list, delta)
		return &inListExpr{x: in, list: list, not: x.not}, ok1 && ok2
	case *caseExpr:
		conds, ok1 := shiftAll(x.conds, delta)
		res, ok2 := shiftAll(x.res, delta)
		c := &caseExpr{t: x.t, conds: conds, res: res}
		if x.els != nil {
			var ok3 bool
			if c.els, ok3 = shiftCols(x.els, delta); !ok3 {
				return nil, false
			}
		}
		return c, ok1 && ok2
	}
	return nil, false
}

func shiftAll(es []Expr, delta int) ([]Expr, bool) {
	out := make([]Expr, len(es))
	for i, e := range es {
		s, ok := shiftCols(e, delta)
		if !ok {
			return nil, false
		}
		out[i] = s
	}
	return out, true
}
