package planner

import (
	"fmt"
	"math"
	"strings"

	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// aggCtx is the binding state above a GROUP BY: expressions there see a row
// of [group keys…, aggregate results…].
// Rows above it are [group keys…, grouping-set number, aggregate results…].
type aggCtx struct {
	input    []scopeCol // the FROM scope
	groups   []Expr     // bound over input
	groupKey []string   // ast keys of the GROUP BY expressions
	groupCol map[int]int
	sets     [][]int // grouping sets as indexes into groups (one set with all when plain GROUP BY)
	aggs     []*aggCall
	node     *aggNode
}

// aggCall is one aggregate call: its function, inputs and modifiers.
type aggCall struct {
	def      *aggDef
	args     []Expr // over the input row
	distinct bool
	filter   Expr
	order    []Expr
	orderKey []sortKey
	t        types.Type
}

func isAggregateName(name string) bool {
	_, ok := aggDefs[name]
	return ok
}

// containsAggregate reports whether an expression calls an aggregate at this
// query level (not inside a sub-query).
func containsAggregate(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(x ast.Expr) bool {
		if f, ok := x.(*ast.FuncCall); ok && f.Over == nil && isAggregateName(f.Name[len(f.Name)-1]) {
			found = true
		}
		return !found
	})
	return found
}

// beginGrouping binds GROUP BY and switches the binder to post-aggregate
// mode; it returns the aggregate node (whose aggregates fill in as the
// outputs are bound).
func (b *binder) beginGrouping(src node, sel *ast.Select) (node, error) {
	ac := &aggCtx{input: b.scope, groupCol: map[int]int{}}
	for _, g := range sel.GroupBy {
		g, err := b.resolveGroupItem(g, sel)
		if err != nil {
			return nil, err
		}
		if containsAggregate(g) {
			return nil, sqlerr.New(sqlerr.GroupingError, "aggregate functions are not allowed in GROUP BY")
		}
		e, err := b.expr(g)
		if err != nil {
			return nil, err
		}
		if isUnknown(e) {
			if e, err = b.coerce(e, types.Text, "", -1); err != nil {
				return nil, err
			}
		}
		if c, ok := e.(*colExpr); ok {
			if _, dup := ac.groupCol[c.idx]; !dup {
				ac.groupCol[c.idx] = len(ac.groups)
			}
		}
		ac.groups = append(ac.groups, e)
		ac.groupKey = append(ac.groupKey, ast.Key(g))
	}
	if sel.GroupingSets == nil {
		ac.sets = [][]int{seq(len(ac.groups))}
	} else {
		for _, set := range sel.GroupingSets {
			var idx []int
			for _, e := range set {
				r, err := b.resolveGroupItem(e, sel)
				if err != nil {
					return nil, err
				}
				k := ast.Key(r)
				for i, gk := range ac.groupKey {
					if gk == k {
						idx = append(idx, i)
						break
					}
				}
			}
			ac.sets = append(ac.sets, idx)
		}
	}
	ac.node = &aggNode{child: src, ctx: ac}
	b.agg = ac
	return ac.node, nil
}

// resolveGroupItem maps GROUP BY 2 and GROUP BY output_alias to the select
// item they name, as PostgreSQL does.
func (b *binder) resolveGroupItem(g ast.Expr, sel *ast.Select) (ast.Expr, error) {
	if c, ok := g.(*ast.Const); ok && c.Kind == ast.ConstInt {
		n := 0
		fmt.Sscan(c.Val, &n)
		if n < 1 || n > len(sel.Targets) {
			return nil, errAt(sqlerr.New(sqlerr.InvalidColumnReference, "GROUP BY position %d is not in select list", n), c.Pos)
		}
		return sel.Targets[n-1].Expr, nil
	}
	if cr, ok := g.(*ast.ColumnRef); ok && len(cr.Names) == 1 && !cr.Star {
		if idx, _ := b.lookup("", cr.Names[0], cr.Pos); idx < 0 {
			for _, t := range sel.Targets {
				if t.Name == cr.Names[0] {
					return t.Expr, nil
				}
			}
		}
	}
	return g, nil
}

