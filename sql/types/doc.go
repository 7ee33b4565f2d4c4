// Package types is sluice's PostgreSQL type system: type OIDs and names, the
// mapping between PostgreSQL types and Arrow types, the Go representation of
// single values (Datum) and the text and binary wire formats of every
// supported type, written to match PostgreSQL 15 byte for byte.
//
// A column's PostgreSQL type travels with its Arrow field as metadata
// (FieldFor/TypeOfField), because Arrow alone cannot tell int4 from oid or
// json from text. Datums are plain Go values: nil (SQL NULL), bool, int64 (all
// integer types and oid), float64 (float4 and float8), Decimal, string (text,
// varchar, name, json), []byte (bytea, jsonb text), Date, Timestamp,
// Interval and UUID. types imports only the standard library and arrow.
package types
