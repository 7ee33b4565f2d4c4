package expr

import (
	"math"
	"strings"

	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// AggCall is one aggregate call: its function, inputs and modifiers.
type AggCall struct {
	Def      *AggDef
	Args     []Expr // over the input row
	Distinct bool
	Filter   Expr
	Order    []Expr
	OrderKey []SortKey
	T        types.Type
}

func IsAggregateName(name string) bool {
	_, ok := aggDefs[name]
	return ok
}

// ContainsAggregate reports whether an expression calls an aggregate at this
// query level (not inside a sub-query).
func ContainsAggregate(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(x ast.Expr) bool {
		if f, ok := x.(*ast.FuncCall); ok && f.Over == nil && IsAggregateName(f.Name[len(f.Name)-1]) {
			found = true
		}
		return !found
	})
	return found
}

// AggState accumulates one aggregate for one group.
type AggState interface {
	Add(args []types.Datum) error
	Result() (types.Datum, error)
}

// AggDef is a resolved aggregate: its name and state constructor.
type AggDef struct {
	Name string
	Make func() AggState
}

// aggDefs names the aggregates sluice has (ResolveAggregate builds each
// call's instance).
var aggDefs = func() map[string]*AggDef {
	m := map[string]*AggDef{}
	for _, n := range []string{"percentile_cont", "percentile_disc", "mode", "json_agg", "jsonb_agg", "count", "sum", "avg", "min", "max", "bool_and", "bool_or", "every", "string_agg",
		"stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop", "array_agg"} {
		m[n] = &AggDef{Name: n}
	}
	return m
}()

// coerceFunc converts an argument to a type as implicit coercion does
// (the binder's coerce; castOnly where no binder exists).
type coerceFunc func(e Expr, t types.Type, what string, pos int) (Expr, error)

// castOnly coerces an already typed expression through the implicit cast
// table, without folding or parameter typing: what pg_proc's probe of
// aggregate signatures needs (its arguments are typed columns).
func castOnly(e Expr, t types.Type, what string, pos int) (Expr, error) {
	if e.Type() == t {
		return e, nil
	}
	fn, ok := LookupCast(e.Type(), t, CastImplicit)
	if !ok {
		return nil, sqlerr.New(sqlerr.DatatypeMismatch, "%s must be type %s, not type %s", what, t, e.Type())
	}
	return &CastExpr{X: e, To: t, Fn: fn}, nil
}