// aggregate binds an aggregate call above a GROUP BY.
func (b *binder) aggregate(f *ast.FuncCall) (Expr, error) {
	ac := b.agg
	name := f.Name[len(f.Name)-1]
	// Arguments are bound over the input row, outside post-aggregate mode.
	b.agg = nil
	defer func() { b.agg = ac }()
	for _, a := range f.Args {
		if containsAggregate(a) {
			return nil, errAt(sqlerr.New(sqlerr.GroupingError, "aggregate function calls cannot be nested"), f.Pos)
		}
	}
	call := &aggCall{distinct: f.Distinct}
	if f.WithinGroup || name == "percentile_cont" || name == "percentile_disc" || name == "mode" {
		b.agg = ac
		return b.orderedSetAggregate(name, f)
	}
	for _, a := range f.Args {
		e, err := b.expr(a)
		if err != nil {
			return nil, err
		}
		call.args = append(call.args, e)
	}
	if f.Star {
		if name != "count" {
			return nil, errAt(sqlerr.New(sqlerr.WrongObjectType, "%s(*) specified, but %s is not an aggregate function", name, name), f.Pos)
		}
		call.args = nil
	}
	def, err := resolveAggregate(b, name, call, f)
	if err != nil {
		return nil, err
	}
	call.def = def
	if f.Filter != nil {
		flt, err := b.expr(f.Filter)
		if err != nil {
			return nil, err
		}
		if call.filter, err = b.coerce(flt, types.Bool, "argument of FILTER", f.Pos); err != nil {
			return nil, err
		}
	}
	for i, o := range f.OrderBy {
		e, err := b.expr(o.Expr)
		if err != nil {
			return nil, err
		}
		if isUnknown(e) {
			if e, err = b.coerce(e, types.Text, "", -1); err != nil {
				return nil, err
			}
		}
		call.order = append(call.order, e)
		call.orderKey = append(call.orderKey, sortKeyOf(i, o))
	}
	if call.distinct && len(call.order) > 0 {
		// PostgreSQL requires ORDER BY items of a DISTINCT aggregate to be its arguments.
		for _, o := range f.OrderBy {
			found := false
			for _, a := range f.Args {
				if ast.Key(a) == ast.Key(o.Expr) {
					found = true
				}
			}
			if !found {
				return nil, errAt(sqlerr.New(sqlerr.InvalidColumnReference, "in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list"), f.Pos)
			}
		}
	}
	ac.aggs = append(ac.aggs, call)
	return &colExpr{idx: len(ac.groups) + 1 + len(ac.aggs) - 1, t: call.t}, nil
}

// aggState accumulates one aggregate for one group.
type aggState interface {
	add(args []types.Datum) error
	result() (types.Datum, error)
}

// aggDef is a resolved aggregate: its name and state constructor.
type aggDef struct {
	name string
	make func() aggState
}

var aggDefs = map[string]*aggDef{}

func init() {
	for _, n := range []string{"percentile_cont", "percentile_disc", "mode", "json_agg", "jsonb_agg", "count", "sum", "avg", "min", "max", "bool_and", "bool_or", "every", "string_agg",
		"stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop"} {
		aggDefs[n] = &aggDef{name: n}
	}
	aggDefs["array_agg"] = &aggDef{name: "array_agg"}
}

