package planner

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/types"
)

// CteScope is the chain of visible WITH items (innermost first).
type CteScope struct {
	Defs   map[string]*CteDef
	Parent *CteScope
}

func (s *CteScope) Find(name string) *CteDef {
	for ; s != nil; s = s.Parent {
		if d, ok := s.Defs[name]; ok {
			return d
		}
	}
	return nil
}

// CteDef is one bound WITH item. Its rows are computed once per execution
// (materialized), which is also PostgreSQL's behaviour for a CTE referenced
// more than once. A recursive one iterates its recursive term over a working
// table until no new rows appear.
type CteDef struct {
	Name      string
	Cols      []Column
	Base      Node
	Rec       Node // recursive term, or nil
	UnionAll  bool
	Recursive bool
	Work      *CteWork
}

// CteWork is the working table a recursive term reads.
type CteWork struct{ Def *CteDef }

func (d *CteDef) Scan(alias string) (Node, []ScopeCol, error) {
	sc := make([]ScopeCol, len(d.Cols))
	for i, c := range d.Cols {
		sc[i] = ScopeCol{Table: alias, Name: c.Name, T: c.Type}
	}
	return &cteScan{def: d}, sc, nil
}

// RefersTo reports whether a query mentions a table name anywhere in FROM
// (including nested sub-queries in FROM and set operations).
func RefersTo(q *ast.Select, name string) bool {
	if q == nil {
		return false
	}
	if q.SetOp != ast.SetNone {
		return RefersTo(q.Left, name) || RefersTo(q.Right, name)
	}
	var inRef func(ast.TableRef) bool
	inRef = func(t ast.TableRef) bool {
		switch x := t.(type) {
		case *ast.TableName:
			return x.Schema == "" && x.Name == name
		case *ast.SubqueryTable:
			return RefersTo(x.Query, name)
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

type cteScan struct{ def *CteDef }

func (c *cteScan) open(ec *expr.EvalCtx) (rowIter, error) {
	d := c.def
	if d.Recursive {
		// Inside the recursive term, the name reads the working table.
		if w, ok := ec.Cache[d.Work]; ok {
			return &sliceIter{rows: w.([][]types.Datum)}, nil
		}
	}
	if rows, ok := ec.Cache[d]; ok {
		return &sliceIter{rows: rows.([][]types.Datum)}, nil
	}
	rows, err := collect(ec, d.Base)
	if err != nil {
		return nil, err
	}
	if d.Recursive {
		if rows, err = d.iterate(ec, rows); err != nil {
			return nil, err
		}
	}
	ec.Cache[d] = rows
	return &sliceIter{rows: rows}, nil
}

// iterate evaluates a recursive CTE from its base rows.
func (d *CteDef) iterate(ec *expr.EvalCtx, base [][]types.Datum) ([][]types.Datum, error) {
	ts := make([]types.Type, len(d.Cols))
	for i, c := range d.Cols {
		ts[i] = c.Type
	}
	idx := Seq(len(ts))
	var seen map[string]bool
	var buf []byte
	fresh := func(rows [][]types.Datum) [][]types.Datum {
		if d.UnionAll {
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
	if !d.UnionAll {
		seen = map[string]bool{}
	}
	result := fresh(base)
	work := result
	for len(work) > 0 {
		if err := ec.Ctx.Err(); err != nil {
			return nil, err
		}
		ec.Cache[d.Work] = work
		next, err := collect(ec, d.Rec)
		if err != nil {
			return nil, err
		}
		// A new execution of the term must not reuse cached sub-results of the old one.
		for k := range ec.Cache {
			if k != any(d.Work) && k != any(d) {
				if _, isDef := k.(*CteDef); !isDef {
					delete(ec.Cache, k)
				}
			}
		}
		work = fresh(next)
		result = append(result, work...)
	}
	delete(ec.Cache, d.Work)
	return result, nil
}

// collect runs a node to completion.
func collect(ec *expr.EvalCtx, n Node) ([][]types.Datum, error) {
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
		if err := ec.Keep(r); err != nil {
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
			if err := ec.Ctx.Err(); err != nil {
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
