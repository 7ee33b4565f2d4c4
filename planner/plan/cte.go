package plan

import "github.com/sluicedb/sluice/sql/ast"

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
	return &CteScan{Def: d}, sc, nil
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

type CteScan struct{ Def *CteDef }
