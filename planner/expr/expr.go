package expr

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

type EvalCtx struct {
	Ctx    context.Context
	Env    *Env
	params []types.Datum
	Outer  [][]types.Datum    // rows of enclosing query levels, innermost last
	Cache  map[any]any        // per-execution results (uncorrelated sub-queries, CTEs)
	Mem    *MemAccount        // the query's memory budget, shared by sub-queries
	Stats  map[any]*NodeStats // EXPLAIN ANALYZE figures, nil otherwise
	stack  []types.Datum      // argument stack of fnExpr (not shared between goroutines)
	Pins   *PinSet            // the providers this execution reads
}

// Sub returns the context for evaluating a sub-query of the current row.
func (ec *EvalCtx) Sub(row []types.Datum) *EvalCtx {
	return &EvalCtx{Ctx: ec.Ctx, Env: ec.Env, params: ec.params, Outer: append(ec.Outer[:len(ec.Outer):len(ec.Outer)], row), Cache: ec.Cache, Mem: ec.Mem.scope(), Stats: ec.Stats, Pins: ec.Pins}
}

// Expr is a bound, typed scalar expression.
type Expr interface {
	Type() types.Type
	Eval(ec *EvalCtx, row []types.Datum) (types.Datum, error)
}

type ConstExpr struct {
	T types.Type
	V types.Datum
}

func (e *ConstExpr) Type() types.Type                                  { return e.T }
func (e *ConstExpr) Eval(*EvalCtx, []types.Datum) (types.Datum, error) { return e.V, nil }

// UnknownLit is a string literal (or NULL) whose type is not yet decided.
type UnknownLit struct {
	S    string
	Null bool
	Pos  int
}

func (e *UnknownLit) Type() types.Type { return types.Unknown }
func (e *UnknownLit) Eval(*EvalCtx, []types.Datum) (types.Datum, error) {
	if e.Null {
		return nil, nil
	}
	return e.S, nil
}

type ParamExpr struct {
	N     int // 0-based
	Types *[]types.Type
}

func (e *ParamExpr) Type() types.Type { return (*e.Types)[e.N] }
func (e *ParamExpr) Eval(ec *EvalCtx, _ []types.Datum) (types.Datum, error) {
	if e.N >= len(ec.params) {
		return nil, sqlerr.New(sqlerr.UndefinedParameter, "there is no parameter $%d", e.N+1)
	}
	return ec.params[e.N], nil
}

// OuterColExpr reads a column of an enclosing query level (correlation).
type OuterColExpr struct {
	Depth int // 1 = the directly enclosing level
	Idx   int
	T     types.Type
}

func (e *OuterColExpr) Type() types.Type { return e.T }
func (e *OuterColExpr) Eval(ec *EvalCtx, _ []types.Datum) (types.Datum, error) {
	return ec.Outer[len(ec.Outer)-e.Depth][e.Idx], nil
}

type ColExpr struct {
	Idx int
	T   types.Type
}

func (e *ColExpr) Type() types.Type { return e.T }
func (e *ColExpr) Eval(_ *EvalCtx, row []types.Datum) (types.Datum, error) {
	return row[e.Idx], nil
}

// FnExpr applies fn to evaluated args; strict functions return NULL when any
// argument is NULL without calling fn.
type FnExpr struct {
	T      types.Type
	Args   []Expr
	Strict bool
	Pure   bool   // immutable: may be folded when its arguments are constants
	IsEq   bool   // the = operator (a hash-join key candidate)
	Op     string // the operator symbol for comparisons and arithmetic (vector kernels)
	// Vec, when set, is a column kernel for this call over its compiled
	// arguments (strict: NULL in gives NULL out).
	Vec func(args []*Vcol, n int) (*Vcol, error)
	// VecBakesFirst: vec has a constant first argument baked in too (it
	// reads only the others).
	VecBakesFirst bool
	Fn            func(ec *EvalCtx, args []types.Datum) (types.Datum, error)
}

func (e *FnExpr) Type() types.Type { return e.T }
func (e *FnExpr) Eval(ec *EvalCtx, row []types.Datum) (types.Datum, error) {
	// Arguments live on the context's stack: no allocation per call.
	start := len(ec.stack)
	for _, a := range e.Args {
		v, err := a.Eval(ec, row)
		if err != nil || (v == nil && e.Strict) {
			ec.stack = ec.stack[:start]
			return nil, err
		}
		ec.stack = append(ec.stack, v)
	}
	v, err := e.Fn(ec, ec.stack[start:len(ec.stack):len(ec.stack)])
	ec.stack = ec.stack[:start]
	return v, err
}

type BoolExpr struct {
	And  bool
	Args []Expr
}