// ResolveAggregate picks the aggregate named name for call's arguments,
// coercing them with coerce, and sets the call's result type.
func ResolveAggregate(coerce coerceFunc, name string, call *AggCall, f *ast.FuncCall) (*AggDef, error) {
	argTypes := func() string {
		var s []string
		for _, a := range call.Args {
			s = append(s, a.Type().String())
		}
		return strings.Join(s, ", ")
	}
	noFn := func() error {
		return ErrAt(sqlerr.New(sqlerr.UndefinedFunction, "function %s(%s) does not exist", name, argTypes()).
			WithHint("No function matches the given name and argument types. You might need to add explicit type casts."), f.Pos)
	}
	one := func() (types.Type, error) {
		if len(call.Args) != 1 {
			return types.Type{}, noFn()
		}
		if IsUnknown(call.Args[0]) {
			var err error
			if call.Args[0], err = coerce(call.Args[0], types.Text, "", f.Pos); err != nil {
				return types.Type{}, err
			}
		}
		return call.Args[0].Type(), nil
	}
	inst := &AggDef{Name: name}
	switch name {
	case "count":
		if len(call.Args) > 1 {
			return nil, noFn()
		}
		call.T = types.Int8
		inst.Make = func() AggState { return &countState{} }
	case "sum", "avg":
		t, err := one()
		if err != nil {
			return nil, err
		}
		switch {
		case t.IsInteger(), t.OID == types.OIDNumeric, t.OID == types.OIDFloat4, t.OID == types.OIDFloat8, t.OID == types.OIDInterval:
		default:
			return nil, noFn()
		}
		call.T = sumType(name, t)
		avg := name == "avg"
		in := t
		inst.Make = func() AggState { return &sumState{in: in, out: call.T, avg: avg} }
	case "min", "max":
		t, err := one()
		if err != nil {
			return nil, err
		}
		if t.OID == types.OIDJSON || t.OID == types.OIDBool {
			return nil, noFn() // PostgreSQL has no min/max for json or boolean
		}
		call.T = t
		isMax := name == "max"
		inst.Make = func() AggState { return &minMaxState{max: isMax} }
	case "bool_and", "bool_or", "every":
		if _, err := one(); err != nil {
			return nil, err
		}
		arg, err := coerce(call.Args[0], types.Bool, "argument", f.Pos)
		if err != nil {
			return nil, noFn()
		}
		call.Args[0] = arg
		call.T = types.Bool
		and := name != "bool_or"
		inst.Make = func() AggState { return &boolAggState{and: and} }
	case "string_agg":
		if len(call.Args) != 2 {
			return nil, noFn()
		}
		for i := range call.Args {
			if IsUnknown(call.Args[i]) || call.Args[i].Type().IsString() {
				var err error
				if call.Args[i], err = coerce(call.Args[i], types.Text, "argument", f.Pos); err != nil {
					return nil, err
				}
			} else if call.Args[i].Type().OID != types.OIDBytea {
				return nil, noFn()
			}
		}
		call.T = call.Args[0].Type()
		inst.Make = func() AggState { return &stringAggState{} }
	case "stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop":
		t, err := one()
		if err != nil {
			return nil, err
		}
		if t.IsInteger() || t.OID == types.OIDNumeric {
			// Exact numeric variance, as PostgreSQL computes it.
			call.T = types.Numeric
			pop := strings.HasSuffix(name, "_pop")
			sqrt := strings.HasPrefix(name, "stddev")
			inst.Make = func() AggState { return &numVarState{pop: pop, sqrt: sqrt} }
			return inst, nil
		}
		if t.OID != types.OIDFloat8 && t.OID != types.OIDFloat4 {
			return nil, noFn()
		}
		if call.Args[0], err = coerce(call.Args[0], types.Float8, "argument", f.Pos); err != nil {
			return nil, err
		}
		call.T = types.Float8
		pop := strings.HasSuffix(name, "_pop")
		sqrt := strings.HasPrefix(name, "stddev")
		inst.Make = func() AggState { return &varState{pop: pop, sqrt: sqrt} }
	case "json_agg", "jsonb_agg":
		t, err := one()
		if err != nil {
			return nil, err
		}
		jb := name == "jsonb_agg"
		call.T = types.JSON
		if jb {
			call.T = types.JSONB
		}
		inst.Make = func() AggState { return &jsonAggState{t: t, jsonb: jb} }
	case "array_agg":
		t, err := one()
		if err != nil {
			return nil, err
		}
		at, ok := types.ArrayOf(t)
		if !ok {
			return nil, ErrAt(sqlerr.Unsupported("array_agg over %s is not supported", t), f.Pos)
		}
		call.T = at
		inst.Make = func() AggState { return &arrayAggState{elem: t} }
	default:
		return nil, noFn()
	}
	return inst, nil
}

// sumType is PostgreSQL's result type of sum/avg over t.
func sumType(name string, t types.Type) types.Type {
	switch t.OID {
	case types.OIDInt2, types.OIDInt4:
		if name == "sum" {
			return types.Int8
		}
		return types.Numeric
	case types.OIDInt8, types.OIDNumeric:
		return types.Numeric
	case types.OIDFloat4:
		if name == "sum" {
			return types.Float4
		}
		return types.Float8
	case types.OIDFloat8:
		return types.Float8
	}
	return t // interval
}

type countState struct{ n int64 }

func (s *countState) Add(args []types.Datum) error {
	if len(args) == 0 || args[0] != nil {
		s.n++
	}
	return nil
}
func (s *countState) Result() (types.Datum, error) { return s.n, nil }

type sumState struct {
	in, out types.Type
	avg     bool
	n       int64
	i       int64
	iover   bool
	dec     *types.Decimal
	f       float64
	iv      types.Interval
}

