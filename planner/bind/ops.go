package bind

import (
	"regexp"
	"strings"
	"sync"

	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// binary resolves and binds a binary operator.
func (b *binder) binary(op string, l, r expr.Expr, pos int) (expr.Expr, error) {
	switch op {
	case "IS DISTINCT FROM", "IS NOT DISTINCT FROM":
		args, _, err := b.commonExprs([]expr.Expr{l, r}, op, pos)
		if err != nil {
			return nil, err
		}
		return &expr.DistinctExpr{L: args[0], R: args[1], Not: op == "IS NOT DISTINCT FROM"}, nil
	case "->", "->>", "#>", "#>>":
		if expr.IsJSON(l.Type()) {
			return b.jsonOp(op, l, r, pos)
		}
		return nil, expr.NoOperator(op, l.Type(), r.Type(), pos)
	case "||":
		if l.Type().IsArray() || r.Type().IsArray() {
			return b.arrayConcat(l, r, pos)
		}
		return b.concat(l, r, pos)
	case "~~", "!~~", "~~*", "!~~*", "~", "!~", "~*", "!~*":
		return b.match(op, l, r, pos)
	}
	// Untyped operands take the other side's type; two untyped ones are text.
	lu, ru := expr.IsUnknown(l), expr.IsUnknown(r)
	if lu && ru {
		if expr.IsComparison(op) {
			var err error
			if l, err = b.coerce(l, types.Text, "", pos); err != nil {
				return nil, err
			}
			if r, err = b.coerce(r, types.Text, "", pos); err != nil {
				return nil, err
			}
		} else {
			return nil, expr.ErrAt(sqlerr.New(sqlerr.AmbiguousFunction, "operator is not unique: unknown %s unknown", op).
				WithHint("Could not choose a best candidate operator. You might need to add explicit type casts."), pos)
		}
	} else if lu || ru {
		known, unk := r, l
		if ru {
			known, unk = l, r
		}
		target := known.Type()
		// date ± integer, timestamp ± interval: the untyped side is not the same type.
		if (op == "+" || op == "-") && plan.IsDateTime(target.OID) {
			if _, isParam := unk.(*expr.ParamExpr); !isParam {
				if lit, ok := unk.(*expr.UnknownLit); ok && !lit.Null {
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
	if op == "^" && expr.NumRank(lt.OID) > 0 && expr.NumRank(rt.OID) > 0 {
		return b.power(l, r, pos)
	}
	if e := expr.IntervalScale(op, l, r); e != nil {
		return b.fold(e), nil
	}
	if expr.IsComparison(op) {
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
		args, t, err := b.commonExprs([]expr.Expr{l, r}, op, pos)
		if err != nil {
			return nil, expr.NoOperator(op, lt, rt, pos)
		}
		if t.OID == types.OIDJSON {
			return nil, expr.NoOperator(op, lt, rt, pos)
		}
		return b.fold(&expr.FnExpr{T: types.Bool, Args: args, Strict: true, Pure: true, IsEq: op == "=", Op: op, Fn: expr.CompareFn(op)}), nil
	}
	if expr.NumRank(lt.OID) > 0 && expr.NumRank(rt.OID) > 0 {
		args, t, err := b.commonExprs([]expr.Expr{l, r}, op, pos)
		if err != nil {
			return nil, err
		}
		if t.OID == types.OIDNumeric {
			t = types.Numeric
		}
		fn := expr.ArithFn(op, t)
		if fn == nil {
			return nil, expr.NoOperator(op, lt, rt, pos)
		}
		return b.fold(&expr.FnExpr{T: t, Args: args, Strict: true, Pure: true, Op: op, Fn: fn}), nil
	}
	if e := expr.DateArith(op, l, r); e != nil {
		if lt.OID != types.OIDTimestamptz && rt.OID != types.OIDTimestamptz {
			e.(*expr.FnExpr).Pure = true
			return b.fold(e), nil
		}
		return e, nil
	}
	return nil, expr.NoOperator(op, lt, rt, pos)
}

// commonExprs coerces operands to their common base type: operators work on
// types without modifiers (numeric(6,2) = 1.555 compares 1.555 unrounded).
func (b *binder) commonExprs(es []expr.Expr, what string, pos int) ([]expr.Expr, types.Type, error) {
	t, err := plan.CommonType(es, what, pos)
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
	out := make([]expr.Expr, len(es))
	for i, e := range es {
		if out[i], err = b.coerce(e, t, what, pos); err != nil {
			return nil, t, err
		}
	}
	return out, t, nil
}

func (b *binder) unary(op string, x expr.Expr, pos int) (expr.Expr, error) {
	if expr.IsUnknown(x) {
		var err error
		if x, err = b.coerce(x, types.Numeric, "", pos); err != nil {
			return nil, err
		}
	}
	t := x.Type()
	switch {
	case op == "+" && (expr.NumRank(t.OID) > 0 || t.OID == types.OIDInterval):
		return x, nil
	case op == "-" && t.IsInteger():
		lo, _ := types.IntRange(t)
		return b.foldFn(&expr.FnExpr{T: t, Args: []expr.Expr{x}, Strict: true, Fn: func(_ *expr.EvalCtx, a []types.Datum) (types.Datum, error) {
			if a[0].(int64) == lo {
				return nil, types.OutOfRange(t)
			}
			return -a[0].(int64), nil
		}})
	case op == "-" && (t.OID == types.OIDFloat4 || t.OID == types.OIDFloat8):
		return b.foldFn(&expr.FnExpr{T: t, Args: []expr.Expr{x}, Strict: true, Fn: func(_ *expr.EvalCtx, a []types.Datum) (types.Datum, error) {
			return -a[0].(float64), nil
		}})
	case op == "-" && t.OID == types.OIDNumeric:
		return b.foldFn(&expr.FnExpr{T: t, Args: []expr.Expr{x}, Strict: true, Fn: func(_ *expr.EvalCtx, a []types.Datum) (types.Datum, error) {
			return a[0].(*types.Decimal).Neg(), nil
		}})
	case op == "-" && t.OID == types.OIDInterval:
		return &expr.FnExpr{T: t, Args: []expr.Expr{x}, Strict: true, Fn: func(_ *expr.EvalCtx, a []types.Datum) (types.Datum, error) {
			iv := a[0].(types.Interval)
			return types.Interval{Months: -iv.Months, Days: -iv.Days, Micros: -iv.Micros}, nil
		}}, nil
	}
	return nil, expr.ErrAt(sqlerr.New(sqlerr.UndefinedFunction, "operator does not exist: %s %s", op, t).
		WithHint("No operator matches the given name and argument type. You might need to add an explicit type cast."), pos)
}

// concat binds ||: text with anything non-array gives text.
func (b *binder) concat(l, r expr.Expr, pos int) (expr.Expr, error) {
	toText := func(e expr.Expr) (expr.Expr, error) {
		if expr.IsUnknown(e) {
			return b.coerce(e, types.Text, "", pos)
		}
		if e.Type().IsString() && e.Type().OID != types.OIDBpchar {
			return e, nil
		}
		return b.cast(e, types.Text, expr.CastExplicit, pos)
	}
	if !expr.IsUnknown(l) && !expr.IsUnknown(r) && !l.Type().IsString() && !r.Type().IsString() {
		return nil, expr.NoOperator("||", l.Type(), r.Type(), pos)
	}
	var err error
	if l, err = toText(l); err != nil {
		return nil, err
	}
	if r, err = toText(r); err != nil {
		return nil, err
	}
	return b.fold(&expr.FnExpr{T: types.Text, Args: []expr.Expr{l, r}, Strict: true, Pure: true, Fn: func(_ *expr.EvalCtx, a []types.Datum) (types.Datum, error) {
		return a[0].(string) + a[1].(string), nil
	}}), nil
}

// match binds LIKE/ILIKE (~~, ~~*) and POSIX regular expressions (~, ~*).
func (b *binder) match(op string, l, r expr.Expr, pos int) (expr.Expr, error) {
	var err error
	for _, e := range []*expr.Expr{&l, &r} {
		if expr.IsUnknown(*e) || (*e).Type().IsString() {
			if *e, err = b.coerce(*e, types.Text, "", pos); err != nil {
				return nil, err
			}
		} else {
			return nil, expr.NoOperator(op, l.Type(), r.Type(), pos)
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
			re, _, err := expr.PgRegex(pat, flags, false)
			return re, err
		}
		src, err := expr.LikeToRegexp(pat)
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
	out := &expr.FnExpr{T: types.Bool, Args: []expr.Expr{l, r}, Strict: true, Fn: func(_ *expr.EvalCtx, a []types.Datum) (types.Datum, error) {
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
	if c, ok := r.(*expr.ConstExpr); ok && c.V != nil {
		// A constant pattern also gets a column kernel (vectorize rule);
		// simple LIKE patterns avoid the regular-expression engine.
		var match func(string) bool
		if like && !fold {
			match = expr.SimpleLike(c.V.(string))
		}
		if match == nil {
			if re, err := compile(c.V.(string)); err == nil {
				match = re.MatchString
			}
		}
		if match != nil {
			out.Vec = func(args []*expr.Vcol, n int) (*expr.Vcol, error) {
				a := args[0]
				res := &expr.Vcol{Kind: expr.VBool, B: make([]bool, n), Null: a.Null}
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
func (b *binder) power(l, r expr.Expr, pos int) (expr.Expr, error) {
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
		return b.fold(&expr.FnExpr{T: t, Args: []expr.Expr{l, r}, Strict: true, Pure: true, Fn: expr.Funcs["power"][0].Fn}), nil
	}
	return b.fold(&expr.FnExpr{T: t, Args: []expr.Expr{l, r}, Strict: true, Pure: true, Fn: func(_ *expr.EvalCtx, a []types.Datum) (types.Datum, error) {
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