func (e *BoolExpr) Type() types.Type { return types.Bool }
func (e *BoolExpr) Eval(ec *EvalCtx, row []types.Datum) (types.Datum, error) {
	// Three-valued logic: AND is false if any is false, else NULL if any NULL.
	sawNull := false
	for _, a := range e.Args {
		v, err := a.Eval(ec, row)
		if err != nil {
			return nil, err
		}
		if v == nil {
			sawNull = true
			continue
		}
		if v.(bool) != e.And {
			return !e.And, nil
		}
	}
	if sawNull {
		return nil, nil
	}
	return e.And, nil
}

type NotExpr struct{ X Expr }

func (e *NotExpr) Type() types.Type { return types.Bool }
func (e *NotExpr) Eval(ec *EvalCtx, row []types.Datum) (types.Datum, error) {
	v, err := e.X.Eval(ec, row)
	if v == nil || err != nil {
		return nil, err
	}
	return !v.(bool), nil
}

type IsNullExpr struct {
	X   Expr
	Not bool
}

func (e *IsNullExpr) Type() types.Type { return types.Bool }
func (e *IsNullExpr) Eval(ec *EvalCtx, row []types.Datum) (types.Datum, error) {
	v, err := e.X.Eval(ec, row)
	if err != nil {
		return nil, err
	}
	return (v == nil) != e.Not, nil
}

type DistinctExpr struct {
	L, R Expr
	Not  bool // IS NOT DISTINCT FROM
}

func (e *DistinctExpr) Type() types.Type { return types.Bool }
func (e *DistinctExpr) Eval(ec *EvalCtx, row []types.Datum) (types.Datum, error) {
	a, err := e.L.Eval(ec, row)
	if err != nil {
		return nil, err
	}
	b, err := e.R.Eval(ec, row)
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
	return distinct != e.Not, nil
}

type CaseExpr struct {
	T     types.Type
	Conds []Expr // boolean conditions
	Res   []Expr
	Els   Expr // may be nil
}

func (e *CaseExpr) Type() types.Type { return e.T }
func (e *CaseExpr) Eval(ec *EvalCtx, row []types.Datum) (types.Datum, error) {
	for i, c := range e.Conds {
		v, err := c.Eval(ec, row)
		if err != nil {
			return nil, err
		}
		if v != nil && v.(bool) {
			return e.Res[i].Eval(ec, row)
		}
	}
	if e.Els == nil {
		return nil, nil
	}
	return e.Els.Eval(ec, row)
}

type CoalesceExpr struct {
	T    types.Type
	Args []Expr
}

func (e *CoalesceExpr) Type() types.Type { return e.T }
func (e *CoalesceExpr) Eval(ec *EvalCtx, row []types.Datum) (types.Datum, error) {
	for _, a := range e.Args {
		v, err := a.Eval(ec, row)
		if err != nil || v != nil {
			return v, err
		}
	}
	return nil, nil
}

type MinMaxExpr struct {
	T        types.Type
	Greatest bool
	Args     []Expr
}

func (e *MinMaxExpr) Type() types.Type { return e.T }
func (e *MinMaxExpr) Eval(ec *EvalCtx, row []types.Datum) (types.Datum, error) {
	var best types.Datum
	for _, a := range e.Args {
		v, err := a.Eval(ec, row)
		if err != nil {
			return nil, err
		}
		if v == nil {
			continue
		}
		if best == nil || (types.Compare(v, best) > 0) == e.Greatest && types.Compare(v, best) != 0 {
			best = v
		}
	}
	return best, nil
}

type InListExpr struct {
	X    Expr
	List []Expr
	Not  bool
}

func (e *InListExpr) Type() types.Type { return types.Bool }
func (e *InListExpr) Eval(ec *EvalCtx, row []types.Datum) (types.Datum, error) {
	v, err := e.X.Eval(ec, row)
	if err != nil || v == nil {
		return nil, err
	}
	sawNull := false
	for _, it := range e.List {
		w, err := it.Eval(ec, row)
		if err != nil {
			return nil, err
		}
		if w == nil {
			sawNull = true
			continue
		}
		if types.Compare(v, w) == 0 {
			return !e.Not, nil
		}
	}
	if sawNull {
		return nil, nil
	}
	return e.Not, nil
}

// NewEvalCtx starts one execution.
func NewEvalCtx(ctx context.Context, env *Env, params []types.Datum) *EvalCtx {
	ec := &EvalCtx{Ctx: ctx, Env: env, params: params, Cache: map[any]any{}, Mem: &MemAccount{}, Pins: &PinSet{}}
	if env != nil {
		ec.Mem.limit = env.MemoryLimit
	}
	return ec
}