func resolveAggregate(b *binder, name string, call *aggCall, f *ast.FuncCall) (*aggDef, error) {
	argTypes := func() string {
		var s []string
		for _, a := range call.args {
			s = append(s, a.Type().String())
		}
		return strings.Join(s, ", ")
	}
	noFn := func() error {
		return errAt(sqlerr.New(sqlerr.UndefinedFunction, "function %s(%s) does not exist", name, argTypes()).
			WithHint("No function matches the given name and argument types. You might need to add explicit type casts."), f.Pos)
	}
	one := func() (types.Type, error) {
		if len(call.args) != 1 {
			return types.Type{}, noFn()
		}
		if isUnknown(call.args[0]) {
			var err error
			if call.args[0], err = b.coerce(call.args[0], types.Text, "", f.Pos); err != nil {
				return types.Type{}, err
			}
		}
		return call.args[0].Type(), nil
	}
	inst := &aggDef{name: name}
	switch name {
	case "count":
		if len(call.args) > 1 {
			return nil, noFn()
		}
		call.t = types.Int8
		inst.make = func() aggState { return &countState{} }
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
		call.t = sumType(name, t)
		avg := name == "avg"
		in := t
		inst.make = func() aggState { return &sumState{in: in, out: call.t, avg: avg} }
	case "min", "max":
		t, err := one()
		if err != nil {
			return nil, err
		}
		if t.OID == types.OIDJSON || t.OID == types.OIDBool {
			return nil, noFn() // PostgreSQL has no min/max for json or boolean
		}
		call.t = t
		isMax := name == "max"
		inst.make = func() aggState { return &minMaxState{max: isMax} }
	case "bool_and", "bool_or", "every":
		if _, err := one(); err != nil {
			return nil, err
		}
		arg, err := b.coerce(call.args[0], types.Bool, "argument", f.Pos)
		if err != nil {
			return nil, noFn()
		}
		call.args[0] = arg
		call.t = types.Bool
		and := name != "bool_or"
		inst.make = func() aggState { return &boolAggState{and: and} }
	case "string_agg":
		if len(call.args) != 2 {
			return nil, noFn()
		}
		for i := range call.args {
			if isUnknown(call.args[i]) || call.args[i].Type().IsString() {
				var err error
				if call.args[i], err = b.coerce(call.args[i], types.Text, "argument", f.Pos); err != nil {
					return nil, err
				}
			} else if call.args[i].Type().OID != types.OIDBytea {
				return nil, noFn()
			}
		}
		call.t = call.args[0].Type()
		inst.make = func() aggState { return &stringAggState{} }
	case "stddev", "stddev_samp", "stddev_pop", "variance", "var_samp", "var_pop":
		t, err := one()
		if err != nil {
			return nil, err
		}
		if t.IsInteger() || t.OID == types.OIDNumeric {
			// Exact numeric variance, as PostgreSQL computes it.
			call.t = types.Numeric
			pop := strings.HasSuffix(name, "_pop")
			sqrt := strings.HasPrefix(name, "stddev")
			inst.make = func() aggState { return &numVarState{pop: pop, sqrt: sqrt} }
			return inst, nil
		}
		if t.OID != types.OIDFloat8 && t.OID != types.OIDFloat4 {
			return nil, noFn()
		}
		if call.args[0], err = b.coerce(call.args[0], types.Float8, "argument", f.Pos); err != nil {
			return nil, err
		}
		call.t = types.Float8
		pop := strings.HasSuffix(name, "_pop")
		sqrt := strings.HasPrefix(name, "stddev")
		inst.make = func() aggState { return &varState{pop: pop, sqrt: sqrt} }
	case "json_agg", "jsonb_agg":
		t, err := one()
		if err != nil {
			return nil, err
		}
		jb := name == "jsonb_agg"
		call.t = types.JSON
		if jb {
			call.t = types.JSONB
		}
		inst.make = func() aggState { return &jsonAggState{t: t, jsonb: jb} }
	case "array_agg":
		t, err := one()
		if err != nil {
			return nil, err
		}
		at, ok := types.ArrayOf(t)
		if !ok {
			return nil, errAt(sqlerr.Unsupported("array_agg over %s is not supported", t), f.Pos)
		}
		call.t = at
		inst.make = func() aggState { return &arrayAggState{elem: t} }
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

func (s *countState) add(args []types.Datum) error {
	if len(args) == 0 || args[0] != nil {
		s.n++
	}
	return nil
}
func (s *countState) result() (types.Datum, error) { return s.n, nil }

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

func (s *sumState) add(args []types.Datum) error {
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

func (s *sumState) result() (types.Datum, error) {
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

func (s *minMaxState) add(args []types.Datum) error {
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
func (s *minMaxState) result() (types.Datum, error) { return s.v, nil }

type boolAggState struct {
	and  bool
	seen bool
	v    bool
}

func (s *boolAggState) add(args []types.Datum) error {
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

func (s *boolAggState) result() (types.Datum, error) {
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

func (s *stringAggState) add(args []types.Datum) error {
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

func (s *stringAggState) result() (types.Datum, error) {
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

func (s *varState) add(args []types.Datum) error {
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

func (s *varState) result() (types.Datum, error) {
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

// aggNode groups its input and computes aggregates; its rows are [group
// keys…, aggregate results…].
type aggNode struct {
	child node
	ctx   *aggCtx
}

type groupState struct {
	keys   []types.Datum
	states []aggState
	bufs   [][][]types.Datum // buffered argument rows for DISTINCT/ORDER BY aggregates
}

func (a *aggNode) open(ec *evalCtx) (rowIter, error) {
	ac := a.ctx
	in, err := openNode(ec, a.child)
	if err != nil {
		return nil, err
	}
	defer in.close()
	type setState struct {
		groups map[string]*groupState
		order  []*groupState
	}
	sets := make([]setState, len(ac.sets))
	for i := range sets {
		sets[i].groups = map[string]*groupState{}
	}
	keyTypes := exprTypes(ac.groups)
	var buf []byte
	newGroup := func(keys []types.Datum) *groupState {
		g := &groupState{keys: keys, states: make([]aggState, len(ac.aggs)), bufs: make([][][]types.Datum, len(ac.aggs))}
		for i, c := range ac.aggs {
			g.states[i] = c.def.make()
		}
		return g
	}
	n := 0
	all := make([]types.Datum, len(ac.groups))
	for {
		row, err := in.next()
		if err != nil {
			return nil, err
		}
		if row == nil {
			break
		}
		if n++; n%1024 == 0 {
			if err := ec.ctx.Err(); err != nil {
				return nil, err
			}
		}
		for i, g := range ac.groups {
			if all[i], err = g.Eval(ec, row); err != nil {
				return nil, err
			}
		}
		var args [][]types.Datum // per aggregate, evaluated once for all sets
		for si, set := range ac.sets {
			buf = appendKey(buf[:0], all, set, keyTypes)
			st := &sets[si]
			g, ok := st.groups[string(buf)]
			if !ok {
				keys := make([]types.Datum, len(ac.groups))
				for _, i := range set {
					keys[i] = all[i]
				}
				if err := ec.mem.charge(rowBytes(keys) + int64(len(buf)) + 64*int64(len(ac.aggs)+1)); err != nil {
					return nil, err
				}
				g = newGroup(keys)
				st.groups[string(buf)] = g
				st.order = append(st.order, g)
			}
			if args == nil {
				if args, err = a.evalArgs(ec, row); err != nil {
					return nil, err
				}
			}
			for i, c := range ac.aggs {
				if args[i] == nil {
					continue // filtered out
				}
				if c.distinct || len(c.order) > 0 {
					if err := ec.keep(args[i]); err != nil {
						return nil, err
					}
					g.bufs[i] = append(g.bufs[i], args[i])
					continue
				}
				if err := g.states[i].add(args[i]); err != nil {
					return nil, err
				}
			}
		}
	}
	var out [][]types.Datum
	for si, set := range ac.sets {
		order := sets[si].order
		if len(set) == 0 && len(order) == 0 {
			order = append(order, newGroup(make([]types.Datum, len(ac.groups)))) // an aggregate over no rows still yields one row
		}
		for _, g := range order {
			row := make([]types.Datum, len(ac.groups)+1+len(ac.aggs))
			copy(row, g.keys)
			row[len(ac.groups)] = int64(si)
			for i, c := range ac.aggs {
				if c.distinct || len(c.order) > 0 {
					if err := feedBuffered(c, g.states[i], g.bufs[i]); err != nil {
						return nil, err
					}
				}
				v, err := g.states[i].result()
				if err != nil {
					return nil, err
				}
				row[len(ac.groups)+1+i] = v
			}
			out = append(out, row)
		}
	}
	return &sliceIter{rows: out}, nil
}

// evalArgs evaluates each aggregate's arguments (and ORDER BY values) for a
// row; a nil entry means the FILTER rejected the row.
func (a *aggNode) evalArgs(ec *evalCtx, row []types.Datum) ([][]types.Datum, error) {
	out := make([][]types.Datum, len(a.ctx.aggs))
	for i, c := range a.ctx.aggs {
		if c.filter != nil {
			v, err := c.filter.Eval(ec, row)
			if err != nil {
				return nil, err
			}
			if v == nil || !v.(bool) {
				continue
			}
		}
		args := make([]types.Datum, len(c.args), len(c.args)+len(c.order))
		for j, e := range c.args {
			v, err := e.Eval(ec, row)
			if err != nil {
				return nil, err
			}
			args[j] = v
		}
		for _, o := range c.order {
			v, err := o.Eval(ec, row)
			if err != nil {
				return nil, err
			}
			args = append(args, v)
		}
		out[i] = args
	}
	return out, nil
}

// groupingExpr is grouping(a, b, …): bit i (from the right) is 1 when
// argument i is not grouped in the current grouping set.
type groupingExpr struct {
	ac   *aggCtx
	args []int
}

func (e *groupingExpr) Type() types.Type { return types.Int4 }
func (e *groupingExpr) Eval(_ *evalCtx, row []types.Datum) (types.Datum, error) {
	set := e.ac.sets[row[len(e.ac.groups)].(int64)]
	var bits int64
	for _, g := range e.args {
		in := false
		for _, s := range set {
			if s == g {
				in = true
			}
		}
		bits <<= 1
		if !in {
			bits |= 1
		}
	}
	return bits, nil
}

// grouping binds grouping(…) above a GROUP BY.
func (b *binder) grouping(f *ast.FuncCall) (Expr, error) {
	if b.agg == nil {
		return nil, errAt(sqlerr.New(sqlerr.GroupingError, "arguments to GROUPING must be grouping expressions of the associated query level"), f.Pos)
	}
	e := &groupingExpr{ac: b.agg}
	for _, a := range f.Args {
		k := ast.Key(a)
		found := -1
		for i, gk := range b.agg.groupKey {
			if gk == k {
				found = i
			}
		}
		if found < 0 {
			return nil, errAt(sqlerr.New(sqlerr.GroupingError, "arguments to GROUPING must be grouping expressions of the associated query level"), f.Pos)
		}
		e.args = append(e.args, found)
	}
	return e, nil
}

// feedBuffered sorts and de-duplicates buffered argument rows, then feeds them.
func feedBuffered(c *aggCall, st aggState, rows [][]types.Datum) error {
	na := len(c.args)
	if len(c.order) > 0 {
		keys := make([]sortKey, len(c.orderKey))
		for i, k := range c.orderKey {
			keys[i] = k
			keys[i].idx = na + k.idx
		}
		sortRows(rows, keys)
	}
	var seen map[string]bool
	if c.distinct {
		seen = map[string]bool{}
	}
	ts := exprTypes(c.args)
	var buf []byte
	for _, r := range rows {
		if c.distinct {
			if c.def.name != "count" || na > 0 {
				if r[0] == nil {
					continue // DISTINCT aggregates skip NULL inputs
				}
			}
			buf = appendKey(buf[:0], r, seq(na), ts)
			if seen[string(buf)] {
				continue
			}
			seen[string(buf)] = true
		}
		if err := st.add(r[:na]); err != nil {
			return err
		}
	}
	return nil
}

// orderedSetAggregate binds percentile_cont, percentile_disc and mode with
// their WITHIN GROUP (ORDER BY …) input.
func (b *binder) orderedSetAggregate(name string, f *ast.FuncCall) (Expr, error) {
	ac := b.agg
	if !f.WithinGroup {
		return nil, errAt(sqlerr.New(sqlerr.WrongObjectType, "WITHIN GROUP is required for ordered-set aggregate %s", name), f.Pos)
	}
	if len(f.OrderBy) != 1 {
		return nil, errAt(sqlerr.Unsupported("ordered-set aggregates over several ORDER BY items are not supported yet"), f.Pos)
	}
	wantArgs := 1
	if name == "mode" {
		wantArgs = 0
	}
	if len(f.Args) != wantArgs {
		return nil, errAt(sqlerr.New(sqlerr.UndefinedFunction, "function %s has the wrong number of arguments", name), f.Pos)
	}
	b.agg = nil
	defer func() { b.agg = ac }()
	x, err := b.expr(f.OrderBy[0].Expr)
	if err != nil {
		return nil, err
	}
	call := &aggCall{order: []Expr{x}, orderKey: []sortKey{sortKeyOf(0, f.OrderBy[0])}}
	call.args = []Expr{x}
	switch name {
	case "percentile_cont":
		if x.Type().OID == types.OIDInterval {
			return nil, errAt(sqlerr.Unsupported("percentile_cont over interval is not supported yet"), f.Pos)
		}
		if call.args[0], err = b.coerce(x, types.Float8, "argument", f.Pos); err != nil {
			return nil, err
		}
		call.order[0] = call.args[0]
		call.t = types.Float8
	default:
		if isUnknown(x) {
			if x, err = b.coerce(x, types.Text, "", f.Pos); err != nil {
				return nil, err
			}
			call.args[0], call.order[0] = x, x
		}
		call.t = x.Type()
	}
	if name != "mode" {
		frac, err := b.expr(f.Args[0])
		if err != nil {
			return nil, err
		}
		if frac, err = b.coerce(frac, types.Float8, "argument", f.Pos); err != nil {
			return nil, err
		}
		call.args = append(call.args, frac)
	}
	cont := name == "percentile_cont"
	isMode := name == "mode"
	call.def = &aggDef{name: name, make: func() aggState { return &orderedSetState{cont: cont, mode: isMode} }}
	ac.aggs = append(ac.aggs, call)
	return &colExpr{idx: len(ac.groups) + 1 + len(ac.aggs) - 1, t: call.t}, nil
}

// orderedSetState receives its input already sorted (see feedBuffered).
type orderedSetState struct {
	cont, mode bool
	vals       []types.Datum
	frac       types.Datum
	fracSet    bool
}

func (s *orderedSetState) add(args []types.Datum) error {
	if len(args) > 1 && !s.fracSet {
		s.frac, s.fracSet = args[1], true
	}
	if args[0] != nil {
		s.vals = append(s.vals, args[0])
	}
	return nil
}

func (s *orderedSetState) result() (types.Datum, error) {
	if len(s.vals) == 0 {
		return nil, nil
	}
	if s.mode {
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
	if !s.cont {
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

func (s *numVarState) add(args []types.Datum) error {
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

func (s *numVarState) result() (types.Datum, error) {
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
