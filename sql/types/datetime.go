package types

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/sluicedb/sluice/sql/sqlerr"
)

func dtErr(t Type, s string) *sqlerr.Error {
	return sqlerr.New(sqlerr.InvalidDatetimeFormat, "invalid input syntax for type %s: \"%s\"", t.Desc().SQLName, s)
}

// ParseDate parses ISO dates ("2024-03-01", "2024-03-01 BC", "epoch").
func ParseDate(s string) (Datum, error) {
	t := strings.TrimSpace(s)
	if strings.EqualFold(t, "epoch") {
		return Date(0), nil
	}
	if strings.EqualFold(t, "today") {
		return Date(time.Now().UTC().Unix() / 86400), nil
	}
	bc := false
	if u := strings.ToUpper(t); strings.HasSuffix(u, " BC") {
		bc = true
		t = strings.TrimSpace(t[:len(t)-3])
	}
	// A timestamp's date part is accepted too, as PostgreSQL does.
	if i := strings.IndexAny(t, " T"); i > 0 {
		t = t[:i]
	}
	y, m, d, ok := splitYMD(t)
	if !ok {
		return nil, dtErr(DateT, s)
	}
	if bc {
		y = 1 - y
	}
	tm := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if tm.Day() != d || int(tm.Month()) != m {
		return nil, sqlerr.New(sqlerr.DatetimeFieldOverflow, "date/time field value out of range: \"%s\"", s)
	}
	return Date(tm.Unix() / 86400), nil
}

func splitYMD(t string) (y, m, d int, ok bool) {
	parts := strings.Split(t, "-")
	if len(parts) != 3 {
		return 0, 0, 0, false
	}
	var err error
	if y, err = strconv.Atoi(parts[0]); err != nil {
		return 0, 0, 0, false
	}
	if m, err = strconv.Atoi(parts[1]); err != nil || m < 1 || m > 12 {
		return 0, 0, 0, false
	}
	if d, err = strconv.Atoi(parts[2]); err != nil || d < 1 || d > 31 {
		return 0, 0, 0, false
	}
	return y, m, d, true
}

// ParseTimestamp parses ISO timestamps with an optional zone. Without tz the
// zone is ignored, as PostgreSQL does; with tz a missing zone means loc.
func ParseTimestamp(s string, tz bool, loc *time.Location) (Datum, error) {
	typ := TimestampT
	if tz {
		typ = TimestamptzT
	}
	t := strings.TrimSpace(s)
	switch strings.ToLower(t) {
	case "epoch":
		return Timestamp(0), nil
	case "now":
		return TimestampOf(time.Now()), nil
	}
	bc := false
	if u := strings.ToUpper(t); strings.HasSuffix(u, " BC") {
		bc = true
		t = strings.TrimSpace(t[:len(t)-3])
	}
	datePart, rest := t, ""
	if i := strings.IndexAny(t, " T"); i > 0 {
		datePart, rest = t[:i], strings.TrimSpace(t[i+1:])
	}
	y, mo, d, ok := splitYMD(datePart)
	if !ok {
		return nil, dtErr(typ, s)
	}
	if bc {
		y = 1 - y
	}
	// Split the clock from the zone.
	clock, zone := rest, ""
	if i := strings.IndexAny(rest, "+-Zz "); i >= 0 {
		clock, zone = rest[:i], strings.TrimSpace(rest[i:])
	} else if i := strings.IndexFunc(rest, func(r rune) bool { return r >= 'A' && r <= 'z' && r != ':' }); i > 0 {
		clock, zone = rest[:i], rest[i:]
	}
	var h, mi, sec, us int
	if clock != "" {
		c := strings.Split(clock, ":")
		if len(c) < 2 || len(c) > 3 {
			return nil, dtErr(typ, s)
		}
		var err error
		if h, err = strconv.Atoi(c[0]); err != nil {
			return nil, dtErr(typ, s)
		}
		if mi, err = strconv.Atoi(c[1]); err != nil {
			return nil, dtErr(typ, s)
		}
		if len(c) == 3 {
			secS, frac, _ := strings.Cut(c[2], ".")
			if sec, err = strconv.Atoi(secS); err != nil {
				return nil, dtErr(typ, s)
			}
			if frac != "" {
				frac = (frac + "000000")[:7]
				f, err := strconv.Atoi(frac)
				if err != nil {
					return nil, dtErr(typ, s)
				}
				us = (f + 5) / 10
			}
		}
		if h > 24 || mi > 59 || sec > 60 {
			return nil, sqlerr.New(sqlerr.DatetimeFieldOverflow, "date/time field value out of range: \"%s\"", s)
		}
	}
	zl := loc
	if tz && zone != "" {
		l, err := ParseZone(zone)
		if err != nil {
			return nil, dtErr(typ, s)
		}
		zl = l
	}
	if !tz {
		zl = time.UTC
	}
	tm := time.Date(y, time.Month(mo), d, h, mi, sec, us*1000, zl)
	if tm.Day() != d {
		return nil, sqlerr.New(sqlerr.DatetimeFieldOverflow, "date/time field value out of range: \"%s\"", s)
	}
	return TimestampOf(tm), nil
}

