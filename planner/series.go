package planner

import (
	"strings"

	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// tableFunc binds a set-returning function in FROM.
func (b *binder) tableFunc(ft *ast.FuncTable) (node, []scopeCol, error) {
	n, sc, err := b.tableFuncNoOrd(ft)
	if err != nil || !ft.Ordinality {
		return n, sc, err
	}
	name := "ordinality"
	if len(ft.ColAliases) > len(sc) {
		name = ft.ColAliases[len(sc)]
	}
	table := sc[0].table
	return &ordinalityNode{child: n}, append(sc, scopeCol{table: table, name: name, t: types.Int8}), nil
}

// ordinalityNode numbers its input rows (WITH ORDINALITY).
type ordinalityNode struct{ child node }

func (o *ordinalityNode) open(ec *evalCtx) (rowIter, error) {
	in, err := openNode(ec, o.child)
	if err != nil {
		return nil, err
	}
	return &ordIter{in: in}, nil
}

type ordIter struct {
	in rowIter
	n  int64
}

func (it *ordIter) next() ([]types.Datum, error) {
	r, err := it.in.next()
	if r == nil || err != nil {
		return nil, err
	}
	it.n++
	return append(append([]types.Datum{}, r...), it.n), nil
}
func (it *ordIter) close() { it.in.close() }

func (b *binder) tableFuncNoOrd(ft *ast.FuncTable) (node, []scopeCol, error) {
	name := ft.Func.Name[len(ft.Func.Name)-1]
	if name == "unnest" {
		return b.unnest(ft)
	}
	if name == "generate_subscripts" {
		return b.generateSubscripts(ft)
	}
	if name == "_pg_expandarray" {
		return b.expandArray(ft)
	}
	if name == "pg_partition_ancestors" {
		// No relation sluice has is a PostgreSQL partition or partitioned
		// table (lake partitioning is inside one table), so no rows.
		if len(ft.Func.Args) != 1 {
			return nil, nil, errAt(sqlerr.New(sqlerr.UndefinedFunction, "function pg_partition_ancestors has the wrong number of arguments"), ft.Func.Pos)
		}
		arg, err := b.expr(ft.Func.Args[0])
		if err != nil {
			return nil, nil, err
		}
		if _, err := b.coerce(arg, types.Regclass, "argument", ft.Func.Pos); err != nil {
			return nil, nil, err
		}
		alias := "pg_partition_ancestors"
		if ft.Alias != "" {
			alias = ft.Alias
		}
		return &valuesNode{}, []scopeCol{{table: alias, name: "relid", t: types.Regclass}}, nil
	}
	if name != "generate_series" {
		return b.scalarFuncTable(ft, name)
	}
	if len(ft.Func.Args) < 2 || len(ft.Func.Args) > 3 {
		return nil, nil, errAt(sqlerr.New(sqlerr.UndefinedFunction, "function generate_series with %d arguments does not exist", len(ft.Func.Args)), ft.Func.Pos)
	}
	args := make([]Expr, len(ft.Func.Args))
	for i, a := range ft.Func.Args {
		e, err := b.expr(a)
		if err != nil {
			return nil, nil, err
		}
		args[i] = e
	}
	// Integer series (int4 or int8), numeric, or timestamp[tz] with an interval step.
	t, err := commonType(args[:2], "generate_series", ft.Func.Pos)
	if err != nil {
		return nil, nil, err
	}
	if t.OID == types.OIDText {
		t = types.Int4
	}
	if t.OID == types.OIDInt2 {
		t = types.Int4
	}
	switch t.OID {
	case types.OIDInt4, types.OIDInt8, types.OIDTimestamp, types.OIDTimestamptz:
	default:
		return nil, nil, errAt(sqlerr.Unsupported("generate_series over %s is not supported yet", t), ft.Func.Pos)
	}
	for i := 0; i < 2; i++ {
		if args[i], err = b.coerce(args[i], t, "argument", ft.Func.Pos); err != nil {
			return nil, nil, err
		}
	}
	stepT := t
	if t.OID == types.OIDTimestamp || t.OID == types.OIDTimestamptz {
		stepT = types.IntervalT
		if len(args) < 3 {
			return nil, nil, errAt(sqlerr.New(sqlerr.UndefinedFunction, "function generate_series(%s, %s) does not exist", t, t), ft.Func.Pos)
		}
	}
	if len(args) == 3 {
		if args[2], err = b.coerce(args[2], stepT, "argument", ft.Func.Pos); err != nil {
			return nil, nil, err
		}
	}
	col := "generate_series"
	alias := "generate_series"
	if ft.Alias != "" {
		alias, col = ft.Alias, ft.Alias
	}
	if len(ft.ColAliases) > 0 {
		col = ft.ColAliases[0]
	}
	return &seriesNode{t: t, args: args}, []scopeCol{{table: alias, name: col, t: t}}, nil
}

type seriesNode struct {
	t    types.Type
	args []Expr
}

func (s *seriesNode) open(ec *evalCtx) (rowIter, error) {
	vals := make([]types.Datum, len(s.args))
	for i, a := range s.args {
		v, err := a.Eval(ec, nil)
		if err != nil {
			return nil, err
		}
		if v == nil {
			return &sliceIter{}, nil
		}
		vals[i] = v
	}
	if s.t.IsInteger() {
		step := int64(1)
		if len(vals) == 3 {
			step = vals[2].(int64)
		}
		if step == 0 {
			return nil, sqlerr.New(sqlerr.InvalidParameterValue, "step size cannot equal zero")
		}
		return &intSeries{cur: vals[0].(int64), stop: vals[1].(int64), step: step, ec: ec}, nil
	}
	iv := vals[2].(types.Interval)
	if iv.Months == 0 && iv.Days == 0 && iv.Micros == 0 {
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "step size cannot equal zero")
	}
	return &tsSeries{start: vals[0].(types.Timestamp), stop: vals[1].(types.Timestamp), step: iv, tz: s.t.OID == types.OIDTimestamptz, ec: ec}, nil
}

