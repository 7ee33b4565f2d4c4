package expr

import (
	"cmp"
	"math"
	"strings"

	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// The vectorized path: column vectors of a table are built once (and kept
// while the table does not change) and filters and aggregations over a
// table scan evaluate whole columns with typed loops instead of one boxed
// row at a time. It covers int2/int4/int8, float8, text/varchar, bool and
// timestamp[tz] columns with comparisons, + - * / % (numbers), AND/OR/NOT,
// IS [NOT] NULL and the calls that carry a kernel (LIKE, date_trunc), and
// equi-joins under an aggregation (vector_join.go); any
// other expression keeps the row path (the vectorize rule only fires when
// everything in the subtree compiles). Results are identical — the corpus
// runs every query with rules on and off.

type Vkind int

const (
	VInt Vkind = iota
	VFloat
	VStr
	VBool
	VTS // timestamp and timestamptz: microseconds in i
)

// Vcol is a column of n values; null is nil when no value is NULL.
type Vcol struct {
	Kind Vkind
	I    []int64
	F    []float64
	S    []string
	B    []bool
	Null []bool
	// Codes and dict, when set, are the same strings dictionary-encoded:
	// s[k] == dict[codes[k]] wherever the row is not NULL. Grouping by
	// such a column looks a key up once per distinct value, not per row.
	Codes []int32
	Dict  []string
}

func (c *Vcol) IsNull(k int) bool { return c.Null != nil && c.Null[k] }

func VkindOf(t types.Type) (Vkind, bool) {
	switch t.OID {
	case types.OIDInt2, types.OIDInt4, types.OIDInt8:
		return VInt, true
	case types.OIDFloat8:
		return VFloat, true
	case types.OIDText, types.OIDVarchar:
		return VStr, true
	case types.OIDBool:
		return VBool, true
	case types.OIDTimestamp, types.OIDTimestamptz:
		return VTS, true
	}
	return 0, false
}

// Datum returns element k as a row-engine Datum.
func (c *Vcol) Datum(k int) types.Datum {
	if c.IsNull(k) {
		return nil
	}
	switch c.Kind {
	case VInt:
		return c.I[k]
	case VTS:
		return types.Timestamp(c.I[k])
	case VFloat:
		return c.F[k]
	case VStr:
		return c.S[k]
	}
	return c.B[k]
}

// Vexpr evaluates an expression over column vectors of n rows.
type Vexpr func(cols []*Vcol, n int) (*Vcol, error)

// CompileVec compiles a bound expression; ok is false if any part has no kernel.
func CompileVec(e Expr, colTypes []types.Type) (Vexpr, bool) {
	switch x := e.(type) {
	case *ColExpr:
		if _, ok := VkindOf(colTypes[x.Idx]); !ok {
			return nil, false
		}
		idx := x.Idx
		return func(cols []*Vcol, n int) (*Vcol, error) { return cols[idx], nil }, true
	case *ConstExpr:
		kind, ok := VkindOf(x.T)
		if !ok {
			return nil, false
		}
		v := x.V
		return func(_ []*Vcol, n int) (*Vcol, error) { return broadcast(kind, v, n), nil }, true
	case *NotExpr:
		in, ok := CompileVec(x.X, colTypes)
		if !ok {
			return nil, false
		}
		return func(cols []*Vcol, n int) (*Vcol, error) {
			a, err := in(cols, n)
			if err != nil {
				return nil, err
			}
			out := &Vcol{Kind: VBool, B: make([]bool, n), Null: a.Null}
			for k := 0; k < n; k++ {
				out.B[k] = !a.B[k]
			}
			return out, nil
		}, true
	case *IsNullExpr:
		in, ok := CompileVec(x.X, colTypes)
		if !ok {
			return nil, false
		}
		not := x.Not
		return func(cols []*Vcol, n int) (*Vcol, error) {
			a, err := in(cols, n)
			if err != nil {
				return nil, err
			}
			out := &Vcol{Kind: VBool, B: make([]bool, n)}
			for k := 0; k < n; k++ {
				out.B[k] = a.IsNull(k) != not
			}
			return out, nil
		}, true
	case *BoolExpr:
		args := make([]Vexpr, len(x.Args))
		for i, a := range x.Args {
			c, ok := CompileVec(a, colTypes)
			if !ok {
				return nil, false
			}
			args[i] = c
		}
		and := x.And
		return func(cols []*Vcol, n int) (*Vcol, error) {
			// Three-valued AND/OR: a decisive value wins over NULL.
			out := &Vcol{Kind: VBool, B: make([]bool, n), Null: make([]bool, n)}
			for k := range out.B {
				out.B[k] = and
			}
			for _, a := range args {
				v, err := a(cols, n)
				if err != nil {
					return nil, err
				}
				for k := 0; k < n; k++ {
					if out.B[k] != and && !out.Null[k] {
						continue // already decided
					}
					switch {
					case v.IsNull(k):
						out.Null[k] = true
					case v.B[k] != and:
						out.B[k], out.Null[k] = !and, false
					}
				}
			}
			return out, nil
		}, true
	case *FnExpr:
		return compileFn(x, colTypes)
	case *CastExpr:
		from, to := x.X.Type(), x.To
		if !from.IsInteger() || to.OID != types.OIDFloat8 {
			return nil, false
		}
		in, ok := CompileVec(x.X, colTypes)
		if !ok {
			return nil, false
		}
		return func(cols []*Vcol, n int) (*Vcol, error) {
			a, err := in(cols, n)
			if err != nil {
				return nil, err
			}
			out := &Vcol{Kind: VFloat, F: make([]float64, n), Null: a.Null}
			for k := 0; k < n; k++ {
				out.F[k] = float64(a.I[k])
			}
			return out, nil
		}, true
	}
	return nil, false
}

func broadcast(kind Vkind, v types.Datum, n int) *Vcol {
	out := &Vcol{Kind: kind}
	if v == nil {
		out.Null = make([]bool, n)
		for k := range out.Null {
			out.Null[k] = true
		}
	}
	switch kind {
	case VInt:
		out.I = filled[int64](n, v)
	case VTS:
		if v != nil {
			v = int64(v.(types.Timestamp))
		}
		out.I = filled[int64](n, v)
	case VFloat:
		out.F = filled[float64](n, v)
	case VStr:
		out.S = filled[string](n, v)
	case VBool:
		out.B = filled[bool](n, v)
	}
	return out
}

func orNulls(a, b []bool, n int) []bool {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	out := make([]bool, n)
	for k := 0; k < n; k++ {
		out[k] = a[k] || b[k]
	}
	return out
}

// compileFn compiles comparisons and arithmetic the binder resolved, and
// calls that carry their own column kernel.
func compileFn(x *FnExpr, colTypes []types.Type) (Vexpr, bool) {
	if x.Vec != nil {
		args := make([]Vexpr, len(x.Args))
		for i, a := range x.Args {
			if _, isConst := a.(*ConstExpr); isConst && (i > 0 || x.VecBakesFirst) {
				continue // constant arguments are baked into the kernel
			}
			c, ok := CompileVec(a, colTypes)
			if !ok {
				return nil, false
			}
			args[i] = c
		}
		kernel := x.Vec
		return func(cols []*Vcol, n int) (*Vcol, error) {
			in := make([]*Vcol, len(args))
			for i, a := range args {
				if a == nil {
					continue
				}
				v, err := a(cols, n)
				if err != nil {
					return nil, err
				}
				in[i] = v
			}
			return kernel(in, n)
		}, true
	}
	if len(x.Args) != 2 || !x.Strict || x.Op == "" {
		return nil, false
	}
	l, ok1 := CompileVec(x.Args[0], colTypes)
	r, ok2 := CompileVec(x.Args[1], colTypes)
	if !ok1 || !ok2 {
		return nil, false
	}
	at := x.Args[0].Type()
	kind, ok := VkindOf(at)
	if !ok || x.Args[1].Type().OID != at.OID {
		return nil, false
	}
	op := x.Op
	if IsComparison(op) {
		return func(cols []*Vcol, n int) (*Vcol, error) {
			a, err := l(cols, n)
			if err != nil {
				return nil, err
			}
			b, err := r(cols, n)
			if err != nil {
				return nil, err
			}
			out := &Vcol{Kind: VBool, B: make([]bool, n), Null: orNulls(a.Null, b.Null, n)}
			cmpKernel(kind, op, a, b, out.B, n)
			return out, nil
		}, true
	}
	rt := x.T
	if kind == VInt && rt.OID != at.OID || kind == VStr || kind == VBool || kind == VTS {
		return nil, false
	}
	lo, hi := types.IntRange(rt)
	return func(cols []*Vcol, n int) (*Vcol, error) {
		a, err := l(cols, n)
		if err != nil {
			return nil, err
		}
		b, err := r(cols, n)
		if err != nil {
			return nil, err
		}
		nulls := orNulls(a.Null, b.Null, n)
		if kind == VFloat {
			out := &Vcol{Kind: VFloat, F: make([]float64, n), Null: nulls}
			for k := 0; k < n; k++ {
				if nulls != nil && nulls[k] {
					continue
				}
				x, y := a.F[k], b.F[k]
				var v float64
				switch op {
				case "+":
					v = x + y
				case "-":
					v = x - y
				case "*":
					v = x * y
				case "/":
					if y == 0 {
						return nil, sqlerr.New(sqlerr.DivisionByZero, "division by zero")
					}
					v = x / y
				default:
					return nil, sqlerr.Internal("vector float op %s", op)
				}
				if math.IsInf(v, 0) && !math.IsInf(x, 0) && !math.IsInf(y, 0) {
					return nil, sqlerr.New(sqlerr.NumericValueOutOfRange, "value out of range: overflow")
				}
				out.F[k] = v
			}
			return out, nil
		}
		out := &Vcol{Kind: VInt, I: make([]int64, n), Null: nulls}
		for k := 0; k < n; k++ {
			if nulls != nil && nulls[k] {
				continue
			}
			v, err := intArith(op, a.I[k], b.I[k], lo, hi, rt)
			if err != nil {
				return nil, err
			}
			out.I[k] = v
		}
		return out, nil
	}, true
}

func cmpKernel(kind Vkind, op string, a, b *Vcol, out []bool, n int) {
	test := func(c int) bool {
		switch op {
		case "=":
			return c == 0
		case "<>", "!=":
			return c != 0
		case "<":
			return c < 0
		case ">":
			return c > 0
		case "<=":
			return c <= 0
		}
		return c >= 0
	}
	switch kind {
	case VInt, VTS:
		switch op { // the common cases without the closure
		case "=":
			for k := 0; k < n; k++ {
				out[k] = a.I[k] == b.I[k]
			}
		case "<":
			for k := 0; k < n; k++ {
				out[k] = a.I[k] < b.I[k]
			}
		case ">":
			for k := 0; k < n; k++ {
				out[k] = a.I[k] > b.I[k]
			}
		default:
			for k := 0; k < n; k++ {
				out[k] = test(cmp.Compare(a.I[k], b.I[k]))
			}
		}
	case VFloat:
		for k := 0; k < n; k++ {
			out[k] = test(types.Compare(a.F[k], b.F[k]))
		}
	case VStr:
		for k := 0; k < n; k++ {
			out[k] = test(strings.Compare(a.S[k], b.S[k]))
		}
	case VBool:
		for k := 0; k < n; k++ {
			out[k] = test(types.Compare(a.B[k], b.B[k]))
		}
	}
}

// filled returns n copies of v (zero values when v is NULL).
func filled[T any](n int, v types.Datum) []T {
	out := make([]T, n)
	if v != nil {
		x := v.(T)
		for k := range out {
			out[k] = x
		}
	}
	return out
}
