package planner

import (
	"strconv"
	"strings"

	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// scopeCol is a column visible to expressions.
type scopeCol struct {
	table    string
	name     string
	t        types.Type
	qualOnly bool  // a JOIN USING input column: reachable only as table.name
	noStar   bool  // left out of an unqualified * (merged by USING)
	used     *bool // set when the query reads the column (source scans read only those)
}

func (c scopeCol) markUsed() {
	if c.used != nil {
		*c.used = true
	}
}

// binder binds one query level. Sub-queries get a child binder whose outer
// is this one, so correlated column references resolve outward.
type binder struct {
	tables     Tables
	params     *[]types.Type // grows as $n are seen; unknown entries inferred
	scope      []scopeCol
	foldErr    *error // first error met while folding constants (shared with sub-binders)
	outer      *binder
	correlated bool // this level referenced an enclosing level's columns
	ctes       *cteScope
	agg        *aggCtx // set while binding expressions above a GROUP BY
	win        *winSet // set while binding the select list and ORDER BY (window calls allowed)
	srf        *srfSet // set while binding the select list (set-returning calls allowed)
	// keepUnknown leaves untyped output columns untyped (set-operation
	// inputs, whose types are resolved across both sides).
	keepUnknown bool
	noFold      bool            // the constant_folding rule is disabled
	disabled    map[string]bool // rewrite rules turned off (sub-plans get the same rules)
	// paramVals, for a custom plan, are the bound parameters' values: $n
	// binds as a constant (so pruning and kernels see it).
	paramVals []types.Datum
}

// child returns a binder for a sub-query of b.
func (b *binder) child() *binder {
	return &binder{tables: b.tables, params: b.params, foldErr: b.foldErr, outer: b, ctes: b.ctes, noFold: b.noFold, disabled: b.disabled, paramVals: b.paramVals}
}

// fold evaluates an immutable function of constants at bind time, as
// PostgreSQL's planner does (so SELECT 1/0 fails before any row is sent). A
// failure is remembered in foldErr, reported when the plan is instantiated
// (Bind, or before RowDescription), and the expression is left to fail again
// if it ever runs.
func (b *binder) fold(e Expr) Expr {
	f, ok := e.(*fnExpr)
	if !ok || b.noFold {
		return e
	}
	// A strict function of a constant NULL is NULL, whatever its
	// volatility (PostgreSQL's eval_const_expressions does the same).
	if f.strict {
		for _, a := range f.args {
			if c, isConst := a.(*constExpr); isConst && c.v == nil {
				return &constExpr{t: f.t}
			}
		}
	}
	if !f.pure {
		return e
	}
	for _, a := range f.args {
		if _, isConst := a.(*constExpr); !isConst {
			return e
		}
	}
	v, err := f.Eval(&evalCtx{}, nil)
	if err != nil {
		if b.foldErr != nil && *b.foldErr == nil {
			*b.foldErr = err
		}
		return e
	}
	return &constExpr{t: f.t, v: v}
}

// foldBool simplifies AND/OR over constants: a FALSE argument makes AND
// FALSE (TRUE makes OR TRUE), TRUE arguments of AND (FALSE of OR) drop
// out, and what is left of one argument is that argument. A constant NULL
// stays: NULL AND x depends on x.
func (b *binder) foldBool(e *boolExpr) Expr {
	if b.noFold {
		return e
	}
	var kept []Expr
	for _, a := range e.args {
		c, isConst := a.(*constExpr)
		switch {
		case !isConst || c.v == nil:
			kept = append(kept, a)
		case c.v.(bool) != e.and:
			return &constExpr{t: types.Bool, v: !e.and}
		}
	}
	switch len(kept) {
	case 0:
		return &constExpr{t: types.Bool, v: e.and}
	case 1:
		return kept[0]
	}
	return &boolExpr{and: e.and, args: kept}
}

func (b *binder) foldCast(c *castExpr) Expr {
	if b.noFold {
		return c
	}
	if _, isConst := c.x.(*constExpr); !isConst || !foldableCast(c.x.Type(), c.to) {
		return c
	}
	v, err := c.Eval(&evalCtx{env: &Env{}}, nil)
	if err != nil {
		if b.foldErr != nil && *b.foldErr == nil {
			*b.foldErr = err
		}
		return c
	}
	return &constExpr{t: c.to, v: v}
}

func (b *binder) foldFn(e *fnExpr) (Expr, error) { return b.fold(e), nil }

func errAt(e *sqlerr.Error, pos int) *sqlerr.Error {
	if pos >= 0 && e.Position == 0 {
		return e.WithPosition(pos + 1)
	}
	return e
}

// typeOf resolves a written type name.
func typeOfName(tn *ast.TypeName) (types.Type, error) {
	if tn.Array {
		et, err := typeOfName(&ast.TypeName{Name: tn.Name, Mods: tn.Mods, Pos: tn.Pos})
		if err != nil {
			return et, err
		}
		at, ok := types.ArrayOf(et)
		if !ok {
			return et, errAt(sqlerr.Unsupported("arrays of %s are not supported", et), tn.Pos)
		}
		return at, nil
	}
	name := tn.Name
	d, ok := types.LookupName(name)
	if !ok {
		return types.Type{}, errAt(sqlerr.New(sqlerr.UndefinedObject, "type \"%s\" does not exist", name), tn.Pos)
	}
	t := types.Type{OID: d.OID, Typmod: -1}
	switch d.OID {
	case types.OIDVarchar, types.OIDBpchar:
		if len(tn.Mods) > 0 {
			t.Typmod = int32(tn.Mods[0]) + 4
		} else if d.OID == types.OIDBpchar && name != "bpchar" {
			t.Typmod = 5 // char means char(1)
		}
	case types.OIDNumeric:
		if len(tn.Mods) > 0 {
			p, s := tn.Mods[0], 0
			if len(tn.Mods) > 1 {
				s = tn.Mods[1]
			}
			if p < 1 || p > 1000 || s < 0 || s > p {
				return t, errAt(sqlerr.New(sqlerr.InvalidParameterValue, "NUMERIC precision %d must be between 1 and 1000", p), tn.Pos)
			}
			t.Typmod = int32(p<<16|s) + 4
		}
	case types.OIDFloat8:
		if name == "float" && len(tn.Mods) > 0 && tn.Mods[0] <= 24 {
			t = types.Float4
		}
	case types.OIDTimestamp, types.OIDTimestamptz:
		// precision modifiers are accepted and ignored (microseconds kept).
	}
	return t, nil
}

func (b *binder) expr(e ast.Expr) (Expr, error) {
	if b.agg != nil {
		// Above GROUP BY, an expression equal to a grouping item reads the
		// group key. Constants do not (a literal in HAVING stays a literal);
		// a constant select item that is itself a grouping item is matched
		// by selectNode.
		_, isConst := e.(*ast.Const)
		if _, isCol := e.(*ast.ColumnRef); !isCol && !isConst {
			k := ast.Key(e)
			for i, gk := range b.agg.groupKey {
				if gk == k {
					return &colExpr{idx: i, t: b.agg.groups[i].Type()}, nil
				}
			}
		}
	}
	switch x := e.(type) {
	case *ast.SubLink:
		return b.subLink(x)
	case *ast.ArrayExpr:
		return b.arrayConstructor(x)
	case *ast.Subscript:
		return b.subscript(x)
	case *ast.FieldSelect:
		return b.fieldSelect(x)
	case *ast.ArrayCmp:
		return b.arrayCmp(x)
	case *ast.Const:
		return b.constant(x)
	case *ast.Param:
		if x.N < 1 || x.N > 65535 {
			return nil, errAt(sqlerr.New(sqlerr.UndefinedParameter, "there is no parameter $%d", x.N), x.Pos)
		}
		for len(*b.params) < x.N {
			*b.params = append(*b.params, types.Unknown)
		}
		if t := (*b.params)[x.N-1]; x.N <= len(b.paramVals) && t.OID != types.OIDUnknown {
			return &constExpr{t: t, v: b.paramVals[x.N-1]}, nil
		}
		return &paramExpr{n: x.N - 1, types: b.params}, nil
	case *ast.ColumnRef:
		return b.column(x)
	case *ast.Cast:
		inner, err := b.expr(x.X)
		if err != nil {
			return nil, err
		}
		t, err := typeOfName(x.Type)
		if err != nil {
			return nil, err
		}
		return b.cast(inner, t, castExplicit, x.Pos)
	case *ast.BinaryExpr:
		lr, lok := x.L.(*ast.RowExpr)
		rr, rok := x.R.(*ast.RowExpr)
		if lok && rok {
			return b.rowCompare(x.Op, lr, rr, x.Pos)
		}
		if lok || rok {
			return nil, errAt(sqlerr.Unsupported("comparing a row constructor with a record value is not supported yet"), x.Pos)
		}
		l, r, err := b.pair(x.L, x.R)
		if err != nil {
			return nil, err
		}
		return b.binary(x.Op, l, r, x.Pos)
	case *ast.UnaryExpr:
		inner, err := b.expr(x.X)
		if err != nil {
			return nil, err
		}
		return b.unary(x.Op, inner, x.Pos)
	case *ast.BoolExpr:
		args := make([]Expr, len(x.Args))
		stopped := false
		for i, a := range x.Args {
			e, err, ferr := b.deferFold(func() (Expr, error) {
				be, err := b.expr(a)
				if err != nil {
					return nil, err
				}
				return b.coerce(be, types.Bool, "argument of "+[]string{"AND", "OR", "NOT"}[x.Op], x.Pos)
			})
			if err != nil {
				return nil, err
			}
			if !stopped {
				b.keepFoldErr(ferr)
			}
			// A constant FALSE in AND (TRUE in OR) ends simplification there.
			if v, ok := constValue(e); ok && v != nil && x.Op != ast.Not && v.(bool) == (x.Op == ast.Or) {
				stopped = true
			}
			args[i] = e
		}
		if x.Op == ast.Not {
			return &notExpr{x: args[0]}, nil
		}
		return b.foldBool(&boolExpr{and: x.Op == ast.And, args: args}), nil
	case *ast.NullTest:
		if r, ok := x.X.(*ast.RowExpr); ok {
			return b.rowNullTest(r, x.Not, x.Pos)
		}
		inner, err := b.expr(x.X)
		if err != nil {
			return nil, err
		}
		if inner.Type().OID == types.OIDRecord {
			return &recordNullExpr{x: inner, not: x.Not}, nil
		}
		return &isNullExpr{x: inner, not: x.Not}, nil
	case *ast.CaseExpr:
		return b.caseExpr(x)
	case *ast.Coalesce:
		var ferrs []error
		args, t, err := b.commonDeferred(x.Args, "COALESCE", x.Pos, &ferrs)
		if err != nil {
			return nil, err
		}
		for i, a := range args {
			b.keepFoldErr(ferrs[i])
			if v, ok := constValue(a); ok && v != nil {
				break // later arguments are never simplified
			}
		}
		return &coalesceExpr{t: t, args: args}, nil
	case *ast.MinMax:
		name := "LEAST"
		if x.Greatest {
			name = "GREATEST"
		}
		args, t, err := b.common(x.Args, name, x.Pos)
		if err != nil {
			return nil, err
		}
		return &minMaxExpr{t: t, greatest: x.Greatest, args: args}, nil
	case *ast.NullIf:
		l, r, err := b.pair(x.L, x.R)
		if err != nil {
			return nil, err
		}
		args, t, err := b.commonExprs([]Expr{l, r}, "NULLIF", x.Pos)
		if err != nil {
			return nil, err
		}
		eq := &fnExpr{t: types.Bool, args: args, strict: true, fn: compareFn("=")}
		return &caseExpr{t: t, conds: []Expr{eq}, res: []Expr{&constExpr{t: t}}, els: args[0]}, nil
	case *ast.InList:
		if _, ok := x.X.(*ast.RowExpr); ok {
			return b.rowInList(x)
		}
		all := make([]Expr, 0, len(x.List)+1)
		for _, a := range append([]ast.Expr{x.X}, x.List...) {
			e, err := b.expr(a)
			if err != nil {
				return nil, err
			}
			all = append(all, e)
		}
		args, _, err := b.commonExprs(all, "IN", x.Pos)
		if err != nil {
			return nil, err
		}
		return &inListExpr{x: args[0], list: args[1:], not: x.Not}, nil
	case *ast.Between:
		ge, err := b.expr(&ast.BinaryExpr{Op: ">=", L: x.X, R: x.Lo, Pos: x.Pos})
		if err != nil {
			return nil, err
		}
		le, err := b.expr(&ast.BinaryExpr{Op: "<=", L: x.X, R: x.Hi, Pos: x.Pos})
		if err != nil {
			return nil, err
		}
		var out Expr = &boolExpr{and: true, args: []Expr{ge, le}}
		if x.Not {
			out = &notExpr{x: out}
		}
		return out, nil
	case *ast.FuncCall:
		return b.funcCall(x)
	case *ast.RowExpr:
		return b.rowValue(x)
	}
	return nil, sqlerr.Unsupported("expression %T is not supported yet", e)
}

// deferFold binds with constant-folding errors kept aside, so the caller can
// decide (as PostgreSQL's eval_const_expressions does for CASE, COALESCE,
// AND and OR) whether the folded part would have been simplified at all.
func (b *binder) deferFold(fn func() (Expr, error)) (Expr, error, error) {
	saved := b.foldErr
	var local error
	b.foldErr = &local
	e, err := fn()
	b.foldErr = saved
	return e, err, local
}

// keepFoldErr records a deferred folding error as if it happened now.
func (b *binder) keepFoldErr(err error) {
	if err != nil && b.foldErr != nil && *b.foldErr == nil {
		*b.foldErr = err
	}
}

func constValue(e Expr) (types.Datum, bool) {
	if c, ok := e.(*constExpr); ok {
		return c.v, true
	}
	return nil, false
}

// pair binds two operands.
func (b *binder) pair(l, r ast.Expr) (Expr, Expr, error) {
	le, err := b.expr(l)
	if err != nil {
		return nil, nil, err
	}
	re, err := b.expr(r)
	if err != nil {
		return nil, nil, err
	}
	return le, re, nil
}

func (b *binder) constant(c *ast.Const) (Expr, error) {
	switch c.Kind {
	case ast.ConstNull:
		return &unknownLit{null: true, pos: c.Pos}, nil
	case ast.ConstString:
		return &unknownLit{s: c.Val, pos: c.Pos}, nil
	case ast.ConstBool:
		return &constExpr{t: types.Bool, v: c.Val == "t"}, nil
	case ast.ConstInt:
		v, err := strconv.ParseInt(c.Val, 10, 64)
		if err != nil {
			return nil, errAt(sqlerr.New(sqlerr.NumericValueOutOfRange, "value \"%s\" is out of range for type bigint", c.Val), c.Pos)
		}
		if v >= -1<<31 && v < 1<<31 {
			return &constExpr{t: types.Int4, v: v}, nil
		}
		return &constExpr{t: types.Int8, v: v}, nil
	case ast.ConstNumeric:
		d, err := types.ParseDecimal(c.Val)
		if err != nil {
			return nil, errAt(sqlerr.From(err), c.Pos)
		}
		return &constExpr{t: types.Numeric, v: d}, nil
	}
	return nil, sqlerr.Internal("constant kind %d", c.Kind)
}

func (b *binder) column(c *ast.ColumnRef) (Expr, error) {
	if c.Star && len(c.Names) == 1 {
		// t.* as a value (json_agg(t.*)): the whole row, as t.
		if e, ok, err := b.wholeRow(c.Names[0], c.Pos); ok || err != nil {
			return e, err
		}
	}
	if c.Star {
		return nil, errAt(sqlerr.Unsupported("* is only allowed in a select list"), c.Pos)
	}
	var table, name string
	switch len(c.Names) {
	case 1:
		name = c.Names[0]
	case 2:
		table, name = c.Names[0], c.Names[1]
	case 3:
		// schema.table.column: only temporary/public tables exist so far.
		table, name = c.Names[1], c.Names[2]
	default:
		return nil, errAt(sqlerr.Unsupported("column reference %s is not supported", strings.Join(c.Names, ".")), c.Pos)
	}
	for depth, lvl := 0, b; lvl != nil; depth, lvl = depth+1, lvl.outer {
		idx, err := lvl.lookup(table, name, c.Pos)
		if err != nil {
			return nil, err
		}
		if idx < 0 {
			continue
		}
		if depth == 0 {
			return b.local(idx, c)
		}
		for x := b; x != lvl; x = x.outer {
			x.correlated = true
		}
		e, err := lvl.local(idx, c)
		if err != nil {
			return nil, err
		}
		ce := e.(*colExpr)
		return &outerColExpr{depth: depth, idx: ce.idx, t: ce.t}, nil
	}
	if table != "" {
		for lvl := b; lvl != nil; lvl = lvl.outer {
			for _, sc := range lvl.inputScope() {
				if sc.table == table {
					return nil, errAt(sqlerr.New(sqlerr.UndefinedColumn, "column %s.%s does not exist", table, name), c.Pos)
				}
			}
		}
		return nil, errAt(sqlerr.New(sqlerr.UndefinedTable, "missing FROM-clause entry for table \"%s\"", table), c.Pos)
	}
	if e, ok, err := b.wholeRow(name, c.Pos); ok || err != nil {
		return e, err
	}
	return nil, errAt(sqlerr.New(sqlerr.UndefinedColumn, "column \"%s\" does not exist", name), c.Pos)
}

// wholeRow binds a reference to a FROM item by its name (SELECT t FROM t,
// row_to_json(t)) as a record of its columns; ok is false when no FROM
// item at any level has that name.
func (b *binder) wholeRow(table string, pos int) (Expr, bool, error) {
	for lvl := b; lvl != nil; lvl = lvl.outer {
		var names []string
		for _, sc := range lvl.inputScope() {
			if sc.table == table {
				names = append(names, sc.name)
			}
		}
		if len(names) == 0 {
			continue
		}
		row := &ast.RowExpr{Pos: pos}
		for _, n := range names {
			row.Args = append(row.Args, &ast.ColumnRef{Names: []string{table, n}, Pos: pos})
		}
		e, err := b.rowValue(row)
		if err != nil {
			return nil, true, err
		}
		rv := e.(*rowValueExpr)
		for i, n := range names {
			rv.fields[i].Name = n
		}
		rv.t = types.RecordType(rv.fields)
		return rv, true, nil
	}
	return nil, false, nil
}

// inputScope is the scope column references resolve against: the FROM
// clause's columns (also above a GROUP BY, where they are then checked).
func (b *binder) inputScope() []scopeCol {
	if b.agg != nil {
		return b.agg.input
	}
	return b.scope
}

// lookup finds a column in this level's input scope (-1 if absent).
func (b *binder) lookup(table, name string, pos int) (int, error) {
	found := -1
	for i, sc := range b.inputScope() {
		if sc.name != name || (table == "" && sc.qualOnly) || (table != "" && sc.table != table) {
			continue
		}
		if found >= 0 {
			return -1, errAt(sqlerr.New(sqlerr.AmbiguousColumn, "column reference \"%s\" is ambiguous", name), pos)
		}
		found = i
	}
	return found, nil
}

// local turns an input-scope index into an expression of this level: above
// a GROUP BY the column must be a grouping column.
func (b *binder) local(idx int, c *ast.ColumnRef) (Expr, error) {
	if b.agg == nil {
		b.scope[idx].markUsed()
		return &colExpr{idx: idx, t: b.scope[idx].t}, nil
	}
	b.agg.input[idx].markUsed()
	if g, ok := b.agg.groupCol[idx]; ok {
		return &colExpr{idx: g, t: b.agg.groups[g].Type()}, nil
	}
	sc := b.agg.input[idx]
	name := sc.name
	if sc.table != "" {
		name = sc.table + "." + sc.name
	}
	return nil, errAt(sqlerr.New(sqlerr.GroupingError, "column \"%s\" must appear in the GROUP BY clause or be used in an aggregate function", name), c.Pos)
}

// isUnknown reports whether e's type is still open (a literal or an untyped param).
func isUnknown(e Expr) bool {
	return e.Type().OID == types.OIDUnknown
}

// coerce converts e to t implicitly: untyped literals and parameters take the
// type; other expressions need an implicit cast.
func (b *binder) coerce(e Expr, t types.Type, what string, pos int) (Expr, error) {
	return b.coerceCtx(e, t, castImplicit, what, pos)
}

func (b *binder) coerceCtx(e Expr, t types.Type, cc castCtx, what string, pos int) (Expr, error) {
	switch x := e.(type) {
	case *paramExpr:
		if x.Type().OID == types.OIDUnknown {
			(*b.params)[x.n] = t
			return x, nil
		}
	case *unknownLit:
		if x.null {
			return &constExpr{t: t}, nil
		}
		if cc == castExplicit && (t.OID == types.OIDVarchar || t.OID == types.OIDBpchar) {
			v, err := types.ApplyCharTypmod(t, x.s, true)
			if err != nil {
				return nil, errAt(sqlerr.From(err), x.pos)
			}
			return &constExpr{t: t, v: v}, nil
		}
		if t.OID == types.OIDRegclass || t.OID == types.OIDRegnamespace {
			return &castExpr{x: x, to: t, fn: func(ec *evalCtx, d types.Datum) (types.Datum, error) {
				return types.ParseText(t, d.(string), ec.env.Format)
			}}, nil
		}
		v, err := types.ParseText(t, x.s, nil)
		if err != nil {
			if t.OID == types.OIDTimestamptz || t.OID == types.OIDDate || t.OID == types.OIDTimestamp {
				// Zone-dependent input is parsed at run time in the session zone.
				return &castExpr{x: x, to: t, fn: func(ec *evalCtx, d types.Datum) (types.Datum, error) {
					return types.ParseText(t, d.(string), ec.env.Format)
				}}, nil
			}
			return nil, errAt(sqlerr.From(err), x.pos)
		}
		if t.OID == types.OIDTimestamptz && !hasZone(x.s) {
			return &castExpr{x: x, to: t, fn: func(ec *evalCtx, d types.Datum) (types.Datum, error) {
				return types.ParseText(t, d.(string), ec.env.Format)
			}}, nil
		}
		return &constExpr{t: t, v: v}, nil
	}
	from := e.Type()
	if from == t || (from.OID == t.OID && t.Typmod < 0) {
		return e, nil
	}
	fn, ok := lookupCast(from, t, cc)
	if !ok {
		if what == "" {
			what = "expression"
		}
		return nil, errAt(sqlerr.New(sqlerr.DatatypeMismatch, "%s must be type %s, not type %s", what, t, from), pos)
	}
	return b.foldCast(&castExpr{x: e, to: t, fn: fn}), nil
}

func hasZone(s string) bool {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, " T"); i > 0 {
		rest := s[i+1:]
		return strings.ContainsAny(rest, "+-Zz") || strings.IndexFunc(rest, func(r rune) bool { return r >= 'A' && r <= 'z' }) >= 0
	}
	return false
}

