package types

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/sluicedb/sluice/sql/sqlerr"
)

// Format holds the session settings that shape text output.
type Format struct {
	Loc              *time.Location // TimeZone; nil means UTC
	ExtraFloatDigits int            // extra_float_digits (PostgreSQL default 1)
	// Relations resolves regclass values (nil: print OIDs).
	Relations RelationNames
}

// RelationNames maps relations to OIDs and back, for regclass.
type RelationNames interface {
	// RelationOID resolves a name, optionally schema-qualified ("s.t").
	RelationOID(name string) (OID, bool)
	RelationName(oid OID) (string, bool)
	NamespaceOID(name string) (OID, bool)
	NamespaceName(oid OID) (string, bool)
}

func (f *Format) loc() *time.Location {
	if f == nil || f.Loc == nil {
		return time.UTC
	}
	return f.Loc
}

// AppendText appends the text output form of a non-null datum of type t.
func AppendText(buf []byte, t Type, d Datum, f *Format) []byte {
	switch v := d.(type) {
	case bool:
		if v {
			return append(buf, 't')
		}
		return append(buf, 'f')
	case int64:
		if t.OID == OIDRegtype {
			if _, ok := Lookup(OID(v)); ok {
				return append(buf, Type{OID: OID(v), Typmod: -1}.String()...)
			}
		}
		if t.OID == OIDRegclass && f != nil && f.Relations != nil {
			if name, ok := f.Relations.RelationName(OID(v)); ok {
				return append(buf, name...)
			}
		}
		if t.OID == OIDRegproc {
			if v == 0 {
				return append(buf, '-')
			}
			for name, oid := range ProcOIDs {
				if int64(oid) == v {
					return append(buf, name...)
				}
			}
			if ProcName != nil {
				if name, ok := ProcName(OID(v)); ok {
					return append(buf, name...)
				}
			}
		}
		if t.OID == OIDRegnamespace && f != nil && f.Relations != nil {
			if name, ok := f.Relations.NamespaceName(OID(v)); ok {
				return append(buf, name...)
			}
		}
		return strconv.AppendInt(buf, v, 10)
	case float64:
		efd := 1
		if f != nil {
			efd = f.ExtraFloatDigits
		}
		return AppendFloat(buf, v, t.OID == OIDFloat4, efd)
	case string:
		return append(buf, v...)
	case []byte:
		if t.OID == OIDJSONB || t.OID == OIDJSON {
			return append(buf, v...)
		}
		buf = append(buf, '\\', 'x')
		return hex.AppendEncode(buf, v)
	case *Decimal:
		return append(buf, v.String()...)
	case Date:
		return appendDate(buf, v)
	case Timestamp:
		if t.OID == OIDTimestamptz {
			return appendTimestamptz(buf, v, f.loc())
		}
		return appendTimestamp(buf, v.TimeOf(), false)
	case Interval:
		return AppendInterval(buf, v)
	case UUID:
		return append(buf, v.String()...)
	case *Array:
		return appendArrayText(buf, v, f)
	case *Record:
		return appendRecordText(buf, v, f)
	}
	return append(buf, "?"...)
}

// TextOf returns the text output form of a datum ("" for NULL).
func TextOf(t Type, d Datum, f *Format) string {
	if d == nil {
		return ""
	}
	return string(AppendText(nil, t, d, f))
}

