package planner

import (
	"crypto/md5"
	"encoding/hex"
	"math"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

func noOperator(op string, l, r types.Type, pos int) *sqlerr.Error {
	return errAt(sqlerr.New(sqlerr.UndefinedFunction, "operator does not exist: %s %s %s", l, op, r).
		WithHint("No operator matches the given name and argument types. You might need to add explicit type casts."), pos)
}

// binary resolves and binds a binary operator.
func (b *binder) binary(op string, l, r Expr, pos int) (Expr, error) {
	switch op {
	case "IS DISTINCT FROM", "IS NOT DISTINCT FROM":
		args, _, err := b.commonExprs([]Expr{l, r}, op, pos)
		if err != nil {
			return nil, err
		}
		return &distinctExpr{l: args[0], r: args[1], not: op == "IS NOT DISTINCT FROM"}, nil
	case "->", "->>", "#>", "#>>":
		if isJSON(l.Type()) {
			return b.jsonOp(op, l, r, pos)
		}
		return nil, noOperator(op, l.Type(), r.Type(), pos)
	case "||":
		if l.Type().IsArray() || r.Type().IsArray() {
			return b.arrayConcat(l, r, pos)
		}
		return b.concat(l, r, pos)
	case "~~", "!~~", "~~*", "!~~*", "~", "!~", "~*", "!~*":
		return b.match(op, l, r, pos)
	}
	// Untyped operands take the other side's type; two untyped ones are text.
	lu, ru := isUnknown(l), isUnknown(r)
	if lu && ru {
		if isComparison(op) {
			var err error
			if l, err = b.coerce(l, types.Text, "", pos); err != nil {
				return nil, err
			}
			if r, err = b.coerce(r, types.Text, "", pos); err != nil {
				return nil, err
			}
		} else {
			return nil, errAt(sqlerr.New(sqlerr.AmbiguousFunction, "operator is not unique: unknown %s unknown", op).
				WithHint("Could not choose a best candidate operator. You might need to add explicit type casts."), pos)
		}
	} else if lu || ru {
		known, unk := r, l
		if ru {
			known, unk = l, r
		}
		target := known.Type()
		// date ± integer, timestamp ± interval: the untyped side is not the same type.
		if (op == "+" || op == "-") && isDateTime(target.OID) {
			if _, isParam := unk.(*paramExpr); !isParam {
				if lit, ok := unk.(*unknownLit); ok && !lit.null {
					if target.OID == types.OIDDate && op == "-" && ru {
						if _, err := types.ParseDate(lit.s); err == nil {
							target = types.DateT
						} else {
							target = types.Int4
						}
					} else if target.OID == types.OIDDate {
						target = types.Int4
						if _, err := types.ParseInterval(lit.s); err == nil {
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
	if op == "^" && numRank(lt.OID) > 0 && numRank(rt.OID) > 0 {
		return b.power(l, r, pos)
	}
	if e := intervalScale(op, l, r); e != nil {
		return b.fold(e), nil
	}
	if isComparison(op) {
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
		args, t, err := b.commonExprs([]Expr{l, r}, op, pos)
		if err != nil {
			return nil, noOperator(op, lt, rt, pos)
		}
		if t.OID == types.OIDJSON {
			return nil, noOperator(op, lt, rt, pos)
		}
		return b.fold(&fnExpr{t: types.Bool, args: args, strict: true, pure: true, isEq: op == "=", op: op, fn: compareFn(op)}), nil
	}
	if numRank(lt.OID) > 0 && numRank(rt.OID) > 0 {
		args, t, err := b.commonExprs([]Expr{l, r}, op, pos)
		if err != nil {
			return nil, err
		}
		if t.OID == types.OIDNumeric {
			t = types.Numeric
		}
		fn := arithFn(op, t)
		if fn == nil {
			return nil, noOperator(op, lt, rt, pos)
		}
		return b.fold(&fnExpr{t: t, args: args, strict: true, pure: true, op: op, fn: fn}), nil
	}
	if e := dateArith(op, l, r); e != nil {
		if lt.OID != types.OIDTimestamptz && rt.OID != types.OIDTimestamptz {
			e.(*fnExpr).pure = true
			return b.fold(e), nil
		}
		return e, nil
	}
	return nil, noOperator(op, lt, rt, pos)
}

// commonExprs coerces operands to their common base type: operators work on
// types without modifiers (numeric(6,2) = 1.555 compares 1.555 unrounded).
func (b *binder) commonExprs(es []Expr, what string, pos int) ([]Expr, types.Type, error) {
	t, err := commonType(es, what, pos)
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
	out := make([]Expr, len(es))
	for i, e := range es {
		if out[i], err = b.coerce(e, t, what, pos); err != nil {
			return nil, t, err
		}
	}
	return out, t, nil
}

func isComparison(op string) bool {
	switch op {
	case "=", "<>", "!=", "<", ">", "<=", ">=":
		return true
	}
	return false
}

func compareFn(op string) func(*evalCtx, []types.Datum) (types.Datum, error) {
	var test func(int) bool
	switch op {
	case "=":
		test = func(c int) bool { return c == 0 }
	case "<>", "!=":
		test = func(c int) bool { return c != 0 }
	case "<":
		test = func(c int) bool { return c < 0 }
	case ">":
		test = func(c int) bool { return c > 0 }
	case "<=":
		test = func(c int) bool { return c <= 0 }
	default:
		test = func(c int) bool { return c >= 0 }
	}
	return func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
		return test(types.Compare(a[0], a[1])), nil
	}
}

func arithFn(op string, t types.Type) func(*evalCtx, []types.Datum) (types.Datum, error) {
	switch {
	case t.IsInteger():
		lo, hi := types.IntRange(t)
		return func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
			v, err := intArith(op, a[0].(int64), a[1].(int64), lo, hi, t)
			if err != nil {
				return nil, err
			}
			return v, nil
		}
	case t.OID == types.OIDFloat4 || t.OID == types.OIDFloat8:
		return func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
			x, y := a[0].(float64), a[1].(float64)
			var r float64
			switch op {
			case "+":
				r = x + y
			case "-":
				r = x - y
			case "*":
				r = x * y
			case "/":
				if y == 0 {
					return nil, sqlerr.New(sqlerr.DivisionByZero, "division by zero")
				}
				r = x / y
			default:
				return nil, sqlerr.New(sqlerr.UndefinedFunction, "operator does not exist: %s %% %s", t, t)
			}
			if math.IsInf(r, 0) && !math.IsInf(x, 0) && !math.IsInf(y, 0) {
				return nil, sqlerr.New(sqlerr.NumericValueOutOfRange, "value out of range: overflow")
			}
			if t.OID == types.OIDFloat4 {
				r = float64(float32(r))
			}
			return r, nil
		}
	case t.OID == types.OIDNumeric:
		return func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
			x, y := a[0].(*types.Decimal), a[1].(*types.Decimal)
			switch op {
			case "+":
				return x.Add(y), nil
			case "-":
				return x.Add(y.Neg()), nil
			case "*":
				return x.Mul(y), nil
			case "/":
				return x.Div(y)
			}
			// %: x - trunc(x/y)*y
			if y.Coef.Sign() == 0 {
				return nil, sqlerr.New(sqlerr.DivisionByZero, "division by zero")
			}
			s := max(x.Scale, y.Scale)
			xs, ys := x.Rescale(s), y.Rescale(s)
			r := &types.Decimal{Scale: s}
			r.Coef.Rem(&xs.Coef, &ys.Coef)
			return r, nil
		}
	}
	return nil
}

// dateArith binds date/time arithmetic: date ± int, date - date,
// timestamp[tz] ± interval, timestamp - timestamp, interval ± interval.
func dateArith(op string, l, r Expr) Expr {
	lt, rt := l.Type().OID, r.Type().OID
	mk := func(t types.Type, fn func(*evalCtx, []types.Datum) (types.Datum, error)) Expr {
		return &fnExpr{t: t, args: []Expr{l, r}, strict: true, fn: fn}
	}
	switch {
	case lt == types.OIDDate && (rt == types.OIDInt4 || rt == types.OIDInt2) && (op == "+" || op == "-"):
		return mk(types.DateT, func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
			n := a[1].(int64)
			if op == "-" {
				n = -n
			}
			return a[0].(types.Date) + types.Date(n), nil
		})
	case lt == types.OIDDate && rt == types.OIDDate && op == "-":
		return mk(types.Int4, func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
			return int64(a[0].(types.Date) - a[1].(types.Date)), nil
		})
	case (lt == types.OIDTimestamp || lt == types.OIDTimestamptz) && rt == types.OIDInterval && (op == "+" || op == "-"):
		return mk(l.Type(), func(ec *evalCtx, a []types.Datum) (types.Datum, error) {
			iv := a[1].(types.Interval)
			if op == "-" {
				iv = types.Interval{Months: -iv.Months, Days: -iv.Days, Micros: -iv.Micros}
			}
			return addInterval(ec, a[0].(types.Timestamp), iv, lt == types.OIDTimestamptz), nil
		})
	case lt == types.OIDDate && rt == types.OIDInterval && (op == "+" || op == "-"):
		return mk(types.TimestampT, func(ec *evalCtx, a []types.Datum) (types.Datum, error) {
			iv := a[1].(types.Interval)
			if op == "-" {
				iv = types.Interval{Months: -iv.Months, Days: -iv.Days, Micros: -iv.Micros}
			}
			return addInterval(ec, types.Timestamp(int64(a[0].(types.Date))*86400e6), iv, false), nil
		})
	case lt == types.OIDInterval && (rt == types.OIDTimestamp || rt == types.OIDTimestamptz) && op == "+":
		return dateArith(op, r, l)
	case lt == rt && (lt == types.OIDTimestamp || lt == types.OIDTimestamptz) && op == "-":
		return mk(types.IntervalT, func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
			us := int64(a[0].(types.Timestamp) - a[1].(types.Timestamp))
			days := us / 86400e6
			return types.Interval{Days: int32(days), Micros: us - days*86400e6}, nil
		})
	case lt == types.OIDInterval && rt == types.OIDInterval && (op == "+" || op == "-"):
		return mk(types.IntervalT, func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
			x, y := a[0].(types.Interval), a[1].(types.Interval)
			if op == "-" {
				y = types.Interval{Months: -y.Months, Days: -y.Days, Micros: -y.Micros}
			}
			return types.Interval{Months: x.Months + y.Months, Days: x.Days + y.Days, Micros: x.Micros + y.Micros}, nil
		})
	}
	return nil
}

