package types

import (
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
)

// OID is a PostgreSQL object identifier.
type OID = uint32

// Well-known type OIDs (pg_type.dat of PostgreSQL 15).
const (
	OIDUnknown      OID = 705
	OIDBool         OID = 16
	OIDBytea        OID = 17
	OIDChar         OID = 18
	OIDName         OID = 19
	OIDInt8         OID = 20
	OIDInt2         OID = 21
	OIDInt4         OID = 23
	OIDRegproc      OID = 24
	OIDText         OID = 25
	OIDOid          OID = 26
	OIDJSON         OID = 114
	OIDFloat4       OID = 700
	OIDFloat8       OID = 701
	OIDBpchar       OID = 1042
	OIDVarchar      OID = 1043
	OIDDate         OID = 1082
	OIDTime         OID = 1083
	OIDTimestamp    OID = 1114
	OIDTimestamptz  OID = 1184
	OIDInterval     OID = 1186
	OIDNumeric      OID = 1700
	OIDUUID         OID = 2950
	OIDJSONB        OID = 3802
	OIDVoid         OID = 2278
	OIDRegtype      OID = 2206
	OIDRegclass     OID = 2205
	OIDRegnamespace OID = 4089
	OIDRecord       OID = 2249
	OIDNodeTree     OID = 194 // pg_node_tree: catalog expression trees (text here)
)

// Type is a PostgreSQL type with its modifier.
type Type struct {
	OID    OID
	Typmod int32 // -1 when none
}

// Desc is the static description of a base type.
type Desc struct {
	OID      OID
	Name     string // pg_type.typname
	SQLName  string // format_type() spelling
	Len      int16  // pg_type.typlen
	Category byte   // pg_type.typcategory
	Aliases  []string
}

var descs = []Desc{
	{OIDBool, "bool", "boolean", 1, 'B', []string{"boolean"}},
	{OIDBytea, "bytea", "bytea", -1, 'U', nil},
	{OIDChar, "char", "\"char\"", 1, 'Z', nil},
	{OIDName, "name", "name", 64, 'S', nil},
	{OIDInt8, "int8", "bigint", 8, 'N', []string{"bigint"}},
	{OIDInt2, "int2", "smallint", 2, 'N', []string{"smallint"}},
	{OIDInt4, "int4", "integer", 4, 'N', []string{"integer", "int"}},
	{OIDRegproc, "regproc", "regproc", 4, 'N', nil},
	{OIDText, "text", "text", -1, 'S', nil},
	{OIDOid, "oid", "oid", 4, 'N', nil},
	{OIDJSON, "json", "json", -1, 'U', nil},
	{OIDFloat4, "float4", "real", 4, 'N', []string{"real"}},
	{OIDFloat8, "float8", "double precision", 8, 'N', []string{"double precision", "float"}},
	{OIDBpchar, "bpchar", "character", -1, 'S', []string{"character"}},
	{OIDVarchar, "varchar", "character varying", -1, 'S', []string{"character varying"}},
	{OIDDate, "date", "date", 4, 'D', nil},
	{OIDTimestamp, "timestamp", "timestamp without time zone", 8, 'D', []string{"timestamp without time zone"}},
	{OIDTimestamptz, "timestamptz", "timestamp with time zone", 8, 'D', []string{"timestamp with time zone"}},
	{OIDInterval, "interval", "interval", 16, 'T', nil},
	{OIDNumeric, "numeric", "numeric", -1, 'N', []string{"decimal"}},
	{OIDUUID, "uuid", "uuid", 16, 'U', nil},
	{OIDJSONB, "jsonb", "jsonb", -1, 'U', nil},
	{OIDUnknown, "unknown", "unknown", -2, 'X', nil},
	{OIDVoid, "void", "void", 4, 'P', nil},
	{OIDRecord, "record", "record", -1, 'P', nil},
	{OIDNodeTree, "pg_node_tree", "pg_node_tree", -1, 'Z', nil},
	{OIDRegtype, "regtype", "regtype", 4, 'N', nil},
	{OIDRegclass, "regclass", "regclass", 4, 'N', nil},
	{OIDRegnamespace, "regnamespace", "regnamespace", 4, 'N', nil},
}

