package planner

import (
	"strconv"

	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// BindQuery binds and plans a SELECT/VALUES. paramTypes are the types the
// client declared (OID 0 = unknown, to be inferred); the Plan's Params hold
// the resolved types (unresolved ones become text, as in PostgreSQL).
func BindQuery(sel *ast.Select, paramTypes []types.Type, tables Tables) (*Plan, error) {
	return BindQueryOpts(sel, paramTypes, tables, nil)
}

// BindQueryOpts is BindQuery with some rewrite rules disabled (see rules.go).
func BindQueryOpts(sel *ast.Select, paramTypes []types.Type, tables Tables, disabled map[string]bool) (*Plan, error) {
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
	root, times := applyRules(root, disabled)
	return &Plan{Columns: cols, Params: params, root: root, Err: foldErr, RuleTimes: times}, nil
}

// BindQueryCustom binds a prepared query for one execution, its
// parameters' values standing in as constants: a custom plan, as
// PostgreSQL makes for parameterized statements, so that row-group pruning
// and vectorized kernels see the values. paramTypes are the statement's.
func BindQueryCustom(sel *ast.Select, paramTypes []types.Type, vals []types.Datum, tables Tables, disabled map[string]bool) (*Plan, error) {
	params := append([]types.Type(nil), paramTypes...)
	var foldErr error
	b := &binder{tables: tables, params: &params, foldErr: &foldErr, noFold: disabled["constant_folding"], disabled: disabled, paramVals: vals}
	root, cols, err := b.query(sel)
	if err != nil {
		return nil, err
	}
	root, times := applyRules(root, disabled)
	return &Plan{Columns: cols, Params: params, root: root, Err: foldErr, RuleTimes: times}, nil
}

// query binds any query expression: WITH, set operations, VALUES, SELECT.
func (b *binder) query(sel *ast.Select) (node, []Column, error) {
	if len(sel.With) > 0 {
		saved := b.ctes
		defer func() { b.ctes = saved }()
		if err := b.bindCTEs(sel); err != nil {
			return nil, nil, err
		}
	}
	var n node
	var cols []Column
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
func (b *binder) orderLimitOutputs(n node, cols []Column, sel *ast.Select) (node, []Column, error) {
	var keys []sortKey
	for _, o := range sel.OrderBy {
		idx := outputRef(o.Expr, cols)
		if idx == -2 {
			return nil, nil, errAt(sqlerr.New(sqlerr.InvalidColumnReference, "ORDER BY position is not in select list"), exprPos(o.Expr))
		}
		if idx < 0 {
			return nil, nil, errAt(sqlerr.Unsupported("invalid UNION/INTERSECT/EXCEPT ORDER BY clause").
				WithDetail("Only result column names can be used, not expressions or functions."), exprPos(o.Expr))
		}
		keys = append(keys, sortKeyOf(idx, o))
	}
	if len(keys) > 0 {
		n = &sortNode{child: n, keys: keys}
	}
	n, err := b.limit(n, sel)
	return n, cols, err
}

// outputRef resolves an ORDER BY item naming an output column by position
// or name: the index, -1 if it is something else, -2 for a bad position.
func outputRef(e ast.Expr, cols []Column) int {
	switch x := e.(type) {
	case *ast.Const:
		if x.Kind == ast.ConstInt {
			n, _ := strconv.Atoi(x.Val)
			if n < 1 || n > len(cols) {
				return -2
			}
			return n - 1
		}
	case *ast.ColumnRef:
		if len(x.Names) == 1 && !x.Star {
			for i, c := range cols {
				if c.Name == x.Names[0] {
					return i
				}
			}
		}
	}
	return -1
}

func exprPos(e ast.Expr) int { return ast.PosOf(e) }

func sortKeyOf(idx int, o *ast.OrderItem) sortKey {
	nf := o.Desc
	if o.NullsFirst != nil {
		nf = *o.NullsFirst
	}
	return sortKey{idx: idx, desc: o.Desc, nullsFirst: nf}
}

func (b *binder) limit(n node, sel *ast.Select) (node, error) {
	if sel.Limit == nil && sel.Offset == nil {
		return n, nil
	}
	ln := &limitNode{child: n}
	for _, p := range []struct {
		in  ast.Expr
		out *Expr
		w   string
	}{{sel.Limit, &ln.limit, "argument of LIMIT"}, {sel.Offset, &ln.offset, "argument of OFFSET"}} {
		if p.in == nil {
			continue
		}
		e, err := b.expr(p.in)
		if err != nil {
			return nil, err
		}
		if *p.out, err = b.coerceCtx(e, types.Int8, castAssignment, p.w, -1); err != nil {
			return nil, err
		}
	}
	return ln, nil
}

func (b *binder) selectNode(sel *ast.Select) (node, []Column, error) {
	var src node = oneRow{}
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
		if clause.e != nil && containsWindow(clause.e) {
			return nil, nil, sqlerr.New(sqlerr.WindowingError, "window functions are not allowed in %s", clause.name)
		}
	}
	for _, g := range sel.GroupBy {
		if containsWindow(g) {
			return nil, nil, sqlerr.New(sqlerr.WindowingError, "window functions are not allowed in GROUP BY")
		}
	}
	if sel.Where != nil {
		if containsAggregate(sel.Where) {
			return nil, nil, sqlerr.New(sqlerr.GroupingError, "aggregate functions are not allowed in WHERE")
		}
		w, err := b.expr(sel.Where)
		if err != nil {
			return nil, nil, err
		}
		if w, err = b.coerce(w, types.Bool, "argument of WHERE", -1); err != nil {
			return nil, nil, err
		}
		src = &filterNode{child: src, pred: w}
	}
	// Grouping: GROUP BY, HAVING, or an aggregate anywhere in the outputs.
	grouped := len(sel.GroupBy) > 0 || sel.Having != nil
	for _, t := range sel.Targets {
		grouped = grouped || containsAggregate(t.Expr)
	}
	for _, o := range sel.OrderBy {
		grouped = grouped || containsAggregate(o.Expr)
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
			src = &filterNode{child: src, pred: h}
		}
	}
	srfs := &srfSet{}
	b.win = &winSet{srfs: srfs}
	b.srf = srfs
	wins := b.win
	defer func() { b.win, b.srf = nil, nil }()
	var exprs []Expr
	var cols []Column
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
		if isUnknown(e) && !b.keepUnknown {
			if e, err = b.coerce(e, types.Text, "", t.Pos); err != nil {
				return nil, nil, err
			}
		}
		name := t.Name
		if name == "" {
			name = columnName(t.Expr)
		}
		exprs = append(exprs, e)
		cols = append(cols, Column{Name: name, Type: e.Type()})
	}
	width := len(exprs)
	b.srf = nil // ORDER BY may not add set-returning calls
	// ORDER BY and DISTINCT ON: output ordinals and names first, then input
	// expressions computed as hidden columns.
	hidden := func(e ast.Expr) (int, error) {
		if idx := outputRef(e, cols); idx >= 0 {
			return idx, nil
		} else if idx == -2 {
			return -1, errAt(sqlerr.New(sqlerr.InvalidColumnReference, "ORDER BY position %s is not in select list", e.(*ast.Const).Val), exprPos(e))
		}
		be, err := b.expr(e)
		if err != nil {
			return -1, err
		}
		if isUnknown(be) {
			if be, err = b.coerce(be, types.Text, "", -1); err != nil {
				return -1, err
			}
		}
		for i, x := range exprs {
			if sameExpr(x, be) {
				return i, nil
			}
		}
		if sel.Distinct && len(sel.DistinctOn) == 0 {
			return -1, errAt(sqlerr.New(sqlerr.InvalidColumnReference, "for SELECT DISTINCT, ORDER BY expressions must appear in select list"), exprPos(e))
		}
		exprs = append(exprs, be)
		return len(exprs) - 1, nil
	}
	var keys []sortKey
	for _, o := range sel.OrderBy {
		idx, err := hidden(o.Expr)
		if err != nil {
			return nil, nil, err
		}
		keys = append(keys, sortKeyOf(idx, o))
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
				if d == keys[i].idx {
					match = true
				}
			}
			if !match {
				return nil, nil, sqlerr.New(sqlerr.InvalidColumnReference, "SELECT DISTINCT ON expressions must match initial ORDER BY expressions")
			}
		}
	}
	b.win = nil
	if len(wins.calls) > 0 {
		src = &windowNode{child: src, set: wins}
	}
	if len(srfs.calls) > 0 {
		src = &projectSetNode{child: src, set: srfs}
	}
	var n node = &projectNode{child: src, exprs: exprs}
	if sel.Distinct && len(onIdx) == 0 {
		n = &distinctNode{child: n, idx: seq(width), cols: exprTypes(exprs)}
	}
	if len(keys) > 0 {
		n = &sortNode{child: n, keys: keys}
	}
	if len(onIdx) > 0 {
		n = &distinctNode{child: n, idx: onIdx, cols: exprTypes(exprs)}
	}
	n, err := b.limit(n, sel)
	if err != nil {
		return nil, nil, err
	}
	_ = wins
	if len(exprs) > width {
		trim := make([]Expr, width)
		for i := range trim {
			trim[i] = &colExpr{idx: i, t: cols[i].Type}
		}
		n = &projectNode{child: n, exprs: trim}
	}
	return n, cols, nil
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func exprTypes(es []Expr) []types.Type {
	out := make([]types.Type, len(es))
	for i, e := range es {
		out[i] = e.Type()
	}
	return out
}

