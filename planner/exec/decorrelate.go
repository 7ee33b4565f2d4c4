package exec

import (
	"reflect"

	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// Decorrelation of EXISTS: a sub-query correlated only through equalities
// inner_expr = outer_expr in its WHERE (outer_expr over the outer row only) is run once per execution without
// them, its inner_expr values hashed, and each outer row probes the hash
// set. That turns EXISTS / NOT EXISTS from O(outer × inner) into a semi/anti
// hash join. It applies when the sub-query is a plain SELECT … FROM … WHERE
// (no grouping, aggregates, windows, LIMIT, set operations or WITH), which
// keeps EXISTS's meaning: some inner row satisfies the remaining conditions
// and equals the outer row on every key (NULL keys never match).

type ExistsHashExpr struct {
	Root plan.Node
	Keys hashKeys
}

func (e *ExistsHashExpr) Type() types.Type { return types.Bool }

func (e *ExistsHashExpr) Eval(ec *expr.EvalCtx, row []types.Datum) (types.Datum, error) {
	set, ok := ec.Cache[e].(map[string]bool)
	if !ok {
		rows, err := collect(ec.Sub(nil), e.Root)
		if err != nil {
			return nil, err
		}
		set = make(map[string]bool, len(rows))
		if err := e.Keys.eachInner(ec, rows, func(key string, _ []types.Datum) { set[key] = true }); err != nil {
			return nil, err
		}
		ec.Cache[e] = set
	}
	if len(set) == 0 {
		return false, nil // no inner row: the outer keys are never compared
	}
	key, ok, err := e.Keys.outer(ec, row)
	if err != nil || !ok {
		return false, err
	}
	return set[key], nil
}

// hashKeys are the equality keys of a decorrelated sub-query: expressions
// over its rows and over the outer row, coerced to common types, encoded
// with appendKey. A NULL on either side never matches.
type hashKeys struct {
	InnerCast []expr.Expr // over the sub-query row
	OuterKeys []expr.Expr // over the outer row
	KeyTypes  []types.Type
}

// eachInner calls fn with the key of each sub-query row without NULL keys.
func (h *hashKeys) eachInner(ec *expr.EvalCtx, rows [][]types.Datum, fn func(key string, r []types.Datum)) error {
	vals := make([]types.Datum, len(h.InnerCast))
	idx := plan.Seq(len(vals))
	var buf []byte
rows:
	for _, r := range rows {
		for i, c := range h.InnerCast {
			v, err := c.Eval(ec, r)
			if err != nil {
				return err
			}
			if v == nil {
				continue rows
			}
			vals[i] = v
		}
		buf = appendKey(buf[:0], vals, idx, h.KeyTypes)
		fn(string(buf), r)
	}
	return nil
}

// outer returns the outer row's key; false when a key is NULL.
func (h *hashKeys) outer(ec *expr.EvalCtx, row []types.Datum) (string, bool, error) {
	vals := make([]types.Datum, len(h.OuterKeys))
	for i, k := range h.OuterKeys {
		v, err := k.Eval(ec, row)
		if err != nil || v == nil {
			return "", false, err
		}
		vals[i] = v
	}
	return string(appendKey(nil, vals, plan.Seq(len(vals)), h.KeyTypes)), true, nil
}

func Conjuncts(e ast.Expr) []ast.Expr {
	if be, ok := e.(*ast.BoolExpr); ok && be.Op == ast.And {
		var out []ast.Expr
		for _, a := range be.Args {
			out = append(out, Conjuncts(a)...)
		}
		return out
	}
	if e == nil {
		return nil
	}
	return []ast.Expr{e}
}

// OuterOnly reports whether e is built from outer column references (each
// one unknown to the sub-query's own scope, so no name inside can mean an
// inner column), literals, parameters, operators and casts — an expression
// of the outer row alone, like a.v + 1. Function calls are left out: a
// volatile one must run per inner row.
func OuterOnly(e ast.Expr, bindsInner func(ast.Expr) bool) bool {
	cols := 0
	var ok func(ast.Expr) bool
	ok = func(e ast.Expr) bool {
		switch x := e.(type) {
		case *ast.ColumnRef:
			cols++
			return !bindsInner(x)
		case *ast.Const, *ast.Param:
			return true
		case *ast.BinaryExpr:
			return ok(x.L) && ok(x.R)
		case *ast.UnaryExpr:
			return ok(x.X)
		case *ast.Cast:
			return ok(x.X)
		}
		return false
	}
	return ok(e) && cols > 0
}

// PlainSelect: SELECT … FROM … WHERE with no grouping, HAVING, LIMIT,
// OFFSET, DISTINCT ON, set operation, VALUES or WITH, and no volatile
// function call anywhere (hashing evaluates the sub-query once, where
// correlated evaluation would call random() once per outer row).
func PlainSelect(sel *ast.Select) bool {
	return !callsVolatile(reflect.ValueOf(sel)) && sel.SetOp == ast.SetNone && sel.Values == nil && len(sel.With) == 0 && len(sel.From) > 0 &&
		len(sel.GroupBy) == 0 && len(sel.GroupingSets) == 0 && sel.Having == nil && sel.Limit == nil && sel.Offset == nil && len(sel.DistinctOn) == 0
}

// callsVolatile reports whether the syntax tree under v calls a function
// with a volatile overload. It walks by reflection so that no node kind,
// present or future, is missed.
func callsVolatile(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() || !v.CanInterface() {
			return false
		}
		if f, ok := v.Interface().(*ast.FuncCall); ok && len(f.Name) > 0 {
			for _, d := range expr.Funcs[f.Name[len(f.Name)-1]] {
				if d.Volatile {
					return true
				}
			}
		}
		return callsVolatile(v.Elem())
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if callsVolatile(v.Field(i)) {
				return true
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			if callsVolatile(v.Index(i)) {
				return true
			}
		}
	}
	return false
}

