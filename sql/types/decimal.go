package types

import (
	"encoding/binary"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/sluicedb/sluice/sql/sqlerr"
)

var bigTen = big.NewInt(10)

func pow10(n int32) *big.Int {
	return new(big.Int).Exp(bigTen, big.NewInt(int64(n)), nil)
}

// ParseDecimal parses numeric text input ("12.50", "-1e3", "NaN").
func ParseDecimal(s string) (*Decimal, error) {
	t := strings.TrimSpace(s)
	if strings.EqualFold(t, "nan") {
		return &Decimal{NaN: true}, nil
	}
	bad := func() error {
		return sqlerr.New(sqlerr.InvalidTextRepresentation, "invalid input syntax for type numeric: \"%s\"", s)
	}
	if t == "" {
		return nil, bad()
	}
	neg := false
	switch t[0] {
	case '+':
		t = t[1:]
	case '-':
		neg = true
		t = t[1:]
	}
	exp := int64(0)
	if i := strings.IndexAny(t, "eE"); i >= 0 {
		e, err := strconv.ParseInt(t[i+1:], 10, 32)
		if err != nil {
			return nil, bad()
		}
		exp = e
		t = t[:i]
	}
	intPart, frac, hasDot := strings.Cut(t, ".")
	if intPart == "" && frac == "" || (hasDot && strings.Contains(frac, ".")) {
		return nil, bad()
	}
	digits := intPart + frac
	for _, c := range digits {
		if c < '0' || c > '9' {
			return nil, bad()
		}
	}
	d := &Decimal{}
	d.Coef.SetString(digits, 10)
	scale := int64(len(frac)) - exp
	if d.Coef.Sign() == 0 {
		// Zero with any exponent is zero; only its display scale is kept.
		d.Scale = int32(min(max(scale, 0), 16383))
		return d, nil
	}
	// PostgreSQL allows 131072 digits before the decimal point.
	if int64(len(strings.TrimLeft(digits, "0")))-scale > 131072 {
		return nil, sqlerr.New(sqlerr.NumericValueOutOfRange, "value overflows numeric format")
	}
	if scale < 0 {
		d.Coef.Mul(&d.Coef, pow10(int32(-scale)))
		scale = 0
	}
	if scale > 16383 {
		return nil, sqlerr.New(sqlerr.NumericValueOutOfRange, "value overflows numeric format")
	}
	d.Scale = int32(scale)
	if neg {
		d.Coef.Neg(&d.Coef)
	}
	return d, nil
}

// DecimalFromInt converts an integer.
func DecimalFromInt(v int64) *Decimal {
	d := &Decimal{}
	d.Coef.SetInt64(v)
	return d
}

// DecimalFromFloat converts a float8 the way float8_numeric does (15 significant digits).
func DecimalFromFloat(f float64) (*Decimal, error) {
	if math.IsNaN(f) {
		return &Decimal{NaN: true}, nil
	}
	if math.IsInf(f, 0) {
		return nil, sqlerr.New(sqlerr.FeatureNotSupported, "cannot convert infinity to numeric")
	}
	return ParseDecimal(strconv.FormatFloat(f, 'g', 15, 64))
}

// String renders the decimal as PostgreSQL's numeric_out does.
func (d *Decimal) String() string {
	if d.NaN {
		return "NaN"
	}
	s := new(big.Int).Abs(&d.Coef).String()
	if d.Scale > 0 {
		if len(s) <= int(d.Scale) {
			s = strings.Repeat("0", int(d.Scale)-len(s)+1) + s
		}
		s = s[:len(s)-int(d.Scale)] + "." + s[len(s)-int(d.Scale):]
	}
	if d.Coef.Sign() < 0 {
		s = "-" + s
	}
	return s
}

// Float64 converts to float8.
func (d *Decimal) Float64() float64 {
	if d.NaN {
		return math.NaN()
	}
	f, _ := strconv.ParseFloat(d.String(), 64)
	return f
}

