package types

import (
	"encoding/binary"
	"math"

	"github.com/sluicedb/sluice/sql/sqlerr"
)

// HasBinary reports whether sluice can send and receive t in binary format.
func HasBinary(t Type) bool {
	if e, ok := ElemOf(t); ok {
		return HasBinary(e)
	}
	switch t.OID {
	case OIDBool, OIDInt2, OIDInt4, OIDInt8, OIDOid, OIDRegtype, OIDRegclass, OIDRegnamespace, OIDFloat4, OIDFloat8, OIDNumeric,
		OIDText, OIDVarchar, OIDBpchar, OIDName, OIDBytea, OIDDate, OIDTimestamp,
		OIDTimestamptz, OIDInterval, OIDUUID, OIDJSON, OIDJSONB, OIDUnknown, OIDRegproc, OIDChar, OIDNodeTree:
		return true
	}
	return false
}

// AppendBinary appends the binary wire form of a non-null datum of type t.
func AppendBinary(buf []byte, t Type, d Datum) []byte {
	be := binary.BigEndian
	if a, ok := d.(*Array); ok {
		return appendArrayBinary(buf, a)
	}
	if r, ok := d.(*Record); ok {
		return appendRecordBinary(buf, r)
	}
	switch t.OID {
	case OIDBool:
		if d.(bool) {
			return append(buf, 1)
		}
		return append(buf, 0)
	case OIDInt2:
		return be.AppendUint16(buf, uint16(d.(int64)))
	case OIDInt4, OIDOid, OIDRegproc, OIDRegtype, OIDRegclass, OIDRegnamespace:
		return be.AppendUint32(buf, uint32(d.(int64)))
	case OIDInt8:
		return be.AppendUint64(buf, uint64(d.(int64)))
	case OIDFloat4:
		return be.AppendUint32(buf, math.Float32bits(float32(d.(float64))))
	case OIDFloat8:
		return be.AppendUint64(buf, math.Float64bits(d.(float64)))
	case OIDNumeric:
		return d.(*Decimal).AppendBinary(buf)
	case OIDBytea:
		return append(buf, d.([]byte)...)
	case OIDDate:
		return be.AppendUint32(buf, uint32(int32(d.(Date))-pgEpochDays))
	case OIDTimestamp, OIDTimestamptz:
		return be.AppendUint64(buf, uint64(int64(d.(Timestamp))-pgEpochMicros))
	case OIDInterval:
		iv := d.(Interval)
		buf = be.AppendUint64(buf, uint64(iv.Micros))
		buf = be.AppendUint32(buf, uint32(iv.Days))
		return be.AppendUint32(buf, uint32(iv.Months))
	case OIDUUID:
		u := d.(UUID)
		return append(buf, u[:]...)
	case OIDJSONB:
		buf = append(buf, 1)
		return append(buf, d.(string)...)
	}
	// text-like types: the bytes themselves
	switch v := d.(type) {
	case string:
		return append(buf, v...)
	case []byte:
		return append(buf, v...)
	}
	return AppendText(buf, t, d, nil)
}

func binErr(t Type) *sqlerr.Error {
	return sqlerr.New(sqlerr.InvalidBinaryRepresentation, "incorrect binary data format in bind parameter of type %s", t.Desc().SQLName)
}

// ParseBinary decodes the binary wire form of type t.
func ParseBinary(t Type, b []byte) (Datum, error) {
	be := binary.BigEndian
	if t.IsArray() {
		return parseArrayBinary(t, b)
	}
	need := func(n int) error {
		if len(b) != n {
			return binErr(t)
		}
		return nil
	}
	switch t.OID {
	case OIDRecord:
		return parseRecordBinary(t, b)
	case OIDBool:
		if err := need(1); err != nil {
			return nil, err
		}
		return b[0] != 0, nil
	case OIDInt2:
		if err := need(2); err != nil {
			return nil, err
		}
		return int64(int16(be.Uint16(b))), nil
	case OIDInt4:
		if err := need(4); err != nil {
			return nil, err
		}
		return int64(int32(be.Uint32(b))), nil
	case OIDOid, OIDRegproc, OIDRegtype, OIDRegclass, OIDRegnamespace:
		if err := need(4); err != nil {
			return nil, err
		}
		return int64(be.Uint32(b)), nil
	case OIDInt8:
		if err := need(8); err != nil {
			return nil, err
		}
		return int64(be.Uint64(b)), nil
	case OIDFloat4:
		if err := need(4); err != nil {
			return nil, err
		}
		return float64(math.Float32frombits(be.Uint32(b))), nil
	case OIDFloat8:
		if err := need(8); err != nil {
			return nil, err
		}
		return math.Float64frombits(be.Uint64(b)), nil
	case OIDNumeric:
		return DecodeDecimalBinary(b)
	case OIDBytea:
		return append([]byte(nil), b...), nil
	case OIDDate:
		if err := need(4); err != nil {
			return nil, err
		}
		return Date(int32(be.Uint32(b)) + pgEpochDays), nil
	case OIDTimestamp, OIDTimestamptz:
		if err := need(8); err != nil {
			return nil, err
		}
		return Timestamp(int64(be.Uint64(b)) + pgEpochMicros), nil
	case OIDInterval:
		if err := need(16); err != nil {
			return nil, err
		}
		return Interval{Micros: int64(be.Uint64(b)), Days: int32(be.Uint32(b[8:])), Months: int32(be.Uint32(b[12:]))}, nil
	case OIDUUID:
		if err := need(16); err != nil {
			return nil, err
		}
		var u UUID
		copy(u[:], b)
		return u, nil
	case OIDJSONB:
		if len(b) < 1 || b[0] != 1 {
			return nil, sqlerr.New(sqlerr.InvalidBinaryRepresentation, "unsupported jsonb version number")
		}
		return ParseText(t, string(b[1:]), nil)
	case OIDChar:
		if len(b) == 1 && b[0] == 0 {
			return "", nil // the empty "char"
		}
		return ParseText(t, string(b), nil)
	case OIDText, OIDVarchar, OIDBpchar, OIDName, OIDUnknown, OIDJSON:
		return ParseText(t, string(b), nil)
	}
	return nil, sqlerr.Unsupported("binary input of type %s is not supported", t)
}
