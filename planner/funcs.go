package planner

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// funcDef is one overload of a scalar function.
type funcDef struct {
	args     []types.Type
	variadic bool // the last arg type repeats
	ret      types.Type
	strict   bool
	volatile bool
	pure     bool // immutable: folded at bind time when its arguments are constants
	keyword  bool // SQL syntax only (CURRENT_DATE): not in pg_proc, not callable as name()
	fn       func(ec *evalCtx, a []types.Datum) (types.Datum, error)
	// vec, if set, returns a column kernel for a call with these bound
	// arguments (constant ones baked in), or nil when it has none.
	vec func(args []Expr) func(in []*vcol, n int) (*vcol, error)
}

var funcs = map[string][]funcDef{}

func reg(name string, d funcDef) { funcs[name] = append(funcs[name], d) }

func textFn(f func(string) string) func(*evalCtx, []types.Datum) (types.Datum, error) {
	return func(_ *evalCtx, a []types.Datum) (types.Datum, error) { return f(a[0].(string)), nil }
}

func init() {
	T, I4, I8, F8, B := types.Text, types.Int4, types.Int8, types.Float8, types.Bool
	reg("version", funcDef{ret: T, fn: func(ec *evalCtx, _ []types.Datum) (types.Datum, error) { return ec.env.Version, nil }})
	reg("current_database", funcDef{ret: types.Name, fn: func(ec *evalCtx, _ []types.Datum) (types.Datum, error) { return ec.env.Database, nil }})
	reg("current_user", funcDef{ret: types.Name, fn: func(ec *evalCtx, _ []types.Datum) (types.Datum, error) { return ec.env.User, nil }})
	reg("session_user", funcDef{ret: types.Name, fn: func(ec *evalCtx, _ []types.Datum) (types.Datum, error) { return ec.env.SessionUser, nil }})
	reg("current_schema", funcDef{ret: types.Name, fn: func(ec *evalCtx, _ []types.Datum) (types.Datum, error) {
		if ec.env != nil && ec.env.Catalog != nil {
			if p := ec.env.Catalog.SearchPath(); len(p) > 0 {
				return p[0], nil
			}
			return nil, nil
		}
		return "public", nil
	}})
	reg("pg_backend_pid", funcDef{ret: I4, fn: func(ec *evalCtx, _ []types.Datum) (types.Datum, error) { return int64(ec.env.BackendPID), nil }})
	reg("current_setting", funcDef{args: []types.Type{T}, ret: T, strict: true, volatile: true, fn: func(ec *evalCtx, a []types.Datum) (types.Datum, error) {
		return ec.env.Setting(a[0].(string), false)
	}})
	reg("current_setting", funcDef{args: []types.Type{T, B}, ret: T, strict: true, volatile: true, fn: func(ec *evalCtx, a []types.Datum) (types.Datum, error) {
		return ec.env.Setting(a[0].(string), a[1].(bool))
	}})
	reg("set_config", funcDef{args: []types.Type{T, T, B}, ret: T, volatile: true, fn: func(ec *evalCtx, a []types.Datum) (types.Datum, error) {
		if a[0] == nil {
			return nil, sqlerr.New(sqlerr.NullValueNotAllowed, "SET requires parameter name")
		}
		val, _ := a[1].(string)
		local, _ := a[2].(bool)
		return ec.env.SetSetting(a[0].(string), val, local)
	}})
	signal := func(terminate bool) func(*evalCtx, []types.Datum) (types.Datum, error) {
		return func(ec *evalCtx, a []types.Datum) (types.Datum, error) {
			return ec.env.Signal(int32(a[0].(int64)), terminate)
		}
	}
	reg("pg_cancel_backend", funcDef{args: []types.Type{I4}, ret: B, strict: true, volatile: true, fn: signal(false)})
	reg("pg_terminate_backend", funcDef{args: []types.Type{I4}, ret: B, strict: true, volatile: true, fn: signal(true)})
	reg("pg_terminate_backend", funcDef{args: []types.Type{I4, I8}, ret: B, strict: true, volatile: true, fn: signal(true)})
	reg("pg_sleep", funcDef{args: []types.Type{F8}, ret: types.Void, strict: true, volatile: true, fn: func(ec *evalCtx, a []types.Datum) (types.Datum, error) {
		d := time.Duration(a[0].(float64) * float64(time.Second))
		if d <= 0 {
			return "", nil
		}
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return "", nil
		case <-ec.ctx.Done():
			return nil, ec.ctx.Err()
		}
	}})
	now := func(ec *evalCtx, _ []types.Datum) (types.Datum, error) { return types.TimestampOf(ec.env.TxStart), nil }
	reg("now", funcDef{ret: types.TimestamptzT, fn: now})
	reg("transaction_timestamp", funcDef{ret: types.TimestamptzT, fn: now})
	reg("statement_timestamp", funcDef{ret: types.TimestamptzT, fn: func(ec *evalCtx, _ []types.Datum) (types.Datum, error) {
		return types.TimestampOf(ec.env.StmtStart), nil
	}})
	reg("clock_timestamp", funcDef{ret: types.TimestamptzT, volatile: true, fn: func(*evalCtx, []types.Datum) (types.Datum, error) {
		return types.TimestampOf(time.Now()), nil
	}})
	reg("localtimestamp", funcDef{ret: types.TimestampT, keyword: true, fn: func(ec *evalCtx, _ []types.Datum) (types.Datum, error) {
		t := ec.env.TxStart.In(locOf(ec))
		return types.TimestampOf(time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)), nil
	}})
	reg("current_date", funcDef{ret: types.DateT, keyword: true, fn: func(ec *evalCtx, _ []types.Datum) (types.Datum, error) {
		t := ec.env.TxStart.In(locOf(ec))
		return types.Date(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Unix() / 86400), nil
	}})
	reg("format_type", funcDef{args: []types.Type{types.Oid, I4}, ret: T, pure: true, fn: func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
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
	reg("length", funcDef{pure: true, args: []types.Type{T}, ret: I4, strict: true, fn: func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
		return int64(utf8.RuneCountInString(a[0].(string))), nil
	}})
	reg("char_length", funcs["length"][0])
	reg("octet_length", funcDef{pure: true, args: []types.Type{T}, ret: I4, strict: true, fn: func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
		return int64(len(a[0].(string))), nil
	}})
	reg("upper", funcDef{pure: true, args: []types.Type{T}, ret: T, strict: true, fn: textFn(strings.ToUpper)})
	reg("lower", funcDef{pure: true, args: []types.Type{T}, ret: T, strict: true, fn: textFn(strings.ToLower)})
	reg("md5", funcDef{pure: true, args: []types.Type{T}, ret: T, strict: true, fn: textFn(md5Hex)})
	reg("repeat", funcDef{pure: true, args: []types.Type{T, I4}, ret: T, strict: true, fn: func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
		n := a[1].(int64)
		if n <= 0 {
			return "", nil
		}
		if int64(len(a[0].(string)))*n > 1<<30-1 {
			return nil, sqlerr.New(sqlerr.ProgramLimitExceeded, "requested length too large")
		}
		return strings.Repeat(a[0].(string), int(n)), nil
	}})
	reg("concat", funcDef{args: []types.Type{T}, variadic: true, ret: T, fn: func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
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
		reg("abs", funcDef{pure: true, args: []types.Type{t}, ret: t, strict: true, fn: func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
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

// funcCall resolves a scalar function call by name and argument types.
func (b *binder) funcCall(f *ast.FuncCall) (Expr, error) {
	name := f.Name[len(f.Name)-1]
	if len(f.Name) > 1 && f.Name[0] != "pg_catalog" && !(f.Name[0] == "information_schema" && name == "_pg_expandarray") {
		return nil, errAt(sqlerr.New(sqlerr.UndefinedFunction, "function %s does not exist", strings.Join(f.Name, ".")), f.Pos)
	}
	if f.Over != nil {
		return b.window(f)
	}
	if name == "grouping" {
		return b.grouping(f)
	}
	if name == "pg_typeof" && len(f.Args) == 1 {
		e, err := b.expr(f.Args[0])
		if err != nil {
			return nil, err
		}
		return &constExpr{t: types.Regtype, v: int64(e.Type().OID)}, nil
	}
	if rankingFuncs[name] {
		return nil, errAt(sqlerr.New(sqlerr.WrongObjectType, "window function %s requires an OVER clause", name), f.Pos)
	}
	if isAggregateName(name) {
		if b.agg != nil {
			return b.aggregate(f)
		}
		return nil, errAt(sqlerr.New(sqlerr.GroupingError, "aggregate functions are not allowed here"), f.Pos)
	}
	if f.Star || f.Distinct || f.Filter != nil || f.OrderBy != nil {
		return nil, errAt(sqlerr.New(sqlerr.WrongObjectType, "%s is not an aggregate function", name), f.Pos)
	}
	if selectListSRFs[name] {
		if b.srf == nil {
			return nil, errAt(sqlerr.Unsupported("set-returning function %s is only supported in FROM and the select list", name), f.Pos)
		}
		return b.srfCall(f)
	}
	args := make([]Expr, len(f.Args))
	for i, a := range f.Args {
		e, err := b.expr(a)
		if err != nil {
			return nil, err
		}
		args[i] = e
	}
	if e, ok, err := b.arrayFunc(name, args, f.Pos); ok || err != nil {
		return e, err
	}
	if e, ok, err := b.jsonFunc(name, args, f.Pos); ok || err != nil {
		return e, err
	}
	switch name {
	case "format", "concat", "concat_ws":
		// VARIADIC "any": every argument is rendered with its output function.
		if len(args) == 0 {
			break
		}
		textArgs := make([]Expr, len(args))
		for i, a := range args {
			var err error
			switch {
			case isUnknown(a):
				textArgs[i], err = b.coerce(a, types.Text, "argument", f.Pos)
			case a.Type().IsString():
				textArgs[i], err = b.cast(a, types.Text, castImplicit, f.Pos)
			default:
				t := a.Type()
				textArgs[i] = &fnExpr{t: types.Text, args: []Expr{a}, strict: true, fn: func(ec *evalCtx, v []types.Datum) (types.Datum, error) {
					return types.TextOf(t, v[0], ec.env.Format), nil
				}}
			}
			if err != nil {
				return nil, err
			}
		}
		args = textArgs
	}
	defs, ok := funcs[name]
	if ok {
		if d := pickOverload(defs, args); d != nil && (!d.keyword || f.Label != "") {
			for i := range args {
				want := d.args[min(i, len(d.args)-1)]
				var err error
				if args[i], err = b.coerce(args[i], want, "argument", f.Pos); err != nil {
					return nil, err
				}
			}
			fe := &fnExpr{t: d.ret, args: args, strict: d.strict, pure: d.pure, fn: d.fn}
			if d.vec != nil {
				fe.vec = d.vec(args)
				_, fe.vecBakesFirst = args[0].(*constExpr)
			}
			return b.fold(fe), nil
		}
	}
	sig := make([]string, len(args))
	for i, a := range args {
		sig[i] = a.Type().String()
	}
	return nil, errAt(sqlerr.New(sqlerr.UndefinedFunction, "function %s(%s) does not exist", name, strings.Join(sig, ", ")).
		WithHint("No function matches the given name and argument types. You might need to add explicit type casts."), f.Pos)
}

// pickOverload chooses the first overload whose parameters accept the
// arguments exactly, else the first reachable by implicit casts.
func pickOverload(defs []funcDef, args []Expr) *funcDef {
	fits := func(d *funcDef, exact bool) bool {
		if len(args) != len(d.args) && !(d.variadic && len(args) >= len(d.args)) {
			return false
		}
		for i, a := range args {
			want := d.args[min(i, len(d.args)-1)]
			at := a.Type()
			if at.OID == types.OIDUnknown || at.OID == want.OID {
				continue
			}
			if exact {
				return false
			}
			if _, ok := lookupCast(at, want, castImplicit); !ok {
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
			want := d.args[min(j, len(d.args)-1)]
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