// ParseZone resolves "UTC", "Z", "+05", "-03:30", "+0530" or an IANA name.
func ParseZone(z string) (*time.Location, error) {
	z = strings.TrimSpace(z)
	switch strings.ToUpper(z) {
	case "Z", "UTC", "GMT", "ZULU":
		return time.UTC, nil
	}
	if z != "" && (z[0] == '+' || z[0] == '-') {
		sign := 1
		if z[0] == '-' {
			sign = -1
		}
		body := strings.ReplaceAll(z[1:], ":", "")
		var h, m int
		var err error
		switch len(body) {
		case 1, 2:
			h, err = strconv.Atoi(body)
		case 4:
			h, err = strconv.Atoi(body[:2])
			if err == nil {
				m, err = strconv.Atoi(body[2:])
			}
		default:
			return nil, sqlerr.New(sqlerr.InvalidParameterValue, "invalid time zone \"%s\"", z)
		}
		if err != nil || h > 15 || m > 59 {
			return nil, sqlerr.New(sqlerr.InvalidParameterValue, "invalid time zone \"%s\"", z)
		}
		return time.FixedZone(z, sign*(h*3600+m*60)), nil
	}
	l, err := time.LoadLocation(z)
	if err != nil {
		// Try the canonical capitalisation of IANA names ("europe/paris").
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "time zone \"%s\" not recognized", z)
	}
	return l, nil
}

var intervalUnits = map[string]struct {
	months int32
	days   int32
	micros int64
}{
	"microsecond": {0, 0, 1}, "microseconds": {0, 0, 1}, "us": {0, 0, 1}, "usec": {0, 0, 1}, "usecs": {0, 0, 1},
	"millisecond": {0, 0, 1000}, "milliseconds": {0, 0, 1000}, "ms": {0, 0, 1000}, "msec": {0, 0, 1000}, "msecs": {0, 0, 1000},
	"second": {0, 0, 1e6}, "seconds": {0, 0, 1e6}, "sec": {0, 0, 1e6}, "secs": {0, 0, 1e6}, "s": {0, 0, 1e6},
	"minute": {0, 0, 60e6}, "minutes": {0, 0, 60e6}, "min": {0, 0, 60e6}, "mins": {0, 0, 60e6}, "m": {0, 0, 60e6},
	"hour": {0, 0, 3600e6}, "hours": {0, 0, 3600e6}, "hr": {0, 0, 3600e6}, "hrs": {0, 0, 3600e6}, "h": {0, 0, 3600e6},
	"day": {0, 1, 0}, "days": {0, 1, 0}, "d": {0, 1, 0},
	"week": {0, 7, 0}, "weeks": {0, 7, 0}, "w": {0, 7, 0},
	"month": {1, 0, 0}, "months": {1, 0, 0}, "mon": {1, 0, 0}, "mons": {1, 0, 0},
	"year": {12, 0, 0}, "years": {12, 0, 0}, "yr": {12, 0, 0}, "yrs": {12, 0, 0}, "y": {12, 0, 0},
	"decade": {120, 0, 0}, "decades": {120, 0, 0},
	"century": {1200, 0, 0}, "centuries": {1200, 0, 0},
	"millennium": {12000, 0, 0}, "millennia": {12000, 0, 0},
}

