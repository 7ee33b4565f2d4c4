package expr

import (
	"math"
	"strings"
	"time"

	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// to_timestamp(text, text), to_date(text, text) and to_timestamp(double
// precision): the reverse of to_char's common template patterns (YYYY YY
// MM MON MONTH DD DDD HH24 HH12 HH MI SS MS US AM PM, FM, quoted text).
// Like PostgreSQL, a separator in the template skips any run of non-digit,
// non-letter characters in the input, and fields left out default to
// January 1, year 1, midnight.

func init() {
	T := types.Text
	reg("to_timestamp", funcDef{Args: []types.Type{T, T}, Ret: types.TimestamptzT, Strict: true, Fn: func(ec *EvalCtx, a []types.Datum) (types.Datum, error) {
		t, err := parseTemplate(a[0].(string), a[1].(string), locOf(ec))
		if err != nil {
			return nil, err
		}
		return types.TimestampOf(t), nil
	}})
	reg("to_date", funcDef{Args: []types.Type{T, T}, Ret: types.DateT, Strict: true, Fn: func(ec *EvalCtx, a []types.Datum) (types.Datum, error) {
		t, err := parseTemplate(a[0].(string), a[1].(string), time.UTC)
		if err != nil {
			return nil, err
		}
		return types.Date(floorDiv(t.Unix(), 86400)), nil
	}})
	reg("to_timestamp", funcDef{Args: []types.Type{types.Float8}, Ret: types.TimestamptzT, Strict: true, Pure: true, Fn: func(_ *EvalCtx, a []types.Datum) (types.Datum, error) {
		s := a[0].(float64)
		if math.IsNaN(s) || math.IsInf(s, 0) || math.Abs(s) > 9.2e12 {
			return nil, sqlerr.New(sqlerr.DatetimeFieldOverflow, "timestamp out of range: \"%s\"", types.TextOf(types.Float8, s, nil))
		}
		return types.Timestamp(int64(math.Round(s * 1e6))), nil
	}})
}

// parseTemplate reads s by to_char template f, in location loc.
func parseTemplate(s, f string, loc *time.Location) (time.Time, error) {
	year, month, day, yday, hour, minute, sec, micro := 1, 1, 1, 0, 0, 0, 0, 0
	pm, h12 := -1, false
	in := s
	bad := func(field, val, detail string) error {
		return sqlerr.New(sqlerr.InvalidDatetimeFormat, "invalid value \"%s\" for \"%s\"", val, field).WithDetail("%s", detail)
	}
	num := func(field string, width int) (int, error) {
		for in != "" && in[0] == ' ' {
			in = in[1:]
		}
		n, neg := 0, false
		if in != "" && in[0] == '-' && field == "YYYY" {
			neg, in = true, in[1:]
		}
		j := 0
		for j < len(in) && j < width && in[j] >= '0' && in[j] <= '9' {
			n = n*10 + int(in[j]-'0')
			j++
		}
		if j == 0 {
			v := in
			if len(v) > width {
				v = v[:width]
			}
			return 0, bad(field, v, "Value must be an integer.")
		}
		in = in[j:]
		if neg {
			n = -n
		}
		return n, nil
	}
	word := func(field string, names []string, n int) (int, error) {
		for i, name := range names {
			if n > 0 {
				name = name[:n]
			}
			if len(in) >= len(name) && strings.EqualFold(in[:len(name)], name) {
				in = in[len(name):]
				return i, nil
			}
		}
		return 0, bad(field, in, "The given value did not match any of the allowed values for this field.")
	}
	var err error
	for i := 0; i < len(f) && err == nil; {
		rest := strings.ToUpper(f[i:])
		if strings.HasPrefix(rest, "FM") {
			i += 2
			continue
		}
		take := func(p string) bool {
			if strings.HasPrefix(rest, p) {
				i += len(p)
				return true
			}
			return false
		}
		switch {
		case f[i] == '"':
			j := strings.IndexByte(f[i+1:], '"')
			lit := f[i+1:]
			if j >= 0 {
				lit = f[i+1 : i+1+j]
			}
			i += len(lit) + 2
			in = in[min(len(lit), len(in)):]
		case take("YYYY"):
			year, err = num("YYYY", 4)
		case take("YY"):
			year, err = num("YY", 2)
			year += 2000
			if year > 2069 {
				year -= 100
			}
		case take("MONTH"):
			month, err = word("MONTH", monthNames, 0)
			month++
		case take("MON"):
			month, err = word("MON", monthNames, 3)
			month++
		case take("MM"):
			month, err = num("MM", 2)
		case take("DDD"):
			yday, err = num("DDD", 3)
		case take("DD"):
			day, err = num("DD", 2)
		case take("HH24"):
			hour, err = num("HH24", 2)
		case take("HH12"), take("HH"):
			hour, err = num("HH", 2)
			h12 = true
		case take("MI"):
			minute, err = num("MI", 2)
		case take("SS"):
			sec, err = num("SS", 2)
		case take("MS"):
			var ms int
			ms, err = num("MS", 3)
			micro = ms * 1000
		case take("US"):
			micro, err = num("US", 6)
		case take("AM"), take("PM"), take("A.M."), take("P.M."):
			var k int
			k, err = word("AM", []string{"AM", "PM", "A.M.", "P.M."}, 0)
			pm = k % 2
		default:
			// A separator or other character: skip the input's
			// separators (PostgreSQL does not insist on the same ones).
			i++
			if in != "" && !isAlnum(in[0]) {
				in = in[1:]
				for in != "" && !isAlnum(in[0]) && in[0] != ' ' {
					in = in[1:]
				}
			}
		}
	}
	if err != nil {
		return time.Time{}, err
	}
	if h12 {
		if hour < 1 || hour > 12 {
			return time.Time{}, sqlerr.New(sqlerr.InvalidDatetimeFormat, "hour \"%d\" is invalid for the 12-hour clock", hour).
				WithHint("Use the 24-hour clock, or give an hour between 1 and 12.")
		}
		hour %= 12
	}
	if pm == 1 {
		hour = hour%12 + 12
	}
	if month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || sec > 60 {
		return time.Time{}, sqlerr.New(sqlerr.DatetimeFieldOverflow, "date/time field value out of range: \"%s\"", s)
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, micro*1000, loc)
	if yday > 0 {
		t = time.Date(year, 1, yday, hour, minute, sec, micro*1000, loc)
	}
	if t.Day() != day && yday == 0 {
		return time.Time{}, sqlerr.New(sqlerr.DatetimeFieldOverflow, "date/time field value out of range: \"%s\"", s)
	}
	return t, nil
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
