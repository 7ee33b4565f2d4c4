package types

import (
	"encoding/binary"
	"strings"

	"github.com/sluicedb/sluice/sql/sqlerr"
)

// Array is a one-dimensional SQL array with lower bound 1. Multi-dimensional
// arrays are not supported yet (their input answers 0A000).
type Array struct {
	Elem Type
	Vals []Datum // nil entries are NULL elements
}

// arrayOIDs maps element type OIDs to their array type OIDs (pg_type.typarray).
var arrayOIDs = map[OID]OID{
	OIDBool: 1000, OIDBytea: 1001, OIDChar: 1002, OIDName: 1003, OIDInt2: 1005, OIDInt4: 1007, OIDText: 1009,
	OIDBpchar: 1014, OIDVarchar: 1015, OIDInt8: 1016, OIDFloat4: 1021, OIDFloat8: 1022, OIDOid: 1028,
	OIDTimestamp: 1115, OIDDate: 1182, OIDTimestamptz: 1185, OIDInterval: 1187, OIDNumeric: 1231,
	OIDUUID: 2951, OIDJSON: 199, OIDJSONB: 3807, OIDRegproc: 1008, OIDRegtype: 2211, OIDRegclass: 2210,
	OIDRegnamespace: 4090,
}

var elemOIDs = func() map[OID]OID {
	m := map[OID]OID{}
	for e, a := range arrayOIDs {
		m[a] = e
	}
	return m
}()

// registerArrays adds the array types to the name and OID tables (called
// after the base types are registered).
func registerArrays() {
	for e, a := range arrayOIDs {
		d := byOID[e]
		ad := &Desc{OID: a, Name: "_" + d.Name, SQLName: d.SQLName + "[]", Len: -1, Category: 'A'}
		byOID[a] = ad
		byName["_"+d.Name] = ad
	}
}

// ArrayOf returns the array type whose elements are t (ok false if none).
func ArrayOf(t Type) (Type, bool) {
	a, ok := arrayOIDs[t.OID]
	return Type{OID: a, Typmod: t.Typmod}, ok
}

// ElemOf returns the element type of an array type.
func ElemOf(t Type) (Type, bool) {
	e, ok := elemOIDs[t.OID]
	return Type{OID: e, Typmod: t.Typmod}, ok
}

// IsArray reports whether t is an array type.
func (t Type) IsArray() bool {
	_, ok := elemOIDs[t.OID]
	return ok
}

// appendArrayText renders {a,b,NULL} with PostgreSQL's quoting.
func appendArrayText(buf []byte, a *Array, f *Format) []byte {
	buf = append(buf, '{')
	for i, v := range a.Vals {
		if i > 0 {
			buf = append(buf, ',')
		}
		if v == nil {
			buf = append(buf, "NULL"...)
			continue
		}
		s := string(AppendText(nil, a.Elem, v, f))
		if needsQuote(s) {
			buf = append(buf, '"')
			for j := 0; j < len(s); j++ {
				if s[j] == '"' || s[j] == '\\' {
					buf = append(buf, '\\')
				}
				buf = append(buf, s[j])
			}
			buf = append(buf, '"')
		} else {
			buf = append(buf, s...)
		}
	}
	return append(buf, '}')
}

func needsQuote(s string) bool {
	if s == "" || strings.EqualFold(s, "null") {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{', '}', ',', '"', '\\', ' ', '\t', '\n', '\r', '\v', '\f':
			return true
		}
	}
	return false
}