// addInterval adds months and days in the (session) calendar, then micros.
func addInterval(ec *evalCtx, ts types.Timestamp, iv types.Interval, tz bool) types.Timestamp {
	loc := time.UTC
	if tz {
		loc = locOf(ec)
	}
	t := ts.TimeOf().In(loc)
	if iv.Months != 0 {
		y, m, d := t.Date()
		nm := time.Date(y, m+time.Month(iv.Months), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
		// Clamp the day to the end of the target month, as PostgreSQL does.
		last := time.Date(nm.Year(), nm.Month()+1, 0, 0, 0, 0, 0, loc).Day()
		t = time.Date(nm.Year(), nm.Month(), min(d, last), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
	}
	if iv.Days != 0 {
		t = t.AddDate(0, 0, int(iv.Days))
	}
	return types.TimestampOf(t) + types.Timestamp(iv.Micros)
}

func (b *binder) unary(op string, x Expr, pos int) (Expr, error) {
	if isUnknown(x) {
		var err error
		if x, err = b.coerce(x, types.Numeric, "", pos); err != nil {
			return nil, err
		}
	}
	t := x.Type()
	switch {
	case op == "+" && (numRank(t.OID) > 0 || t.OID == types.OIDInterval):
		return x, nil
	case op == "-" && t.IsInteger():
		lo, _ := types.IntRange(t)
		return b.foldFn(&fnExpr{t: t, args: []Expr{x}, strict: true, fn: func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
			if a[0].(int64) == lo {
				return nil, types.OutOfRange(t)
			}
			return -a[0].(int64), nil
		}})
	case op == "-" && (t.OID == types.OIDFloat4 || t.OID == types.OIDFloat8):
		return b.foldFn(&fnExpr{t: t, args: []Expr{x}, strict: true, fn: func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
			return -a[0].(float64), nil
		}})
	case op == "-" && t.OID == types.OIDNumeric:
		return b.foldFn(&fnExpr{t: t, args: []Expr{x}, strict: true, fn: func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
			return a[0].(*types.Decimal).Neg(), nil
		}})
	case op == "-" && t.OID == types.OIDInterval:
		return &fnExpr{t: t, args: []Expr{x}, strict: true, fn: func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
			iv := a[0].(types.Interval)
			return types.Interval{Months: -iv.Months, Days: -iv.Days, Micros: -iv.Micros}, nil
		}}, nil
	}
	return nil, errAt(sqlerr.New(sqlerr.UndefinedFunction, "operator does not exist: %s %s", op, t).
		WithHint("No operator matches the given name and argument type. You might need to add an explicit type cast."), pos)
}