// Rescale returns d rounded half away from zero (PostgreSQL's rule) to scale.
func (d *Decimal) Rescale(scale int32) *Decimal {
	if d.NaN || scale == d.Scale {
		return d
	}
	r := &Decimal{Scale: scale}
	if scale > d.Scale {
		r.Coef.Mul(&d.Coef, pow10(scale-d.Scale))
		return r
	}
	div := pow10(d.Scale - scale)
	q, m := new(big.Int).QuoRem(&d.Coef, div, new(big.Int))
	m.Abs(m).Mul(m, big.NewInt(2))
	if m.Cmp(div) >= 0 {
		if d.Coef.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	r.Coef.Set(q)
	return r
}

// Cmp compares two decimals; NaN sorts above all numbers.
func (d *Decimal) Cmp(o *Decimal) int {
	switch {
	case d.NaN && o.NaN:
		return 0
	case d.NaN:
		return 1
	case o.NaN:
		return -1
	}
	s := max(d.Scale, o.Scale)
	return d.Rescale(s).Coef.Cmp(&o.Rescale(s).Coef)
}

// Add returns d+o.
func (d *Decimal) Add(o *Decimal) *Decimal {
	if d.NaN || o.NaN {
		return &Decimal{NaN: true}
	}
	s := max(d.Scale, o.Scale)
	r := &Decimal{Scale: s}
	r.Coef.Add(&d.Rescale(s).Coef, &o.Rescale(s).Coef)
	return r
}

// Neg returns -d.
func (d *Decimal) Neg() *Decimal {
	r := &Decimal{Scale: d.Scale, NaN: d.NaN}
	r.Coef.Neg(&d.Coef)
	return r
}

// Mul returns d*o with scale d.Scale+o.Scale.
func (d *Decimal) Mul(o *Decimal) *Decimal {
	if d.NaN || o.NaN {
		return &Decimal{NaN: true}
	}
	r := &Decimal{Scale: d.Scale + o.Scale}
	r.Coef.Mul(&d.Coef, &o.Coef)
	return r
}

// Div returns d/o with PostgreSQL's select_div_scale result scale.
func (d *Decimal) Div(o *Decimal) (*Decimal, error) {
	if d.NaN || o.NaN {
		return &Decimal{NaN: true}, nil
	}
	if o.Coef.Sign() == 0 {
		return nil, sqlerr.New(sqlerr.DivisionByZero, "division by zero")
	}
	// select_div_scale: about 16 significant digits, at least the input scales.
	w1, f1 := d.firstGroup()
	w2, f2 := o.firstGroup()
	qweight := w1 - w2
	if f1 <= f2 {
		qweight--
	}
	rscale := int32(16) - qweight*4
	rscale = max(rscale, d.Scale, o.Scale, 0)
	rscale = min(rscale, 1000)
	// Compute with one extra digit and round half away from zero.
	num := new(big.Int).Mul(&d.Coef, pow10(rscale+1+o.Scale))
	den := new(big.Int).Mul(&o.Coef, pow10(d.Scale))
	q := new(big.Int).Quo(num, den)
	r := &Decimal{Scale: rscale + 1}
	r.Coef.Set(q)
	return r.Rescale(rscale), nil
}

// firstGroup returns the base-10000 weight and value of the first nonzero
// digit group (PostgreSQL's NumericVar weight and digits[0]).
func (d *Decimal) firstGroup() (int32, int) {
	abs := new(big.Int).Abs(&d.Coef).String()
	if abs == "0" {
		return 0, 0
	}
	w := d.weight()
	// Digits of the group at weight w: positions relative to the decimal point.
	intDigits := len(abs) - int(d.Scale)
	// The group covers decimal exponents [4w, 4w+3]; the digit with exponent e
	// sits at index intDigits-1-e of abs.
	v := 0
	for e := 4*int(w) + 3; e >= 4*int(w); e-- {
		idx := intDigits - 1 - e
		digit := 0
		if idx >= 0 && idx < len(abs) {
			digit = int(abs[idx] - '0')
		}
		v = v*10 + digit
	}
	return w, v
}

// weight is the base-10000 weight of the first nonzero digit group.
func (d *Decimal) weight() int32 {
	abs := new(big.Int).Abs(&d.Coef)
	if abs.Sign() == 0 {
		return 0
	}
	digitsBeforePoint := int32(len(abs.String())) - d.Scale
	if digitsBeforePoint > 0 {
		return (digitsBeforePoint - 1) / 4
	}
	return -((-digitsBeforePoint)/4 + 1)
}

// Int64 rounds to an integer; ok is false when out of range or NaN.
func (d *Decimal) Int64() (int64, bool) {
	if d.NaN {
		return 0, false
	}
	r := d.Rescale(0)
	if !r.Coef.IsInt64() {
		return 0, false
	}
	return r.Coef.Int64(), true
}

// ApplyTypmod rounds to numeric(p,s) and checks the precision (22003).
func (d *Decimal) ApplyTypmod(typmod int32) (*Decimal, error) {
	if typmod < 4 || d.NaN {
		return d, nil
	}
	m := typmod - 4
	prec, scale := m>>16, m&0xffff
	r := d.Rescale(scale)
	digits := len(new(big.Int).Abs(&r.Coef).String())
	if r.Coef.Sign() != 0 && int32(digits)-scale > prec-scale {
		return nil, sqlerr.New(sqlerr.NumericValueOutOfRange, "numeric field overflow").
			WithDetail("A field with precision %d, scale %d must round to an absolute value less than 10^%d.", prec, scale, prec-scale)
	}
	return r, nil
}

// AppendBinary appends numeric's binary wire form (base-10000 digits).
func (d *Decimal) AppendBinary(buf []byte) []byte {
	if d.NaN {
		return append(buf, 0, 0, 0, 0, 0xC0, 0, 0, 0)
	}
	abs := new(big.Int).Abs(&d.Coef).String()
	scale := int(d.Scale)
	// Pad so the fractional part is a multiple of 4 digits and the integer part too.
	intDigits := len(abs) - scale
	if intDigits < 0 {
		abs = strings.Repeat("0", -intDigits) + abs
		intDigits = 0
	}
	fracPad := (4 - scale%4) % 4
	abs += strings.Repeat("0", fracPad)
	intPad := (4 - intDigits%4) % 4
	abs = strings.Repeat("0", intPad) + abs
	groups := make([]int16, 0, len(abs)/4)
	for i := 0; i < len(abs); i += 4 {
		v, _ := strconv.Atoi(abs[i : i+4])
		groups = append(groups, int16(v))
	}
	weight := int16((intDigits+intPad)/4 - 1)
	// Strip leading and trailing zero groups.
	for len(groups) > 0 && groups[0] == 0 {
		groups = groups[1:]
		weight--
	}
	for len(groups) > 0 && groups[len(groups)-1] == 0 {
		groups = groups[:len(groups)-1]
	}
	if len(groups) == 0 {
		weight = 0
	}
	sign := uint16(0)
	if d.Coef.Sign() < 0 {
		sign = 0x4000
	}
	buf = binary.BigEndian.AppendUint16(buf, uint16(len(groups)))
	buf = binary.BigEndian.AppendUint16(buf, uint16(weight))
	buf = binary.BigEndian.AppendUint16(buf, sign)
	buf = binary.BigEndian.AppendUint16(buf, uint16(d.Scale))
	for _, g := range groups {
		buf = binary.BigEndian.AppendUint16(buf, uint16(g))
	}
	return buf
}

// DecodeDecimalBinary decodes numeric's binary wire form.
func DecodeDecimalBinary(b []byte) (*Decimal, error) {
	bad := sqlerr.New(sqlerr.InvalidBinaryRepresentation, "invalid binary data for numeric")
	if len(b) < 8 {
		return nil, bad
	}
	n := int(binary.BigEndian.Uint16(b))
	weight := int(int16(binary.BigEndian.Uint16(b[2:])))
	sign := binary.BigEndian.Uint16(b[4:])
	dscale := int32(binary.BigEndian.Uint16(b[6:]))
	if sign == 0xC000 {
		return &Decimal{NaN: true}, nil
	}
	if len(b) != 8+2*n || (sign != 0 && sign != 0x4000) || dscale > 16383 {
		return nil, bad
	}
	d := &Decimal{}
	g := big.NewInt(10000)
	for i := 0; i < n; i++ {
		v := binary.BigEndian.Uint16(b[8+2*i:])
		if v > 9999 {
			return nil, bad
		}
		d.Coef.Mul(&d.Coef, g)
		d.Coef.Add(&d.Coef, big.NewInt(int64(v)))
	}
	// value = coef × 10000^(weight-n+1)
	e := int32(4 * (weight - n + 1))
	if e >= 0 {
		d.Coef.Mul(&d.Coef, pow10(e))
	} else {
		d.Scale = -e
	}
	if sign == 0x4000 {
		d.Coef.Neg(&d.Coef)
	}
	return d.Rescale(dscale), nil
}

// Sqrt returns the square root rounded to scale digits (half away from zero).
func (d *Decimal) Sqrt(scale int32) *Decimal {
	if d.NaN || d.Coef.Sign() <= 0 {
		return &Decimal{Scale: scale}
	}
	// sqrt(c·10^-s) at scale+1 digits: isqrt(c·10^(2(scale+1)−s)).
	target := 2*(scale+1) - d.Scale
	c := new(big.Int).Set(&d.Coef)
	if target >= 0 {
		c.Mul(c, pow10(target))
	} else {
		c.Quo(c, pow10(-target))
	}
	r := &Decimal{Scale: scale + 1}
	r.Coef.Sqrt(c)
	return r.Rescale(scale)
}
