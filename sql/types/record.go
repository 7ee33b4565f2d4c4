package types

import (
	"encoding/binary"
	"strconv"
	"strings"
	"sync"
)

// Composite values: a row-valued function's result taken as one value,
// such as information_schema._pg_expandarray(a) in a select list, whose
// fields are read with (value).field. Their type is record (OID 2249) with
// a typmod naming the field list in a process-wide registry — the way a
// PostgreSQL backend tells its anonymous record types apart by typmod.

// Field is one named field of a record type.
type Field struct {
	Name string
	Type Type
}

// Record is a composite value: its fields' descriptions and values (nil
// for NULL).
type Record struct {
	Fields []Field
	Vals   []Datum
}

var records struct {
	sync.Mutex
	lists [][]Field
	index map[string]int32
}

// RecordType returns the record type with these fields (the same fields
// always give the same typmod).
func RecordType(fields []Field) Type {
	var key strings.Builder
	for _, f := range fields {
		key.WriteString(f.Name)
		key.WriteByte(0)
		key.WriteString(f.Type.String())
		key.WriteByte(0)
	}
	records.Lock()
	defer records.Unlock()
	if m, ok := records.index[key.String()]; ok {
		return Type{OID: OIDRecord, Typmod: m}
	}
	if records.index == nil {
		records.index = map[string]int32{}
	}
	m := int32(len(records.lists))
	records.lists = append(records.lists, append([]Field(nil), fields...))
	records.index[key.String()] = m
	return Type{OID: OIDRecord, Typmod: m}
}

// RecordFields returns the fields of a record type made by RecordType.
func RecordFields(t Type) ([]Field, bool) {
	if t.OID != OIDRecord || t.Typmod < 0 {
		return nil, false
	}
	records.Lock()
	defer records.Unlock()
	if int(t.Typmod) >= len(records.lists) {
		return nil, false
	}
	return records.lists[t.Typmod], true
}

// appendRecordText is record_out: (a,b) with NULL as nothing and a field
// quoted when it is empty or holds a quote, backslash, parenthesis, comma
// or white space (quotes and backslashes doubled inside).
func appendRecordText(buf []byte, r *Record, f *Format) []byte {
	buf = append(buf, '(')
	for i, v := range r.Vals {
		if i > 0 {
			buf = append(buf, ',')
		}
		if v == nil {
			continue
		}
		s := string(AppendText(nil, r.Fields[i].Type, v, f))
		if s != "" && !strings.ContainsAny(s, "\"\\(), \t\n\r\v\f") {
			buf = append(buf, s...)
			continue
		}
		buf = append(buf, '"')
		for j := 0; j < len(s); j++ {
			if s[j] == '"' || s[j] == '\\' {
				buf = append(buf, s[j])
			}
			buf = append(buf, s[j])
		}
		buf = append(buf, '"')
	}
	return append(buf, ')')
}

// appendRecordBinary is record_send: the field count, then each field's
// type OID, length (-1: NULL) and binary value.
func appendRecordBinary(buf []byte, r *Record) []byte {
	be := binary.BigEndian
	buf = be.AppendUint32(buf, uint32(len(r.Vals)))
	for i, v := range r.Vals {
		buf = be.AppendUint32(buf, r.Fields[i].Type.OID)
		if v == nil {
			buf = be.AppendUint32(buf, 0xFFFFFFFF)
			continue
		}
		at := len(buf)
		buf = append(buf, 0, 0, 0, 0)
		buf = AppendBinary(buf, r.Fields[i].Type, v)
		be.PutUint32(buf[at:], uint32(len(buf)-at-4))
	}
	return buf
}

// compareRecords orders records field by field, NULL after every value
// (record comparison in PostgreSQL).
func compareRecords(a, b *Record) int { return compareSeqs(a.Vals, b.Vals) }

// parseRecordBinary is record_recv: the fields carry their type OIDs (their
// names are not on the wire: fields come back named f1, f2, …).
func parseRecordBinary(t Type, b []byte) (Datum, error) {
	be := binary.BigEndian
	if len(b) < 4 {
		return nil, binErr(t)
	}
	n := int(int32(be.Uint32(b)))
	b = b[4:]
	if n < 0 || n > len(b)/8 {
		return nil, binErr(t)
	}
	r := &Record{Fields: make([]Field, n), Vals: make([]Datum, n)}
	for i := range n {
		if len(b) < 8 {
			return nil, binErr(t)
		}
		ft := Type{OID: be.Uint32(b), Typmod: -1}
		size := int(int32(be.Uint32(b[4:])))
		b = b[8:]
		r.Fields[i] = Field{Name: "f" + strconv.Itoa(i+1), Type: ft}
		if size == -1 {
			continue
		}
		if size < 0 || size > len(b) {
			return nil, binErr(t)
		}
		v, err := ParseBinary(ft, b[:size])
		if err != nil {
			return nil, err
		}
		r.Vals[i], b = v, b[size:]
	}
	if len(b) != 0 {
		return nil, binErr(t)
	}
	return r, nil
}