// concat binds ||: text with anything non-array gives text.
func (b *binder) concat(l, r Expr, pos int) (Expr, error) {
	toText := func(e Expr) (Expr, error) {
		if isUnknown(e) {
			return b.coerce(e, types.Text, "", pos)
		}
		if e.Type().IsString() && e.Type().OID != types.OIDBpchar {
			return e, nil
		}
		return b.cast(e, types.Text, castExplicit, pos)
	}
	if !isUnknown(l) && !isUnknown(r) && !l.Type().IsString() && !r.Type().IsString() {
		return nil, noOperator("||", l.Type(), r.Type(), pos)
	}
	var err error
	if l, err = toText(l); err != nil {
		return nil, err
	}
	if r, err = toText(r); err != nil {
		return nil, err
	}
	return b.fold(&fnExpr{t: types.Text, args: []Expr{l, r}, strict: true, pure: true, fn: func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
		return a[0].(string) + a[1].(string), nil
	}}), nil
}

// match binds LIKE/ILIKE (~~, ~~*) and POSIX regular expressions (~, ~*).
func (b *binder) match(op string, l, r Expr, pos int) (Expr, error) {
	var err error
	for _, e := range []*Expr{&l, &r} {
		if isUnknown(*e) || (*e).Type().IsString() {
			if *e, err = b.coerce(*e, types.Text, "", pos); err != nil {
				return nil, err
			}
		} else {
			return nil, noOperator(op, l.Type(), r.Type(), pos)
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
			re, _, err := pgRegex(pat, flags, false)
			return re, err
		}
		src, err := likeToRegexp(pat)
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
	out := &fnExpr{t: types.Bool, args: []Expr{l, r}, strict: true, fn: func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
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
	if c, ok := r.(*constExpr); ok && c.v != nil {
		// A constant pattern also gets a column kernel (vectorize rule);
		// simple LIKE patterns avoid the regular-expression engine.
		var match func(string) bool
		if like && !fold {
			match = simpleLike(c.v.(string))
		}
		if match == nil {
			if re, err := compile(c.v.(string)); err == nil {
				match = re.MatchString
			}
		}
		if match != nil {
			out.vec = func(args []*vcol, n int) (*vcol, error) {
				a := args[0]
				res := &vcol{kind: vBool, b: make([]bool, n), null: a.null}
				for k := 0; k < n; k++ {
					if !a.isNull(k) {
						res.b[k] = match(a.s[k]) != negate
					}
				}
				return res, nil
			}
		}
	}
	return b.fold(out), nil
}

// simpleLike returns a matcher for LIKE patterns that are a literal with
// optional leading and trailing % (no _ or escapes), else nil.
func simpleLike(p string) func(string) bool {
	if strings.ContainsAny(p, "_\\") {
		return nil
	}
	lead, trail := strings.HasPrefix(p, "%"), strings.HasSuffix(p, "%") && len(p) > 1
	body := strings.TrimSuffix(strings.TrimPrefix(p, "%"), "%")
	if strings.Contains(body, "%") {
		return nil
	}
	switch {
	case p == "%":
		return func(string) bool { return true }
	case lead && trail:
		return func(s string) bool { return strings.Contains(s, body) }
	case lead:
		return func(s string) bool { return strings.HasSuffix(s, body) }
	case trail:
		return func(s string) bool { return strings.HasPrefix(s, body) }
	}
	return func(s string) bool { return s == body }
}

func likeToRegexp(p string) (string, error) {
	var sb strings.Builder
	sb.WriteString("(?s)^")
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '%':
			sb.WriteString(".*")
		case '_':
			sb.WriteString(".")
		case '\\':
			if i+1 >= len(p) {
				return "", sqlerr.New(sqlerr.InvalidEscapeSequence, "LIKE pattern must not end with escape character")
			}
			i++
			sb.WriteString(regexp.QuoteMeta(p[i : i+1]))
		default:
			sb.WriteString(regexp.QuoteMeta(p[i : i+1]))
		}
	}
	sb.WriteString("$")
	return sb.String(), nil
}