// sameExpr reports whether two bound expressions are the same column.
func sameExpr(a, b Expr) bool {
	x, ok1 := a.(*colExpr)
	y, ok2 := b.(*colExpr)
	return ok1 && ok2 && x.idx == y.idx
}

// expandStar expands * or t.* against the FROM scope.
func (b *binder) expandStar(cr *ast.ColumnRef) ([]Expr, []Column, error) {
	scope := b.inputScope()
	if len(scope) == 0 && len(cr.Names) == 0 {
		return nil, nil, errAt(sqlerr.New(sqlerr.SyntaxError, "SELECT * with no tables specified is not valid"), cr.Pos)
	}
	var exprs []Expr
	var cols []Column
	matched := false
	for i, sc := range scope {
		if len(cr.Names) == 0 && sc.noStar {
			continue
		}
		if len(cr.Names) > 0 && cr.Names[len(cr.Names)-1] != sc.table {
			continue
		}
		matched = true
		e, err := b.local(i, cr)
		if err != nil {
			return nil, nil, err
		}
		exprs = append(exprs, e)
		cols = append(cols, Column{Name: sc.name, Type: sc.t})
	}
	if !matched && len(cr.Names) > 0 {
		return nil, nil, errAt(sqlerr.New(sqlerr.UndefinedTable, "missing FROM-clause entry for table \"%s\"", cr.Names[len(cr.Names)-1]), cr.Pos)
	}
	return exprs, cols, nil
}

