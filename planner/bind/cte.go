package bind

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/planner/rules"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

func (b *binder) bindCTEs(sel *ast.Select) error {
	scope := &plan.CteScope{Defs: map[string]*plan.CteDef{}, Parent: b.ctes}
	for _, c := range sel.With {
		if _, dup := scope.Defs[c.Name]; dup {
			return expr.ErrAt(sqlerr.New(sqlerr.DuplicateAlias, "WITH query name \"%s\" specified more than once", c.Name), c.Pos)
		}
		def := &plan.CteDef{Name: c.Name}
		q := c.Query
		selfRef := sel.Recursive && plan.RefersTo(q, c.Name)
		if selfRef {
			if q.SetOp != ast.Union || plan.RefersTo(q.Left, c.Name) {
				return expr.ErrAt(sqlerr.New(sqlerr.InvalidRecursion, "recursive query \"%s\" does not have the form non-recursive-term UNION [ALL] recursive-term", c.Name), c.Pos)
			}
			if len(q.OrderBy) > 0 || q.Limit != nil || q.Offset != nil {
				return expr.ErrAt(sqlerr.Unsupported("ORDER BY/LIMIT in a recursive query is not implemented"), c.Pos)
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
			return expr.ErrAt(sqlerr.New(sqlerr.InvalidColumnReference, "WITH query \"%s\" has %d columns available but %d columns specified", c.Name, len(cols), len(c.Columns)), c.Pos)
		}
		for i := range cols {
			if cols[i].Type.OID == types.OIDUnknown {
				cols[i].Type = types.Text
			}
			if i < len(c.Columns) {
				cols[i].Name = c.Columns[i]
			}
		}
		base, _ = rules.ApplyRules(base, b.disabled)
		def.Base, def.Cols = base, cols
		if selfRef {
			def.Recursive, def.UnionAll = true, q.SetAll
			def.Work = &plan.CteWork{Def: def}
			// The recursive term sees the CTE name as the working table.
			scope.Defs[c.Name] = def
			rinner := b.child()
			rec, rcols, err := rinner.query(q.Right)
			if err != nil {
				return err
			}
			if len(rcols) != len(cols) {
				return sqlerr.New(sqlerr.SyntaxError, "each UNION query must have the same number of columns")
			}
			var fix []expr.Expr
			need := false
			for i := range rcols {
				in := &expr.ColExpr{Idx: i, T: rcols[i].Type}
				if rcols[i].Type.OID != cols[i].Type.OID {
					need = true
				}
				e, err := b.coerce(in, cols[i].Type, "", -1)
				if err != nil || (rcols[i].Type.OID != cols[i].Type.OID && rcols[i].Type.OID != types.OIDUnknown) {
					return expr.ErrAt(sqlerr.New(sqlerr.DatatypeMismatch, "recursive query \"%s\" column %d has type %s in non-recursive term but type %s overall", c.Name, i+1, cols[i].Type, rcols[i].Type).
						WithHint("Cast the output of the non-recursive term to the correct type."), c.Pos)
				}
				fix = append(fix, e)
			}
			if need {
				rec = &plan.ProjectNode{Child: rec, Exprs: fix}
			}
			def.Rec, _ = rules.ApplyRules(rec, b.disabled)
		}
		scope.Defs[c.Name] = def
	}
	b.ctes = scope
	return nil
}