// ParseInterval parses PostgreSQL-style interval input ("1 day 02:03:04",
// "@ 3 hours ago", "1.5 days", "-00:00:01").
func ParseInterval(s string) (Datum, error) {
	bad := func() error {
		return sqlerr.New(sqlerr.InvalidDatetimeFormat, "invalid input syntax for type interval: \"%s\"", s)
	}
	f := strings.Fields(strings.ToLower(s))
	if len(f) > 0 && f[0] == "@" {
		f = f[1:]
	}
	ago := false
	if len(f) > 0 && f[len(f)-1] == "ago" {
		ago = true
		f = f[:len(f)-1]
	}
	if len(f) == 0 {
		return nil, bad()
	}
	overflow := func() error {
		return sqlerr.New(sqlerr.IntervalFieldOverflow, "interval field value out of range: \"%s\"", s)
	}
	var iv Interval
	var fracDays float64
	var months, days, micros float64 // accumulated in float64 to detect overflow
	for i := 0; i < len(f); i++ {
		tok := f[i]
		if strings.Contains(tok, ":") {
			neg := strings.HasPrefix(tok, "-")
			tok = strings.TrimLeft(tok, "+-")
			c := strings.Split(tok, ":")
			if len(c) > 3 {
				return nil, bad()
			}
			for _, p := range c {
				if len(p) > 12 {
					return nil, overflow()
				}
			}
			var us int64
			mult := []int64{3600e6, 60e6, 1e6}
			for j, p := range c {
				if j == len(c)-1 && j == 2 {
					v, err := strconv.ParseFloat(p, 64)
					if err != nil {
						return nil, bad()
					}
					us += int64(math.Round(v * 1e6))
					continue
				}
				v, err := strconv.ParseInt(p, 10, 64)
				if err != nil {
					return nil, bad()
				}
				us += v * mult[j]
			}
			if neg {
				us = -us
			}
			iv.Micros += us
			micros += float64(us)
			continue
		}
		// A number, then an optional unit (glued or separate).
		num := tok
		unit := ""
		if j := strings.IndexFunc(tok, func(r rune) bool { return r >= 'a' && r <= 'z' }); j > 0 {
			num, unit = tok[:j], tok[j:]
		} else if i+1 < len(f) {
			if _, ok := intervalUnits[f[i+1]]; ok {
				unit = f[i+1]
				i++
			}
		}
		v, err := strconv.ParseFloat(num, 64)
		if err != nil {
			return nil, bad()
		}
		if unit == "" {
			unit = "second"
		}
		u, ok := intervalUnits[unit]
		if !ok {
			return nil, bad()
		}
		whole, frac := math.Modf(v)
		months += whole * float64(u.months)
		days += whole * float64(u.days)
		micros += v * float64(u.micros)
		if math.Abs(months) > math.MaxInt32 || math.Abs(days) > math.MaxInt32 || math.Abs(micros) > 9.2e18 || math.IsNaN(v) {
			return nil, overflow()
		}
		switch {
		case u.months != 0:
			iv.Months += int32(whole) * u.months
			// A fractional month becomes 30-day days, as in PostgreSQL.
			fracDays += frac * float64(u.months) * 30
		case u.days != 0:
			iv.Days += int32(whole) * u.days
			fracDays += frac * float64(u.days)
		default:
			iv.Micros += int64(math.Round(v * float64(u.micros)))
		}
	}
	if fracDays != 0 {
		wd, fd := math.Modf(fracDays)
		iv.Days += int32(wd)
		iv.Micros += int64(math.Round(fd * 86400e6))
	}
	if ago {
		iv = Interval{-iv.Months, -iv.Days, -iv.Micros}
	}
	return iv, nil
}