func (b *binder) values(sel *ast.Select) (node, []Column, error) {
	width := len(sel.Values[0])
	rows := make([][]Expr, len(sel.Values))
	for i, r := range sel.Values {
		if len(r) != width {
			return nil, nil, sqlerr.New(sqlerr.SyntaxError, "VALUES lists must all be the same length")
		}
		rows[i] = make([]Expr, width)
		for j, e := range r {
			be, err := b.expr(e)
			if err != nil {
				return nil, nil, err
			}
			rows[i][j] = be
		}
	}
	cols := make([]Column, width)
	for j := 0; j < width; j++ {
		col := make([]Expr, len(rows))
		for i := range rows {
			col[i] = rows[i][j]
		}
		t, err := commonType(col, "VALUES", -1)
		if err != nil {
			return nil, nil, err
		}
		for i := range rows {
			if rows[i][j], err = b.coerce(rows[i][j], t, "VALUES", -1); err != nil {
				return nil, nil, err
			}
		}
		cols[j] = Column{Name: "column" + strconv.Itoa(j+1), Type: t}
	}
	return &valuesNode{rows: rows}, cols, nil
}

// fromList binds the FROM items; several items are cross-joined.
func (b *binder) fromList(items []ast.TableRef) (node, []scopeCol, error) {
	var n node
	var scope []scopeCol
	for i, it := range items {
		if i > 0 && lateralCapable(it) {
			in, isc, lateral, err := b.lateralItem(it, scope)
			if err != nil {
				return nil, nil, err
			}
			if lateral {
				n = &lateralJoinNode{left: n, right: in, kind: ast.CrossJoin, leftWidth: len(scope), rightWidth: len(isc)}
			} else {
				n = &joinNode{left: n, right: in, kind: ast.CrossJoin, leftWidth: len(scope), rightWidth: len(isc), colTypes: scopeTypes(scope, isc)}
			}
			scope = append(append([]scopeCol{}, scope...), isc...)
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
		n = &joinNode{left: n, right: in, kind: ast.CrossJoin, leftWidth: len(scope), rightWidth: len(isc), colTypes: scopeTypes(scope, isc)}
		scope = append(append([]scopeCol{}, scope...), isc...)
	}
	return n, scope, nil
}

func (b *binder) fromItem(tr ast.TableRef) (node, []scopeCol, error) {
	switch x := tr.(type) {
	case *ast.TableName:
		alias := x.Name
		if x.Alias != "" {
			alias = x.Alias
		}
		if x.Schema == "" {
			if def := b.ctes.find(x.Name); def != nil {
				return def.scan(alias)
			}
		}
		rel, err := b.tables.Relation(x.Schema, x.Name)
		if err != nil {
			return nil, nil, errAt(sqlerr.From(err), x.Pos)
		}
		if rel == nil {
			name := x.Name
			if x.Schema != "" {
				name = x.Schema + "." + x.Name
			}
			return nil, nil, errAt(sqlerr.New(sqlerr.UndefinedTable, "relation \"%s\" does not exist", name), x.Pos)
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
		sc, err := derivedScope(x, cols)
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
func (b *binder) targetExpr(e ast.Expr) (Expr, error) {
	if c, ok := e.(*ast.Const); ok && b.agg != nil {
		k := ast.Key(c)
		for i, gk := range b.agg.groupKey {
			if gk == k {
				return &colExpr{idx: i, t: b.agg.groups[i].Type()}, nil
			}
		}
	}
	return b.expr(e)
}

// derivedScope names a derived table's columns (with its column aliases).
func derivedScope(x *ast.SubqueryTable, cols []Column) ([]scopeCol, error) {
	if len(x.ColAliases) > len(cols) {
		return nil, sqlerr.New(sqlerr.InvalidColumnReference, "table \"%s\" has %d columns available but %d columns specified", x.Alias, len(cols), len(x.ColAliases))
	}
	sc := make([]scopeCol, len(cols))
	for i, c := range cols {
		name := c.Name
		if i < len(x.ColAliases) {
			name = x.ColAliases[i]
		}
		sc[i] = scopeCol{table: x.Alias, name: name, t: c.Type}
	}
	return sc, nil
}

// namedByCast reports whether e's column name would come from a cast's
// type name: a cast over nothing that names a column more strongly.
func namedByCast(e ast.Expr) bool {
	c, ok := e.(*ast.Cast)
	return ok && (namedByCast(c.X) || columnName(c.X) == "?column?")
}

// columnName is PostgreSQL's FigureColname for an unnamed select item.
func columnName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.ColumnRef:
		if len(x.Names) > 0 {
			return x.Names[len(x.Names)-1]
		}
	case *ast.FuncCall:
		if x.Label != "" {
			return x.Label
		}
		return x.Name[len(x.Name)-1]
	case *ast.Cast:
		// A cast's type names the column only weakly (FigureColname's
		// strength 1): a name from below wins unless it too is a type name.
		if !namedByCast(x.X) {
			if n := columnName(x.X); n != "?column?" {
				return n
			}
		}
		return x.Type.Name
	case *ast.CaseExpr:
		return "case"
	case *ast.ArrayExpr:
		return "array"
	case *ast.Subscript:
		return columnName(x.X)
	case *ast.FieldSelect:
		return x.Field
	case *ast.RowExpr:
		return "row"
	case *ast.Coalesce:
		return "coalesce"
	case *ast.NullIf:
		return "nullif"
	case *ast.MinMax:
		if x.Greatest {
			return "greatest"
		}
		return "least"
	case *ast.SubLink:
		switch x.Kind {
		case ast.ExistsSubLink:
			return "exists"
		case ast.ArraySubLink:
			return "array"
		case ast.ExprSubLink:
			if len(x.Query.Targets) == 1 {
				if x.Query.Targets[0].Name != "" {
					return x.Query.Targets[0].Name
				}
				return columnName(x.Query.Targets[0].Expr)
			}
		}
	case *ast.Const:
		if x.Kind == ast.ConstBool {
			return "bool"
		}
	}
	return "?column?"
}