// AppendFloat formats like PostgreSQL's float4out/float8out: the shortest
// round-trip digits when extra_float_digits > 0, else %.{DIG+efd}g.
func AppendFloat(buf []byte, v float64, is4 bool, efd int) []byte {
	switch {
	case math.IsNaN(v):
		return append(buf, "NaN"...)
	case math.IsInf(v, 1):
		return append(buf, "Infinity"...)
	case math.IsInf(v, -1):
		return append(buf, "-Infinity"...)
	}
	bits, dig := 64, 15
	if is4 {
		bits, dig = 32, 6
	}
	if efd <= 0 {
		s := strconv.FormatFloat(v, 'g', max(dig+efd, 1), bits)
		return append(buf, s...)
	}
	if v == 0 {
		if math.Signbit(v) {
			return append(buf, "-0"...)
		}
		return append(buf, '0')
	}
	// Shortest digits, then PostgreSQL's layout: fixed notation when the
	// decimal exponent is in [-4, DIG), scientific otherwise. Works on a
	// stack buffer: this runs once per float on the wire.
	var scratch [32]byte
	e := strconv.AppendFloat(scratch[:0], v, 'e', -1, bits)
	neg := e[0] == '-'
	if neg {
		e = e[1:]
	}
	ePos := bytes.IndexByte(e, 'e')
	mant, expS := e[:ePos], e[ePos+1:]
	exp := 0
	expNeg := expS[0] == '-'
	for _, c := range expS[1:] {
		exp = exp*10 + int(c-'0')
	}
	if expNeg {
		exp = -exp
	}
	var digitBuf [24]byte
	digits := digitBuf[:0]
	for _, c := range mant {
		if c != '.' {
			digits = append(digits, c)
		}
	}
	if neg {
		buf = append(buf, '-')
	}
	if exp < -4 || exp >= dig {
		buf = append(buf, digits[0])
		if len(digits) > 1 {
			buf = append(buf, '.')
			buf = append(buf, digits[1:]...)
		}
		buf = append(buf, 'e')
		if exp < 0 {
			buf = append(buf, '-')
			exp = -exp
		} else {
			buf = append(buf, '+')
		}
		if exp < 10 {
			buf = append(buf, '0')
		}
		return strconv.AppendInt(buf, int64(exp), 10)
	}
	if exp < 0 {
		buf = append(buf, "0."...)
		for i := 0; i < -exp-1; i++ {
			buf = append(buf, '0')
		}
		return append(buf, digits...)
	}
	if len(digits) <= exp+1 {
		buf = append(buf, digits...)
		for i := 0; i < exp+1-len(digits); i++ {
			buf = append(buf, '0')
		}
		return buf
	}
	buf = append(buf, digits[:exp+1]...)
	buf = append(buf, '.')
	return append(buf, digits[exp+1:]...)
}

func appendYear(buf []byte, y int) []byte {
	if y <= 0 {
		y = -y + 1
	}
	s := strconv.Itoa(y)
	if len(s) < 4 {
		buf = append(buf, strings.Repeat("0", 4-len(s))...)
	}
	return append(buf, s...)
}

func appendDate(buf []byte, d Date) []byte {
	t := time.Unix(int64(d)*86400, 0).UTC()
	buf = appendYear(buf, t.Year())
	buf = append(buf, '-')
	buf = append2(buf, int(t.Month()))
	buf = append(buf, '-')
	buf = append2(buf, t.Day())
	if t.Year() <= 0 {
		buf = append(buf, " BC"...)
	}
	return buf
}

func append2(buf []byte, n int) []byte {
	return append(buf, byte('0'+n/10), byte('0'+n%10))
}

func appendTimestamp(buf []byte, t time.Time, keepBC bool) []byte {
	buf = appendYear(buf, t.Year())
	buf = append(buf, '-')
	buf = append2(buf, int(t.Month()))
	buf = append(buf, '-')
	buf = append2(buf, t.Day())
	buf = append(buf, ' ')
	buf = appendClock(buf, t.Hour(), t.Minute(), t.Second(), t.Nanosecond()/1000)
	if t.Year() <= 0 && !keepBC {
		buf = append(buf, " BC"...)
	}
	return buf
}

func appendClock(buf []byte, h, m, s, us int) []byte {
	if h < 10 {
		buf = append(buf, '0')
	}
	buf = strconv.AppendInt(buf, int64(h), 10)
	buf = append(buf, ':')
	buf = append2(buf, m)
	buf = append(buf, ':')
	buf = append2(buf, s)
	if us > 0 {
		f := strconv.Itoa(us + 1000000)[1:]
		buf = append(buf, '.')
		buf = append(buf, strings.TrimRight(f, "0")...)
	}
	return buf
}

func appendTimestamptz(buf []byte, v Timestamp, loc *time.Location) []byte {
	t := v.TimeOf().In(loc)
	buf = appendTimestamp(buf, t, true)
	_, off := t.Zone()
	sign := byte('+')
	if off < 0 {
		sign = '-'
		off = -off
	}
	buf = append(buf, sign)
	buf = append2(buf, off/3600)
	if m, s := (off%3600)/60, off%60; m != 0 || s != 0 {
		buf = append(buf, ':')
		buf = append2(buf, m)
		if s != 0 {
			buf = append(buf, ':')
			buf = append2(buf, s)
		}
	}
	if t.Year() <= 0 {
		buf = append(buf, " BC"...)
	}
	return buf
}