var (
	byOID  = map[OID]*Desc{}
	byName = map[string]*Desc{}
)

func init() {
	for i := range descs {
		d := &descs[i]
		byOID[d.OID] = d
		byName[d.Name] = d
		for _, a := range d.Aliases {
			byName[a] = d
		}
	}
	registerArrays()
}

// Common types without modifiers.
var (
	Unknown      = Type{OIDUnknown, -1}
	Bool         = Type{OIDBool, -1}
	Bytea        = Type{OIDBytea, -1}
	Name         = Type{OIDName, -1}
	Int2         = Type{OIDInt2, -1}
	Int4         = Type{OIDInt4, -1}
	Int8         = Type{OIDInt8, -1}
	Oid          = Type{OIDOid, -1}
	Text         = Type{OIDText, -1}
	Varchar      = Type{OIDVarchar, -1}
	JSON         = Type{OIDJSON, -1}
	JSONB        = Type{OIDJSONB, -1}
	Float4       = Type{OIDFloat4, -1}
	Float8       = Type{OIDFloat8, -1}
	Numeric      = Type{OIDNumeric, -1}
	DateT        = Type{OIDDate, -1}
	TimestampT   = Type{OIDTimestamp, -1}
	TimestamptzT = Type{OIDTimestamptz, -1}
	IntervalT    = Type{OIDInterval, -1}
	UUIDT        = Type{OIDUUID, -1}
	Void         = Type{OIDVoid, -1}
	Regtype      = Type{OIDRegtype, -1}
	Regclass     = Type{OIDRegclass, -1}
)

// Lookup returns the description of a type OID.
func Lookup(oid OID) (*Desc, bool) {
	if d, ok := byOID[oid]; ok {
		return d, true
	}
	d, ok := pseudoByOID[oid]
	return d, ok
}

// PseudoType is one of PostgreSQL 15's pseudo-types sluice has no values
// of (void, unknown and record are types of their own). They are in
// pg_type, and Lookup knows them so that signatures such as count("any")
// print, but no SQL name resolves to them.
type PseudoType struct {
	OID            OID
	Name           string
	Len            int16
	Align, Storage string
}

// OIDAny is the pseudo-type "any" (count("any")).
const OIDAny OID = 2276

// PseudoTypes lists the pseudo-types in OID order.
var PseudoTypes = []PseudoType{
	{32, "pg_ddl_command", 8, "d", "p"}, {269, "table_am_handler", 4, "i", "p"}, {325, "index_am_handler", 4, "i", "p"},
	{2275, "cstring", -2, "c", "p"}, {OIDAny, "any", 4, "i", "p"}, {2277, "anyarray", -1, "d", "x"},
	{2279, "trigger", 4, "i", "p"}, {2280, "language_handler", 4, "i", "p"}, {2281, "internal", 8, "d", "p"},
	{2283, "anyelement", 4, "i", "p"}, {2776, "anynonarray", 4, "i", "p"}, {3115, "fdw_handler", 4, "i", "p"},
	{3310, "tsm_handler", 4, "i", "p"}, {3500, "anyenum", 4, "i", "p"}, {3831, "anyrange", -1, "d", "x"},
	{3838, "event_trigger", 4, "i", "p"}, {4537, "anymultirange", -1, "d", "x"},
	{4538, "anycompatiblemultirange", -1, "d", "x"}, {5077, "anycompatible", 4, "i", "p"},
	{5078, "anycompatiblearray", -1, "d", "x"}, {5079, "anycompatiblenonarray", 4, "i", "p"},
	{5080, "anycompatiblerange", -1, "d", "x"},
}

var pseudoByOID = func() map[OID]*Desc {
	m := make(map[OID]*Desc, len(PseudoTypes))
	for _, p := range PseudoTypes {
		sql := p.Name
		if sql == "any" {
			sql = `"any"` // a reserved word: format_type quotes it
		}
		m[p.OID] = &Desc{OID: p.OID, Name: p.Name, SQLName: sql, Len: p.Len, Category: 'P'}
	}
	return m
}()

