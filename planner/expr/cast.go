package expr

import (
	"math"
	"strings"
	"time"

	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// CastCtx says which casts may apply: implicit ones anywhere, assignment
// ones when storing into a column, explicit ones for CAST/::.
type CastCtx int

const (
	CastImplicit CastCtx = iota
	CastAssignment
	CastExplicit
)

type castFunc func(ec *EvalCtx, d types.Datum) (types.Datum, error)

// NumRank orders numeric types for implicit promotion.
func NumRank(o types.OID) int {
	switch o {
	case types.OIDInt2:
		return 1
	case types.OIDInt4:
		return 2
	case types.OIDInt8:
		return 3
	case types.OIDNumeric:
		return 4
	case types.OIDFloat4:
		return 5
	case types.OIDFloat8:
		return 6
	}
	return 0
}

// LookupCast returns the conversion from one type to another in a context.
func LookupCast(from, to types.Type, cc CastCtx) (castFunc, bool) {
	if from.OID == to.OID {
		if to.Typmod >= 0 && to.Typmod != from.Typmod {
			return typmodCast(to, cc == CastExplicit), true
		}
		return func(_ *EvalCtx, d types.Datum) (types.Datum, error) { return d, nil }, true
	}
	if from.OID == types.OIDUnknown {
		// An untyped value (a set-operation column of literals) takes any type by input.
		return func(ec *EvalCtx, d types.Datum) (types.Datum, error) {
			return types.ParseText(to, d.(string), ec.Env.Format)
		}, true
	}
	fr, tr := NumRank(from.OID), NumRank(to.OID)
	switch {
	case from.OID == types.OIDNodeTree && to.IsString():
		// pg_node_tree is text to whoever reads it (implicitly).
		return typmodCast(to, cc == CastExplicit), true
	case from.OID == types.OIDChar && to.IsString():
		// "char" → text is implicit (so "char" = bpchar compares as text,
		// as pg_constraint.contype = 'f'::char does in PostgreSQL); to the
		// other string types by assignment.
		if cc == CastImplicit && to.OID != types.OIDText {
			return nil, false
		}
		return typmodCast(to, cc == CastExplicit), true
	case from.IsString() && to.OID == types.OIDChar:
		if cc == CastImplicit {
			return nil, false
		}
		return func(_ *EvalCtx, d types.Datum) (types.Datum, error) {
			s := d.(string)
			if len(s) > 1 {
				s = s[:1] // the first byte, as text → "char" keeps
			}
			return s, nil
		}, true
	case fr > 0 && tr > 0:
		if tr < fr && cc == CastImplicit {
			return nil, false
		}
		return numericCast(from, to), true
	case from.IsString() && to.IsString():
		if from.OID == types.OIDBpchar && to.OID != types.OIDBpchar {
			// char(n) → text drops the padding (rtrim), as PostgreSQL does.
			tm := typmodCast(to, cc == CastExplicit)
			return func(ec *EvalCtx, d types.Datum) (types.Datum, error) {
				return tm(ec, strings.TrimRight(d.(string), " "))
			}, true
		}
		if to.OID == types.OIDText || to.OID == types.OIDName {
			return func(_ *EvalCtx, d types.Datum) (types.Datum, error) { return d, nil }, true
		}
		return typmodCast(to, cc == CastExplicit), true
	case to.IsString() || to.OID == types.OIDJSON && from.IsString():
		// Output function, then the target's input: every type casts to text
		// by assignment (and explicitly).
		if cc == CastImplicit && !from.IsString() {
			return nil, false
		}
		return func(ec *EvalCtx, d types.Datum) (types.Datum, error) {
			s := types.TextOf(from, d, ec.Env.Format)
			if b, ok := d.(bool); ok {
				// booltext: the cast spells the value out, unlike boolout's t/f.
				s = map[bool]string{true: "true", false: "false"}[b]
			}
			if to.OID == types.OIDJSON {
				return types.ParseText(to, s, ec.Env.Format)
			}
			return types.ApplyCharTypmod(to, s, cc == CastExplicit)
		}, true
	case from.IsString() || from.OID == types.OIDUnknown:
		if cc == CastImplicit && from.OID != types.OIDUnknown {
			return nil, false
		}
		return func(ec *EvalCtx, d types.Datum) (types.Datum, error) {
			return types.ParseText(to, d.(string), ec.Env.Format)
		}, true
	case (from.OID == types.OIDJSON || from.OID == types.OIDJSONB) && (to.OID == types.OIDJSON || to.OID == types.OIDJSONB):
		return func(ec *EvalCtx, d types.Datum) (types.Datum, error) {
			return types.ParseText(to, d.(string), ec.Env.Format)
		}, true
	case from.OID == types.OIDBool && to.OID == types.OIDInt4 && cc == CastExplicit:
		return func(_ *EvalCtx, d types.Datum) (types.Datum, error) {
			if d.(bool) {
				return int64(1), nil
			}
			return int64(0), nil
		}, true
	case from.OID == types.OIDInt4 && to.OID == types.OIDBool && cc == CastExplicit:
		return func(_ *EvalCtx, d types.Datum) (types.Datum, error) { return d.(int64) != 0, nil }, true
	case (from.OID == types.OIDOid || from.IsInteger()) && (to.OID == types.OIDRegtype || to.OID == types.OIDRegclass || to.OID == types.OIDRegnamespace || to.OID == types.OIDRegproc),
		(from.OID == types.OIDRegtype || from.OID == types.OIDRegclass || from.OID == types.OIDRegnamespace || from.OID == types.OIDRegproc) && to.OID == types.OIDOid,
		from.IsInteger() && to.OID == types.OIDOid:
		return toOid, true
	case (from.OID == types.OIDRegtype || from.OID == types.OIDRegclass) && (to.OID == types.OIDInt8 || to.OID == types.OIDInt4 && cc != CastImplicit):
		return func(_ *EvalCtx, d types.Datum) (types.Datum, error) { return d, nil }, true
	case from.OID == types.OIDOid && (to.OID == types.OIDInt8 || to.OID == types.OIDInt4 && cc != CastImplicit):
		return func(_ *EvalCtx, d types.Datum) (types.Datum, error) {
			if to.OID == types.OIDInt4 {
				return int64(int32(uint32(d.(int64)))), nil
			}
			return d, nil
		}, true
	}
	return dateTimeCast(from, to, cc)
}

func dateTimeCast(from, to types.Type, cc CastCtx) (castFunc, bool) {
	f, t := from.OID, to.OID
	switch {
	case f == types.OIDDate && t == types.OIDTimestamp:
		return func(_ *EvalCtx, d types.Datum) (types.Datum, error) {
			return types.Timestamp(int64(d.(types.Date)) * 86400e6), nil
		}, true
	case f == types.OIDDate && t == types.OIDTimestamptz:
		return func(ec *EvalCtx, d types.Datum) (types.Datum, error) {
			tm := time.Unix(int64(d.(types.Date))*86400, 0).UTC()
			loc := locOf(ec)
			return types.TimestampOf(time.Date(tm.Year(), tm.Month(), tm.Day(), 0, 0, 0, 0, loc)), nil
		}, true
	case f == types.OIDTimestamp && t == types.OIDTimestamptz:
		return func(ec *EvalCtx, d types.Datum) (types.Datum, error) {
			tm := d.(types.Timestamp).TimeOf()
			return types.TimestampOf(time.Date(tm.Year(), tm.Month(), tm.Day(), tm.Hour(), tm.Minute(), tm.Second(), tm.Nanosecond(), locOf(ec))), nil
		}, true
	case cc == CastImplicit:
		return nil, false
	case f == types.OIDTimestamptz && t == types.OIDTimestamp:
		return func(ec *EvalCtx, d types.Datum) (types.Datum, error) {
			tm := d.(types.Timestamp).TimeOf().In(locOf(ec))
			return types.TimestampOf(time.Date(tm.Year(), tm.Month(), tm.Day(), tm.Hour(), tm.Minute(), tm.Second(), tm.Nanosecond(), time.UTC)), nil
		}, true
	case f == types.OIDTimestamp && t == types.OIDDate:
		return func(_ *EvalCtx, d types.Datum) (types.Datum, error) {
			return types.Date(floorDiv(int64(d.(types.Timestamp)), 86400e6)), nil
		}, true
	case f == types.OIDTimestamptz && t == types.OIDDate:
		return func(ec *EvalCtx, d types.Datum) (types.Datum, error) {
			tm := d.(types.Timestamp).TimeOf().In(locOf(ec))
			return types.Date(floorDiv(time.Date(tm.Year(), tm.Month(), tm.Day(), 0, 0, 0, 0, time.UTC).Unix(), 86400)), nil
		}, true
	}
	return nil, false
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func locOf(ec *EvalCtx) *time.Location {
	if ec.Env != nil && ec.Env.Format != nil && ec.Env.Format.Loc != nil {
		return ec.Env.Format.Loc
	}
	return time.UTC
}

func typmodCast(to types.Type, explicit bool) castFunc {
	return func(_ *EvalCtx, d types.Datum) (types.Datum, error) {
		switch v := d.(type) {
		case string:
			return types.ApplyCharTypmod(to, v, explicit)
		case *types.Decimal:
			return v.ApplyTypmod(to.Typmod)
		}
		return d, nil
	}
}

// numericCast converts between int2/4/8, numeric and float4/8 with
// PostgreSQL's rounding and range errors.
func numericCast(from, to types.Type) castFunc {
	return func(_ *EvalCtx, d types.Datum) (types.Datum, error) {
		switch to.OID {
		case types.OIDInt2, types.OIDInt4, types.OIDInt8:
			var v int64
			switch x := d.(type) {
			case int64:
				v = x
			case float64:
				// float → int rounds half to even (rint), range-checked.
				r := math.RoundToEven(x)
				lo, hi := types.IntRange(to)
				if math.IsNaN(r) || r < float64(lo) || r >= -float64(lo) || (to.OID != types.OIDInt8 && r > float64(hi)) {
					return nil, types.OutOfRange(to)
				}
				v = int64(r)
			case *types.Decimal:
				if x.NaN {
					return nil, sqlerr.New(sqlerr.FeatureNotSupported, "cannot convert NaN to %s", to.Desc().SQLName)
				}
				var ok bool
				if v, ok = x.Int64(); !ok {
					return nil, types.OutOfRange(to)
				}
			}
			lo, hi := types.IntRange(to)
			if v < lo || v > hi {
				return nil, types.OutOfRange(to)
			}
			return v, nil
		case types.OIDFloat4, types.OIDFloat8:
			var f float64
			switch x := d.(type) {
			case int64:
				f = float64(x)
			case float64:
				f = x
			case *types.Decimal:
				f = x.Float64()
				if math.IsInf(f, 0) {
					return nil, sqlerr.New(sqlerr.NumericValueOutOfRange, "value out of range: overflow")
				}
			}
			if to.OID == types.OIDFloat4 {
				f32 := float32(f)
				if math.IsInf(float64(f32), 0) && !math.IsInf(f, 0) {
					return nil, sqlerr.New(sqlerr.NumericValueOutOfRange, "value out of range: overflow")
				}
				f = float64(f32)
			}
			return f, nil
		case types.OIDNumeric:
			var dec *types.Decimal
			switch x := d.(type) {
			case int64:
				dec = types.DecimalFromInt(x)
			case float64:
				var err error
				if dec, err = types.DecimalFromFloat(x); err != nil {
					return nil, err
				}
			case *types.Decimal:
				dec = x
			}
			return dec.ApplyTypmod(to.Typmod)
		}
		return nil, sqlerr.Internal("numericCast to %s", to)
	}
}

type CastExpr struct {
	X  Expr
	To types.Type
	Fn castFunc
}

// FoldableCast reports whether a cast depends on nothing but its input
// (not on TimeZone or the clock), so it can be folded.
func FoldableCast(from, to types.Type) bool {
	ok := func(t types.Type) bool {
		return NumRank(t.OID) > 0 || t.IsString() || t.OID == types.OIDBool || t.OID == types.OIDUUID ||
			t.OID == types.OIDBytea || t.OID == types.OIDJSON || t.OID == types.OIDJSONB
	}
	return ok(from) && ok(to)
}

func (e *CastExpr) Type() types.Type { return e.To }
func (e *CastExpr) Eval(ec *EvalCtx, row []types.Datum) (types.Datum, error) {
	v, err := e.X.Eval(ec, row)
	if err != nil || v == nil {
		return nil, err
	}
	return e.Fn(ec, v)
}

// toOid converts an integer to an OID (negative int4 values wrap, as in PostgreSQL).
func toOid(_ *EvalCtx, d types.Datum) (types.Datum, error) {
	v := d.(int64)
	if v < math.MinInt32 || v > math.MaxUint32 {
		return nil, types.OutOfRange(types.Oid)
	}
	return int64(uint32(v)), nil
}