func (b *binder) cast(e Expr, t types.Type, cc castCtx, pos int) (Expr, error) {
	if x, ok := e.(*unknownLit); ok && !x.null {
		return b.coerceCtx(e, t, cc, "", pos)
	}
	if isUnknown(e) {
		return b.coerceCtx(e, t, cc, "", pos)
	}
	fn, ok := lookupCast(e.Type(), t, cc)
	if !ok {
		return nil, errAt(sqlerr.New(sqlerr.CannotCoerce, "cannot cast type %s to %s", e.Type(), t), pos)
	}
	return b.foldCast(&castExpr{x: e, to: t, fn: fn}), nil
}

// commonDeferred is common with each expression's folding errors kept aside.
func (b *binder) commonDeferred(in []ast.Expr, what string, pos int, ferrs *[]error) ([]Expr, types.Type, error) {
	out := make([]Expr, len(in))
	*ferrs = make([]error, len(in))
	for i, a := range in {
		e, err, ferr := b.deferFold(func() (Expr, error) { return b.expr(a) })
		if err != nil {
			return nil, types.Type{}, err
		}
		out[i], (*ferrs)[i] = e, ferr
	}
	t, err := commonType(out, what, pos)
	if err != nil {
		return nil, t, err
	}
	for i := range out {
		var ferr error
		out[i], err, ferr = b.deferFold(func() (Expr, error) { return b.coerceCtx(out[i], t, castImplicit, what, pos) })
		if err != nil {
			return nil, t, err
		}
		if (*ferrs)[i] == nil {
			(*ferrs)[i] = ferr
		}
	}
	return out, t, nil
}