// LookupName resolves a type name as written in SQL (lower case, without
// schema): "int4", "integer", "double precision", "timestamptz"…
func LookupName(name string) (*Desc, bool) {
	name = strings.TrimPrefix(name, "pg_catalog.")
	d, ok := byName[name]
	return d, ok
}

// Desc returns t's description; unknown OIDs describe as "unknown".
func (t Type) Desc() *Desc {
	if d, ok := Lookup(t.OID); ok {
		return d
	}
	return byOID[OIDUnknown]
}

// String renders t like format_type(oid, typmod).
func (t Type) String() string {
	if e, ok := ElemOf(t); ok {
		return e.String() + "[]"
	}
	d := t.Desc()
	switch t.OID {
	case OIDVarchar, OIDBpchar:
		if t.Typmod >= 4 {
			return d.SQLName + "(" + strconv.Itoa(int(t.Typmod-4)) + ")"
		}
	case OIDNumeric:
		if t.Typmod >= 4 {
			m := t.Typmod - 4
			return "numeric(" + strconv.Itoa(int(m>>16)) + "," + strconv.Itoa(int(m&0xffff)) + ")"
		}
	case OIDTimestamp, OIDTimestamptz:
		if t.Typmod >= 0 {
			name, zone, _ := strings.Cut(d.SQLName, " ")
			return name + "(" + strconv.Itoa(int(t.Typmod)) + ") " + zone
		}
	}
	return d.SQLName
}

// Size returns the RowDescription type size (pg_type.typlen).
func (t Type) Size() int16 { return t.Desc().Len }

// IsNumeric reports whether t is in PostgreSQL's numeric category.
func (t Type) IsNumeric() bool {
	switch t.OID {
	case OIDInt2, OIDInt4, OIDInt8, OIDFloat4, OIDFloat8, OIDNumeric, OIDOid:
		return true
	}
	return false
}

// IsInteger reports whether t is int2, int4 or int8.
func (t Type) IsInteger() bool {
	return t.OID == OIDInt2 || t.OID == OIDInt4 || t.OID == OIDInt8
}

// IsString reports whether t is in the string category.
func (t Type) IsString() bool {
	switch t.OID {
	case OIDText, OIDVarchar, OIDBpchar, OIDName:
		return true
	}
	return false
}

// Metadata keys carrying the PostgreSQL type on an Arrow field.
const (
	MetaOID    = "pg.oid"
	MetaTypmod = "pg.typmod"
)

// ArrowType returns the Arrow type that holds values of t.
func ArrowType(t Type) arrow.DataType {
	if e, ok := ElemOf(t); ok {
		return arrow.ListOf(ArrowType(e))
	}
	switch t.OID {
	case OIDBool:
		return arrow.FixedWidthTypes.Boolean
	case OIDInt2:
		return arrow.PrimitiveTypes.Int16
	case OIDInt4:
		return arrow.PrimitiveTypes.Int32
	case OIDInt8, OIDOid, OIDRegproc, OIDRegtype, OIDRegclass, OIDRegnamespace:
		return arrow.PrimitiveTypes.Int64
	case OIDFloat4:
		return arrow.PrimitiveTypes.Float32
	case OIDFloat8:
		return arrow.PrimitiveTypes.Float64
	case OIDNumeric:
		// Unconstrained numeric keeps each value's own scale, which a
		// fixed-scale Decimal128 cannot; it travels as canonical text until
		// the engine grows a variable-scale decimal kernel.
		return arrow.BinaryTypes.String
	case OIDBytea:
		return arrow.BinaryTypes.Binary
	case OIDDate:
		return arrow.FixedWidthTypes.Date32
	case OIDTimestamp:
		return &arrow.TimestampType{Unit: arrow.Microsecond}
	case OIDTimestamptz:
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	case OIDInterval:
		return arrow.FixedWidthTypes.MonthDayNanoInterval
	case OIDUUID:
		return &arrow.FixedSizeBinaryType{ByteWidth: 16}
	case OIDRecord:
		if fields, ok := RecordFields(t); ok {
			fs := make([]arrow.Field, len(fields))
			for i, f := range fields {
				fs[i] = FieldFor(f.Name, f.Type)
			}
			return arrow.StructOf(fs...)
		}
	}
	return arrow.BinaryTypes.String
}

