package types

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// DatumAt returns row i of an Arrow array of PostgreSQL type t as a Datum.
func DatumAt(arr arrow.Array, t Type, i int) Datum {
	if arr.IsNull(i) {
		return nil
	}
	switch a := arr.(type) {
	case *array.Boolean:
		return a.Value(i)
	case *array.Int16:
		return int64(a.Value(i))
	case *array.Int32:
		return int64(a.Value(i))
	case *array.Int64:
		return a.Value(i)
	case *array.Float32:
		return float64(a.Value(i))
	case *array.Float64:
		return a.Value(i)
	case *array.String:
		switch t.OID {
		case OIDNumeric:
			d, err := ParseDecimal(a.Value(i))
			if err != nil {
				return nil
			}
			return d
		case OIDInterval:
			// Parquet has no month-day-microsecond interval: stored as text.
			d, err := ParseText(t, a.Value(i), &Format{})
			if err != nil {
				return nil
			}
			return d
		}
		return a.Value(i)
	case *array.Binary:
		return a.Value(i)
	case *array.Date32:
		return Date(a.Value(i))
	case *array.Timestamp:
		return Timestamp(a.Value(i))
	case *array.MonthDayNanoInterval:
		v := a.Value(i)
		return Interval{Months: v.Months, Days: v.Days, Micros: v.Nanoseconds / 1000}
	case *array.FixedSizeBinary:
		var u UUID
		copy(u[:], a.Value(i))
		return u
	case *array.Dictionary:
		return DatumAt(a.Dictionary(), t, a.GetValueIndex(i))
	case *array.Struct:
		fields, _ := RecordFields(t)
		r := &Record{Fields: fields, Vals: make([]Datum, len(fields))}
		for j, f := range fields {
			r.Vals[j] = DatumAt(a.Field(j), f.Type, i)
		}
		return r
	case *array.List:
		elem, _ := ElemOf(t)
		start, end := a.ValueOffsets(i)
		vals := a.ListValues()
		out := &Array{Elem: elem, Vals: make([]Datum, 0, end-start)}
		for j := start; j < end; j++ {
			out.Vals = append(out.Vals, DatumAt(vals, elem, int(j)))
		}
		return out
	}
	panic(fmt.Sprintf("types.DatumAt: unsupported array %T", arr))
}

// AppendDatum appends a Datum of PostgreSQL type t to a builder made for
// ArrowType(t).
func AppendDatum(b array.Builder, t Type, d Datum) {
	if d == nil {
		b.AppendNull()
		return
	}
	switch bb := b.(type) {
	case *array.BooleanBuilder:
		bb.Append(d.(bool))
	case *array.Int16Builder:
		bb.Append(int16(d.(int64)))
	case *array.Int32Builder:
		bb.Append(int32(d.(int64)))
	case *array.Int64Builder:
		bb.Append(d.(int64))
	case *array.Float32Builder:
		bb.Append(float32(d.(float64)))
	case *array.Float64Builder:
		bb.Append(d.(float64))
	case *array.StringBuilder:
		switch v := d.(type) {
		case string:
			bb.Append(v)
		case *Decimal:
			bb.Append(v.String())
		default:
			bb.Append(fmt.Sprint(v))
		}
	case *array.BinaryBuilder:
		bb.Append(d.([]byte))
	case *array.Date32Builder:
		bb.Append(arrow.Date32(d.(Date)))
	case *array.TimestampBuilder:
		bb.Append(arrow.Timestamp(d.(Timestamp)))
	case *array.MonthDayNanoIntervalBuilder:
		iv := d.(Interval)
		bb.Append(arrow.MonthDayNanoInterval{Months: iv.Months, Days: iv.Days, Nanoseconds: iv.Micros * 1000})
	case *array.FixedSizeBinaryBuilder:
		u := d.(UUID)
		bb.Append(u[:])
	case *array.StructBuilder:
		bb.Append(true)
		r := d.(*Record)
		for j, f := range r.Fields {
			AppendDatum(bb.FieldBuilder(j), f.Type, r.Vals[j])
		}
	case *array.ListBuilder:
		elem, _ := ElemOf(t)
		bb.Append(true)
		for _, v := range d.(*Array).Vals {
			AppendDatum(bb.ValueBuilder(), elem, v)
		}
	default:
		panic(fmt.Sprintf("types.AppendDatum: unsupported builder %T", b))
	}
}