// common resolves the common type of a set of expressions (CASE, COALESCE,
// IN), PostgreSQL's select_common_type, and coerces them all to it.
func (b *binder) common(in []ast.Expr, what string, pos int) ([]Expr, types.Type, error) {
	out := make([]Expr, len(in))
	for i, a := range in {
		e, err := b.expr(a)
		if err != nil {
			return nil, types.Type{}, err
		}
		out[i] = e
	}
	t, err := commonType(out, what, pos)
	if err != nil {
		return nil, t, err
	}
	for i := range out {
		if out[i], err = b.coerceCtx(out[i], t, castImplicit, what, pos); err != nil {
			return nil, t, err
		}
	}
	return out, t, nil
}

func commonType(es []Expr, what string, pos int) (types.Type, error) {
	t := types.Unknown
	for _, e := range es {
		et := e.Type()
		if et.OID == types.OIDUnknown {
			continue
		}
		if t.OID == types.OIDUnknown {
			t = et
			continue
		}
		if et.OID == t.OID {
			if et.Typmod != t.Typmod {
				t.Typmod = -1
			}
			continue
		}
		switch {
		case isOidLike(et.OID) && (isOidLike(t.OID) || t.IsInteger()) || isOidLike(t.OID) && et.IsInteger():
			// oid, regclass and regtype compare as oid; integers cast to oid implicitly.
			t = types.Oid
		case numRank(et.OID) > 0 && numRank(t.OID) > 0:
			// Mixed types resolve to the base type, without a modifier.
			if numRank(et.OID) > numRank(t.OID) {
				t = et
			}
			t.Typmod = -1
		case et.IsString() && t.IsString():
			t = types.Text
		case et.OID == types.OIDUnknown || t.OID == types.OIDUnknown:
		case isDateTime(et.OID) && isDateTime(t.OID):
			if dtRank(et.OID) > dtRank(t.OID) {
				t = et
			}
			t.Typmod = -1
		default:
			return t, errAt(sqlerr.New(sqlerr.DatatypeMismatch, "%s types %s and %s cannot be matched", what, t, et), pos)
		}
	}
	if t.OID == types.OIDUnknown {
		t = types.Text
	}
	return t, nil
}