func md5Hex(s string) string {
	h := md5.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}

// power binds ^: float8 unless an operand is numeric (then numeric).
func (b *binder) power(l, r Expr, pos int) (Expr, error) {
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
		return b.fold(&fnExpr{t: t, args: []Expr{l, r}, strict: true, pure: true, fn: funcs["power"][0].fn}), nil
	}
	return b.fold(&fnExpr{t: t, args: []Expr{l, r}, strict: true, pure: true, fn: func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
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

// intervalScale binds interval * number, number * interval and interval / number.
func intervalScale(op string, l, r Expr) Expr {
	lt, rt := l.Type().OID, r.Type().OID
	var iv, f Expr
	switch {
	case op == "*" && lt == types.OIDInterval && numRank(rt) > 0:
		iv, f = l, r
	case op == "*" && rt == types.OIDInterval && numRank(lt) > 0:
		iv, f = r, l
	case op == "/" && lt == types.OIDInterval && numRank(rt) > 0:
		iv, f = l, r
	default:
		return nil
	}
	div := op == "/"
	return &fnExpr{t: types.IntervalT, args: []Expr{iv, f}, strict: true, pure: true, fn: func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
		var factor float64
		switch x := a[1].(type) {
		case int64:
			factor = float64(x)
		case float64:
			factor = x
		case *types.Decimal:
			factor = x.Float64()
		}
		if div {
			if factor == 0 {
				return nil, sqlerr.New(sqlerr.DivisionByZero, "division by zero")
			}
		}
		return scaleInterval(a[0].(types.Interval), factor, div), nil
	}}
}

// scaleInterval is PostgreSQL's interval_mul/interval_div: whole months and
// days stay, fractions cascade down to days (30 per month) and microseconds.
func scaleInterval(iv types.Interval, f float64, div bool) types.Interval {
	apply := func(x float64) float64 {
		if div {
			return x / f
		}
		return x * f
	}
	tsround := func(x float64) float64 { return math.RoundToEven(x*1e6) / 1e6 }
	months := apply(float64(iv.Months))
	days := apply(float64(iv.Days))
	out := types.Interval{Months: int32(months), Days: int32(days)}
	monthRemDays := tsround((months - float64(out.Months)) * 30)
	secRem := tsround((days - float64(out.Days) + monthRemDays - math.Trunc(monthRemDays)) * 86400)
	if math.Abs(secRem) >= 86400 {
		out.Days += int32(secRem / 86400)
		secRem -= math.Trunc(secRem/86400) * 86400
	}
	out.Days += int32(monthRemDays)
	out.Micros = int64(math.RoundToEven(apply(float64(iv.Micros)) + secRem*1e6))
	return out
}

// intArith applies + - * / % to integers with PostgreSQL's division and
// overflow rules for a result type whose range is [lo, hi].
func intArith(op string, x, y, lo, hi int64, t types.Type) (int64, error) {
	var v int64
	over := false
	switch op {
	case "+":
		v = x + y
		over = (x > 0 && y > 0 && v < 0) || (x < 0 && y < 0 && v >= 0)
	case "-":
		v = x - y
		over = (x >= 0 && y < 0 && v < 0) || (x < 0 && y > 0 && v >= 0)
	case "*":
		v = x * y
		over = x != 0 && (v/x != y || (x == -1 && y == math.MinInt64))
	case "/", "%":
		if y == 0 {
			return 0, sqlerr.New(sqlerr.DivisionByZero, "division by zero")
		}
		switch {
		case op == "%" && y == -1:
			v = 0
		case op == "%":
			v = x % y
		case y == -1:
			v, over = -x, x == math.MinInt64
		default:
			v = x / y
		}
	}
	if over || v < lo || v > hi {
		return 0, sqlerr.New(sqlerr.NumericValueOutOfRange, "%s out of range", t.Desc().SQLName)
	}
	return v, nil
}