// andAll joins conjuncts back into one WHERE (nil for none).
func andAll(cs []ast.Expr) ast.Expr {
	switch len(cs) {
	case 0:
		return nil
	case 1:
		return cs[0]
	}
	return &ast.BoolExpr{Op: ast.And, Args: cs, Pos: -1}
}

// Keyed is sel without its correlating equalities (WHERE rest) and with
// the inner keys, then extra, as its select list.
func Keyed(sel *ast.Select, innerKeys, rest []ast.Expr, extra ...*ast.Target) *ast.Select {
	ns := *sel
	ns.Targets, ns.OrderBy, ns.Distinct = nil, nil, false
	for _, k := range innerKeys {
		ns.Targets = append(ns.Targets, &ast.Target{Expr: k, Pos: -1})
	}
	ns.Targets = append(ns.Targets, extra...)
	ns.Where = andAll(rest)
	return &ns
}

// Decorrelation of a scalar aggregate sub-query, (SELECT agg(…) FROM …
// WHERE inner_expr = outer_expr AND …): the sub-query grouped by its inner
// keys runs once per execution into a hash table, and each outer row
// looks its keys up. A row with no group (or a NULL key, which "=" never
// matches) gets the value over no input rows — computed by the same
// sub-query with WHERE false, so count gives 0, 0.2 * avg(x) gives NULL,
// exactly as PostgreSQL's per-row evaluation would.
type ScalarAggHashExpr struct {
	Grouped plan.Node // [inner keys…, value]
	Empty   plan.Node // one row: the value over no input
	Keys    hashKeys
	T       types.Type
}

type scalarAggTable struct {
	vals  map[string]types.Datum
	empty types.Datum
}

func (e *ScalarAggHashExpr) Type() types.Type { return e.T }