// ParseArray reads array text input ('{1,2,NULL}', '{"a b",c}').
func ParseArray(t Type, s string, f *Format) (Datum, error) {
	elem, _ := ElemOf(t)
	bad := func(detail string) error {
		return sqlerr.New(sqlerr.InvalidTextRepresentation, "malformed array literal: \"%s\"", s).WithDetail("%s", detail)
	}
	in := strings.TrimSpace(s)
	if strings.HasPrefix(in, "[") {
		return nil, sqlerr.Unsupported("array literals with explicit bounds are not supported yet")
	}
	if len(in) < 2 || in[0] != '{' || in[len(in)-1] != '}' {
		return nil, bad("Array value must start with \"{\" or dimension information.")
	}
	body := in[1 : len(in)-1]
	out := &Array{Elem: elem, Vals: []Datum{}}
	if strings.TrimSpace(body) == "" {
		return out, nil
	}
	i := 0
	for {
		for i < len(body) && (body[i] == ' ' || body[i] == '\t' || body[i] == '\n') {
			i++
		}
		if i < len(body) && body[i] == '{' {
			return nil, sqlerr.Unsupported("multidimensional arrays are not supported yet")
		}
		var sb strings.Builder
		quoted := false
		if i < len(body) && body[i] == '"' {
			quoted = true
			i++
			for i < len(body) && body[i] != '"' {
				if body[i] == '\\' && i+1 < len(body) {
					i++
				}
				sb.WriteByte(body[i])
				i++
			}
			if i >= len(body) {
				return nil, bad("Unexpected end of input.")
			}
			i++
		} else {
			for i < len(body) && body[i] != ',' {
				if body[i] == '\\' && i+1 < len(body) {
					i++
				}
				if body[i] == '"' || body[i] == '{' || body[i] == '}' {
					return nil, bad("Unexpected \"" + string(body[i]) + "\" character.")
				}
				sb.WriteByte(body[i])
				i++
			}
		}
		for i < len(body) && (body[i] == ' ' || body[i] == '\t' || body[i] == '\n') {
			i++
		}
		tok := sb.String()
		if !quoted {
			tok = strings.TrimSpace(tok)
			if tok == "" {
				return nil, bad("Unexpected \",\" character.")
			}
		}
		if !quoted && strings.EqualFold(tok, "null") {
			out.Vals = append(out.Vals, nil)
		} else {
			v, err := ParseText(elem, tok, f)
			if err != nil {
				return nil, err
			}
			out.Vals = append(out.Vals, v)
		}
		if i >= len(body) {
			break
		}
		if body[i] != ',' {
			return nil, bad("Unexpected array element.")
		}
		i++
	}
	return out, nil
}

// appendArrayBinary writes array_send's format for one dimension.
func appendArrayBinary(buf []byte, a *Array) []byte {
	be := binary.BigEndian
	hasNull := uint32(0)
	for _, v := range a.Vals {
		if v == nil {
			hasNull = 1
		}
	}
	if len(a.Vals) == 0 {
		buf = be.AppendUint32(buf, 0)
		buf = be.AppendUint32(buf, 0)
		return be.AppendUint32(buf, a.Elem.OID)
	}
	buf = be.AppendUint32(buf, 1)
	buf = be.AppendUint32(buf, hasNull)
	buf = be.AppendUint32(buf, a.Elem.OID)
	buf = be.AppendUint32(buf, uint32(len(a.Vals)))
	buf = be.AppendUint32(buf, 1)
	for _, v := range a.Vals {
		if v == nil {
			buf = be.AppendUint32(buf, 0xFFFFFFFF)
			continue
		}
		at := len(buf)
		buf = append(buf, 0, 0, 0, 0)
		buf = AppendBinary(buf, a.Elem, v)
		be.PutUint32(buf[at:], uint32(len(buf)-at-4))
	}
	return buf
}

// parseArrayBinary reads array_recv's format.
func parseArrayBinary(t Type, b []byte) (Datum, error) {
	be := binary.BigEndian
	elem, _ := ElemOf(t)
	bad := sqlerr.New(sqlerr.InvalidBinaryRepresentation, "invalid binary array data")
	if len(b) < 12 {
		return nil, bad
	}
	ndim := int(int32(be.Uint32(b)))
	if ndim == 0 {
		return &Array{Elem: elem, Vals: []Datum{}}, nil
	}
	if ndim != 1 {
		return nil, sqlerr.Unsupported("multidimensional arrays are not supported yet")
	}
	if len(b) < 20 || OID(be.Uint32(b[8:])) != elem.OID {
		return nil, bad
	}
	n := int(int32(be.Uint32(b[12:])))
	if n < 0 || n > len(b) {
		return nil, bad
	}
	p := 20
	out := &Array{Elem: elem, Vals: make([]Datum, 0, n)}
	for i := 0; i < n; i++ {
		if p+4 > len(b) {
			return nil, bad
		}
		l := int(int32(be.Uint32(b[p:])))
		p += 4
		if l == -1 {
			out.Vals = append(out.Vals, nil)
			continue
		}
		if l < 0 || p+l > len(b) {
			return nil, bad
		}
		v, err := ParseBinary(elem, b[p:p+l])
		if err != nil {
			return nil, err
		}
		out.Vals = append(out.Vals, v)
		p += l
	}
	if p != len(b) {
		return nil, bad
	}
	return out, nil
}

// compareArrays orders arrays element by element (NULL elements sort last).
func compareArrays(a, b *Array) int { return compareSeqs(a.Vals, b.Vals) }

// compareSeqs orders two value lists element by element, NULL after every
// value and a prefix before the longer list (arrays and records).
func compareSeqs(a, b []Datum) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		x, y := a[i], b[i]
		switch {
		case x == nil && y == nil:
			continue
		case x == nil:
			return 1
		case y == nil:
			return -1
		}
		if c := Compare(x, y); c != 0 {
			return c
		}
	}
	return cmp3(int64(len(a)), int64(len(b)))
}