type intSeries struct {
	cur, stop, step int64
	done            bool
	ec              *evalCtx
	n               int
}

func (s *intSeries) next() ([]types.Datum, error) {
	if s.done || (s.step > 0 && s.cur > s.stop) || (s.step < 0 && s.cur < s.stop) {
		return nil, nil
	}
	if s.n++; s.n%1024 == 0 {
		if err := s.ec.ctx.Err(); err != nil {
			return nil, err
		}
	}
	v := s.cur
	next := s.cur + s.step
	if (s.step > 0 && next < s.cur) || (s.step < 0 && next > s.cur) {
		s.done = true // overflow ends the series, as in PostgreSQL
	}
	s.cur = next
	return []types.Datum{v}, nil
}
func (s *intSeries) close() {}

type tsSeries struct {
	start, stop types.Timestamp
	step        types.Interval
	tz          bool
	i           int
	ec          *evalCtx
}

func (s *tsSeries) next() ([]types.Datum, error) {
	cur := s.start
	if s.i > 0 {
		iv := types.Interval{Months: s.step.Months * int32(s.i), Days: s.step.Days * int32(s.i), Micros: s.step.Micros * int64(s.i)}
		cur = addInterval(s.ec, s.start, iv, s.tz)
	}
	forward := float64(s.step.Months)*30*86400e6+float64(s.step.Days)*86400e6+float64(s.step.Micros) > 0
	if (forward && cur > s.stop) || (!forward && cur < s.stop) {
		return nil, nil
	}
	if s.i++; s.i%1024 == 0 {
		if err := s.ec.ctx.Err(); err != nil {
			return nil, err
		}
	}
	return []types.Datum{cur}, nil
}
func (s *tsSeries) close() {}

func (b *binder) unnest(ft *ast.FuncTable) (node, []scopeCol, error) {
	if len(ft.Func.Args) != 1 {
		return nil, nil, errAt(sqlerr.Unsupported("unnest with several arrays is not supported yet"), ft.Func.Pos)
	}
	arg, err := b.expr(ft.Func.Args[0])
	if err != nil {
		return nil, nil, err
	}
	if isUnknown(arg) {
		if arg, err = b.coerce(arg, types.Type{OID: 1009, Typmod: -1}, "", ft.Func.Pos); err != nil {
			return nil, nil, err
		}
	}
	et, ok := types.ElemOf(arg.Type())
	if !ok {
		return nil, nil, errAt(sqlerr.New(sqlerr.UndefinedFunction, "function unnest(%s) does not exist", arg.Type()), ft.Func.Pos)
	}
	alias, col := "unnest", "unnest"
	if ft.Alias != "" {
		alias, col = ft.Alias, ft.Alias
	}
	if len(ft.ColAliases) > 0 {
		col = ft.ColAliases[0]
	}
	return &unnestNode{arg: arg}, []scopeCol{{table: alias, name: col, t: et}}, nil
}

