package expr

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// Math, string and date/time functions with PostgreSQL's semantics. Each is
// registered with its argument types; binding resolves overloads with the
// implicit-cast rules in pickOverload.

func pureFn(name string, args []types.Type, ret types.Type, fn func(a []types.Datum) (types.Datum, error)) {
	reg(name, funcDef{Args: args, Ret: ret, Strict: true, Pure: true, Fn: func(_ *EvalCtx, a []types.Datum) (types.Datum, error) { return fn(a) }})
}

func init() {
	T, I4, I8, F8, N := types.Text, types.Int4, types.Int8, types.Float8, types.Numeric
	// Math.
	pureFn("round", []types.Type{N}, N, func(a []types.Datum) (types.Datum, error) { return a[0].(*types.Decimal).Rescale(0), nil })
	pureFn("round", []types.Type{N, I4}, N, func(a []types.Datum) (types.Datum, error) {
		return roundDecimal(a[0].(*types.Decimal), a[1].(int64)), nil
	})
	pureFn("round", []types.Type{F8}, F8, func(a []types.Datum) (types.Datum, error) { return math.RoundToEven(a[0].(float64)), nil })
	pureFn("trunc", []types.Type{N}, N, func(a []types.Datum) (types.Datum, error) { return truncDecimal(a[0].(*types.Decimal), 0), nil })
	pureFn("trunc", []types.Type{N, I4}, N, func(a []types.Datum) (types.Datum, error) {
		return truncDecimal(a[0].(*types.Decimal), a[1].(int64)), nil
	})
	pureFn("trunc", []types.Type{F8}, F8, func(a []types.Datum) (types.Datum, error) { return math.Trunc(a[0].(float64)), nil })
	for _, name := range []string{"floor", "ceil", "ceiling"} {
		up := name != "floor"
		pureFn(name, []types.Type{N}, N, func(a []types.Datum) (types.Datum, error) { return floorCeil(a[0].(*types.Decimal), up), nil })
		pureFn(name, []types.Type{F8}, F8, func(a []types.Datum) (types.Datum, error) {
			if up {
				return math.Ceil(a[0].(float64)), nil
			}
			return math.Floor(a[0].(float64)), nil
		})
	}
	for _, t := range []types.Type{types.Int2, I4, I8} {
		t := t
		pureFn("mod", []types.Type{t, t}, t, func(a []types.Datum) (types.Datum, error) {
			if a[1].(int64) == 0 {
				return nil, sqlerr.New(sqlerr.DivisionByZero, "division by zero")
			}
			if a[1].(int64) == -1 {
				return int64(0), nil
			}
			return a[0].(int64) % a[1].(int64), nil
		})
	}
	pureFn("mod", []types.Type{N, N}, N, func(a []types.Datum) (types.Datum, error) { return ArithFn("%", N)(nil, a) })
	pureFn("sign", []types.Type{F8}, F8, func(a []types.Datum) (types.Datum, error) {
		v := a[0].(float64)
		switch {
		case v > 0:
			return 1.0, nil
		case v < 0:
			return -1.0, nil
		}
		return 0.0, nil
	})
	pureFn("sign", []types.Type{N}, N, func(a []types.Datum) (types.Datum, error) {
		return types.DecimalFromInt(int64(a[0].(*types.Decimal).Coef.Sign())), nil
	})
	float1 := func(name string, f func(float64) float64, domain func(float64) error) {
		pureFn(name, []types.Type{F8}, F8, func(a []types.Datum) (types.Datum, error) {
			x := a[0].(float64)
			if domain != nil {
				if err := domain(x); err != nil {
					return nil, err
				}
			}
			return f(x), nil
		})
	}
	float1("sqrt", math.Sqrt, func(x float64) error {
		if x < 0 {
			return sqlerr.New(sqlerr.InvalidArgumentForPowerFunction, "cannot take square root of a negative number")
		}
		return nil
	})
	float1("cbrt", math.Cbrt, nil)
	float1("exp", math.Exp, nil)
	logDomain := func(x float64) error {
		if x == 0 {
			return sqlerr.New(sqlerr.InvalidArgumentForLogarithm, "cannot take logarithm of zero")
		}
		if x < 0 {
			return sqlerr.New(sqlerr.InvalidArgumentForLogarithm, "cannot take logarithm of a negative number")
		}
		return nil
	}
	float1("ln", math.Log, logDomain)
	float1("log", math.Log10, logDomain)
	float1("log10", math.Log10, logDomain)
	float1("degrees", func(x float64) float64 { return x * 180 / math.Pi }, nil)
	float1("radians", func(x float64) float64 { return x * math.Pi / 180 }, nil)
	for name, f := range map[string]func(float64) float64{"sin": math.Sin, "cos": math.Cos, "tan": math.Tan, "atan": math.Atan} {
		float1(name, f, nil)
	}
	pureFn("pi", nil, F8, func([]types.Datum) (types.Datum, error) { return math.Pi, nil })
	pureFn("power", []types.Type{F8, F8}, F8, func(a []types.Datum) (types.Datum, error) {
		x, y := a[0].(float64), a[1].(float64)
		if x == 0 && y < 0 {
			return nil, sqlerr.New(sqlerr.InvalidArgumentForPowerFunction, "zero raised to a negative power is undefined")
		}
		if x < 0 && y != math.Trunc(y) {
			return nil, sqlerr.New(sqlerr.InvalidArgumentForPowerFunction, "a negative number raised to a non-integer power yields a complex result")
		}
		return math.Pow(x, y), nil
	})
	Funcs["pow"] = Funcs["power"]
	reg("random", funcDef{Ret: F8, Volatile: true, Fn: func(*EvalCtx, []types.Datum) (types.Datum, error) { return randFloat(), nil }})

	// Strings.
	pureFn("substr", []types.Type{T, I4}, T, func(a []types.Datum) (types.Datum, error) {
		return substr(a[0].(string), a[1].(int64), 0, false)
	})
	pureFn("substr", []types.Type{T, I4, I4}, T, func(a []types.Datum) (types.Datum, error) {
		return substr(a[0].(string), a[1].(int64), a[2].(int64), true)
	})
	// substring(s FROM pattern) is a regular expression; substring(s
	// SIMILAR pattern ESCAPE e) a SIMILAR TO pattern. Listed before the
	// integer forms: untyped literals resolve to text, as in PostgreSQL.
	pureFn("substring", []types.Type{T, T}, T, func(a []types.Datum) (types.Datum, error) {
		re, _, err := PgRegex(a[1].(string), "", false)
		if err != nil {
			return nil, err
		}
		return regexSubstring(re, a[0].(string)), nil
	})
	pureFn("substring", []types.Type{T, T, T}, T, func(a []types.Datum) (types.Datum, error) {
		re, err := similarSubstringRegex(a[1].(string), a[2].(string))
		if err != nil {
			return nil, err
		}
		return regexSubstring(re, a[0].(string)), nil
	})
	Funcs["substring"] = append(Funcs["substring"], Funcs["substr"]...)
	similarEscape := func(a []types.Datum) (types.Datum, error) {
		esc := `\`
		if len(a) > 1 {
			esc = a[1].(string)
		}
		return similarToRegex(a[0].(string), esc, false)
	}
	pureFn("similar_to_escape", []types.Type{T}, T, similarEscape)
	pureFn("similar_to_escape", []types.Type{T, T}, T, similarEscape)
	pureFn("strpos", []types.Type{T, T}, I4, func(a []types.Datum) (types.Datum, error) {
		i := strings.Index(a[0].(string), a[1].(string))
		if i < 0 {
			return int64(0), nil
		}
		return int64(utf8.RuneCountInString(a[0].(string)[:i]) + 1), nil
	})
	Funcs["position"] = Funcs["strpos"]
	pureFn("replace", []types.Type{T, T, T}, T, func(a []types.Datum) (types.Datum, error) {
		if a[1].(string) == "" {
			return a[0], nil
		}
		return strings.ReplaceAll(a[0].(string), a[1].(string), a[2].(string)), nil
	})
	pureFn("split_part", []types.Type{T, T, I4}, T, func(a []types.Datum) (types.Datum, error) {
		s, sep, n := a[0].(string), a[1].(string), a[2].(int64)
		if n == 0 {
			return nil, sqlerr.New(sqlerr.InvalidParameterValue, "field position must not be zero")
		}
		var parts []string
		if sep == "" {
			parts = []string{s}
		} else {
			parts = strings.Split(s, sep)
		}
		if n < 0 {
			n = int64(len(parts)) + n + 1
			if n < 1 {
				return "", nil
			}
		}
		if int(n) > len(parts) {
			return "", nil
		}
		return parts[n-1], nil
	})
	trims := map[string]func(string, string) string{"btrim": strings.Trim, "ltrim": strings.TrimLeft, "rtrim": strings.TrimRight}
	for name, f := range trims {
		f := f
		pureFn(name, []types.Type{T}, T, func(a []types.Datum) (types.Datum, error) { return f(a[0].(string), " "), nil })
		pureFn(name, []types.Type{T, T}, T, func(a []types.Datum) (types.Datum, error) { return f(a[0].(string), a[1].(string)), nil })
	}
	pad := func(left bool) func(a []types.Datum) (types.Datum, error) {
		return func(a []types.Datum) (types.Datum, error) {
			s, n := []rune(a[0].(string)), int(a[1].(int64))
			fill := " "
			if len(a) > 2 {
				fill = a[2].(string)
			}
			if n < 0 {
				n = 0
			}
			if len(s) >= n {
				return string(s[:n]), nil
			}
			if fill == "" {
				return string(s), nil
			}
			fr := []rune(fill)
			padding := make([]rune, 0, n-len(s))
			for i := 0; len(padding) < n-len(s); i++ {
				padding = append(padding, fr[i%len(fr)])
			}
			if left {
				return string(padding) + string(s), nil
			}
			return string(s) + string(padding), nil
		}
	}
	pureFn("lpad", []types.Type{T, I4}, T, pad(true))
	pureFn("lpad", []types.Type{T, I4, T}, T, pad(true))
	pureFn("rpad", []types.Type{T, I4}, T, pad(false))
	pureFn("rpad", []types.Type{T, I4, T}, T, pad(false))
	pureFn("left", []types.Type{T, I4}, T, func(a []types.Datum) (types.Datum, error) {
		r, n := []rune(a[0].(string)), int(a[1].(int64))
		if n < 0 {
			n = max(len(r)+n, 0)
		}
		return string(r[:min(n, len(r))]), nil
	})
	pureFn("right", []types.Type{T, I4}, T, func(a []types.Datum) (types.Datum, error) {
		r, n := []rune(a[0].(string)), int(a[1].(int64))
		if n < 0 {
			n = max(len(r)+n, 0)
		}
		return string(r[len(r)-min(n, len(r)):]), nil
	})
	pureFn("reverse", []types.Type{T}, T, func(a []types.Datum) (types.Datum, error) {
		r := []rune(a[0].(string))
		for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
			r[i], r[j] = r[j], r[i]
		}
		return string(r), nil
	})
	pureFn("starts_with", []types.Type{T, T}, types.Bool, func(a []types.Datum) (types.Datum, error) {
		return strings.HasPrefix(a[0].(string), a[1].(string)), nil
	})
	pureFn("initcap", []types.Type{T}, T, func(a []types.Datum) (types.Datum, error) {
		prevAlnum := false
		out := []rune(a[0].(string))
		for i, r := range out {
			if prevAlnum {
				out[i] = unicode.ToLower(r)
			} else {
				out[i] = unicode.ToUpper(r)
			}
			prevAlnum = unicode.IsLetter(r) || unicode.IsDigit(r)
		}
		return string(out), nil
	})
	pureFn("ascii", []types.Type{T}, I4, func(a []types.Datum) (types.Datum, error) {
		r, _ := utf8.DecodeRuneInString(a[0].(string))
		if a[0].(string) == "" {
			r = 0
		}
		return int64(r), nil
	})
	pureFn("chr", []types.Type{I4}, T, func(a []types.Datum) (types.Datum, error) {
		c := a[0].(int64)
		if c == 0 {
			return nil, sqlerr.New(sqlerr.ProgramLimitExceeded, "null character not permitted")
		}
		if c < 0 || c > unicode.MaxRune {
			return nil, sqlerr.New(sqlerr.ProgramLimitExceeded, "requested character too large for encoding: %d", c)
		}
		return string(rune(c)), nil
	})
	pureFn("translate", []types.Type{T, T, T}, T, func(a []types.Datum) (types.Datum, error) {
		from, to := []rune(a[1].(string)), []rune(a[2].(string))
		var b strings.Builder
		for _, r := range a[0].(string) {
			idx := -1
			for i, f := range from {
				if f == r {
					idx = i
					break
				}
			}
			switch {
			case idx < 0:
				b.WriteRune(r)
			case idx < len(to):
				b.WriteRune(to[idx])
			}
		}
		return b.String(), nil
	})
	pureFn("to_hex", []types.Type{I8}, T, func(a []types.Datum) (types.Datum, error) {
		return strconv.FormatUint(uint64(a[0].(int64)), 16), nil
	})
	pureFn("quote_ident", []types.Type{T}, T, func(a []types.Datum) (types.Datum, error) { return quoteIdent(a[0].(string)), nil })
	pureFn("quote_literal", []types.Type{T}, T, func(a []types.Datum) (types.Datum, error) { return quoteLiteral(a[0].(string)), nil })
	reg("concat_ws", funcDef{Args: []types.Type{T, T}, variadic: true, Ret: T, Pure: true, Fn: func(_ *EvalCtx, a []types.Datum) (types.Datum, error) {
		if a[0] == nil {
			return nil, nil
		}
		var parts []string
		for _, v := range a[1:] {
			if v != nil {
				parts = append(parts, v.(string))
			}
		}
		return strings.Join(parts, a[0].(string)), nil
	}})
	regexReplace := func(a []types.Datum) (types.Datum, error) {
		flags := ""
		if len(a) > 3 {
			flags = a[3].(string)
		}
		re, global, err := PgRegex(a[1].(string), flags, true)
		if err != nil {
			return nil, err
		}
		repl := convertReplacement(a[2].(string))
		if global {
			return re.ReplaceAllString(a[0].(string), repl), nil
		}
		s := a[0].(string)
		loc := re.FindStringSubmatchIndex(s)
		if loc == nil {
			return s, nil
		}
		return s[:loc[0]] + string(re.ExpandString(nil, repl, s, loc)) + s[loc[1]:], nil
	}
	pureFn("regexp_replace", []types.Type{T, T, T}, T, regexReplace)
	pureFn("regexp_replace", []types.Type{T, T, T, T}, T, regexReplace)

	// Date and time.
	pureFn("make_date", []types.Type{I4, I4, I4}, types.DateT, func(a []types.Datum) (types.Datum, error) {
		y, m, d := int(a[0].(int64)), int(a[1].(int64)), int(a[2].(int64))
		if y == 0 {
			return nil, sqlerr.New(sqlerr.DatetimeFieldOverflow, "date field value out of range: %d-%02d-%02d", y, m, d)
		}
		if y < 0 {
			y++
		}
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		if t.Month() != time.Month(m) || t.Day() != d {
			return nil, sqlerr.New(sqlerr.DatetimeFieldOverflow, "date field value out of range: %d-%02d-%02d", a[0].(int64), m, d)
		}
		return types.Date(floorDiv(t.Unix(), 86400)), nil
	})
	for _, t := range []types.Type{types.TimestampT, types.TimestamptzT} {
		t := t
		def := funcDef{Args: []types.Type{T, t}, Ret: t, Strict: true, Pure: t.OID == types.OIDTimestamp,
			Fn: func(ec *EvalCtx, a []types.Datum) (types.Datum, error) {
				return dateTrunc(ec, a[0].(string), a[1].(types.Timestamp), t.OID == types.OIDTimestamptz)
			}}
		if t.OID == types.OIDTimestamp {
			def.Vec = dateTruncKernel
		}
		reg("date_trunc", def)
		reg("date_part", funcDef{Args: []types.Type{T, t}, Ret: F8, Strict: true, Pure: t.OID == types.OIDTimestamp,
			Fn: func(ec *EvalCtx, a []types.Datum) (types.Datum, error) {
				d, err := extractField(ec, a[0].(string), a[1].(types.Timestamp), t.OID == types.OIDTimestamptz)
				if err != nil {
					return nil, err
				}
				return d.Float64(), nil
			}})
		reg("extract", funcDef{Args: []types.Type{T, t}, Ret: N, Strict: true, Pure: t.OID == types.OIDTimestamp,
			Fn: func(ec *EvalCtx, a []types.Datum) (types.Datum, error) {
				return extractField(ec, a[0].(string), a[1].(types.Timestamp), t.OID == types.OIDTimestamptz)
			}})
	}
	reg("extract", funcDef{Args: []types.Type{T, types.DateT}, Ret: N, Strict: true, Pure: true,
		Fn: func(ec *EvalCtx, a []types.Datum) (types.Datum, error) {
			f := strings.ToLower(a[0].(string))
			switch f {
			case "hour", "minute", "second", "milliseconds", "microseconds", "timezone", "timezone_hour", "timezone_minute":
				return nil, sqlerr.Unsupported("unit \"%s\" not supported for type date", f)
			}
			d, err := extractField(ec, f, types.Timestamp(int64(a[1].(types.Date))*86400e6), false)
			if err != nil {
				return nil, err
			}
			return d.Rescale(0), nil
		}})
}

func roundDecimal(d *types.Decimal, scale int64) *types.Decimal {
	if d.NaN {
		return d
	}
	if scale >= 0 {
		return d.Rescale(int32(scale))
	}
	// Negative scale rounds to tens, hundreds…: divide by 10^k, round, multiply.
	k := -scale
	tmp := &types.Decimal{Scale: d.Scale + int32(k)}
	tmp.Coef.Set(&d.Coef)
	r := tmp.Rescale(0)
	out := &types.Decimal{}
	out.Coef.Mul(&r.Coef, new(big.Int).Exp(big.NewInt(10), big.NewInt(k), nil))
	return out
}

func truncDecimal(d *types.Decimal, scale int64) *types.Decimal {
	if d.NaN || int64(d.Scale) <= scale {
		return d.Rescale(int32(max(scale, int64(d.Scale))))
	}
	if scale < 0 {
		scale = 0
	}
	div := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d.Scale)-scale), nil)
	out := &types.Decimal{Scale: int32(scale)}
	out.Coef.Quo(&d.Coef, div)
	return out
}

func floorCeil(d *types.Decimal, up bool) *types.Decimal {
	if d.NaN {
		return d
	}
	t := truncDecimal(d, 0)
	diff := d.Cmp(t)
	if up && diff > 0 {
		return t.Add(types.DecimalFromInt(1))
	}
	if !up && diff < 0 {
		return t.Add(types.DecimalFromInt(-1))
	}
	return t
}

// substr is PostgreSQL's substring(s, start[, count]) in characters.
func substr(s string, start, count int64, hasCount bool) (types.Datum, error) {
	r := []rune(s)
	if hasCount && count < 0 {
		return nil, sqlerr.New(sqlerr.SubstringError, "negative substring length not allowed")
	}
	end := int64(len(r)) + 1
	if hasCount {
		end = start + count
	}
	if start < 1 {
		start = 1
	}
	if end > int64(len(r))+1 {
		end = int64(len(r)) + 1
	}
	if end <= start {
		return "", nil
	}
	return string(r[start-1 : end-1]), nil
}

func quoteIdent(s string) string {
	if s != "" && !isKeyword(s) {
		plain := true
		for i, r := range s {
			if !(r >= 'a' && r <= 'z' || r == '_' || (i > 0 && r >= '0' && r <= '9')) {
				plain = false
				break
			}
		}
		if plain {
			return s
		}
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// isKeyword lists the reserved words quote_ident must quote (a subset:
// those likely as identifiers).
func isKeyword(s string) bool {
	switch s {
	case "select", "from", "where", "table", "user", "order", "group", "by", "limit", "offset", "and", "or", "not",
		"null", "true", "false", "case", "when", "then", "else", "end", "as", "on", "join", "left", "right", "full",
		"inner", "outer", "cross", "union", "all", "distinct", "create", "check", "column", "constraint", "default",
		"primary", "references", "unique", "analyse", "analyze", "any", "array", "asc", "desc", "both", "cast",
		"collate", "current_date", "current_role", "current_time", "current_timestamp", "current_user", "do",
		"except", "fetch", "for", "foreign", "grant", "having", "in", "initially", "intersect", "into", "lateral",
		"leading", "localtime", "localtimestamp", "only", "placing", "returning", "session_user", "some",
		"symmetric", "to", "trailing", "using", "variadic", "window", "with":
		return true
	}
	return false
}

func quoteLiteral(s string) string {
	if strings.Contains(s, `\`) {
		return `E'` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `'`, `''`) + `'`
	}
	return `'` + strings.ReplaceAll(s, `'`, `''`) + `'`
}

