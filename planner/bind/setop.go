package bind

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// setOp binds UNION/INTERSECT/EXCEPT [ALL]; column types are resolved
// pairwise as PostgreSQL does, names come from the left input.
func (b *binder) setOp(sel *ast.Select) (plan.Node, []plan.Column, error) {
	lb, rb := b.child().withOuter(b.outer), b.child().withOuter(b.outer)
	lb.keepUnknown, rb.keepUnknown = true, true
	ln, lcols, err := lb.query(sel.Left)
	if err != nil {
		return nil, nil, err
	}
	rn, rcols, err := rb.query(sel.Right)
	if err != nil {
		return nil, nil, err
	}
	name := map[ast.SetOpKind]string{ast.Union: "UNION", ast.Intersect: "INTERSECT", ast.Except: "EXCEPT"}[sel.SetOp]
	if len(lcols) != len(rcols) {
		return nil, nil, sqlerr.New(sqlerr.SyntaxError, "each %s query must have the same number of columns", name)
	}
	cols := make([]plan.Column, len(lcols))
	lx := make([]expr.Expr, len(lcols))
	rx := make([]expr.Expr, len(lcols))
	needL, needR := false, false
	for i := range lcols {
		l := &expr.ColExpr{Idx: i, T: lcols[i].Type}
		r := &expr.ColExpr{Idx: i, T: rcols[i].Type}
		var t types.Type
		if lcols[i].Type.OID == types.OIDUnknown && rcols[i].Type.OID == types.OIDUnknown {
			t = types.Text
		} else if t, err = plan.CommonType([]expr.Expr{l, r}, name, -1); err != nil {
			return nil, nil, err
		}
		if b.keepUnknown && lcols[i].Type.OID == types.OIDUnknown && rcols[i].Type.OID == types.OIDUnknown {
			t = types.Unknown // still open: an enclosing set operation decides
		}
		if lx[i], err = b.coerce(l, t, name, -1); err != nil {
			return nil, nil, err
		}
		if rx[i], err = b.coerce(r, t, name, -1); err != nil {
			return nil, nil, err
		}
		needL = needL || lcols[i].Type != t
		needR = needR || rcols[i].Type != t
		cols[i] = plan.Column{Name: lcols[i].Name, Type: t}
	}
	if needL {
		ln = &plan.ProjectNode{Child: ln, Exprs: lx}
	}
	if needR {
		rn = &plan.ProjectNode{Child: rn, Exprs: rx}
	}
	return &plan.SetOpNode{Left: ln, Right: rn, Kind: sel.SetOp, All: sel.SetAll, Types: plan.ExprTypes(lx)}, cols, nil
}

// withOuter sets the binder's enclosing level (set operands see the same
// outer levels as the set operation itself).
func (b *binder) withOuter(o *binder) *binder {
	b.outer = o
	return b
}
