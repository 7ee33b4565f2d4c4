package bind

import (
	"strconv"

	"github.com/sluicedb/sluice/planner"
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/planner/rules"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// BindQuery binds and plans a SELECT/VALUES. paramTypes are the types the
// client declared (OID 0 = unknown, to be inferred); the Plan's Params hold
// the resolved types (unresolved ones become text, as in PostgreSQL).
func BindQuery(sel *ast.Select, paramTypes []types.Type, tables plan.Tables) (*planner.Plan, error) {
	return BindQueryOpts(sel, paramTypes, tables, nil)
}

// BindQueryOpts is BindQuery with some rewrite rules disabled (see rules.go).
func BindQueryOpts(sel *ast.Select, paramTypes []types.Type, tables plan.Tables, disabled map[string]bool) (*planner.Plan, error) {
	params := append([]types.Type(nil), paramTypes...)
	var foldErr error
	b := &binder{tables: tables, params: &params, foldErr: &foldErr, noFold: disabled["constant_folding"], disabled: disabled}
	root, cols, err := b.query(sel)
	if err != nil {
		return nil, err
	}
	for i, t := range params {
		if t.OID == types.OIDUnknown {
			params[i] = types.Text
		}
	}
	root, times := rules.ApplyRules(root, disabled)
	return &planner.Plan{Columns: cols, Params: params, Root: root, Err: foldErr, RuleTimes: times}, nil
}

// BindQueryCustom binds a prepared query for one execution, its
// parameters' values standing in as constants: a custom plan, as
// PostgreSQL makes for parameterized statements, so that row-group pruning
// and vectorized kernels see the values. paramTypes are the statement's.
func BindQueryCustom(sel *ast.Select, paramTypes []types.Type, vals []types.Datum, tables plan.Tables, disabled map[string]bool) (*planner.Plan, error) {
	params := append([]types.Type(nil), paramTypes...)
	var foldErr error
	b := &binder{tables: tables, params: &params, foldErr: &foldErr, noFold: disabled["constant_folding"], disabled: disabled, paramVals: vals}
	root, cols, err := b.query(sel)
	if err != nil {
		return nil, err
	}
	root, times := rules.ApplyRules(root, disabled)
	return &planner.Plan{Columns: cols, Params: params, Root: root, Err: foldErr, RuleTimes: times}, nil
}

// query binds any query expression: WITH, set operations, VALUES, SELECT.
func (b *binder) query(sel *ast.Select) (plan.Node, []plan.Column, error) {
	if len(sel.With) > 0 {
		saved := b.ctes
		defer func() { b.ctes = saved }()
		if err := b.bindCTEs(sel); err != nil {
			return nil, nil, err
		}
	}
	var n plan.Node
	var cols []plan.Column
	var err error
	switch {
	case sel.SetOp != ast.SetNone:
		n, cols, err = b.setOp(sel)
	case sel.Values != nil:
		n, cols, err = b.values(sel)
	default:
		return b.selectNode(sel)
	}
	if err != nil {
		return nil, nil, err
	}
	return b.orderLimitOutputs(n, cols, sel)
}

// orderLimitOutputs applies ORDER BY (by output name or position only) and
// LIMIT/OFFSET to a set operation or VALUES list.
func (b *binder) orderLimitOutputs(n plan.Node, cols []plan.Column, sel *ast.Select) (plan.Node, []plan.Column, error) {
	var keys []expr.SortKey
	for _, o := range sel.OrderBy {
		idx := plan.OutputRef(o.Expr, cols)
		if idx == -2 {
			return nil, nil, expr.ErrAt(sqlerr.New(sqlerr.InvalidColumnReference, "ORDER BY position is not in select list"), plan.ExprPos(o.Expr))
		}
		if idx < 0 {
			return nil, nil, expr.ErrAt(sqlerr.Unsupported("invalid UNION/INTERSECT/EXCEPT ORDER BY clause").
				WithDetail("Only result column names can be used, not expressions or functions."), plan.ExprPos(o.Expr))
		}
		keys = append(keys, plan.SortKeyOf(idx, o))
	}
	if len(keys) > 0 {
		n = &plan.SortNode{Child: n, Keys: keys}
	}
	n, err := b.limit(n, sel)
	return n, cols, err
}

func (b *binder) limit(n plan.Node, sel *ast.Select) (plan.Node, error) {
	if sel.Limit == nil && sel.Offset == nil {
		return n, nil
	}
	ln := &plan.LimitNode{Child: n}
	for _, p := range []struct {
		in  ast.Expr
		out *expr.Expr
		w   string
	}{{sel.Limit, &ln.Limit, "argument of LIMIT"}, {sel.Offset, &ln.Offset, "argument of OFFSET"}} {
		if p.in == nil {
			continue
		}
		e, err := b.expr(p.in)
		if err != nil {
			return nil, err
		}
		if *p.out, err = b.coerceCtx(e, types.Int8, expr.CastAssignment, p.w, -1); err != nil {
			return nil, err
		}
	}
	return ln, nil
}

func (b *binder) selectNode(sel *ast.Select) (plan.Node, []plan.Column, error) {
	var src plan.Node = plan.OneRow{}
	b.scope = nil
	if len(sel.From) > 0 {
		var err error
		if src, b.scope, err = b.fromList(sel.From); err != nil {
			return nil, nil, err
		}
	}
	for _, clause := range []struct {
		e    ast.Expr
		name string
	}{{sel.Where, "WHERE"}, {sel.Having, "HAVING"}} {
		if clause.e != nil && plan.ContainsWindow(clause.e) {
			return nil, nil, sqlerr.New(sqlerr.WindowingError, "window functions are not allowed in %s", clause.name)
		}
	}
	for _, g := range sel.GroupBy {
		if plan.ContainsWindow(g) {
			return nil, nil, sqlerr.New(sqlerr.WindowingError, "window functions are not allowed in GROUP BY")
		}
	}
	if sel.Where != nil {
		if expr.ContainsAggregate(sel.Where) {
			return nil, nil, sqlerr.New(sqlerr.GroupingError, "aggregate functions are not allowed in WHERE")
		}
		w, err := b.expr(sel.Where)
		if err != nil {
			return nil, nil, err
		}
		if w, err = b.coerce(w, types.Bool, "argument of WHERE", -1); err != nil {
			return nil, nil, err
		}
		src = &plan.FilterNode{Child: src, Pred: w}
	}
	// Grouping: GROUP BY, HAVING, or an aggregate anywhere in the outputs.
	grouped := len(sel.GroupBy) > 0 || sel.Having != nil
	for _, t := range sel.Targets {
		grouped = grouped || expr.ContainsAggregate(t.Expr)
	}
	for _, o := range sel.OrderBy {
		grouped = grouped || expr.ContainsAggregate(o.Expr)
	}
	if grouped {
		var err error
		if src, err = b.beginGrouping(src, sel); err != nil {
			return nil, nil, err
		}
		defer func() { b.agg = nil }()
		if sel.Having != nil {
			h, err := b.expr(sel.Having)
			if err != nil {
				return nil, nil, err
			}
			if h, err = b.coerce(h, types.Bool, "argument of HAVING", -1); err != nil {
				return nil, nil, err
			}
			src = &plan.FilterNode{Child: src, Pred: h}
		}
	}
	srfs := &plan.SrfSet{}
	b.win = &plan.WinSet{Srfs: srfs}
	b.srf = srfs
	wins := b.win
	defer func() { b.win, b.srf = nil, nil }()
	var exprs []expr.Expr
	var cols []plan.Column
	for _, t := range sel.Targets {
		if cr, ok := t.Expr.(*ast.ColumnRef); ok && cr.Star {
			es, cs, err := b.expandStar(cr)
			if err != nil {
				return nil, nil, err
			}
			exprs, cols = append(exprs, es...), append(cols, cs...)
			continue
		}
		e, err := b.targetExpr(t.Expr)
		if err != nil {
			return nil, nil, err
		}
		if expr.IsUnknown(e) && !b.keepUnknown {
			if e, err = b.coerce(e, types.Text, "", t.Pos); err != nil {
				return nil, nil, err
			}
		}
		name := t.Name
		if name == "" {
			name = plan.ColumnName(t.Expr)
		}
		exprs = append(exprs, e)
		cols = append(cols, plan.Column{Name: name, Type: e.Type()})
	}
	width := len(exprs)
	b.srf = nil // ORDER BY may not add set-returning calls
	// ORDER BY and DISTINCT ON: output ordinals and names first, then input
	// expressions computed as hidden columns.
	hidden := func(e ast.Expr) (int, error) {
		if idx := plan.OutputRef(e, cols); idx >= 0 {
			return idx, nil
		} else if idx == -2 {
			return -1, expr.ErrAt(sqlerr.New(sqlerr.InvalidColumnReference, "ORDER BY position %s is not in select list", e.(*ast.Const).Val), plan.ExprPos(e))
		}
		be, err := b.expr(e)
		if err != nil {
			return -1, err
		}
		if expr.IsUnknown(be) {
			if be, err = b.coerce(be, types.Text, "", -1); err != nil {
				return -1, err
			}
		}
		for i, x := range exprs {
			if plan.SameExpr(x, be) {
				return i, nil
			}
		}
		if sel.Distinct && len(sel.DistinctOn) == 0 {
			return -1, expr.ErrAt(sqlerr.New(sqlerr.InvalidColumnReference, "for SELECT DISTINCT, ORDER BY expressions must appear in select list"), plan.ExprPos(e))
		}
		exprs = append(exprs, be)
		return len(exprs) - 1, nil
	}
	var keys []expr.SortKey
	for _, o := range sel.OrderBy {
		idx, err := hidden(o.Expr)
		if err != nil {
			return nil, nil, err
		}
		keys = append(keys, plan.SortKeyOf(idx, o))
	}
	var onIdx []int
	for _, e := range sel.DistinctOn {
		idx, err := hidden(e)
		if err != nil {
			return nil, nil, err
		}
		onIdx = append(onIdx, idx)
	}
	if len(onIdx) > 0 {
		// PostgreSQL: DISTINCT ON expressions must match the leftmost ORDER BY ones.
		for i := range keys {
			if i >= len(onIdx) {
				break
			}
			match := false
			for _, d := range onIdx {
				if d == keys[i].Idx {
					match = true
				}
			}
			if !match {
				return nil, nil, sqlerr.New(sqlerr.InvalidColumnReference, "SELECT DISTINCT ON expressions must match initial ORDER BY expressions")
			}
		}
	}
	b.win = nil
	if len(wins.Calls) > 0 {
		src = &plan.WindowNode{Child: src, Set: wins}
	}
	if len(srfs.Calls) > 0 {
		src = &plan.ProjectSetNode{Child: src, Set: srfs}
	}
	var n plan.Node = &plan.ProjectNode{Child: src, Exprs: exprs}
	if sel.Distinct && len(onIdx) == 0 {
		n = &plan.DistinctNode{Child: n, Idx: plan.Seq(width), Cols: plan.ExprTypes(exprs)}
	}
	if len(keys) > 0 {
		n = &plan.SortNode{Child: n, Keys: keys}
	}
	if len(onIdx) > 0 {
		n = &plan.DistinctNode{Child: n, Idx: onIdx, Cols: plan.ExprTypes(exprs)}
	}
	n, err := b.limit(n, sel)
	if err != nil {
		return nil, nil, err
	}
	_ = wins
	if len(exprs) > width {
		trim := make([]expr.Expr, width)
		for i := range trim {
			trim[i] = &expr.ColExpr{Idx: i, T: cols[i].Type}
		}
		n = &plan.ProjectNode{Child: n, Exprs: trim}
	}
	return n, cols, nil
}

// expandStar expands * or t.* against the FROM scope.
func (b *binder) expandStar(cr *ast.ColumnRef) ([]expr.Expr, []plan.Column, error) {
	scope := b.inputScope()
	if len(scope) == 0 && len(cr.Names) == 0 {
		return nil, nil, expr.ErrAt(sqlerr.New(sqlerr.SyntaxError, "SELECT * with no tables specified is not valid"), cr.Pos)
	}
	var exprs []expr.Expr
	var cols []plan.Column
	matched := false
	for i, sc := range scope {
		if len(cr.Names) == 0 && sc.NoStar {
			continue
		}
		if len(cr.Names) > 0 && cr.Names[len(cr.Names)-1] != sc.Table {
			continue
		}
		matched = true
		e, err := b.local(i, cr)
		if err != nil {
			return nil, nil, err
		}
		exprs = append(exprs, e)
		cols = append(cols, plan.Column{Name: sc.Name, Type: sc.T})
	}
	if !matched && len(cr.Names) > 0 {
		return nil, nil, expr.ErrAt(sqlerr.New(sqlerr.UndefinedTable, "missing FROM-clause entry for table \"%s\"", cr.Names[len(cr.Names)-1]), cr.Pos)
	}
	return exprs, cols, nil
}

func (b *binder) values(sel *ast.Select) (plan.Node, []plan.Column, error) {
	width := len(sel.Values[0])
	rows := make([][]expr.Expr, len(sel.Values))
	for i, r := range sel.Values {
		if len(r) != width {
			return nil, nil, sqlerr.New(sqlerr.SyntaxError, "VALUES lists must all be the same length")
		}
		rows[i] = make([]expr.Expr, width)
		for j, e := range r {
			be, err := b.expr(e)
			if err != nil {
				return nil, nil, err
			}
			rows[i][j] = be
		}
	}
	cols := make([]plan.Column, width)
	for j := 0; j < width; j++ {
		col := make([]expr.Expr, len(rows))
		for i := range rows {
			col[i] = rows[i][j]
		}
		t, err := plan.CommonType(col, "VALUES", -1)
		if err != nil {
			return nil, nil, err
		}
		for i := range rows {
			if rows[i][j], err = b.coerce(rows[i][j], t, "VALUES", -1); err != nil {
				return nil, nil, err
			}
		}
		cols[j] = plan.Column{Name: "column" + strconv.Itoa(j+1), Type: t}
	}
	return &plan.ValuesNode{Rows: rows}, cols, nil
}

// fromList binds the FROM items; several items are cross-joined.
func (b *binder) fromList(items []ast.TableRef) (plan.Node, []plan.ScopeCol, error) {
	var n plan.Node
	var scope []plan.ScopeCol
	for i, it := range items {
		if i > 0 && plan.LateralCapable(it) {
			in, isc, lateral, err := b.lateralItem(it, scope)
			if err != nil {
				return nil, nil, err
			}
			if lateral {
				n = &plan.LateralJoinNode{Left: n, Right: in, Kind: ast.CrossJoin, LeftWidth: len(scope), RightWidth: len(isc)}
			} else {
				n = &plan.JoinNode{Left: n, Right: in, Kind: ast.CrossJoin, LeftWidth: len(scope), RightWidth: len(isc), ColTypes: plan.ScopeTypes(scope, isc)}
			}
			scope = append(append([]plan.ScopeCol{}, scope...), isc...)
			continue
		}
		in, isc, err := b.fromItem(it)
		if err != nil {
			return nil, nil, err
		}
		if i == 0 {
			n, scope = in, isc
			continue
		}
		n = &plan.JoinNode{Left: n, Right: in, Kind: ast.CrossJoin, LeftWidth: len(scope), RightWidth: len(isc), ColTypes: plan.ScopeTypes(scope, isc)}
		scope = append(append([]plan.ScopeCol{}, scope...), isc...)
	}
	return n, scope, nil
}

func (b *binder) fromItem(tr ast.TableRef) (plan.Node, []plan.ScopeCol, error) {
	switch x := tr.(type) {
	case *ast.TableName:
		alias := x.Name
		if x.Alias != "" {
			alias = x.Alias
		}
		if x.Schema == "" {
			if def := b.ctes.Find(x.Name); def != nil {
				return def.Scan(alias)
			}
		}
		rel, err := b.tables.Relation(x.Schema, x.Name)
		if err != nil {
			return nil, nil, expr.ErrAt(sqlerr.From(err), x.Pos)
		}
		if rel == nil {
			name := x.Name
			if x.Schema != "" {
				name = x.Schema + "." + x.Name
			}
			return nil, nil, expr.ErrAt(sqlerr.New(sqlerr.UndefinedTable, "relation \"%s\" does not exist", name), x.Pos)
		}
		return b.relationScan(rel, alias, x.Pos)
	case *ast.SampleTable:
		return b.sampleTable(x)
	case *ast.SubqueryTable:
		// A derived table sees enclosing levels, not its FROM siblings.
		inner := b.child()
		inner.outer = b.outer
		n, cols, err := inner.query(x.Query)
		if err != nil {
			return nil, nil, err
		}
		if inner.correlated && b.outer != nil {
			b.correlated = true
		}
		sc, err := plan.DerivedScope(x, cols)
		return n, sc, err
	case *ast.FuncTable:
		return b.tableFunc(x)
	case *ast.JoinTable:
		return b.join(x)
	}
	return nil, nil, sqlerr.Unsupported("FROM item %T is not supported yet", tr)
}

// targetExpr binds a select item; above GROUP BY a constant item that is a
// grouping item reads the group key (it is NULL in grouping sets without it).
func (b *binder) targetExpr(e ast.Expr) (expr.Expr, error) {
	if c, ok := e.(*ast.Const); ok && b.agg != nil {
		k := ast.Key(c)
		for i, gk := range b.agg.GroupKey {
			if gk == k {
				return &expr.ColExpr{Idx: i, T: b.agg.Groups[i].Type()}, nil
			}
		}
	}
	return b.expr(e)
}