// generateSubscripts is generate_subscripts(array, dim [, reverse]).
func (b *binder) generateSubscripts(ft *ast.FuncTable) (node, []scopeCol, error) {
	if len(ft.Func.Args) < 2 || len(ft.Func.Args) > 3 {
		return nil, nil, errAt(sqlerr.New(sqlerr.UndefinedFunction, "function generate_subscripts has the wrong number of arguments"), ft.Func.Pos)
	}
	arr, err := b.expr(ft.Func.Args[0])
	if err != nil {
		return nil, nil, err
	}
	if !arr.Type().IsArray() {
		return nil, nil, errAt(sqlerr.New(sqlerr.UndefinedFunction, "function generate_subscripts(%s, integer) does not exist", arr.Type()), ft.Func.Pos)
	}
	dim, err := b.expr(ft.Func.Args[1])
	if err != nil {
		return nil, nil, err
	}
	if dim, err = b.coerce(dim, types.Int4, "argument", ft.Func.Pos); err != nil {
		return nil, nil, err
	}
	var rev Expr = &constExpr{t: types.Bool, v: false}
	if len(ft.Func.Args) == 3 {
		if rev, err = b.expr(ft.Func.Args[2]); err != nil {
			return nil, nil, err
		}
		if rev, err = b.coerce(rev, types.Bool, "argument", ft.Func.Pos); err != nil {
			return nil, nil, err
		}
	}
	alias, col := "generate_subscripts", "generate_subscripts"
	if ft.Alias != "" {
		alias, col = ft.Alias, ft.Alias
	}
	if len(ft.ColAliases) > 0 {
		col = ft.ColAliases[0]
	}
	return &subscriptsNode{arr: arr, dim: dim, rev: rev}, []scopeCol{{table: alias, name: col, t: types.Int4}}, nil
}

type subscriptsNode struct{ arr, dim, rev Expr }

func (s *subscriptsNode) open(ec *evalCtx) (rowIter, error) {
	var vals [3]types.Datum
	for i, e := range []Expr{s.arr, s.dim, s.rev} {
		v, err := e.Eval(ec, nil)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	if vals[0] == nil || vals[1] == nil || vals[1].(int64) != 1 {
		return &sliceIter{}, nil
	}
	n := len(vals[0].(*types.Array).Vals)
	rows := make([][]types.Datum, n)
	for i := range rows {
		k := int64(i + 1)
		if vals[2] != nil && vals[2].(bool) {
			k = int64(n - i)
		}
		rows[i] = []types.Datum{k}
	}
	return &sliceIter{rows: rows}, nil
}

// expandArray is information_schema._pg_expandarray(anyarray): the
// elements with their positions, as columns (x, n) — or, in a select
// list, as one record value per element, whose fields clients read with
// (…).x and (…).n (pgjdbc's getPrimaryKeys and getIndexInfo).
func (b *binder) expandArray(ft *ast.FuncTable) (node, []scopeCol, error) {
	if q := ft.Func.Name; len(q) == 1 || q[0] != "information_schema" {
		return nil, nil, errAt(sqlerr.New(sqlerr.UndefinedFunction, "function %s does not exist", strings.Join(q, ".")), ft.Func.Pos)
	}
	if len(ft.Func.Args) != 1 {
		return nil, nil, errAt(sqlerr.New(sqlerr.UndefinedFunction, "function information_schema._pg_expandarray has the wrong number of arguments"), ft.Func.Pos)
	}
	arr, err := b.expr(ft.Func.Args[0])
	if err != nil {
		return nil, nil, err
	}
	et, ok := types.ElemOf(arr.Type())
	if !ok {
		return nil, nil, errAt(sqlerr.New(sqlerr.UndefinedFunction, "function information_schema._pg_expandarray(%s) does not exist", arr.Type()), ft.Func.Pos)
	}
	alias := "_pg_expandarray"
	if ft.Alias != "" {
		alias = ft.Alias
	}
	names := []string{"x", "n"}
	copy(names, ft.ColAliases)
	return &unnestNode{arg: arr, ordinal: true}, []scopeCol{{table: alias, name: names[0], t: et}, {table: alias, name: names[1], t: types.Int4}}, nil
}

// scalarFuncTable is a function returning one value used in FROM (FROM
// string_to_array(…) s): one row, one column named after the alias or the
// function.
func (b *binder) scalarFuncTable(ft *ast.FuncTable, name string) (node, []scopeCol, error) {
	if isAggregateName(name) && ft.Func.Over == nil {
		return nil, nil, errAt(sqlerr.New(sqlerr.GroupingError, "aggregate functions are not allowed in functions in FROM"), ft.Func.Pos)
	}
	e, err := b.expr(ft.Func)
	if err != nil {
		return nil, nil, err
	}
	if _, isSRF := e.(*srfRefExpr); isSRF {
		return nil, nil, errAt(sqlerr.Unsupported("function %s in FROM is not supported yet", name), ft.Func.Pos)
	}
	alias, col := name, name
	if ft.Alias != "" {
		alias, col = ft.Alias, ft.Alias
	}
	if len(ft.ColAliases) > 0 {
		col = ft.ColAliases[0]
	}
	return &projectNode{child: oneRow{}, exprs: []Expr{e}}, []scopeCol{{table: alias, name: col, t: e.Type()}}, nil
}
