package expr

import (
	"crypto/md5"
	"encoding/hex"
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

func NoOperator(op string, l, r types.Type, pos int) *sqlerr.Error {
	return ErrAt(sqlerr.New(sqlerr.UndefinedFunction, "operator does not exist: %s %s %s", l, op, r).
		WithHint("No operator matches the given name and argument types. You might need to add explicit type casts."), pos)
}

func IsComparison(op string) bool {
	switch op {
	case "=", "<>", "!=", "<", ">", "<=", ">=":
		return true
	}
	return false
}

func CompareFn(op string) func(*EvalCtx, []types.Datum) (types.Datum, error) {
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
	return func(_ *EvalCtx, a []types.Datum) (types.Datum, error) {
		return test(types.Compare(a[0], a[1])), nil
	}
}

func ArithFn(op string, t types.Type) func(*EvalCtx, []types.Datum) (types.Datum, error) {
	switch {
	case t.IsInteger():
		lo, hi := types.IntRange(t)
		return func(_ *EvalCtx, a []types.Datum) (types.Datum, error) {
			v, err := intArith(op, a[0].(int64), a[1].(int64), lo, hi, t)
			if err != nil {
				return nil, err
			}
			return v, nil
		}
	case t.OID == types.OIDFloat4 || t.OID == types.OIDFloat8:
		return func(_ *EvalCtx, a []types.Datum) (types.Datum, error) {
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
		return func(_ *EvalCtx, a []types.Datum) (types.Datum, error) {
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

// DateArith binds date/time arithmetic: date ± int, date - date,
// timestamp[tz] ± interval, timestamp - timestamp, interval ± interval.
func DateArith(op string, l, r Expr) Expr {
	lt, rt := l.Type().OID, r.Type().OID
	mk := func(t types.Type, fn func(*EvalCtx, []types.Datum) (types.Datum, error)) Expr {
		return &FnExpr{T: t, Args: []Expr{l, r}, Strict: true, Fn: fn}
	}
	switch {
	case lt == types.OIDDate && (rt == types.OIDInt4 || rt == types.OIDInt2) && (op == "+" || op == "-"):
		return mk(types.DateT, func(_ *EvalCtx, a []types.Datum) (types.Datum, error) {
			n := a[1].(int64)
			if op == "-" {
				n = -n
			}
			return a[0].(types.Date) + types.Date(n), nil
		})
	case lt == types.OIDDate && rt == types.OIDDate && op == "-":
		return mk(types.Int4, func(_ *EvalCtx, a []types.Datum) (types.Datum, error) {
			return int64(a[0].(types.Date) - a[1].(types.Date)), nil
		})
	case (lt == types.OIDTimestamp || lt == types.OIDTimestamptz) && rt == types.OIDInterval && (op == "+" || op == "-"):
		return mk(l.Type(), func(ec *EvalCtx, a []types.Datum) (types.Datum, error) {
			iv := a[1].(types.Interval)
			if op == "-" {
				iv = types.Interval{Months: -iv.Months, Days: -iv.Days, Micros: -iv.Micros}
			}
			return AddInterval(ec, a[0].(types.Timestamp), iv, lt == types.OIDTimestamptz), nil
		})
	case lt == types.OIDDate && rt == types.OIDInterval && (op == "+" || op == "-"):
		return mk(types.TimestampT, func(ec *EvalCtx, a []types.Datum) (types.Datum, error) {
			iv := a[1].(types.Interval)
			if op == "-" {
				iv = types.Interval{Months: -iv.Months, Days: -iv.Days, Micros: -iv.Micros}
			}
			return AddInterval(ec, types.Timestamp(int64(a[0].(types.Date))*86400e6), iv, false), nil
		})
	case lt == types.OIDInterval && (rt == types.OIDTimestamp || rt == types.OIDTimestamptz) && op == "+":
		return DateArith(op, r, l)
	case lt == rt && (lt == types.OIDTimestamp || lt == types.OIDTimestamptz) && op == "-":
		return mk(types.IntervalT, func(_ *EvalCtx, a []types.Datum) (types.Datum, error) {
			us := int64(a[0].(types.Timestamp) - a[1].(types.Timestamp))
			days := us / 86400e6
			return types.Interval{Days: int32(days), Micros: us - days*86400e6}, nil
		})
	case lt == types.OIDInterval && rt == types.OIDInterval && (op == "+" || op == "-"):
		return mk(types.IntervalT, func(_ *EvalCtx, a []types.Datum) (types.Datum, error) {
			x, y := a[0].(types.Interval), a[1].(types.Interval)
			if op == "-" {
				y = types.Interval{Months: -y.Months, Days: -y.Days, Micros: -y.Micros}
			}
			return types.Interval{Months: x.Months + y.Months, Days: x.Days + y.Days, Micros: x.Micros + y.Micros}, nil
		})
	}
	return nil
}

// AddInterval adds months and days in the (session) calendar, then micros.
func AddInterval(ec *EvalCtx, ts types.Timestamp, iv types.Interval, tz bool) types.Timestamp {
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

// SimpleLike returns a matcher for LIKE patterns that are a literal with
// optional leading and trailing % (no _ or escapes), else nil.
func SimpleLike(p string) func(string) bool {
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

func LikeToRegexp(p string) (string, error) {
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

// IntervalScale binds interval * number, number * interval and interval / number.
func IntervalScale(op string, l, r Expr) Expr {
	lt, rt := l.Type().OID, r.Type().OID
	var iv, f Expr
	switch {
	case op == "*" && lt == types.OIDInterval && NumRank(rt) > 0:
		iv, f = l, r
	case op == "*" && rt == types.OIDInterval && NumRank(lt) > 0:
		iv, f = r, l
	case op == "/" && lt == types.OIDInterval && NumRank(rt) > 0:
		iv, f = l, r
	default:
		return nil
	}
	div := op == "/"
	return &FnExpr{T: types.IntervalT, Args: []Expr{iv, f}, Strict: true, Pure: true, Fn: func(_ *EvalCtx, a []types.Datum) (types.Datum, error) {
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
		return ScaleInterval(a[0].(types.Interval), factor, div), nil
	}}
}

// ScaleInterval is PostgreSQL's interval_mul/interval_div: whole months and
// days stay, fractions cascade down to days (30 per month) and microseconds.
func ScaleInterval(iv types.Interval, f float64, div bool) types.Interval {
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