func isOidLike(o types.OID) bool {
	return o == types.OIDOid || o == types.OIDRegclass || o == types.OIDRegtype || o == types.OIDRegnamespace || o == types.OIDRegproc
}

func isDateTime(o types.OID) bool {
	return o == types.OIDDate || o == types.OIDTimestamp || o == types.OIDTimestamptz
}

func dtRank(o types.OID) int {
	switch o {
	case types.OIDDate:
		return 1
	case types.OIDTimestamp:
		return 2
	}
	return 3
}

func (b *binder) caseExpr(c *ast.CaseExpr) (Expr, error) {
	var arg Expr
	if c.Arg != nil {
		var err error
		if arg, err = b.expr(c.Arg); err != nil {
			return nil, err
		}
	}
	out := &caseExpr{}
	results := make([]ast.Expr, 0, len(c.Whens)+1)
	var condErrs []error
	for _, w := range c.Whens {
		cond, err, ferr := b.deferFold(func() (Expr, error) {
			cond, err := b.expr(w.Cond)
			if err != nil {
				return nil, err
			}
			if arg != nil {
				return b.binary("=", arg, cond, c.Pos)
			}
			return b.coerce(cond, types.Bool, "argument of CASE/WHEN", c.Pos)
		})
		if err != nil {
			return nil, err
		}
		out.conds = append(out.conds, cond)
		condErrs = append(condErrs, ferr)
		results = append(results, w.Result)
	}
	if c.Else != nil {
		results = append(results, c.Else)
	}
	var resErrs []error
	res, t, err := b.commonDeferred(results, "CASE", c.Pos, &resErrs)
	if err != nil {
		return nil, err
	}
	out.t = t
	out.res = res[:len(c.Whens)]
	if c.Else != nil {
		out.els = res[len(c.Whens)]
	}
	// PostgreSQL simplifies arms in order: a constant-true condition ends the
	// CASE, a constant false/NULL one drops its result unsimplified.
	reachedElse := true
	for i, cond := range out.conds {
		b.keepFoldErr(condErrs[i])
		v, isConst := constValue(cond)
		if isConst && (v == nil || !v.(bool)) {
			continue
		}
		b.keepFoldErr(resErrs[i])
		if isConst {
			reachedElse = false
			break
		}
	}
	if reachedElse && c.Else != nil {
		b.keepFoldErr(resErrs[len(c.Whens)])
	}
	return out, nil
}
