package expr

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// funcDef is one overload of a scalar function.
type funcDef struct {
	Args     []types.Type
	variadic bool // the last arg type repeats
	Ret      types.Type
	Strict   bool
	Volatile bool
	Pure     bool // immutable: folded at bind time when its arguments are constants
	Keyword  bool // SQL syntax only (CURRENT_DATE): not in pg_proc, not callable as name()
	Fn       func(ec *EvalCtx, a []types.Datum) (types.Datum, error)
	// Vec, if set, returns a column kernel for a call with these bound
	// arguments (constant ones baked in), or nil when it has none.
	Vec func(args []Expr) func(in []*Vcol, n int) (*Vcol, error)
}

var Funcs = map[string][]funcDef{}

func reg(name string, d funcDef) { Funcs[name] = append(Funcs[name], d) }

func textFn(f func(string) string) func(*EvalCtx, []types.Datum) (types.Datum, error) {
	return func(_ *EvalCtx, a []types.Datum) (types.Datum, error) { return f(a[0].(string)), nil }
}

func init() {
	T, I4, I8, F8, B := types.Text, types.Int4, types.Int8, types.Float8, types.Bool
	reg("version", funcDef{Ret: T, Fn: func(ec *EvalCtx, _ []types.Datum) (types.Datum, error) { return ec.Env.Version, nil }})
	reg("current_database", funcDef{Ret: types.Name, Fn: func(ec *EvalCtx, _ []types.Datum) (types.Datum, error) { return ec.Env.Database, nil }})
	reg("current_user", funcDef{Ret: types.Name, Fn: func(ec *EvalCtx, _ []types.Datum) (types.Datum, error) { return ec.Env.User, nil }})
	reg("session_user", funcDef{Ret: types.Name, Fn: func(ec *EvalCtx, _ []types.Datum) (types.Datum, error) { return ec.Env.SessionUser, nil }})
	reg("current_schema", funcDef{Ret: types.Name, Fn: func(ec *EvalCtx, _ []types.Datum) (types.Datum, error) {
		if ec.Env != nil && ec.Env.Catalog != nil {
			if p := ec.Env.Catalog.SearchPath(); len(p) > 0 {
				return p[0], nil
			}
			return nil, nil
		}
		return "public", nil
	}})
	reg("pg_backend_pid", funcDef{Ret: I4, Fn: func(ec *EvalCtx, _ []types.Datum) (types.Datum, error) { return int64(ec.Env.BackendPID), nil }})
	reg("current_setting", funcDef{Args: []types.Type{T}, Ret: T, Strict: true, Volatile: true, Fn: func(ec *EvalCtx, a []types.Datum) (types.Datum, error) {
		return ec.Env.Setting(a[0].(string), false)
	}})
	reg("current_setting", funcDef{Args: []types.Type{T, B}, Ret: T, Strict: true, Volatile: true, Fn: func(ec *EvalCtx, a []types.Datum) (types.Datum, error) {
		return ec.Env.Setting(a[0].(string), a[1].(bool))
	}})
	reg("set_config", funcDef{Args: []types.Type{T, T, B}, Ret: T, Volatile: true, Fn: func(ec *EvalCtx, a []types.Datum) (types.Datum, error) {
		if a[0] == nil {
			return nil, sqlerr.New(sqlerr.NullValueNotAllowed, "SET requires parameter name")
		}
		val, _ := a[1].(string)
		local, _ := a[2].(bool)
		return ec.Env.SetSetting(a[0].(string), val, local)
	}})
	signal := func(terminate bool) func(*EvalCtx, []types.Datum) (types.Datum, error) {
		return func(ec *EvalCtx, a []types.Datum) (types.Datum, error) {
			return ec.Env.Signal(int32(a[0].(int64)), terminate)
		}
	}
	reg("pg_cancel_backend", funcDef{Args: []types.Type{I4}, Ret: B, Strict: true, Volatile: true, Fn: signal(false)})
	reg("pg_terminate_backend", funcDef{Args: []types.Type{I4}, Ret: B, Strict: true, Volatile: true, Fn: signal(true)})
	reg("pg_terminate_backend", funcDef{Args: []types.Type{I4, I8}, Ret: B, Strict: true, Volatile: true, Fn: signal(true)})
	reg("pg_sleep", funcDef{Args: []types.Type{F8}, Ret: types.Void, Strict: true, Volatile: true, Fn: func(ec *EvalCtx, a []types.Datum) (types.Datum, error) {
		d := time.Duration(a[0].(float64) * float64(time.Second))
		if d <= 0 {
			return "", nil
		}
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return "", nil
		case <-ec.Ctx.Done():
			return nil, ec.Ctx.Err()
		}
	}})
	now := func(ec *EvalCtx, _ []types.Datum) (types.Datum, error) { return types.TimestampOf(ec.Env.TxStart), nil }
	reg("now", funcDef{Ret: types.TimestamptzT, Fn: now})
	reg("transaction_timestamp", funcDef{Ret: types.TimestamptzT, Fn: now})
	reg("statement_timestamp", funcDef{Ret: types.TimestamptzT, Fn: func(ec *EvalCtx, _ []types.Datum) (types.Datum, error) {
		return types.TimestampOf(ec.Env.StmtStart), nil
	}})
	reg("clock_timestamp", funcDef{Ret: types.TimestamptzT, Volatile: true, Fn: func(*EvalCtx, []types.Datum) (types.Datum, error) {
		return types.TimestampOf(time.Now()), nil
	}})
	reg("localtimestamp", funcDef{Ret: types.TimestampT, Keyword: true, Fn: func(ec *EvalCtx, _ []types.Datum) (types.Datum, error) {
		t := ec.Env.TxStart.In(locOf(ec))
		return types.TimestampOf(time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)), nil
	}})
	reg("current_date", funcDef{Ret: types.DateT, Keyword: true, Fn: func(ec *EvalCtx, _ []types.Datum) (types.Datum, error) {
		t := ec.Env.TxStart.In(locOf(ec))
		return types.Date(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Unix() / 86400), nil
	}})
	reg("format_type", funcDef{Args: []types.Type{types.Oid, I4}, Ret: T, Pure: true, Fn: func(_ *EvalCtx, a []types.Datum) (types.Datum, error) {
		if a[0] == nil {
			return nil, nil
		}
		oid := types.OID(a[0].(int64))
		if _, ok := types.Lookup(oid); !ok {
			return "???", nil
		}
		mod := int32(-1)
		if a[1] != nil {
			mod = int32(a[1].(int64))
		}
		return types.Type{OID: oid, Typmod: mod}.String(), nil
	}})
	reg("length", funcDef{Pure: true, Args: []types.Type{T}, Ret: I4, Strict: true, Fn: func(_ *EvalCtx, a []types.Datum) (types.Datum, error) {
		return int64(utf8.RuneCountInString(a[0].(string))), nil
	}})
	reg("char_length", Funcs["length"][0])
	reg("octet_length", funcDef{Pure: true, Args: []types.Type{T}, Ret: I4, Strict: true, Fn: func(_ *EvalCtx, a []types.Datum) (types.Datum, error) {
		return int64(len(a[0].(string))), nil
	}})
	reg("upper", funcDef{Pure: true, Args: []types.Type{T}, Ret: T, Strict: true, Fn: textFn(strings.ToUpper)})
	reg("lower", funcDef{Pure: true, Args: []types.Type{T}, Ret: T, Strict: true, Fn: textFn(strings.ToLower)})
	reg("md5", funcDef{Pure: true, Args: []types.Type{T}, Ret: T, Strict: true, Fn: textFn(md5Hex)})
	reg("repeat", funcDef{Pure: true, Args: []types.Type{T, I4}, Ret: T, Strict: true, Fn: func(_ *EvalCtx, a []types.Datum) (types.Datum, error) {
		n := a[1].(int64)
		if n <= 0 {
			return "", nil
		}
		if int64(len(a[0].(string)))*n > 1<<30-1 {
			return nil, sqlerr.New(sqlerr.ProgramLimitExceeded, "requested length too large")
		}
		return strings.Repeat(a[0].(string), int(n)), nil
	}})
	reg("concat", funcDef{Args: []types.Type{T}, variadic: true, Ret: T, Fn: func(_ *EvalCtx, a []types.Datum) (types.Datum, error) {
		var sb strings.Builder
		for _, v := range a {
			if v != nil {
				sb.WriteString(v.(string))
			}
		}
		return sb.String(), nil
	}})
	for _, t := range []types.Type{types.Int2, I4, I8, types.Numeric, types.Float4, F8} {
		t := t
		reg("abs", funcDef{Pure: true, Args: []types.Type{t}, Ret: t, Strict: true, Fn: func(_ *EvalCtx, a []types.Datum) (types.Datum, error) {
			switch v := a[0].(type) {
			case int64:
				if v < 0 {
					lo, _ := types.IntRange(t)
					if v == lo {
						return nil, types.OutOfRange(t)
					}
					return -v, nil
				}
				return v, nil
			case float64:
				if v < 0 {
					return -v, nil
				}
				return v, nil
			case *types.Decimal:
				if v.Coef.Sign() < 0 {
					return v.Neg(), nil
				}
				return v, nil
			}
			return nil, nil
		}})
	}
}