// AppendInterval formats an interval in IntervalStyle postgres: a positive
// field after a negative one carries an explicit '+', as PostgreSQL prints it.
func AppendInterval(buf []byte, iv Interval) []byte {
	start := len(buf)
	years, mons := iv.Months/12, iv.Months%12
	negBefore := false
	part := func(n int64, unit string) {
		if n == 0 {
			return
		}
		if len(buf) > start {
			buf = append(buf, ' ')
		}
		if negBefore && n > 0 {
			buf = append(buf, '+')
		}
		negBefore = negBefore || n < 0
		buf = strconv.AppendInt(buf, n, 10)
		buf = append(buf, ' ')
		buf = append(buf, unit...)
		if n != 1 {
			buf = append(buf, 's')
		}
	}
	part(int64(years), "year")
	part(int64(mons), "mon")
	part(int64(iv.Days), "day")
	if iv.Micros != 0 || len(buf) == start {
		if len(buf) > start {
			buf = append(buf, ' ')
		}
		us := iv.Micros
		if us < 0 {
			us = -us
			buf = append(buf, '-')
		} else if negBefore {
			buf = append(buf, '+')
		}
		h := us / 3600e6
		us -= h * 3600e6
		m := us / 60e6
		us -= m * 60e6
		sec := us / 1e6
		us -= sec * 1e6
		if h < 10 {
			buf = append(buf, '0')
		}
		buf = strconv.AppendInt(buf, h, 10)
		buf = append(buf, ':')
		buf = append2(buf, int(m))
		buf = append(buf, ':')
		buf = append2(buf, int(sec))
		if us > 0 {
			f := strconv.Itoa(int(us) + 1000000)[1:]
			buf = append(buf, '.')
			buf = append(buf, strings.TrimRight(f, "0")...)
		}
	}
	return buf
}

func syntaxErr(t Type, s string) *sqlerr.Error {
	return sqlerr.New(sqlerr.InvalidTextRepresentation, "invalid input syntax for type %s: \"%s\"", t.Desc().SQLName, s)
}

// ParseText parses the text input form of type t (a parameter in text
// format, a COPY field, or a cast from a string literal).
func ParseText(t Type, s string, f *Format) (Datum, error) {
	if t.IsArray() {
		return ParseArray(t, s, f)
	}
	switch t.OID {
	case OIDBool:
		return parseBool(s)
	case OIDRegproc:
		name := strings.TrimPrefix(strings.TrimSpace(s), "pg_catalog.")
		if oid, ok := ProcOIDs[name]; ok {
			return int64(oid), nil
		}
		if ProcByName != nil {
			oid, n := ProcByName(name)
			switch {
			case n == 1:
				return int64(oid), nil
			case n > 1:
				return nil, sqlerr.New(sqlerr.AmbiguousFunction, "more than one function named \"%s\"", s)
			}
		}
		if name == "-" {
			return int64(0), nil
		}
		if v, err := ParseInt(Oid, s); err == nil {
			return v, nil
		}
		return nil, sqlerr.New(sqlerr.UndefinedFunction, "function \"%s\" does not exist", s)
	case OIDInt2, OIDInt4, OIDInt8, OIDOid:
		return ParseInt(t, s)
	case OIDRegtype:
		return ParseRegtype(s)
	case OIDRegclass:
		return parseRegclass(s, f)
	case OIDRegnamespace:
		name := strings.TrimSpace(s)
		if n, err := strconv.ParseUint(name, 10, 32); err == nil {
			return int64(n), nil
		}
		if f != nil && f.Relations != nil {
			if oid, ok := f.Relations.NamespaceOID(strings.Trim(name, `"`)); ok {
				return int64(oid), nil
			}
		}
		return nil, sqlerr.New(sqlerr.UndefinedObject, "schema \"%s\" does not exist", name)
	case OIDFloat4, OIDFloat8:
		return ParseFloat(t, s)
	case OIDNumeric:
		d, err := ParseDecimal(s)
		if err != nil {
			return nil, err
		}
		return d.ApplyTypmod(t.Typmod)
	case OIDText, OIDName, OIDUnknown:
		return s, nil
	case OIDChar:
		// "char" keeps one byte (PostgreSQL's charin).
		if len(s) > 1 {
			return s[:1], nil
		}
		return s, nil
	case OIDVarchar, OIDBpchar:
		return applyCharTypmod(t, s, false)
	case OIDJSON:
		if !json.Valid([]byte(s)) {
			return nil, syntaxErr(t, s).WithDetail("Token is invalid.")
		}
		return s, nil
	case OIDJSONB:
		if !json.Valid([]byte(s)) {
			return nil, syntaxErr(t, s).WithDetail("Token is invalid.")
		}
		return normalizeJSONB(s), nil
	case OIDBytea:
		return parseBytea(s)
	case OIDDate:
		return ParseDate(s)
	case OIDTimestamp:
		return ParseTimestamp(s, false, f.loc())
	case OIDTimestamptz:
		return ParseTimestamp(s, true, f.loc())
	case OIDInterval:
		return ParseInterval(s)
	case OIDUUID:
		return ParseUUID(s)
	}
	return nil, sqlerr.Unsupported("input of type %s is not supported", t)
}