// convertReplacement turns PostgreSQL's \1 and & references into Go's ${1}.
func convertReplacement(r string) string {
	var b strings.Builder
	for i := 0; i < len(r); i++ {
		c := r[i]
		switch {
		case c == '\\' && i+1 < len(r) && r[i+1] >= '0' && r[i+1] <= '9':
			b.WriteString("${" + string(r[i+1]) + "}")
			i++
		case c == '\\' && i+1 < len(r) && r[i+1] == '&':
			b.WriteByte('&')
			i++
		case c == '\\' && i+1 < len(r) && r[i+1] == '\\':
			b.WriteByte('\\')
			i++
		case c == '&':
			b.WriteString("${0}")
		case c == '$':
			b.WriteString("$$")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func tsTime(ec *EvalCtx, ts types.Timestamp, tz bool) time.Time {
	t := ts.TimeOf()
	if tz {
		t = t.In(locOf(ec))
	}
	return t
}

// dateTrunc truncates to a unit in the session zone (timestamptz) or UTC.
// dateTruncKernel is date_trunc over a column of timestamps without time
// zone, for a constant unit of a day or less: those truncate by floor
// division of the microseconds (no calendar, no time zone involved).
func dateTruncKernel(args []Expr) func([]*Vcol, int) (*Vcol, error) {
	c, ok := args[0].(*ConstExpr)
	if !ok || c.V == nil {
		return nil
	}
	units := map[string]int64{"microseconds": 1, "milliseconds": 1e3, "second": 1e6, "minute": 60e6, "hour": 3600e6, "day": 86400e6}
	unit := units[strings.ToLower(c.V.(string))]
	if unit == 0 {
		return nil
	}
	return func(in []*Vcol, n int) (*Vcol, error) {
		ts := in[1]
		out := &Vcol{Kind: VTS, I: make([]int64, n), Null: ts.Null}
		for k, v := range ts.I[:n] {
			out.I[k] = floorDiv(v, unit) * unit
		}
		return out, nil
	}
}

func dateTrunc(ec *EvalCtx, unit string, ts types.Timestamp, tz bool) (types.Datum, error) {
	t := tsTime(ec, ts, tz)
	loc := t.Location()
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	var out time.Time
	switch strings.ToLower(unit) {
	case "microseconds":
		return ts, nil
	case "milliseconds":
		out = time.Date(y, mo, d, h, mi, s, t.Nanosecond()/1e6*1e6, loc)
	case "second":
		out = time.Date(y, mo, d, h, mi, s, 0, loc)
	case "minute":
		out = time.Date(y, mo, d, h, mi, 0, 0, loc)
	case "hour":
		out = time.Date(y, mo, d, h, 0, 0, 0, loc)
	case "day":
		out = time.Date(y, mo, d, 0, 0, 0, 0, loc)
	case "week":
		wd := (int(t.Weekday()) + 6) % 7 // Monday = 0
		out = time.Date(y, mo, d-wd, 0, 0, 0, 0, loc)
	case "month":
		out = time.Date(y, mo, 1, 0, 0, 0, 0, loc)
	case "quarter":
		out = time.Date(y, mo-(mo-1)%3, 1, 0, 0, 0, 0, loc)
	case "year":
		out = time.Date(y, 1, 1, 0, 0, 0, 0, loc)
	case "decade":
		out = time.Date(y-((y%10)+10)%10, 1, 1, 0, 0, 0, 0, loc)
	case "century":
		c := (y - 1) / 100
		out = time.Date(c*100+1, 1, 1, 0, 0, 0, 0, loc)
	case "millennium":
		c := (y - 1) / 1000
		out = time.Date(c*1000+1, 1, 1, 0, 0, 0, 0, loc)
	default:
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "unit \"%s\" not recognized for type %s", unit, map[bool]string{true: "timestamp with time zone", false: "timestamp without time zone"}[tz])
	}
	return types.TimestampOf(out), nil
}

// extractField implements EXTRACT/date_part; PostgreSQL 14+ returns numeric
// with 6 decimals for second/epoch, 3 for milliseconds, 0 otherwise.
func extractField(ec *EvalCtx, field string, ts types.Timestamp, tz bool) (*types.Decimal, error) {
	t := tsTime(ec, ts, tz)
	us := int64(t.Nanosecond() / 1000)
	dec := func(v int64, scale int32) *types.Decimal {
		d := types.DecimalFromInt(v)
		d.Scale = scale
		return d
	}
	switch strings.ToLower(field) {
	case "microseconds", "microsecond":
		return dec(int64(t.Second())*1e6+us, 0), nil
	case "milliseconds", "millisecond":
		return dec(int64(t.Second())*1e6+us, 3), nil
	case "second", "seconds":
		return dec(int64(t.Second())*1e6+us, 6), nil
	case "minute", "minutes":
		return dec(int64(t.Minute()), 0), nil
	case "hour", "hours":
		return dec(int64(t.Hour()), 0), nil
	case "day", "days":
		return dec(int64(t.Day()), 0), nil
	case "month", "months":
		return dec(int64(t.Month()), 0), nil
	case "quarter":
		return dec(int64((t.Month()-1)/3+1), 0), nil
	case "year", "years":
		y := int64(t.Year())
		if y <= 0 {
			y--
		}
		return dec(y, 0), nil
	case "decade":
		return dec(floorDiv(int64(t.Year()), 10), 0), nil
	case "century":
		y := int64(t.Year())
		if y > 0 {
			return dec((y+99)/100, 0), nil
		}
		return dec(-((99 - (y - 1)) / 100), 0), nil
	case "millennium":
		y := int64(t.Year())
		if y > 0 {
			return dec((y+999)/1000, 0), nil
		}
		return dec(-((999 - (y - 1)) / 1000), 0), nil
	case "dow":
		return dec(int64(t.Weekday()), 0), nil
	case "isodow":
		wd := int64(t.Weekday())
		if wd == 0 {
			wd = 7
		}
		return dec(wd, 0), nil
	case "doy":
		return dec(int64(t.YearDay()), 0), nil
	case "week":
		_, w := t.ISOWeek()
		return dec(int64(w), 0), nil
	case "isoyear":
		y, _ := t.ISOWeek()
		return dec(int64(y), 0), nil
	case "epoch":
		return dec(int64(ts), 6), nil
	case "julian":
		return nil, sqlerr.Unsupported("EXTRACT(julian …) is not supported yet")
	case "timezone":
		if !tz {
			return nil, sqlerr.Unsupported("unit \"timezone\" not supported for type timestamp without time zone")
		}
		_, off := t.Zone()
		return dec(int64(off), 0), nil
	}
	return nil, sqlerr.New(sqlerr.InvalidParameterValue, "unit \"%s\" not recognized for type %s", field, map[bool]string{true: "timestamp with time zone", false: "timestamp without time zone"}[tz])
}

var rnd = struct {
	mu sync.Mutex
	r  *rand.Rand
}{r: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 0x5eed))}

func randFloat() float64 {
	rnd.mu.Lock()
	defer rnd.mu.Unlock()
	return rnd.r.Float64()
}