// PickOverload chooses the first overload whose parameters accept the
// arguments exactly, else the first reachable by implicit casts.
func PickOverload(defs []funcDef, args []Expr) *funcDef {
	fits := func(d *funcDef, exact bool) bool {
		if len(args) != len(d.Args) && !(d.variadic && len(args) >= len(d.Args)) {
			return false
		}
		for i, a := range args {
			want := d.Args[min(i, len(d.Args)-1)]
			at := a.Type()
			if at.OID == types.OIDUnknown || at.OID == want.OID {
				continue
			}
			if exact {
				return false
			}
			if _, ok := LookupCast(at, want, CastImplicit); !ok {
				return false
			}
		}
		return true
	}
	for i := range defs {
		if fits(&defs[i], true) {
			return &defs[i]
		}
	}
	// Among the overloads implicit casts reach, PostgreSQL's rules: the
	// most exact matches first, then the most preferred types of their
	// category where an argument is converted (floor(bigint) takes
	// floor(double precision), not floor(numeric)); ties go to the first.
	var best *funcDef
	bestExact, bestPref := -1, -1
	for i := range defs {
		d := &defs[i]
		if !fits(d, false) {
			continue
		}
		exact, pref := 0, 0
		for j, a := range args {
			want := d.Args[min(j, len(d.Args)-1)]
			switch {
			case a.Type().OID == want.OID:
				exact++
			case a.Type().OID != types.OIDUnknown && preferredType(want.OID):
				pref++
			}
		}
		if exact > bestExact || exact == bestExact && pref > bestPref {
			best, bestExact, bestPref = d, exact, pref
		}
	}
	return best
}

// preferredType reports whether t is its category's preferred type
// (pg_type.typispreferred).
func preferredType(t types.OID) bool {
	switch t {
	case types.OIDFloat8, types.OIDText, types.OIDTimestamptz, types.OIDInterval, types.OIDBool, types.OIDOid:
		return true
	}
	return false
}
