package expr

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

func init() {
	T := types.Text
	for _, t := range []types.Type{types.TimestampT, types.TimestamptzT} {
		t := t
		reg("to_char", funcDef{Args: []types.Type{t, T}, Ret: T, Strict: true, Fn: func(ec *EvalCtx, a []types.Datum) (types.Datum, error) {
			return toChar(tsTime(ec, a[0].(types.Timestamp), t.OID == types.OIDTimestamptz), a[1].(string))
		}})
		reg("age", funcDef{Args: []types.Type{t, t}, Ret: types.IntervalT, Strict: true, Fn: func(ec *EvalCtx, a []types.Datum) (types.Datum, error) {
			tz := t.OID == types.OIDTimestamptz
			return age(tsTime(ec, a[0].(types.Timestamp), tz), tsTime(ec, a[1].(types.Timestamp), tz)), nil
		}})
		reg("age", funcDef{Args: []types.Type{t}, Ret: types.IntervalT, Strict: true, Fn: func(ec *EvalCtx, a []types.Datum) (types.Datum, error) {
			tz := t.OID == types.OIDTimestamptz
			now := ec.Env.TxStart.In(locOf(ec))
			midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
			if !tz {
				midnight = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
			}
			return age(midnight, tsTime(ec, a[0].(types.Timestamp), tz)), nil
		}})
	}
	reg("format", funcDef{Args: []types.Type{T, T}, variadic: true, Ret: T, Fn: formatFn})
	reg("format", funcDef{Args: []types.Type{T}, Ret: T, Fn: formatFn})
	regexMatch := func(a []types.Datum) (types.Datum, error) {
		flags := ""
		if len(a) > 2 {
			flags = a[2].(string)
		}
		if strings.Contains(flags, "g") {
			return nil, sqlerr.New(sqlerr.InvalidParameterValue, "regexp_match() does not support the \"global\" option").
				WithHint("Use the regexp_matches function instead.")
		}
		re, _, err := PgRegex(a[1].(string), flags, false)
		if err != nil {
			return nil, err
		}
		m := re.FindStringSubmatch(a[0].(string))
		if m == nil {
			return nil, nil
		}
		out := &types.Array{Elem: T, Vals: []types.Datum{}}
		if len(m) == 1 {
			out.Vals = append(out.Vals, m[0])
			return out, nil
		}
		idx := re.FindStringSubmatchIndex(a[0].(string))
		for i := 1; i < len(m); i++ {
			if idx[2*i] < 0 {
				out.Vals = append(out.Vals, nil)
			} else {
				out.Vals = append(out.Vals, m[i])
			}
		}
		return out, nil
	}
	textArr := types.Type{OID: 1009, Typmod: -1}
	pureFn("regexp_match", []types.Type{T, T}, textArr, regexMatch)
	pureFn("regexp_match", []types.Type{T, T, T}, textArr, regexMatch)
}

var monthNames = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
var dayNames = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}

// toChar formats a timestamp with PostgreSQL's template patterns (the common
// ones; numeric to_char is not supported yet).
func toChar(t time.Time, f string) (types.Datum, error) {
	var b strings.Builder
	pad := func(n, w int, fm bool) string {
		s := strconv.Itoa(n)
		if !fm && len(s) < w {
			s = strings.Repeat("0", w-len(s)) + s
		}
		return s
	}
	casing := func(s, pat string) string {
		switch {
		case pat == strings.ToUpper(pat):
			return strings.ToUpper(s)
		case pat == strings.ToLower(pat):
			return strings.ToLower(s)
		}
		return s
	}
	name := func(s string, w int, fm bool) string {
		if !fm && len(s) < w {
			return s + strings.Repeat(" ", w-len(s))
		}
		return s
	}
	for i := 0; i < len(f); {
		rest := f[i:]
		fm := false
		if strings.HasPrefix(strings.ToUpper(rest), "FM") {
			fm = true
			i += 2
			rest = f[i:]
		}
		up := strings.ToUpper(rest)
		match := func(p string) bool { return strings.HasPrefix(up, p) }
		h12 := t.Hour() % 12
		if h12 == 0 {
			h12 = 12
		}
		switch {
		case rest != "" && rest[0] == '"':
			j := strings.IndexByte(rest[1:], '"')
			if j < 0 {
				b.WriteString(rest[1:])
				i = len(f)
			} else {
				b.WriteString(rest[1 : 1+j])
				i += j + 2
			}
			continue
		case match("YYYY"):
			b.WriteString(pad(t.Year(), 4, fm))
			i += 4
		case match("YY"):
			b.WriteString(pad(t.Year()%100, 2, fm))
			i += 2
		case match("MONTH"):
			b.WriteString(name(casing(monthNames[t.Month()-1], rest[:5]), 9, fm))
			i += 5
		case match("MON"):
			b.WriteString(casing(monthNames[t.Month()-1][:3], rest[:3]))
			i += 3
		case match("MM"):
			b.WriteString(pad(int(t.Month()), 2, fm))
			i += 2
		case match("DAY"):
			b.WriteString(name(casing(dayNames[t.Weekday()], rest[:3]), 9, fm))
			i += 3
		case match("DY"):
			b.WriteString(casing(dayNames[t.Weekday()][:3], rest[:2]))
			i += 2
		case match("DDD"):
			b.WriteString(pad(t.YearDay(), 3, fm))
			i += 3
		case match("DD"):
			b.WriteString(pad(t.Day(), 2, fm))
			i += 2
		case match("D"):
			b.WriteString(strconv.Itoa(int(t.Weekday()) + 1))
			i++
		case match("HH24"):
			b.WriteString(pad(t.Hour(), 2, fm))
			i += 4
		case match("HH12"):
			b.WriteString(pad(h12, 2, fm))
			i += 4
		case match("HH"):
			b.WriteString(pad(h12, 2, fm))
			i += 2
		case match("MI"):
			b.WriteString(pad(t.Minute(), 2, fm))
			i += 2
		case match("SS"):
			b.WriteString(pad(t.Second(), 2, fm))
			i += 2
		case match("MS"):
			b.WriteString(pad(t.Nanosecond()/1e6, 3, fm))
			i += 2
		case match("US"):
			b.WriteString(pad(t.Nanosecond()/1e3, 6, fm))
			i += 2
		case match("AM"), match("PM"):
			s := "AM"
			if t.Hour() >= 12 {
				s = "PM"
			}
			b.WriteString(casing(s, rest[:2]))
			i += 2
		case match("A.M."), match("P.M."):
			s := "A.M."
			if t.Hour() >= 12 {
				s = "P.M."
			}
			b.WriteString(casing(s, rest[:4]))
			i += 4
		case match("Q"):
			b.WriteString(strconv.Itoa((int(t.Month())-1)/3 + 1))
			i++
		case match("IW"):
			_, w := t.ISOWeek()
			b.WriteString(pad(w, 2, fm))
			i += 2
		case match("WW"):
			b.WriteString(pad((t.YearDay()-1)/7+1, 2, fm))
			i += 2
		default:
			b.WriteByte(f[i])
			i++
		}
	}
	return b.String(), nil
}

