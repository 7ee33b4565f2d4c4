package types

import (
	"encoding/hex"
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"
)

// Datum is one SQL value: nil for NULL, otherwise one of the Go types listed
// in the package doc.
type Datum = any

// Date is days since 1970-01-01 (Arrow Date32).
type Date int32

// Timestamp is microseconds since 1970-01-01 00:00:00 (UTC for timestamptz).
type Timestamp int64

// Interval is PostgreSQL's interval: months, days and microseconds kept apart.
type Interval struct {
	Months int32
	Days   int32
	Micros int64
}

// UUID is a 16-byte UUID.
type UUID [16]byte

// String renders the UUID in its canonical form.
func (u UUID) String() string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

// Decimal is an arbitrary-precision numeric: Coef × 10^-Scale, or NaN.
type Decimal struct {
	Coef  big.Int
	Scale int32
	NaN   bool
}

// pgEpoch is 2000-01-01, the origin of PostgreSQL's binary date and time formats.
const (
	pgEpochDays   = 10957
	pgEpochMicros = int64(pgEpochDays) * 86400 * 1e6
)

// TimeOf converts a Timestamp to time.Time in UTC.
func (t Timestamp) TimeOf() time.Time {
	return time.UnixMicro(int64(t)).UTC()
}

// TimestampOf converts a time.Time to a Timestamp.
func TimestampOf(t time.Time) Timestamp { return Timestamp(t.UnixMicro()) }

// Compare orders two non-null datums of the same type: -1, 0 or 1.
func Compare(a, b Datum) int {
	switch x := a.(type) {
	case bool:
		y := b.(bool)
		switch {
		case x == y:
			return 0
		case !x:
			return -1
		}
		return 1
	case int64:
		return cmp3(x, b.(int64))
	case float64:
		y := b.(float64)
		// PostgreSQL orders NaN above every other value, equal to itself.
		switch {
		case math.IsNaN(x) && math.IsNaN(y):
			return 0
		case math.IsNaN(x):
			return 1
		case math.IsNaN(y):
			return -1
		}
		return cmp3(x, y)
	case string:
		return strings.Compare(x, b.(string))
	case []byte:
		return strings.Compare(string(x), string(b.([]byte)))
	case Date:
		return cmp3(x, b.(Date))
	case Timestamp:
		return cmp3(x, b.(Timestamp))
	case *Decimal:
		return x.Cmp(b.(*Decimal))
	case Interval:
		y := b.(Interval)
		return cmp3(x.span(), y.span())
	case UUID:
		y := b.(UUID)
		return strings.Compare(string(x[:]), string(y[:]))
	case *Array:
		return compareArrays(x, b.(*Array))
	case *Record:
		return compareRecords(x, b.(*Record))
	}
	panic(fmt.Sprintf("types.Compare: unsupported %T", a))
}

func cmp3[T int64 | int32 | float64 | Date | Timestamp](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// span is the interval as microseconds with 30-day months, PostgreSQL's
// comparison key.
func (iv Interval) span() float64 {
	return float64(iv.Months)*30*86400e6 + float64(iv.Days)*86400e6 + float64(iv.Micros)
}
