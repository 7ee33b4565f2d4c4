package bind

import (
	"regexp"
	"strings"
	"sync"

	"github.com/sluicedb/sluice/planner"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// binary resolves and binds a binary operator.
func (b *binder) binary(op string, l, r planner.Expr, pos int) (planner.Expr, error) {
	switch op {
	case "IS DISTINCT FROM", "IS NOT DISTINCT FROM":
		args, _, err := b.commonExprs([]planner.Expr{l, r}, op, pos)
		if err != nil {
			return nil, err
		}
		return &planner.DistinctExpr{L: args[0], R: args[1], Not: op == "IS NOT DISTINCT FROM"}, nil
	case "->", "->>", "#>", "#>>":
		if planner.IsJSON(l.Type()) {
			return b.jsonOp(op, l, r, pos)
		}
		return nil, planner.NoOperator(op, l.Type(), r.Type(), pos)
	case "||":
		if l.Type().IsArray() || r.Type().IsArray() {
			return b.arrayConcat(l, r, pos)
		}
		return b.concat(l, r, pos)
	case "~~", "!~~", "~~*", "!~~*", "~", "!~", "~*", "!~*":
		return b.match(op, l, r, pos)
	}
	// Untyped operands take the other side's type; two untyped ones are text.
	lu, ru := planner.IsUnknown(l), planner.IsUnknown(r)
	if lu && ru {
		if planner.IsComparison(op) {
			var err error
			if l, err = b.coerce(l, types.Text, "", pos); err != nil {
				return nil, err
			}
			if r, err = b.coerce(r, types.Text, "", pos); err != nil {
				return nil, err
			}
		} else {
			return nil, planner.ErrAt(sqlerr.New(sqlerr.AmbiguousFunction, "operator is not unique: unknown %s unknown", op).
				WithHint("Could not choose a best candidate operator. You might need to add explicit type casts."), pos)
		}
	} else if lu || ru {
		known, unk := r, l
		if ru {
			known, unk = l, r
		}
		target := known.Type()
		// date ± integer, timestamp ± interval: the untyped side is not the same type.
		if (op == "+" || op == "-") && planner.IsDateTime(target.OID) {
			if _, isParam := unk.(*planner.ParamExpr); !isParam {
				if lit, ok := unk.(*planner.UnknownLit); ok && !lit.Null {
					if target.OID == types.OIDDate && op == "-" && ru {
						if _, err := types.ParseDate(lit.S); err == nil {
							target = types.DateT
						} else {
							target = types.Int4
						}
					} else if target.OID == types.OIDDate {
						target = types.Int4
						if _, err := types.ParseInterval(lit.S); err == nil {
							target = types.IntervalT
						}
					} else {
						target = types.IntervalT
					}
				}
			} else {
				target = types.IntervalT
			}
		}
		var err error
		if unk, err = b.coerce(unk, target, "", pos); err != nil {
			return nil, err
		}
		if lu {
			l = unk
		} else {
			r = unk
		}
	}
	lt, rt := l.Type(), r.Type()
	if op == "^" && planner.NumRank(lt.OID) > 0 && planner.NumRank(rt.OID) > 0 {
		return b.power(l, r, pos)
	}
	if e := planner.IntervalScale(op, l, r); e != nil {
		return b.fold(e), nil
	}
	if planner.IsComparison(op) {
		// "char" has only "char" = "char"; against another string type
		// both sides go to text by their implicit casts, as in PostgreSQL.
		if lt.OID == types.OIDChar && rt.IsString() || rt.OID == types.OIDChar && lt.IsString() {
			var err error
			if l, err = b.coerce(l, types.Text, "", pos); err != nil {
				return nil, err
			}
			if r, err = b.coerce(r, types.Text, "", pos); err != nil {
				return nil, err
			}
		}
		args, t, err := b.commonExprs([]planner.Expr{l, r}, op, pos)
		if err != nil {
			return nil, planner.NoOperator(op, lt, rt, pos)
		}
		if t.OID == types.OIDJSON {
			return nil, planner.NoOperator(op, lt, rt, pos)
		}
		return b.fold(&planner.FnExpr{T: types.Bool, Args: args, Strict: true, Pure: true, IsEq: op == "=", Op: op, Fn: planner.CompareFn(op)}), nil
	}
	if planner.NumRank(lt.OID) > 0 && planner.NumRank(rt.OID) > 0 {
		args, t, err := b.commonExprs([]planner.Expr{l, r}, op, pos)
		if err != nil {
			return nil, err
		}
		if t.OID == types.OIDNumeric {
			t = types.Numeric
		}
		fn := planner.ArithFn(op, t)
		if fn == nil {
			return nil, planner.NoOperator(op, lt, rt, pos)
		}
		return b.fold(&planner.FnExpr{T: t, Args: args, Strict: true, Pure: true, Op: op, Fn: fn}), nil
	}
	if e := planner.DateArith(op, l, r); e != nil {
		if lt.OID != types.OIDTimestamptz && rt.OID != types.OIDTimestamptz {
			e.(*planner.FnExpr).Pure = true
			return b.fold(e), nil
		}
		return e, nil
	}
	return nil, planner.NoOperator(op, lt, rt, pos)
}

// commonExprs coerces operands to their common base type: operators work on
// types without modifiers (numeric(6,2) = 1.555 compares 1.555 unrounded).
func (b *binder) commonExprs(es []planner.Expr, what string, pos int) ([]planner.Expr, types.Type, error) {
	t, err := planner.CommonType(es, what, pos)
	if err != nil {
		return nil, t, err
	}
	t.Typmod = -1
	if t.OID == types.OIDFloat4 {
		// float4 with an integer or numeric operand resolves to float8 (the
		// numeric category's preferred type), as PostgreSQL's operators do.
		for _, e := range es {
			if o := e.Type().OID; o != types.OIDFloat4 && o != types.OIDUnknown {
				t = types.Float8
			}
		}
	}
	out := make([]planner.Expr, len(es))
	for i, e := range es {
		if out[i], err = b.coerce(e, t, what, pos); err != nil {
			return nil, t, err
		}
	}
	return out, t, nil
}

func (b *binder) unary(op string, x planner.Expr, pos int) (planner.Expr, error) {
	if planner.IsUnknown(x) {
		var err error
		if x, err = b.coerce(x, types.Numeric, "", pos); err != nil {
			return nil, err
		}
	}
	t := x.Type()
	switch {
	case op == "+" && (planner.NumRank(t.OID) > 0 || t.OID == types.OIDInterval):
		return x, nil
	case op == "-" && t.IsInteger():
		lo, _ := types.IntRange(t)
		return b.foldFn(&planner.FnExpr{T: t, Args: []planner.Expr{x}, Strict: true, Fn: func(_ *planner.EvalCtx, a []types.Datum) (types.Datum, error) {
			if a[0].(int64) == lo {
				return nil, types.OutOfRange(t)
			}
			return -a[0].(int64), nil
		}})
	case op == "-" && (t.OID == types.OIDFloat4 || t.OID == types.OIDFloat8):
		return b.foldFn(&planner.FnExpr{T: t, Args: []planner.Expr{x}, Strict: true, Fn: func(_ *planner.EvalCtx, a []types.Datum) (types.Datum, error) {
			return -a[0].(float64), nil
		}})
	case op == "-" && t.OID == types.OIDNumeric:
		return b.foldFn(&planner.FnExpr{T: t, Args: []planner.Expr{x}, Strict: true, Fn: func(_ *planner.EvalCtx, a []types.Datum) (types.Datum, error) {
			return a[0].(*types.Decimal).Neg(), nil
		}})
	case op == "-" && t.OID == types.OIDInterval:
		return &planner.FnExpr{T: t, Args: []planner.Expr{x}, Strict: true, Fn: func(_ *planner.EvalCtx, a []types.Datum) (types.Datum, error) {
			iv := a[0].(types.Interval)
			return types.Interval{Months: -iv.Months, Days: -iv.Days, Micros: -iv.Micros}, nil
		}}, nil
	}
	return nil, planner.ErrAt(sqlerr.New(sqlerr.UndefinedFunction, "operator does not exist: %s %s", op, t).
		WithHint("No operator matches the given name and argument type. You might need to add an explicit type cast."), pos)
}

// concat binds ||: text with anything non-array gives text.
func (b *binder) concat(l, r planner.Expr, pos int) (planner.Expr, error) {
	toText := func(e planner.Expr) (planner.Expr, error) {
		if planner.IsUnknown(e) {
			return b.coerce(e, types.Text, "", pos)
		}
		if e.Type().IsString() && e.Type().OID != types.OIDBpchar {
			return e, nil
		}
		return b.cast(e, types.Text, planner.CastExplicit, pos)
	}
	if !planner.IsUnknown(l) && !planner.IsUnknown(r) && !l.Type().IsString() && !r.Type().IsString() {
		return nil, planner.NoOperator("||", l.Type(), r.Type(), pos)
	}
	var err error
	if l, err = toText(l); err != nil {
		return nil, err
	}
	if r, err = toText(r); err != nil {
		return nil, err
	}
	return b.fold(&planner.FnExpr{T: types.Text, Args: []planner.Expr{l, r}, Strict: true, Pure: true, Fn: func(_ *planner.EvalCtx, a []types.Datum) (types.Datum, error) {
		return a[0].(string) + a[1].(string), nil
	}}), nil
}

// match binds LIKE/ILIKE (~~, ~~*) and POSIX regular expressions (~, ~*).
func (b *binder) match(op string, l, r planner.Expr, pos int) (planner.Expr, error) {
	var err error
	for _, e := range []*planner.Expr{&l, &r} {
		if planner.IsUnknown(*e) || (*e).Type().IsString() {
			if *e, err = b.coerce(*e, types.Text, "", pos); err != nil {
				return nil, err
			}
		} else {
			return nil, planner.NoOperator(op, l.Type(), r.Type(), pos)
		}
	}
	negate := strings.HasPrefix(op, "!")
	fold := strings.HasSuffix(op, "*")
	like := strings.Contains(op, "~~")
	compile := func(pat string) (*regexp.Regexp, error) {
		if !like {
			flags := ""
			if fold {
				flags = "i"
			}
			re, _, err := planner.PgRegex(pat, flags, false)
			return re, err
		}
		src, err := planner.LikeToRegexp(pat)
		if err != nil {
			return nil, err
		}
		if fold {
			src = "(?i)" + src
		}
		re, err := regexp.Compile(src)
		if err != nil {
			return nil, sqlerr.New(sqlerr.InvalidParameterValue, "invalid regular expression: %v", err)
		}
		return re, nil
	}
	var mu sync.Mutex
	cache := map[string]*regexp.Regexp{}
	out := &planner.FnExpr{T: types.Bool, Args: []planner.Expr{l, r}, Strict: true, Fn: func(_ *planner.EvalCtx, a []types.Datum) (types.Datum, error) {
		pat := a[1].(string)
		mu.Lock()
		re, ok := cache[pat]
		mu.Unlock()
		if !ok {
			var err error
			if re, err = compile(pat); err != nil {
				return nil, err
			}
			mu.Lock()
			if len(cache) < 64 {
				cache[pat] = re
			}
			mu.Unlock()
		}
		return re.MatchString(a[0].(string)) != negate, nil
	}}
	if c, ok := r.(*planner.ConstExpr); ok && c.V != nil {
		// A constant pattern also gets a column kernel (vectorize rule);
		// simple LIKE patterns avoid the regular-expression engine.
		var match func(string) bool
		if like && !fold {
			match = planner.SimpleLike(c.V.(string))
		}
		if match == nil {
			if re, err := compile(c.V.(string)); err == nil {
				match = re.MatchString
			}
		}
		if match != nil {
			out.Vec = func(args []*planner.Vcol, n int) (*planner.Vcol, error) {
				a := args[0]
				res := &planner.Vcol{Kind: planner.VBool, B: make([]bool, n), Null: a.Null}
				for k := 0; k < n; k++ {
					if !a.IsNull(k) {
						res.B[k] = match(a.S[k]) != negate
					}
				}
				return res, nil
			}
		}
	}
	return b.fold(out), nil
}

// power binds ^: float8 unless an operand is numeric (then numeric).
func (b *binder) power(l, r planner.Expr, pos int) (planner.Expr, error) {
	t := types.Float8
	if l.Type().OID == types.OIDNumeric || r.Type().OID == types.OIDNumeric {
		t = types.Numeric
	}
	var err error
	if l, err = b.coerce(l, t, "", pos); err != nil {
		return nil, err
	}
	if r, err = b.coerce(r, t, "", pos); err != nil {
		return nil, err
	}
	if t.OID == types.OIDFloat8 {
		return b.fold(&planner.FnExpr{T: t, Args: []planner.Expr{l, r}, Strict: true, Pure: true, Fn: planner.Funcs["power"][0].Fn}), nil
	}
	return b.fold(&planner.FnExpr{T: t, Args: []planner.Expr{l, r}, Strict: true, Pure: true, Fn: func(_ *planner.EvalCtx, a []types.Datum) (types.Datum, error) {
		x, y := a[0].(*types.Decimal), a[1].(*types.Decimal)
		n, ok := y.Int64()
		if !ok || y.Cmp(types.DecimalFromInt(n)) != 0 || n < 0 || n > 10000 {
			return nil, sqlerr.Unsupported("numeric ^ with a fractional, negative or huge exponent is not supported yet")
		}
		r := types.DecimalFromInt(1)
		for i := int64(0); i < n; i++ {
			r = r.Mul(x)
		}
		// PostgreSQL shows an integer power with the base's scale times the
		// exponent, capped as power_var_int does (at least 16 digits).
		return r.Rescale(max(x.Scale*int32(n), 0)), nil
	}}), nil
}
