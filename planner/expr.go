package planner

import (
	"context"
	"time"

	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// Env is what an executing statement may ask of its session. The session
// fills it per statement; plans never hold one.
type Env struct {
	Format      *types.Format
	User        string
	SessionUser string
	Database    string
	BackendPID  int32
	Version     string // version() text
	TxStart     time.Time
	StmtStart   time.Time
	// Setting returns current_setting(name); missing reports whether to error.
	Setting func(name string, missingOK bool) (types.Datum, error)
	// SetSetting implements set_config(name, value, is_local) and returns the new value.
	SetSetting func(name, value string, local bool) (string, error)
	// MemoryLimit is the query's memory budget in bytes (0: unlimited).
	MemoryLimit int64
	// Signal cancels (or terminates) the backend with the given pid.
	Signal func(pid int32, terminate bool) (bool, error)
	// Catalog answers the catalog functions clients call (nil: none).
	Catalog CatalogInfo
}

// CatalogInfo is what catalog functions (pg_get_userbyid,
// pg_table_is_visible, obj_description, …) need from the session.
type CatalogInfo interface {
	RoleName(oid types.OID) (string, bool)
	RelationVisible(oid types.OID) bool
	// Description is a comment: object, catalog (pg_class …), sub-id (column).
	Description(obj types.OID, catalog string, sub int32) (string, bool)
	ViewDef(oid types.OID) (string, bool)
	// RelationSize is the bytes of a table's data files (0 if none).
	RelationSize(oid types.OID) int64
	SearchPath() []string
}

type evalCtx struct {
	ctx    context.Context
	env    *Env
	params []types.Datum
	outer  [][]types.Datum     // rows of enclosing query levels, innermost last
	cache  map[any]any         // per-execution results (uncorrelated sub-queries, CTEs)
	mem    *memAccount         // the query's memory budget, shared by sub-queries
	stats  map[node]*nodeStats // EXPLAIN ANALYZE figures, nil otherwise
	stack  []types.Datum       // argument stack of fnExpr (not shared between goroutines)
	pins   *pinSet             // the providers this execution reads
}

// sub returns the context for evaluating a sub-query of the current row.
func (ec *evalCtx) sub(row []types.Datum) *evalCtx {
	return &evalCtx{ctx: ec.ctx, env: ec.env, params: ec.params, outer: append(ec.outer[:len(ec.outer):len(ec.outer)], row), cache: ec.cache, mem: ec.mem.scope(), stats: ec.stats, pins: ec.pins}
}

// Expr is a bound, typed scalar expression.
type Expr interface {
	Type() types.Type
	Eval(ec *evalCtx, row []types.Datum) (types.Datum, error)
}

type constExpr struct {
	t types.Type
	v types.Datum
}

func (e *constExpr) Type() types.Type                                  { return e.t }
func (e *constExpr) Eval(*evalCtx, []types.Datum) (types.Datum, error) { return e.v, nil }

// unknownLit is a string literal (or NULL) whose type is not yet decided.
type unknownLit struct {
	s    string
	null bool
	pos  int
}

func (e *unknownLit) Type() types.Type { return types.Unknown }
func (e *unknownLit) Eval(*evalCtx, []types.Datum) (types.Datum, error) {
	if e.null {
		return nil, nil
	}
	return e.s, nil
}

type paramExpr struct {
	n     int // 0-based
	types *[]types.Type
}

func (e *paramExpr) Type() types.Type { return (*e.types)[e.n] }
func (e *paramExpr) Eval(ec *evalCtx, _ []types.Datum) (types.Datum, error) {
	if e.n >= len(ec.params) {
		return nil, sqlerr.New(sqlerr.UndefinedParameter, "there is no parameter $%d", e.n+1)
	}
	return ec.params[e.n], nil
}

// outerColExpr reads a column of an enclosing query level (correlation).
type outerColExpr struct {
	depth int // 1 = the directly enclosing level
	idx   int
	t     types.Type
}

func (e *outerColExpr) Type() types.Type { return e.t }
func (e *outerColExpr) Eval(ec *evalCtx, _ []types.Datum) (types.Datum, error) {
	return ec.outer[len(ec.outer)-e.depth][e.idx], nil
}

type colExpr struct {
	idx int
	t   types.Type
}

func (e *colExpr) Type() types.Type { return e.t }
func (e *colExpr) Eval(_ *evalCtx, row []types.Datum) (types.Datum, error) {
	return row[e.idx], nil
}

// fnExpr applies fn to evaluated args; strict functions return NULL when any
// argument is NULL without calling fn.
type fnExpr struct {
	t      types.Type
	args   []Expr
	strict bool
	pure   bool   // immutable: may be folded when its arguments are constants
	isEq   bool   // the = operator (a hash-join key candidate)
	op     string // the operator symbol for comparisons and arithmetic (vector kernels)
	// vec, when set, is a column kernel for this call over its compiled
	// arguments (strict: NULL in gives NULL out).
	vec func(args []*vcol, n int) (*vcol, error)
	// vecBakesFirst: vec has a constant first argument baked in too (it
	// reads only the others).
	vecBakesFirst bool
	fn            func(ec *evalCtx, args []types.Datum) (types.Datum, error)
}

func (e *fnExpr) Type() types.Type { return e.t }
func (e *fnExpr) Eval(ec *evalCtx, row []types.Datum) (types.Datum, error) {
	// Arguments live on the context's stack: no allocation per call.
	start := len(ec.stack)
	for _, a := range e.args {
		v, err := a.Eval(ec, row)
		if err != nil || (v == nil && e.strict) {
			ec.stack = ec.stack[:start]
			return nil, err
		}
		ec.stack = append(ec.stack, v)
	}
	v, err := e.fn(ec, ec.stack[start:len(ec.stack):len(ec.stack)])
	ec.stack = ec.stack[:start]
	return v, err
}

type boolExpr struct {
	and  bool
	args []Expr
}

func (e *boolExpr) Type() types.Type { return types.Bool }
func (e *boolExpr) Eval(ec *evalCtx, row []types.Datum) (types.Datum, error) {
	// Three-valued logic: AND is false if any is false, else NULL if any NULL.
	sawNull := false
	for _, a := range e.args {
		v, err := a.Eval(ec, row)
		if err != nil {
			return nil, err
		}
		if v == nil {
			sawNull = true
			continue
		}
		if v.(bool) != e.and {
			return !e.and, nil
		}
	}
	if sawNull {
		return nil, nil
	}
	return e.and, nil
}

type notExpr struct{ x Expr }

func (e *notExpr) Type() types.Type { return types.Bool }
func (e *notExpr) Eval(ec *evalCtx, row []types.Datum) (types.Datum, error) {
	v, err := e.x.Eval(ec, row)
	if v == nil || err != nil {
		return nil, err
	}
	return !v.(bool), nil
}

type isNullExpr struct {
	x   Expr
	not bool
}

func (e *isNullExpr) Type() types.Type { return types.Bool }
func (e *isNullExpr) Eval(ec *evalCtx, row []types.Datum) (types.Datum, error) {
	v, err := e.x.Eval(ec, row)
	if err != nil {
		return nil, err
	}
	return (v == nil) != e.not, nil
}

type distinctExpr struct {
	l, r Expr
	not  bool // IS NOT DISTINCT FROM
}

func (e *distinctExpr) Type() types.Type { return types.Bool }
func (e *distinctExpr) Eval(ec *evalCtx, row []types.Datum) (types.Datum, error) {
	a, err := e.l.Eval(ec, row)
	if err != nil {
		return nil, err
	}
	b, err := e.r.Eval(ec, row)
	if err != nil {
		return nil, err
	}
	var distinct bool
	switch {
	case a == nil && b == nil:
		distinct = false
	case a == nil || b == nil:
		distinct = true
	default:
		distinct = types.Compare(a, b) != 0
	}
	return distinct != e.not, nil
}

type caseExpr struct {
	t     types.Type
	conds []Expr // boolean conditions
	res   []Expr
	els   Expr // may be nil
}

func (e *caseExpr) Type() types.Type { return e.t }
func (e *caseExpr) Eval(ec *evalCtx, row []types.Datum) (types.Datum, error) {
	for i, c := range e.conds {
		v, err := c.Eval(ec, row)
		if err != nil {
			return nil, err
		}
		if v != nil && v.(bool) {
			return e.res[i].Eval(ec, row)
		}
	}
	if e.els == nil {
		return nil, nil
	}
	return e.els.Eval(ec, row)
}

type coalesceExpr struct {
	t    types.Type
	args []Expr
}

func (e *coalesceExpr) Type() types.Type { return e.t }
func (e *coalesceExpr) Eval(ec *evalCtx, row []types.Datum) (types.Datum, error) {
	for _, a := range e.args {
		v, err := a.Eval(ec, row)
		if err != nil || v != nil {
			return v, err
		}
	}
	return nil, nil
}

type minMaxExpr struct {
	t        types.Type
	greatest bool
	args     []Expr
}

func (e *minMaxExpr) Type() types.Type { return e.t }
func (e *minMaxExpr) Eval(ec *evalCtx, row []types.Datum) (types.Datum, error) {
	var best types.Datum
	for _, a := range e.args {
		v, err := a.Eval(ec, row)
		if err != nil {
			return nil, err
		}
		if v == nil {
			continue
		}
		if best == nil || (types.Compare(v, best) > 0) == e.greatest && types.Compare(v, best) != 0 {
			best = v
		}
	}
	return best, nil
}

type inListExpr struct {
	x    Expr
	list []Expr
	not  bool
}

func (e *inListExpr) Type() types.Type { return types.Bool }
func (e *inListExpr) Eval(ec *evalCtx, row []types.Datum) (types.Datum, error) {
	v, err := e.x.Eval(ec, row)
	if err != nil || v == nil {
		return nil, err
	}
	sawNull := false
	for _, it := range e.list {
		w, err := it.Eval(ec, row)
		if err != nil {
			return nil, err
		}
		if w == nil {
			sawNull = true
			continue
		}
		if types.Compare(v, w) == 0 {
			return !e.not, nil
		}
	}
	if sawNull {
		return nil, nil
	}
	return e.not, nil
}

// newEvalCtx starts one execution.
func newEvalCtx(ctx context.Context, env *Env, params []types.Datum) *evalCtx {
	ec := &evalCtx{ctx: ctx, env: env, params: params, cache: map[any]any{}, mem: &memAccount{}, pins: &pinSet{}}
	if env != nil {
		ec.mem.limit = env.MemoryLimit
	}
	return ec
}