func (s *sumState) Add(args []types.Datum) error {
	v := args[0]
	if v == nil {
		return nil
	}
	s.n++
	switch x := v.(type) {
	case int64:
		if s.out.OID == types.OIDInt8 && !s.avg {
			r := s.i + x
			if (x > 0 && r < s.i) || (x < 0 && r > s.i) {
				return sqlerr.New(sqlerr.NumericValueOutOfRange, "bigint out of range")
			}
			s.i = r
			return nil
		}
		// Accumulate in int64 and spill to numeric only on overflow.
		r := s.i + x
		if (x > 0 && r < s.i) || (x < 0 && r > s.i) {
			s.spill()
			s.dec = s.dec.Add(types.DecimalFromInt(x))
			return nil
		}
		s.i = r
	case *types.Decimal:
		if s.dec == nil {
			s.dec = x
		} else {
			s.dec = s.dec.Add(x)
		}
	case float64:
		s.f += x
	case types.Interval:
		s.iv = types.Interval{Months: s.iv.Months + x.Months, Days: s.iv.Days + x.Days, Micros: s.iv.Micros + x.Micros}
	}
	return nil
}

// spill moves the int64 partial sum into the numeric accumulator.
func (s *sumState) spill() {
	d := types.DecimalFromInt(s.i)
	s.i = 0
	if s.dec == nil {
		s.dec = d
	} else {
		s.dec = s.dec.Add(d)
	}
}

func (s *sumState) Result() (types.Datum, error) {
	if s.n == 0 {
		return nil, nil
	}
	if s.out.OID == types.OIDNumeric && (s.in.IsInteger()) {
		s.spill()
	}
	switch s.out.OID {
	case types.OIDInt8:
		return s.i, nil
	case types.OIDNumeric:
		if !s.avg {
			return s.dec, nil
		}
		return s.dec.Div(types.DecimalFromInt(s.n))
	case types.OIDFloat4:
		return float64(float32(s.f)), nil
	case types.OIDFloat8:
		if s.avg {
			return s.f / float64(s.n), nil
		}
		return s.f, nil
	case types.OIDInterval:
		if s.avg {
			return divInterval(s.iv, float64(s.n)), nil
		}
		return s.iv, nil
	}
	return nil, sqlerr.Internal("sum over %s", s.in)
}

// divInterval divides an interval the way interval_div does, cascading
// fractional months into days and fractional days into time.
func divInterval(iv types.Interval, n float64) types.Interval {
	months := float64(iv.Months) / n
	wm := math.Trunc(months)
	days := float64(iv.Days)/n + (months-wm)*30
	wd := math.Trunc(days)
	micros := float64(iv.Micros)/n + (days-wd)*86400e6
	return types.Interval{Months: int32(wm), Days: int32(wd), Micros: int64(math.Round(micros))}
}

type minMaxState struct {
	max bool
	v   types.Datum
}

func (s *minMaxState) Add(args []types.Datum) error {
	v := args[0]
	if v == nil {
		return nil
	}
	if s.v == nil {
		s.v = v
		return nil
	}
	c := types.Compare(v, s.v)
	if (s.max && c > 0) || (!s.max && c < 0) {
		s.v = v
	}
	return nil
}
func (s *minMaxState) Result() (types.Datum, error) { return s.v, nil }

type boolAggState struct {
	and  bool
	seen bool
	v    bool
}

func (s *boolAggState) Add(args []types.Datum) error {
	if args[0] == nil {
		return nil
	}
	b := args[0].(bool)
	if !s.seen {
		s.seen, s.v = true, b
		return nil
	}
	if s.and {
		s.v = s.v && b
	} else {
		s.v = s.v || b
	}
	return nil
}

func (s *boolAggState) Result() (types.Datum, error) {
	if !s.seen {
		return nil, nil
	}
	return s.v, nil
}

type stringAggState struct {
	seen  bool
	text  strings.Builder
	bytes []byte
	isBin bool
}

func (s *stringAggState) Add(args []types.Datum) error {
	if args[0] == nil {
		return nil
	}
	switch v := args[0].(type) {
	case string:
		if s.seen && args[1] != nil {
			s.text.WriteString(args[1].(string))
		}
		s.text.WriteString(v)
	case []byte:
		s.isBin = true
		if s.seen && args[1] != nil {
			s.bytes = append(s.bytes, args[1].([]byte)...)
		}
		s.bytes = append(s.bytes, v...)
	}
	s.seen = true
	return nil
}

func (s *stringAggState) Result() (types.Datum, error) {
	if !s.seen {
		return nil, nil
	}
	if s.isBin {
		return s.bytes, nil
	}
	return s.text.String(), nil
}