// FieldFor returns an Arrow field for a column named name of type t.
func FieldFor(name string, t Type) arrow.Field {
	md := arrow.NewMetadata([]string{MetaOID, MetaTypmod},
		[]string{strconv.FormatUint(uint64(t.OID), 10), strconv.Itoa(int(t.Typmod))})
	return arrow.Field{Name: name, Type: ArrowType(t), Nullable: true, Metadata: md}
}

// TypeOfField recovers the PostgreSQL type of an Arrow field, from its
// metadata when present and from the Arrow type otherwise.
func TypeOfField(f arrow.Field) Type {
	if i := f.Metadata.FindKey(MetaOID); i >= 0 {
		oid, _ := strconv.ParseUint(f.Metadata.Values()[i], 10, 32)
		t := Type{OID: OID(oid), Typmod: -1}
		if j := f.Metadata.FindKey(MetaTypmod); j >= 0 {
			m, _ := strconv.Atoi(f.Metadata.Values()[j])
			t.Typmod = int32(m)
		}
		return t
	}
	switch dt := f.Type.(type) {
	case *arrow.BooleanType:
		return Bool
	case *arrow.Int8Type, *arrow.Int16Type:
		return Int2
	case *arrow.Int32Type:
		return Int4
	case *arrow.Int64Type, *arrow.Uint32Type:
		return Int8
	case *arrow.Float32Type:
		return Float4
	case *arrow.Float64Type:
		return Float8
	case *arrow.BinaryType, *arrow.LargeBinaryType:
		return Bytea
	case *arrow.Date32Type:
		return DateT
	case *arrow.TimestampType:
		if dt.TimeZone != "" {
			return TimestamptzT
		}
		return TimestampT
	case *arrow.MonthDayNanoIntervalType:
		return IntervalT
	case *arrow.Decimal128Type:
		return Type{OIDNumeric, ((dt.Precision << 16) | dt.Scale) + 4}
	}
	return Text
}

// Domain is a domain type: a base type under another name.
type Domain struct {
	OID       OID
	Name      string
	Base      Type
	Default   string // typdefault ("" for none)
	Collation OID
}

// InfoSchemaDomains are the domains of PostgreSQL 15's information_schema
// (with its OIDs), which pg_type lists; sluice's information_schema
// columns use their base types.
var InfoSchemaDomains = []Domain{
	{13221, "cardinal_number", Int4, "", 0},
	{13224, "character_data", Varchar, "", 950},
	{13226, "sql_identifier", Name, "", 950},
	{13232, "time_stamp", Type{OIDTimestamptz, 2}, "CURRENT_TIMESTAMP(2)", 0},
	{13234, "yes_or_no", Type{OIDVarchar, 7}, "", 950},
}

// All returns every type sluice knows (base types, then their arrays), for
// pg_type.
func All() []Desc {
	out := make([]Desc, 0, len(descs)+len(arrayOIDs))
	out = append(out, descs...)
	for _, d := range descs {
		if a, ok := arrayOIDs[d.OID]; ok {
			out = append(out, *byOID[a])
		}
	}
	return out
}

// ProcByName and ProcName resolve the functions the engine registers (its
// pg_proc rows) for regproc input and output: the OID and how many
// overloads carry the name. Set by the planner.
var (
	ProcByName func(name string) (OID, int)
	ProcName   func(oid OID) (string, bool)
)

// ProcOIDs are the pg_proc OIDs (PostgreSQL 15's) of the few functions
// clients name as regproc: the array I/O functions pg_type lists.
var ProcOIDs = map[string]OID{
	"array_in": 750, "array_out": 751, "array_recv": 2400, "array_send": 2401,
	"array_subscript_handler": 6179, "record_in": 2290, "record_out": 2291,
}
