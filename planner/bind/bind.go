package bind

import (
	"strconv"
	"strings"

	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// binder binds one query level. Sub-queries get a child binder whose outer
// is this one, so correlated column references resolve outward.
type binder struct {
	tables     plan.Tables
	params     *[]types.Type // grows as $n are seen; unknown entries inferred
	scope      []plan.ScopeCol
	foldErr    *error // first error met while folding constants (shared with sub-binders)
	outer      *binder
	correlated bool // this level referenced an enclosing level's columns
	ctes       *plan.CteScope
	agg        *plan.AggCtx // set while binding expressions above a GROUP BY
	win        *plan.WinSet // set while binding the select list and ORDER BY (window calls allowed)
	srf        *plan.SrfSet // set while binding the select list (set-returning calls allowed)
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
func (b *binder) fold(e expr.Expr) expr.Expr {
	f, ok := e.(*expr.FnExpr)
	if !ok || b.noFold {
		return e
	}
	// A strict function of a constant NULL is NULL, whatever its
	// volatility (PostgreSQL's eval_const_expressions does the same).
	if f.Strict {
		for _, a := range f.Args {
			if c, isConst := a.(*expr.ConstExpr); isConst && c.V == nil {
				return &expr.ConstExpr{T: f.T}
			}
		}
	}
	if !f.Pure {
		return e
	}
	for _, a := range f.Args {
		if _, isConst := a.(*expr.ConstExpr); !isConst {
			return e
		}
	}
	v, err := f.Eval(&expr.EvalCtx{}, nil)
	if err != nil {
		if b.foldErr != nil && *b.foldErr == nil {
			*b.foldErr = err
		}
		return e
	}
	return &expr.ConstExpr{T: f.T, V: v}
}

// foldBool simplifies AND/OR over constants: a FALSE argument makes AND
// FALSE (TRUE makes OR TRUE), TRUE arguments of AND (FALSE of OR) drop
// out, and what is left of one argument is that argument. A constant NULL
// stays: NULL AND x depends on x.
func (b *binder) foldBool(e *expr.BoolExpr) expr.Expr {
	if b.noFold {
		return e
	}
	var kept []expr.Expr
	for _, a := range e.Args {
		c, isConst := a.(*expr.ConstExpr)
		switch {
		case !isConst || c.V == nil:
			kept = append(kept, a)
		case c.V.(bool) != e.And:
			return &expr.ConstExpr{T: types.Bool, V: !e.And}
		}
	}
	switch len(kept) {
	case 0:
		return &expr.ConstExpr{T: types.Bool, V: e.And}
	case 1:
		return kept[0]
	}
	return &expr.BoolExpr{And: e.And, Args: kept}
}

func (b *binder) foldCast(c *expr.CastExpr) expr.Expr {
	if b.noFold {
		return c
	}
	if _, isConst := c.X.(*expr.ConstExpr); !isConst || !expr.FoldableCast(c.X.Type(), c.To) {
		return c
	}
	v, err := c.Eval(&expr.EvalCtx{Env: &expr.Env{}}, nil)
	if err != nil {
		if b.foldErr != nil && *b.foldErr == nil {
			*b.foldErr = err
		}
		return c
	}
	return &expr.ConstExpr{T: c.To, V: v}
}

func (b *binder) foldFn(e *expr.FnExpr) (expr.Expr, error) { return b.fold(e), nil }

func (b *binder) expr(e ast.Expr) (expr.Expr, error) {
	if b.agg != nil {
		// Above GROUP BY, an expression equal to a grouping item reads the
		// group key. Constants do not (a literal in HAVING stays a literal);
		// a constant select item that is itself a grouping item is matched
		// by selectNode.
		_, isConst := e.(*ast.Const)
		if _, isCol := e.(*ast.ColumnRef); !isCol && !isConst {
			k := ast.Key(e)
			for i, gk := range b.agg.GroupKey {
				if gk == k {
					return &expr.ColExpr{Idx: i, T: b.agg.Groups[i].Type()}, nil
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
			return nil, expr.ErrAt(sqlerr.New(sqlerr.UndefinedParameter, "there is no parameter $%d", x.N), x.Pos)
		}
		for len(*b.params) < x.N {
			*b.params = append(*b.params, types.Unknown)
		}
		if t := (*b.params)[x.N-1]; x.N <= len(b.paramVals) && t.OID != types.OIDUnknown {
			return &expr.ConstExpr{T: t, V: b.paramVals[x.N-1]}, nil
		}
		return &expr.ParamExpr{N: x.N - 1, Types: b.params}, nil
	case *ast.ColumnRef:
		return b.column(x)
	case *ast.Cast:
		inner, err := b.expr(x.X)
		if err != nil {
			return nil, err
		}
		t, err := plan.TypeOfName(x.Type)
		if err != nil {
			return nil, err
		}
		return b.cast(inner, t, expr.CastExplicit, x.Pos)
	case *ast.BinaryExpr:
		lr, lok := x.L.(*ast.RowExpr)
		rr, rok := x.R.(*ast.RowExpr)
		if lok && rok {
			return b.rowCompare(x.Op, lr, rr, x.Pos)
		}
		if lok || rok {
			return nil, expr.ErrAt(sqlerr.Unsupported("comparing a row constructor with a record value is not supported yet"), x.Pos)
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
		args := make([]expr.Expr, len(x.Args))
		stopped := false
		for i, a := range x.Args {
			e, err, ferr := b.deferFold(func() (expr.Expr, error) {
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
			if v, ok := plan.ConstValue(e); ok && v != nil && x.Op != ast.Not && v.(bool) == (x.Op == ast.Or) {
				stopped = true
			}
			args[i] = e
		}
		if x.Op == ast.Not {
			return &expr.NotExpr{X: args[0]}, nil
		}
		return b.foldBool(&expr.BoolExpr{And: x.Op == ast.And, Args: args}), nil
	case *ast.NullTest:
		if r, ok := x.X.(*ast.RowExpr); ok {
			return b.rowNullTest(r, x.Not, x.Pos)
		}
		inner, err := b.expr(x.X)
		if err != nil {
			return nil, err
		}
		if inner.Type().OID == types.OIDRecord {
			return &expr.RecordNullExpr{X: inner, Not: x.Not}, nil
		}
		return &expr.IsNullExpr{X: inner, Not: x.Not}, nil
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
			if v, ok := plan.ConstValue(a); ok && v != nil {
				break // later arguments are never simplified
			}
		}
		return &expr.CoalesceExpr{T: t, Args: args}, nil
	case *ast.MinMax:
		name := "LEAST"
		if x.Greatest {
			name = "GREATEST"
		}
		args, t, err := b.common(x.Args, name, x.Pos)
		if err != nil {
			return nil, err
		}
		return &expr.MinMaxExpr{T: t, Greatest: x.Greatest, Args: args}, nil
	case *ast.NullIf:
		l, r, err := b.pair(x.L, x.R)
		if err != nil {
			return nil, err
		}
		args, t, err := b.commonExprs([]expr.Expr{l, r}, "NULLIF", x.Pos)
		if err != nil {
			return nil, err
		}
		eq := &expr.FnExpr{T: types.Bool, Args: args, Strict: true, Fn: expr.CompareFn("=")}
		return &expr.CaseExpr{T: t, Conds: []expr.Expr{eq}, Res: []expr.Expr{&expr.ConstExpr{T: t}}, Els: args[0]}, nil
	case *ast.InList:
		if _, ok := x.X.(*ast.RowExpr); ok {
			return b.rowInList(x)
		}
		all := make([]expr.Expr, 0, len(x.List)+1)
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
		return &expr.InListExpr{X: args[0], List: args[1:], Not: x.Not}, nil
	case *ast.Between:
		ge, err := b.expr(&ast.BinaryExpr{Op: ">=", L: x.X, R: x.Lo, Pos: x.Pos})
		if err != nil {
			return nil, err
		}
		le, err := b.expr(&ast.BinaryExpr{Op: "<=", L: x.X, R: x.Hi, Pos: x.Pos})
		if err != nil {
			return nil, err
		}
		var out expr.Expr = &expr.BoolExpr{And: true, Args: []expr.Expr{ge, le}}
		if x.Not {
			out = &expr.NotExpr{X: out}
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
func (b *binder) deferFold(fn func() (expr.Expr, error)) (expr.Expr, error, error) {
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

// pair binds two operands.
func (b *binder) pair(l, r ast.Expr) (expr.Expr, expr.Expr, error) {
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

func (b *binder) constant(c *ast.Const) (expr.Expr, error) {
	switch c.Kind {
	case ast.ConstNull:
		return &expr.UnknownLit{Null: true, Pos: c.Pos}, nil
	case ast.ConstString:
		return &expr.UnknownLit{S: c.Val, Pos: c.Pos}, nil
	case ast.ConstBool:
		return &expr.ConstExpr{T: types.Bool, V: c.Val == "t"}, nil
	case ast.ConstInt:
		v, err := strconv.ParseInt(c.Val, 10, 64)
		if err != nil {
			return nil, expr.ErrAt(sqlerr.New(sqlerr.NumericValueOutOfRange, "value \"%s\" is out of range for type bigint", c.Val), c.Pos)
		}
		if v >= -1<<31 && v < 1<<31 {
			return &expr.ConstExpr{T: types.Int4, V: v}, nil
		}
		return &expr.ConstExpr{T: types.Int8, V: v}, nil
	case ast.ConstNumeric:
		d, err := types.ParseDecimal(c.Val)
		if err != nil {
			return nil, expr.ErrAt(sqlerr.From(err), c.Pos)
		}
		return &expr.ConstExpr{T: types.Numeric, V: d}, nil
	}
	return nil, sqlerr.Internal("constant kind %d", c.Kind)
}

func (b *binder) column(c *ast.ColumnRef) (expr.Expr, error) {
	if c.Star && len(c.Names) == 1 {
		// t.* as a value (json_agg(t.*)): the whole row, as t.
		if e, ok, err := b.wholeRow(c.Names[0], c.Pos); ok || err != nil {
			return e, err
		}
	}
	if c.Star {
		return nil, expr.ErrAt(sqlerr.Unsupported("* is only allowed in a select list"), c.Pos)
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
		return nil, expr.ErrAt(sqlerr.Unsupported("column reference %s is not supported", strings.Join(c.Names, ".")), c.Pos)
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
		ce := e.(*expr.ColExpr)
		return &expr.OuterColExpr{Depth: depth, Idx: ce.Idx, T: ce.T}, nil
	}
	if table != "" {
		for lvl := b; lvl != nil; lvl = lvl.outer {
			for _, sc := range lvl.inputScope() {
				if sc.Table == table {
					return nil, expr.ErrAt(sqlerr.New(sqlerr.UndefinedColumn, "column %s.%s does not exist", table, name), c.Pos)
				}
			}
		}
		return nil, expr.ErrAt(sqlerr.New(sqlerr.UndefinedTable, "missing FROM-clause entry for table \"%s\"", table), c.Pos)
	}
	if e, ok, err := b.wholeRow(name, c.Pos); ok || err != nil {
		return e, err
	}
	return nil, expr.ErrAt(sqlerr.New(sqlerr.UndefinedColumn, "column \"%s\" does not exist", name), c.Pos)
}

// wholeRow binds a reference to a FROM item by its name (SELECT t FROM t,
// row_to_json(t)) as a record of its columns; ok is false when no FROM
// item at any level has that name.
func (b *binder) wholeRow(table string, pos int) (expr.Expr, bool, error) {
	for lvl := b; lvl != nil; lvl = lvl.outer {
		var names []string
		for _, sc := range lvl.inputScope() {
			if sc.Table == table {
				names = append(names, sc.Name)
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
		rv := e.(*expr.RowValueExpr)
		for i, n := range names {
			rv.Fields[i].Name = n
		}
		rv.T = types.RecordType(rv.Fields)
		return rv, true, nil
	}
	return nil, false, nil
}

// inputScope is the scope column references resolve against: the FROM
// clause's columns (also above a GROUP BY, where they are then checked).
func (b *binder) inputScope() []plan.ScopeCol {
	if b.agg != nil {
		return b.agg.Input
	}
	return b.scope
}

// lookup finds a column in this level's input scope (-1 if absent).
func (b *binder) lookup(table, name string, pos int) (int, error) {
	found := -1
	for i, sc := range b.inputScope() {
		if sc.Name != name || (table == "" && sc.QualOnly) || (table != "" && sc.Table != table) {
			continue
		}
		if found >= 0 {
			return -1, expr.ErrAt(sqlerr.New(sqlerr.AmbiguousColumn, "column reference \"%s\" is ambiguous", name), pos)
		}
		found = i
	}
	return found, nil
}

// local turns an input-scope index into an expression of this level: above
// a GROUP BY the column must be a grouping column.
func (b *binder) local(idx int, c *ast.ColumnRef) (expr.Expr, error) {
	if b.agg == nil {
		b.scope[idx].MarkUsed()
		return &expr.ColExpr{Idx: idx, T: b.scope[idx].T}, nil
	}
	b.agg.Input[idx].MarkUsed()
	if g, ok := b.agg.GroupCol[idx]; ok {
		return &expr.ColExpr{Idx: g, T: b.agg.Groups[g].Type()}, nil
	}
	sc := b.agg.Input[idx]
	name := sc.Name
	if sc.Table != "" {
		name = sc.Table + "." + sc.Name
	}
	return nil, expr.ErrAt(sqlerr.New(sqlerr.GroupingError, "column \"%s\" must appear in the GROUP BY clause or be used in an aggregate function", name), c.Pos)
}

// coerce converts e to t implicitly: untyped literals and parameters take the
// type; other expressions need an implicit cast.
func (b *binder) coerce(e expr.Expr, t types.Type, what string, pos int) (expr.Expr, error) {
	return b.coerceCtx(e, t, expr.CastImplicit, what, pos)
}

func (b *binder) coerceCtx(e expr.Expr, t types.Type, cc expr.CastCtx, what string, pos int) (expr.Expr, error) {
	switch x := e.(type) {
	case *expr.ParamExpr:
		if x.Type().OID == types.OIDUnknown {
			(*b.params)[x.N] = t
			return x, nil
		}
	case *expr.UnknownLit:
		if x.Null {
			return &expr.ConstExpr{T: t}, nil
		}
		if cc == expr.CastExplicit && (t.OID == types.OIDVarchar || t.OID == types.OIDBpchar) {
			v, err := types.ApplyCharTypmod(t, x.S, true)
			if err != nil {
				return nil, expr.ErrAt(sqlerr.From(err), x.Pos)
			}
			return &expr.ConstExpr{T: t, V: v}, nil
		}
		if t.OID == types.OIDRegclass || t.OID == types.OIDRegnamespace {
			return &expr.CastExpr{X: x, To: t, Fn: func(ec *expr.EvalCtx, d types.Datum) (types.Datum, error) {
				return types.ParseText(t, d.(string), ec.Env.Format)
			}}, nil
		}
		v, err := types.ParseText(t, x.S, nil)
		if err != nil {
			if t.OID == types.OIDTimestamptz || t.OID == types.OIDDate || t.OID == types.OIDTimestamp {
				// Zone-dependent input is parsed at run time in the session zone.
				return &expr.CastExpr{X: x, To: t, Fn: func(ec *expr.EvalCtx, d types.Datum) (types.Datum, error) {
					return types.ParseText(t, d.(string), ec.Env.Format)
				}}, nil
			}
			return nil, expr.ErrAt(sqlerr.From(err), x.Pos)
		}
		if t.OID == types.OIDTimestamptz && !plan.HasZone(x.S) {
			return &expr.CastExpr{X: x, To: t, Fn: func(ec *expr.EvalCtx, d types.Datum) (types.Datum, error) {
				return types.ParseText(t, d.(string), ec.Env.Format)
			}}, nil
		}
		return &expr.ConstExpr{T: t, V: v}, nil
	}
	from := e.Type()
	if from == t || (from.OID == t.OID && t.Typmod < 0) {
		return e, nil
	}
	fn, ok := expr.LookupCast(from, t, cc)
	if !ok {
		if what == "" {
			what = "expression"
		}
		return nil, expr.ErrAt(sqlerr.New(sqlerr.DatatypeMismatch, "%s must be type %s, not type %s", what, t, from), pos)
	}
	return b.foldCast(&expr.CastExpr{X: e, To: t, Fn: fn}), nil
}

func (b *binder) cast(e expr.Expr, t types.Type, cc expr.CastCtx, pos int) (expr.Expr, error) {
	if x, ok := e.(*expr.UnknownLit); ok && !x.Null {
		return b.coerceCtx(e, t, cc, "", pos)
	}
	if expr.IsUnknown(e) {
		return b.coerceCtx(e, t, cc, "", pos)
	}
	fn, ok := expr.LookupCast(e.Type(), t, cc)
	if !ok {
		return nil, expr.ErrAt(sqlerr.New(sqlerr.CannotCoerce, "cannot cast type %s to %s", e.Type(), t), pos)
	}
	return b.foldCast(&expr.CastExpr{X: e, To: t, Fn: fn}), nil
}

// commonDeferred is common with each expression's folding errors kept aside.
func (b *binder) commonDeferred(in []ast.Expr, what string, pos int, ferrs *[]error) ([]expr.Expr, types.Type, error) {
	out := make([]expr.Expr, len(in))
	*ferrs = make([]error, len(in))
	for i, a := range in {
		e, err, ferr := b.deferFold(func() (expr.Expr, error) { return b.expr(a) })
		if err != nil {
			return nil, types.Type{}, err
		}
		out[i], (*ferrs)[i] = e, ferr
	}
	t, err := plan.CommonType(out, what, pos)
	if err != nil {
		return nil, t, err
	}
	for i := range out {
		var ferr error
		out[i], err, ferr = b.deferFold(func() (expr.Expr, error) { return b.coerceCtx(out[i], t, expr.CastImplicit, what, pos) })
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
func (b *binder) common(in []ast.Expr, what string, pos int) ([]expr.Expr, types.Type, error) {
	out := make([]expr.Expr, len(in))
	for i, a := range in {
		e, err := b.expr(a)
		if err != nil {
			return nil, types.Type{}, err
		}
		out[i] = e
	}
	t, err := plan.CommonType(out, what, pos)
	if err != nil {
		return nil, t, err
	}
	for i := range out {
		if out[i], err = b.coerceCtx(out[i], t, expr.CastImplicit, what, pos); err != nil {
			return nil, t, err
		}
	}
	return out, t, nil
}

func (b *binder) caseExpr(c *ast.CaseExpr) (expr.Expr, error) {
	var arg expr.Expr
	if c.Arg != nil {
		var err error
		if arg, err = b.expr(c.Arg); err != nil {
			return nil, err
		}
	}
	out := &expr.CaseExpr{}
	results := make([]ast.Expr, 0, len(c.Whens)+1)
	var condErrs []error
	for _, w := range c.Whens {
		cond, err, ferr := b.deferFold(func() (expr.Expr, error) {
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
		out.Conds = append(out.Conds, cond)
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
	out.T = t
	out.Res = res[:len(c.Whens)]
	if c.Else != nil {
		out.Els = res[len(c.Whens)]
	}
	// PostgreSQL simplifies arms in order: a constant-true condition ends the
	// CASE, a constant false/NULL one drops its result unsimplified.
	reachedElse := true
	for i, cond := range out.Conds {
		b.keepFoldErr(condErrs[i])
		v, isConst := plan.ConstValue(cond)
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