// applyCharTypmod enforces varchar(n)/char(n); explicit casts truncate.
func applyCharTypmod(t Type, s string, explicit bool) (string, error) {
	if t.Typmod < 4 {
		return s, nil
	}
	n := int(t.Typmod - 4)
	r := []rune(s)
	if len(r) > n {
		if explicit || strings.TrimRight(string(r[n:]), " ") == "" {
			r = r[:n]
		} else {
			return "", sqlerr.New(sqlerr.StringDataRightTruncation, "value too long for type %s", t)
		}
	}
	if t.OID == OIDBpchar && len(r) < n {
		return string(r) + strings.Repeat(" ", n-len(r)), nil
	}
	return string(r), nil
}

// ApplyCharTypmod enforces a varchar(n)/char(n) length; explicit casts truncate silently.
func ApplyCharTypmod(t Type, s string, explicit bool) (string, error) {
	return applyCharTypmod(t, s, explicit)
}

func parseBool(s string) (Datum, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "t", "tr", "tru", "true", "y", "ye", "yes", "on", "1":
		return true, nil
	case "f", "fa", "fal", "fals", "false", "n", "no", "of", "off", "0":
		return false, nil
	}
	return nil, syntaxErr(Bool, s)
}

// IntRange returns the bounds of an integer type.
func IntRange(t Type) (int64, int64) {
	switch t.OID {
	case OIDInt2:
		return math.MinInt16, math.MaxInt16
	case OIDInt4:
		return math.MinInt32, math.MaxInt32
	case OIDOid, OIDRegproc:
		return math.MinInt32, math.MaxUint32
	}
	return math.MinInt64, math.MaxInt64
}

// OutOfRange is the 22003 error for an integer type.
func OutOfRange(t Type) *sqlerr.Error {
	return sqlerr.New(sqlerr.NumericValueOutOfRange, "%s out of range", t.Desc().SQLName)
}

// ParseInt parses int2/int4/int8 text input with PostgreSQL's errors.
func ParseInt(t Type, s string) (Datum, error) {
	v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return nil, sqlerr.New(sqlerr.NumericValueOutOfRange, "value \"%s\" is out of range for type %s", s, t.Desc().SQLName)
		}
		return nil, syntaxErr(t, s)
	}
	lo, hi := IntRange(t)
	if v < lo || v > hi {
		return nil, sqlerr.New(sqlerr.NumericValueOutOfRange, "value \"%s\" is out of range for type %s", s, t.Desc().SQLName)
	}
	if t.OID == OIDOid && v < 0 {
		v = int64(uint32(int32(v)))
	}
	return v, nil
}

// ParseFloat parses float4/float8 text input.
func ParseFloat(t Type, s string) (Datum, error) {
	ts := strings.TrimSpace(s)
	switch strings.ToLower(ts) {
	case "nan":
		return math.NaN(), nil
	case "infinity", "+infinity", "inf", "+inf":
		return math.Inf(1), nil
	case "-infinity", "-inf":
		return math.Inf(-1), nil
	}
	bits := 64
	if t.OID == OIDFloat4 {
		bits = 32
	}
	v, err := strconv.ParseFloat(ts, bits)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return nil, sqlerr.New(sqlerr.NumericValueOutOfRange, "\"%s\" is out of range for type %s", s, t.Desc().SQLName)
		}
		return nil, syntaxErr(t, s)
	}
	return v, nil
}

