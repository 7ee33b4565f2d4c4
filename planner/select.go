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
	params := append([]types.Type(nil), paramTypes...)
	var foldErr error
	b := &binder{tables: tables, params: &params, foldErr: &foldErr}
	root, cols, err := b.selectNode(sel)
	if err != nil {
		return nil, err
	}
	for i, t := range params {
		if t.OID == types.OIDUnknown {
			params[i] = types.Text
		}
	}
	return &Plan{Columns: cols, Params: params, root: root, Err: foldErr}, nil
}

func (b *binder) selectNode(sel *ast.Select) (node, []Column, error) {
	if sel.Values != nil {
		return b.values(sel)
	}
	var src node = oneRow{}
	b.scope = nil
	if len(sel.From) > 1 {
		return nil, nil, sqlerr.Unsupported("joins (several FROM items) are not supported yet")
	}
	if len(sel.From) == 1 {
		var err error
		if src, b.scope, err = b.fromItem(sel.From[0]); err != nil {
			return nil, nil, err
		}
	}
	if sel.Where != nil {
		w, err := b.expr(sel.Where)
		if err != nil {
			return nil, nil, err
		}
		if w, err = b.coerce(w, types.Bool, "argument of WHERE", -1); err != nil {
			return nil, nil, err
		}
		src = &filterNode{child: src, pred: w}
	}
	var exprs []Expr
	var cols []Column
	for _, t := range sel.Targets {
		if cr, ok := t.Expr.(*ast.ColumnRef); ok && cr.Star {
			if len(b.scope) == 0 {
				return nil, nil, errAt(sqlerr.New(sqlerr.SyntaxError, "SELECT * with no tables specified is not valid"), cr.Pos)
			}
			matched := false
			for i, sc := range b.scope {
				if len(cr.Names) == 0 || cr.Names[0] == sc.table {
					exprs = append(exprs, &colExpr{idx: i, t: sc.t})
					cols = append(cols, Column{Name: sc.name, Type: sc.t})
					matched = true
				}
			}
			if !matched {
				return nil, nil, errAt(sqlerr.New(sqlerr.UndefinedTable, "missing FROM-clause entry for table \"%s\"", cr.Names[0]), cr.Pos)
			}
			continue
		}
		e, err := b.expr(t.Expr)
		if err != nil {
			return nil, nil, err
		}
		if isUnknown(e) {
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
	// ORDER BY: output ordinals and names first, then input expressions as hidden columns.
	var keys []sortKey
	for _, o := range sel.OrderBy {
		idx := -1
		switch x := o.Expr.(type) {
		case *ast.Const:
			if x.Kind == ast.ConstInt {
				n, _ := strconv.Atoi(x.Val)
				if n < 1 || n > width {
					return nil, nil, errAt(sqlerr.New(sqlerr.InvalidColumnReference, "ORDER BY position %d is not in select list", n), x.Pos)
				}
				idx = n - 1
			}
		case *ast.ColumnRef:
			if len(x.Names) == 1 && !x.Star {
				for i, c := range cols {
					if c.Name == x.Names[0] {
						idx = i
						break
					}
				}
			}
		}
		if idx < 0 {
			if sel.Distinct {
				return nil, nil, sqlerr.New(sqlerr.InvalidColumnReference, "for SELECT DISTINCT, ORDER BY expressions must appear in select list")
			}
			e, err := b.expr(o.Expr)
			if err != nil {
				return nil, nil, err
			}
			if isUnknown(e) {
				if e, err = b.coerce(e, types.Text, "", -1); err != nil {
					return nil, nil, err
				}
			}
			idx = len(exprs)
			exprs = append(exprs, e)
		}
		nf := o.Desc
		if o.NullsFirst != nil {
			nf = *o.NullsFirst
		}
		keys = append(keys, sortKey{idx: idx, desc: o.Desc, nullsFirst: nf})
	}
	var n node = &projectNode{child: src, exprs: exprs}
	if sel.Distinct {
		n = &distinctNode{child: n, width: width, cols: cols}
	}
	if len(keys) > 0 {
		n = &sortNode{child: n, keys: keys}
	}
	if sel.Limit != nil || sel.Offset != nil {
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
				return nil, nil, err
			}
			if *p.out, err = b.coerceCtx(e, types.Int8, castAssignment, p.w, -1); err != nil {
				return nil, nil, err
			}
		}
		n = ln
	}
	if len(exprs) > width {
		trim := make([]Expr, width)
		for i := range trim {
			trim[i] = &colExpr{idx: i, t: cols[i].Type}
		}
		n = &projectNode{child: n, exprs: trim}
	}
	return n, cols, nil
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
	var n node = &valuesNode{rows: rows}
	if len(sel.OrderBy) > 0 || sel.Limit != nil || sel.Offset != nil {
		return nil, nil, sqlerr.Unsupported("ORDER BY/LIMIT on a bare VALUES list is not supported yet; wrap it in a subquery")
	}
	return n, cols, nil
}

func (b *binder) fromItem(tr ast.TableRef) (node, []scopeCol, error) {
	switch x := tr.(type) {
	case *ast.TableName:
		t := b.tables.Table(x.Schema, x.Name)
		if t == nil {
			name := x.Name
			if x.Schema != "" {
				name = x.Schema + "." + x.Name
			}
			return nil, nil, errAt(sqlerr.New(sqlerr.UndefinedTable, "relation \"%s\" does not exist", name), x.Pos)
		}
		alias := x.Name
		if x.Alias != "" {
			alias = x.Alias
		}
		sc := make([]scopeCol, len(t.Cols))
		for i, c := range t.Cols {
			sc[i] = scopeCol{table: alias, name: c.Name, t: c.Type}
		}
		return &memScan{t: t}, sc, nil
	case *ast.SubqueryTable:
		inner := &binder{tables: b.tables, params: b.params, foldErr: b.foldErr}
		n, cols, err := inner.selectNode(x.Query)
		if err != nil {
			return nil, nil, err
		}
		sc := make([]scopeCol, len(cols))
		for i, c := range cols {
			name := c.Name
			if i < len(x.ColAliases) {
				name = x.ColAliases[i]
			}
			sc[i] = scopeCol{table: x.Alias, name: name, t: c.Type}
		}
		return n, sc, nil
	case *ast.FuncTable:
		return b.tableFunc(x)
	}
	return nil, nil, sqlerr.Unsupported("FROM item %T is not supported yet", tr)
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
		if n := columnName(x.X); n != "?column?" {
			return n
		}
		return x.Type.Name
	case *ast.CaseExpr:
		return "case"
	case *ast.Coalesce:
		return "coalesce"
	case *ast.NullIf:
		return "nullif"
	case *ast.MinMax:
		if x.Greatest {
			return "greatest"
		}
		return "least"
	case *ast.Const:
		if x.Kind == ast.ConstBool {
			return "bool"
		}
	}
	return "?column?"
}
