package planner

import (
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// cteScope is the chain of visible WITH items (innermost first).
type cteScope struct {
	defs   map[string]*cteDef
	parent *cteScope
}

func (s *cteScope) find(name string) *cteDef {
	for ; s != nil; s = s.parent {
		if d, ok := s.defs[name]; ok {
			return d
		}
	}
	return nil
}

// cteDef is one bound WITH item. Its rows are computed once per execution
// (materialized), which is also PostgreSQL's behaviour for a CTE referenced
// more than once. A recursive one iterates its recursive term over a working
// table until no new rows appear.
type cteDef struct {
	name      string
	cols      []Column
	base      node
	rec       node // recursive term, or nil
	unionAll  bool
	recursive bool
	work      *cteWork
}

// cteWork is the working table a recursive term reads.
type cteWork struct{ def *cteDef }

func (d *cteDef) scan(alias string) (node, []scopeCol, error) {
	sc := make([]scopeCol, len(d.cols))
	for i, c := range d.cols {
		sc[i] = scopeCol{table: alias, name: c.Name, t: c.Type}
	}
	return &cteScan{def: d}, sc, nil
}

func (b *binder) bindCTEs(sel *ast.Select) error {
	scope := &cteScope{defs: map[string]*cteDef{}, parent: b.ctes}
	for _, c := range sel.With {
		if _, dup := scope.defs[c.Name]; dup {
			return errAt(sqlerr.New(sqlerr.DuplicateAlias, "WITH query name \"%s\" specified more than once", c.Name), c.Pos)
		}
		def := &cteDef{name: c.Name}
		q := c.Query
		selfRef := sel.Recursive && refersTo(q, c.Name)
		if selfRef {
			if q.SetOp != ast.Union || refersTo(q.Left, c.Name) {
				return errAt(sqlerr.New(sqlerr.InvalidRecursion, "recursive query \"%s\" does not have the form non-recursive-term UNION [ALL] recursive-term", c.Name), c.Pos)
			}
			if len(q.OrderBy) > 0 || q.Limit != nil || q.Offset != nil {
				return errAt(sqlerr.Unsupported("ORDER BY/LIMIT in a recursive query is not implemented"), c.Pos)
			}
		}
		b.ctes = scope
		inner := b.child()
		part := q
		if selfRef {
			part = q.Left
		}
		base, cols, err := inner.query(part)
		if err != nil {
			return err
		}
		if len(c.Columns) > len(cols) {
			return errAt(sqlerr.New(sqlerr.InvalidColumnReference, "WITH query \"%s\" has %d columns available but %d columns specified", c.Name, len(cols), len(c.Columns)), c.Pos)
		}
		for i := range cols {
			if cols[i].Type.OID == types.OIDUnknown {
				cols[i].Type = types.Text
			}
			if i < len(c.Columns) {
				cols[i].Name = c.Columns[i]
			}
		}
		base, _ = applyRules(base, b.disabled)
		def.base, def.cols = base, cols
		if selfRef {
			def.recursive, def.unionAll = true, q.SetAll
			def.work = &cteWork{def: def}
			// The recursive term sees the CTE name as the working table.
			scope.defs[c.Name] = def
			rinner := b.child()
			rec, rcols, err := rinner.query(q.Right)
			if err != nil {
				return err
			}
			if len(rcols) != len(cols) {
				return sqlerr.New(sqlerr.SyntaxError, "each UNION query must have the same number of columns")
			}
			var fix []Expr
			need := false
			for i := range rcols {
				in := &colExpr{idx: i, t: rcols[i].Type}
				if rcols[i].Type.OID != cols[i].Type.OID {
					need = true
				}
				e, err := b.coerce(in, cols[i].Type, "", -1)
				if err != nil || (rcols[i].Type.OID != cols[i].Type.OID && rcols[i].Type.OID != types.OIDUnknown) {
					return errAt(sqlerr.New(sqlerr.DatatypeMismatch, "recursive query \"%s\" column %d has type %s in non-recursive term but type %s overall", c.Name, i+1, cols[i].Type, rcols[i].Type).
						WithHint("Cast the output of the non-recursive term to the correct type."), c.Pos)
				}
				fix = append(fix, e)
			}
			if need {
				rec = &projectNode{child: rec, exprs: fix}
			}
			def.rec, _ = applyRules(rec, b.disabled)
		}
		scope.defs[c.Name] = def
	}
	b.ctes = scope
	return nil
}

// refersTo reports whether a query mentions a table name anywhere in FROM
// (including nested sub-queries in FROM and set operations).
func refersTo(q *ast.Select, name string) bool {
	if q == nil {
		return false
	}
	if q.SetOp != ast.SetNone {
		return refersTo(q.Left, name) || refersTo(q.Right, name)
	}
	var inRef func(ast.TableRef) bool
	inRef = func(t ast.TableRef) bool {
		switch x := t.(type) {
		case *ast.TableName:
			return x.Schema == "" && x.Name == name
		case *ast.SubqueryTable:
			return refersTo(x.Query, name)
		case *ast.JoinTable:
			return inRef(x.Left) || inRef(x.Right)
		}
		return false
	}
	for _, f := range q.From {
		if inRef(f) {
			return true
		}
	}
	return false
}

type cteScan struct{ def *cteDef }

func (c *cteScan) open(ec *evalCtx) (rowIter, error) {
	d := c.def
	if d.recursive {
		// Inside the recursive term, the name reads the working table.
		if w, ok := ec.cache[d.work]; ok {
			return &sliceIter{rows: w.([][]types.Datum)}, nil
		}
	}
	if rows, ok := ec.cache[d]; ok {
		return &sliceIter{rows: rows.([][]types.Datum)}, nil
	}
	rows, err := collect(ec, d.base)
	if err != nil {
		return nil, err
	}
	if d.recursive {
		if rows, err = d.iterate(ec, rows); err != nil {
			return nil, err
		}
	}
	ec.cache[d] = rows
	return &sliceIter{rows: rows}, nil
}

// iterate evaluates a recursive CTE from its base rows.
func (d *cteDef) iterate(ec *evalCtx, base [][]types.Datum) ([][]types.Datum, error) {
	ts := make([]types.Type, len(d.cols))
	for i, c := range d.cols {
		ts[i] = c.Type
	}
	idx := seq(len(ts))
	var seen map[string]bool
	var buf []byte
	fresh := func(rows [][]types.Datum) [][]types.Datum {
		if d.unionAll {
			return rows
		}
		var out [][]types.Datum
		for _, r := range rows {
			buf = appendKey(buf[:0], r, idx, ts)
			if !seen[string(buf)] {
				seen[string(buf)] = true
				out = append(out, r)
			}
		}
		return out
	}
	if !d.unionAll {
		seen = map[string]bool{}
	}
	result := fresh(base)
	work := result
	for len(work) > 0 {
		if err := ec.ctx.Err(); err != nil {
			return nil, err
		}
		ec.cache[d.work] = work
		next, err := collect(ec, d.rec)
		if err != nil {
			return nil, err
		}
		// A new execution of the term must not reuse cached sub-results of the old one.
		for k := range ec.cache {
			if k != any(d.work) && k != any(d) {
				if _, isDef := k.(*cteDef); !isDef {
					delete(ec.cache, k)
				}
			}
		}
		work = fresh(next)
		result = append(result, work...)
	}
	delete(ec.cache, d.work)
	return result, nil
}

// collect runs a node to completion.
func collect(ec *evalCtx, n node) ([][]types.Datum, error) {
	it, err := openNode(ec, n)
	if err != nil {
		return nil, err
	}
	defer it.close()
	// Rows gather in chunks of growing size and are copied into one slice
	// at the end: growing one slice by doubling would copy every row
	// pointer about twice more, under the GC's write barriers.
	var chunks [][][]types.Datum
	var rows [][]types.Datum
	total := 0
	for {
		r, err := it.next()
		if err != nil {
			return nil, err
		}
		if r == nil {
			break
		}
		if err := ec.keep(r); err != nil {
			return nil, err
		}
		if len(rows) == cap(rows) {
			if len(rows) > 0 {
				chunks = append(chunks, rows)
			}
			rows = make([][]types.Datum, 0, min(max(2*len(rows), 64), 1<<16))
		}
		rows = append(rows, r)
		total++
		if total%1024 == 0 {
			if err := ec.ctx.Err(); err != nil {
				return nil, err
			}
		}
	}
	if len(chunks) == 0 {
		return rows, nil
	}
	out := make([][]types.Datum, 0, total)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, rows...), nil
}