func parseBytea(s string) (Datum, error) {
	if strings.HasPrefix(s, `\x`) {
		h := strings.Map(func(r rune) rune {
			if r == ' ' || r == '\n' || r == '\t' || r == '\r' {
				return -1
			}
			return r
		}, s[2:])
		b, err := hex.DecodeString(h)
		if err != nil {
			return nil, sqlerr.New(sqlerr.InvalidTextRepresentation, "invalid hexadecimal data: odd number of digits")
		}
		return b, nil
	}
	// Escape format: \\ and \ooo octal.
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		if i+1 < len(s) && s[i+1] == '\\' {
			out = append(out, '\\')
			i++
			continue
		}
		if i+3 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				out = append(out, byte(v))
				i += 3
				continue
			}
		}
		return nil, sqlerr.New(sqlerr.InvalidTextRepresentation, "invalid input syntax for type bytea")
	}
	return out, nil
}

// ParseUUID parses a UUID with or without hyphens and braces.
func ParseUUID(s string) (Datum, error) {
	h := strings.TrimSpace(s)
	h = strings.TrimPrefix(strings.TrimSuffix(h, "}"), "{")
	h = strings.ReplaceAll(h, "-", "")
	var u UUID
	if len(h) != 32 {
		return nil, syntaxErr(UUIDT, s)
	}
	if _, err := hex.Decode(u[:], []byte(h)); err != nil {
		return nil, syntaxErr(UUIDT, s)
	}
	return u, nil
}

// normalizeJSONB renders jsonb the way PostgreSQL prints it: keys sorted,
// duplicates dropped (last wins), ", " and ": " separators.
func normalizeJSONB(s string) string {
	var v any
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return s
	}
	var b strings.Builder
	writeJSONB(&b, v)
	return b.String()
}

func writeJSONB(b *strings.Builder, v any) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		// jsonb orders keys by length, then bytewise.
		sortKeys(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			kb, _ := json.Marshal(k)
			b.Write(kb)
			b.WriteString(": ")
			writeJSONB(b, x[k])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writeJSONB(b, e)
		}
		b.WriteByte(']')
	case json.Number:
		b.WriteString(x.String())
	default:
		enc, _ := json.Marshal(x)
		b.Write(enc)
	}
}

func sortKeys(keys []string) {
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0; j-- {
			a, c := keys[j-1], keys[j]
			if len(a) > len(c) || (len(a) == len(c) && a > c) {
				keys[j-1], keys[j] = c, a
			} else {
				break
			}
		}
	}
}

// ParseRegtype reads a type name (or a numeric OID) as regtype input does.
func ParseRegtype(s string) (Datum, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	if n, err := strconv.ParseUint(name, 10, 32); err == nil {
		return int64(n), nil
	}
	name = strings.TrimPrefix(name, "pg_catalog.")
	arr := strings.HasSuffix(name, "[]")
	name = strings.TrimSuffix(name, "[]")
	if i := strings.IndexByte(name, '('); i >= 0 {
		name = strings.TrimSpace(name[:i])
	}
	name = strings.Trim(name, `"`)
	d, ok := LookupName(name)
	if !ok {
		return nil, sqlerr.New(sqlerr.UndefinedObject, "type \"%s\" does not exist", strings.TrimSpace(s))
	}
	oid := d.OID
	if arr {
		a, ok := ArrayOf(Type{OID: oid})
		if !ok {
			return nil, sqlerr.New(sqlerr.UndefinedObject, "type \"%s\" does not exist", strings.TrimSpace(s))
		}
		oid = a.OID
	}
	return int64(oid), nil
}

// parseRegclass reads a relation name (or a numeric OID) as regclass input does.
func parseRegclass(s string, f *Format) (Datum, error) {
	name := strings.TrimSpace(s)
	if n, err := strconv.ParseUint(name, 10, 32); err == nil {
		return int64(n), nil
	}
	lookup := strings.ToLower(name)
	if strings.HasPrefix(name, `"`) && strings.HasSuffix(name, `"`) && len(name) >= 2 {
		lookup = name[1 : len(name)-1]
	}
	if f != nil && f.Relations != nil {
		if oid, ok := f.Relations.RelationOID(lookup); ok {
			return int64(oid), nil
		}
	}
	return nil, sqlerr.New(sqlerr.UndefinedTable, "relation \"%s\" does not exist", name)
}
