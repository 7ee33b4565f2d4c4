package types

import (
	"bytes"
	"math"
	"testing"
)

func TestAppendFloatMatchesPostgres(t *testing.T) {
	a, b := 0.1, 0.2 // variables: Go folds constant 0.1+0.2 exactly
	// Outputs of PostgreSQL 15 with extra_float_digits = 1 (the default) and 0.
	cases := []struct {
		v    float64
		is4  bool
		efd  int
		want string
	}{
		{1, false, 1, "1"}, {1e15, false, 1, "1e+15"}, {123456789012345, false, 1, "123456789012345"},
		{0.0001, false, 1, "0.0001"}, {0.00001, false, 1, "1e-05"}, {a + b, false, 1, "0.30000000000000004"},
		{a + b, false, 0, "0.3"}, {1.5e-7, true, 1, "1.5e-07"}, {100, true, 1, "100"}, {1e6, true, 1, "1e+06"},
		{math.Inf(1), false, 1, "Infinity"}, {math.Inf(-1), false, 1, "-Infinity"}, {math.NaN(), false, 1, "NaN"},
		{-0.0, false, 1, "0"}, {math.Copysign(0, -1), false, 1, "-0"}, {123.456, true, 1, "123.456"},
		{2.5e-310, false, 1, "2.5e-310"}, {1.7976931348623157e308, false, 1, "1.7976931348623157e+308"},
	}
	for _, c := range cases {
		if got := string(AppendFloat(nil, c.v, c.is4, c.efd)); got != c.want {
			t.Errorf("AppendFloat(%v, float4=%v, efd=%d) = %q, want %q", c.v, c.is4, c.efd, got, c.want)
		}
	}
}

func TestDecimalBinaryRoundTrip(t *testing.T) {
	for _, s := range []string{"0", "1", "-1", "12.50", "0.0001", "-0.001", "10000", "123456789.123456789",
		"1e30", "0.000000000000000000001", "99999999", "NaN", "3.14159265358979323846264338327950288"} {
		d, err := ParseDecimal(s)
		if err != nil {
			t.Fatal(err)
		}
		back, err := DecodeDecimalBinary(d.AppendBinary(nil))
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		if back.String() != d.String() {
			t.Errorf("%s: round trip gave %s", d, back)
		}
	}
	// The binary form of 12.50 as PostgreSQL sends it: 2 digits, weight 0, scale 2: 12, 5000.
	d, _ := ParseDecimal("12.50")
	want := []byte{0, 2, 0, 0, 0, 0, 0, 2, 0, 12, 0x13, 0x88}
	if got := d.AppendBinary(nil); !bytes.Equal(got, want) {
		t.Errorf("12.50 binary = %x, want %x", got, want)
	}
}

func TestDecimalDivScale(t *testing.T) {
	cases := map[[2]string]string{
		{"1", "3.0"}: "0.33333333333333333333", {"7.0", "2"}: "3.5000000000000000",
		{"10", "4"}: "2.5000000000000000", {"1", "7"}: "0.14285714285714285714", {"123456", "2"}: "61728.000000000000",
	}
	for in, want := range cases {
		a, _ := ParseDecimal(in[0])
		b, _ := ParseDecimal(in[1])
		q, err := a.Div(b)
		if err != nil || q.String() != want {
			t.Errorf("%s / %s = %v (%v), want %s", in[0], in[1], q, err, want)
		}
	}
}

func TestIntervalText(t *testing.T) {
	cases := map[string]string{
		"1 year 2 months 3 days 04:05:06.789": "1 year 2 mons 3 days 04:05:06.789",
		"-1 day":                              "-1 days",
		"36 hours":                            "36:00:00",
		"1.5 days":                            "1 day 12:00:00",
		"@ 3 hours ago":                       "-03:00:00",
		"1 day -00:00:01":                     "1 day -00:00:01",
		"0":                                   "00:00:00",
	}
	for in, want := range cases {
		iv, err := ParseInterval(in)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if got := string(AppendInterval(nil, iv.(Interval))); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}

func allTypes() []Type {
	return []Type{Bool, Int2, Int4, Int8, Oid, Float4, Float8, Numeric, Text, Varchar, Bytea, DateT, TimestampT,
		TimestamptzT, IntervalT, UUIDT, JSON, JSONB}
}

// FuzzParseBinary checks that no input crashes a binary decoder and that
// decoded values re-encode to an input the decoder reads back the same.
func FuzzParseBinary(f *testing.F) {
	f.Add(uint8(6), []byte{0, 2, 0, 0, 0, 0, 0, 2, 0, 12, 0x13, 0x88})
	f.Add(uint8(2), []byte{0, 0, 0, 42})
	f.Add(uint8(14), make([]byte, 16))
	f.Fuzz(func(t *testing.T, which uint8, b []byte) {
		ts := allTypes()
		typ := ts[int(which)%len(ts)]
		d, err := ParseBinary(typ, b)
		if err != nil {
			return
		}
		enc := AppendBinary(nil, typ, d)
		d2, err := ParseBinary(typ, enc)
		if err != nil {
			t.Fatalf("%s: re-decoding %x: %v", typ, enc, err)
		}
		if typ.OID == OIDFloat4 || typ.OID == OIDFloat8 {
			return // NaN payloads need not compare equal
		}
		if Compare(d, d2) != 0 {
			t.Fatalf("%s: %v then %v", typ, d, d2)
		}
	})
}

// FuzzParseText checks that text input never crashes and that output text
// parses back to the same value.
func FuzzParseText(f *testing.F) {
	for _, s := range []string{"1", "-12.5e3", "2024-02-29", "2024-02-29 10:11:12.5+02", "1 day 02:00", "t", `\xdead`, "{}", "NaN"} {
		f.Add(uint8(0), s)
	}
	f.Fuzz(func(t *testing.T, which uint8, s string) {
		ts := allTypes()
		typ := ts[int(which)%len(ts)]
		d, err := ParseText(typ, s, nil)
		if err != nil {
			return
		}
		out := TextOf(typ, d, nil)
		d2, err := ParseText(typ, out, nil)
		if err != nil {
			t.Fatalf("%s: output %q of input %q does not parse: %v", typ, out, s, err)
		}
		if out2 := TextOf(typ, d2, nil); out2 != out {
			t.Fatalf("%s: %q → %q → %q", typ, s, out, out2)
		}
	})
}
