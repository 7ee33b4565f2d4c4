package bind

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// BindView binds a view's query (to check it and learn its columns).
func BindView(q *ast.Select, tables plan.Tables) ([]plan.Column, []plan.ViewRef, error) {
	var refs []plan.ViewRef
	b := &binder{tables: plan.RecordingTables{Base: tables, Refs: &refs}, params: &[]types.Type{}, foldErr: new(error)}
	_, cols, err := b.selectNode(q)
	return cols, refs, err
}

// relationScan plans a scan of a resolved relation under an alias.
func (b *binder) relationScan(rel plan.Relation, alias string, pos int) (plan.Node, []plan.ScopeCol, error) {
	cols := rel.Columns()
	sc := make([]plan.ScopeCol, len(cols))
	for i, c := range cols {
		sc[i] = plan.ScopeCol{Table: alias, Name: c.Name, T: c.Type}
	}
	switch t := rel.(type) {
	case *plan.MemTable:
		return &plan.MemScan{T: t}, sc, nil
	case *plan.SourceTable:
		s := &plan.SourceScan{T: t, Used: make([]bool, len(cols))}
		for i := range sc {
			sc[i].Used = &s.Used[i]
		}
		return s, sc, nil
	case *plan.ViewDef:
		// A view sees no enclosing query and no CTEs of its user, and the
		// relations it named when created.
		base := b.tables
		for {
			w, ok := base.(interface{ Unwrap() plan.Tables })
			if !ok {
				break
			}
			base = w.Unwrap()
		}
		inner := &binder{tables: plan.ViewTables{Base: base, Refs: t.Refs}, params: b.params, foldErr: b.foldErr, noFold: b.noFold, disabled: b.disabled}
		n, vcols, err := inner.selectNode(t.Query)
		if err != nil {
			return nil, nil, err
		}
		if len(vcols) != len(cols) {
			return nil, nil, expr.ErrAt(sqlerr.New(sqlerr.ObjectNotInPrerequisiteState,
				"view \"%s\" no longer matches its definition (%d columns, now %d)", t.Name, len(cols), len(vcols)), pos)
		}
		for i := range sc {
			sc[i].T = vcols[i].Type
		}
		return n, sc, nil
	}
	return nil, nil, sqlerr.Internal("planner: unknown relation %T", rel)
}