// age is PostgreSQL's age(): field-wise difference with borrowing.
func age(a, b time.Time) types.Interval {
	neg := a.Before(b)
	if neg {
		a, b = b, a
	}
	years := a.Year() - b.Year()
	months := int(a.Month()) - int(b.Month())
	days := a.Day() - b.Day()
	us := (int64(a.Hour())*3600+int64(a.Minute())*60+int64(a.Second()))*1e6 + int64(a.Nanosecond()/1000) -
		((int64(b.Hour())*3600+int64(b.Minute())*60+int64(b.Second()))*1e6 + int64(b.Nanosecond()/1000))
	if us < 0 {
		us += 86400e6
		days--
	}
	if days < 0 {
		// Borrow the length of the earlier timestamp's month.
		days += time.Date(b.Year(), b.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
		months--
	}
	if months < 0 {
		months += 12
		years--
	}
	iv := types.Interval{Months: int32(years*12 + months), Days: int32(days), Micros: us}
	if neg {
		iv = types.Interval{Months: -iv.Months, Days: -iv.Days, Micros: -iv.Micros}
	}
	return iv
}

// formatFn is format(fmt, args…) with %s, %I, %L, %% and n$ positions.
func formatFn(ec *EvalCtx, a []types.Datum) (types.Datum, error) {
	if a[0] == nil {
		return nil, nil
	}
	f := a[0].(string)
	args := a[1:]
	var b strings.Builder
	next := 0
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			b.WriteByte(f[i])
			continue
		}
		i++
		if i >= len(f) {
			return nil, sqlerr.New(sqlerr.InvalidParameterValue, "unterminated format() type specifier").
				WithHint("For a single \"%%\" use \"%%%%\".")
		}
		if f[i] == '%' {
			b.WriteByte('%')
			continue
		}
		argIdx := next
		j := i
		for j < len(f) && f[j] >= '0' && f[j] <= '9' {
			j++
		}
		if j < len(f) && f[j] == '$' && j > i {
			n, _ := strconv.Atoi(f[i:j])
			argIdx = n - 1
			i = j + 1
		}
		if i >= len(f) {
			return nil, sqlerr.New(sqlerr.InvalidParameterValue, "unterminated format() type specifier")
		}
		if argIdx < 0 || argIdx >= len(args) {
			return nil, sqlerr.New(sqlerr.InvalidParameterValue, "too few arguments for format()")
		}
		next = argIdx + 1
		v := args[argIdx]
		switch f[i] {
		case 's':
			if v != nil {
				b.WriteString(fmt.Sprint(v))
			}
		case 'I':
			if v == nil {
				return nil, sqlerr.New(sqlerr.NullValueNotAllowed, "null values cannot be formatted as an SQL identifier")
			}
			b.WriteString(quoteIdent(v.(string)))
		case 'L':
			if v == nil {
				b.WriteString("NULL")
			} else {
				b.WriteString(quoteLiteral(v.(string)))
			}
		default:
			return nil, sqlerr.New(sqlerr.InvalidParameterValue, "unrecognized format() type specifier \"%c\"", f[i]).
				WithHint("For a single \"%%\" use \"%%%%\".")
		}
	}
	return b.String(), nil
}