// varState computes variance/stddev in float8 with the Youngs–Cramer
// recurrence PostgreSQL's float8_accum uses (N, Σx and the running sum of
// squared deviations Sxx), so results agree to the last digit.
type varState struct {
	pop, sqrt bool
	n, sx     float64
	sxx       float64
}

func (s *varState) Add(args []types.Datum) error {
	if args[0] == nil {
		return nil
	}
	x := args[0].(float64)
	prev := s.n
	s.n++
	s.sx += x
	if prev > 0 {
		d := x*s.n - s.sx
		s.sxx += d * d / (s.n * prev)
	} else if math.IsInf(x, 0) || math.IsNaN(x) {
		s.sxx = math.NaN()
	}
	return nil
}

func (s *varState) Result() (types.Datum, error) {
	den := s.n - 1
	if s.pop {
		den = s.n
	}
	if s.n == 0 || den <= 0 {
		return nil, nil
	}
	v := s.sxx / den
	if s.sqrt {
		return math.Sqrt(v), nil
	}
	return v, nil
}

// OrderedSetState receives its input already sorted (see feedBuffered).
type OrderedSetState struct {
	Cont, Mode bool
	vals       []types.Datum
	frac       types.Datum
	fracSet    bool
}

func (s *OrderedSetState) Add(args []types.Datum) error {
	if len(args) > 1 && !s.fracSet {
		s.frac, s.fracSet = args[1], true
	}
	if args[0] != nil {
		s.vals = append(s.vals, args[0])
	}
	return nil
}

func (s *OrderedSetState) Result() (types.Datum, error) {
	if len(s.vals) == 0 {
		return nil, nil
	}
	if s.Mode {
		best, bestN, n := s.vals[0], 0, 0
		for i, v := range s.vals {
			if i > 0 && types.Compare(v, s.vals[i-1]) == 0 {
				n++
			} else {
				n = 1
			}
			if n > bestN {
				best, bestN = v, n
			}
		}
		return best, nil
	}
	if s.frac == nil {
		return nil, nil
	}
	p := s.frac.(float64)
	if p < 0 || p > 1 || p != p {
		return nil, sqlerr.New(sqlerr.NumericValueOutOfRange, "percentile value %s is not between 0 and 1", types.TextOf(types.Float8, p, nil))
	}
	n := len(s.vals)
	if !s.Cont {
		// percentile_disc: the first value whose position reaches p.
		idx := int(math.Ceil(p*float64(n))) - 1
		if idx < 0 {
			idx = 0
		}
		return s.vals[idx], nil
	}
	pos := p * float64(n-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	x, y := s.vals[lo].(float64), s.vals[hi].(float64)
	if lo == hi {
		return x, nil
	}
	return x + (pos-float64(lo))*(y-x), nil
}

// numVarState is variance/stddev over integers and numeric:
// (N·Σx² − (Σx)²) / (N·(N−1)) (or N² for the population forms) with
// PostgreSQL's division scale, and a square root at the same scale.
type numVarState struct {
	pop, sqrt bool
	n         int64
	sum, sum2 *types.Decimal
}

func (s *numVarState) Add(args []types.Datum) error {
	if args[0] == nil {
		return nil
	}
	var x *types.Decimal
	switch v := args[0].(type) {
	case int64:
		x = types.DecimalFromInt(v)
	case *types.Decimal:
		if v.NaN {
			return sqlerr.Unsupported("variance over NaN is not supported")
		}
		x = v
	}
	s.n++
	if s.sum == nil {
		s.sum, s.sum2 = x, x.Mul(x)
		return nil
	}
	s.sum, s.sum2 = s.sum.Add(x), s.sum2.Add(x.Mul(x))
	return nil
}

func (s *numVarState) Result() (types.Datum, error) {
	if s.n == 0 || (!s.pop && s.n == 1) {
		return nil, nil
	}
	n := types.DecimalFromInt(s.n)
	num := n.Mul(s.sum2).Add(s.sum.Mul(s.sum).Neg())
	if num.Cmp(types.DecimalFromInt(0)) <= 0 {
		return types.DecimalFromInt(0), nil
	}
	den := n.Mul(types.DecimalFromInt(s.n - 1))
	if s.pop {
		den = n.Mul(n)
	}
	v, err := num.Div(den)
	if err != nil || !s.sqrt {
		return v, err
	}
	return v.Sqrt(v.Scale), nil
}