func (e *ScalarAggHashExpr) Eval(ec *expr.EvalCtx, row []types.Datum) (types.Datum, error) {
	tab, ok := ec.Cache[e].(*scalarAggTable)
	if !ok {
		rows, err := collect(ec.Sub(nil), e.Grouped)
		if err != nil {
			return nil, err
		}
		tab = &scalarAggTable{vals: make(map[string]types.Datum, len(rows))}
		n := len(e.Keys.InnerCast)
		if err := e.Keys.eachInner(ec, rows, func(key string, r []types.Datum) { tab.vals[key] = r[n] }); err != nil {
			return nil, err
		}
		empty, err := collect(ec.Sub(nil), e.Empty)
		if err != nil {
			return nil, err
		}
		if len(empty) != 1 {
			return nil, sqlerr.Internal("aggregate over no rows gave %d rows", len(empty))
		}
		tab.empty = empty[0][0]
		ec.Cache[e] = tab
	}
	key, ok, err := e.Keys.outer(ec, row)
	if err != nil {
		return nil, err
	}
	if v, found := tab.vals[key]; ok && found {
		return v, nil
	}
	return tab.empty, nil
}

// Decorrelation of x IN (SELECT y FROM … WHERE inner_expr = outer_expr AND
// …), and x = ANY (…): the sub-query runs once per execution without the
// correlating equalities, its y values gathered into one set per inner key;
// each outer row looks up the set for its keys and answers with IN's
// three-valued logic: no set (no inner row, or a NULL outer key, which "="
// never matches) is false; then a NULL x is NULL; x in the set is true; a
// NULL among the set's values makes a miss NULL; otherwise false. NOT IN is
// NOT over it.
type InHashExpr struct {
	Root plan.Node // [inner keys…, y]
	Keys hashKeys
	Test expr.Expr    // x, over the outer row
	Eq   *expr.FnExpr // x = y over the pair [x, y], operands coerced
}

type inSet struct {
	vals    map[string]bool
	hasNull bool
}

func (e *InHashExpr) Type() types.Type { return types.Bool }

func (e *InHashExpr) Eval(ec *expr.EvalCtx, row []types.Datum) (types.Datum, error) {
	tab, ok := ec.Cache[e].(map[string]*inSet)
	if !ok {
		rows, err := collect(ec.Sub(nil), e.Root)
		if err != nil {
			return nil, err
		}
		tab = map[string]*inSet{}
		n := len(e.Keys.InnerCast)
		pair := make([]types.Datum, 2)
		yt := []types.Type{e.Eq.Args[1].Type()}
		var buf []byte
		var ferr error
		err = e.Keys.eachInner(ec, rows, func(key string, r []types.Datum) {
			s := tab[key]
			if s == nil {
				s = &inSet{vals: map[string]bool{}}
				tab[key] = s
			}
			pair[1] = r[n]
			v, err := e.Eq.Args[1].Eval(ec, pair)
			switch {
			case err != nil:
				ferr = err
			case v == nil:
				s.hasNull = true
			default:
				buf = appendKey(buf[:0], []types.Datum{v}, []int{0}, yt)
				s.vals[string(buf)] = true
			}
		})
		if err == nil {
			err = ferr
		}
		if err != nil {
			return nil, err
		}
		ec.Cache[e] = tab
	}
	key, ok, err := e.Keys.outer(ec, row)
	if err != nil || !ok {
		return false, err
	}
	s := tab[key]
	if s == nil {
		return false, nil
	}
	x, err := e.Test.Eval(ec, row)
	if err != nil || x == nil {
		return nil, err
	}
	v, err := e.Eq.Args[0].Eval(ec, []types.Datum{x, nil})
	if err != nil || v == nil {
		return nil, err
	}
	if s.vals[string(appendKey(nil, []types.Datum{v}, []int{0}, []types.Type{e.Eq.Args[0].Type()}))] {
		return true, nil
	}
	if s.hasNull {
		return nil, nil
	}
	return false, nil
}
