package planner

import (
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// setOp binds UNION/INTERSECT/EXCEPT [ALL]; column types are resolved
// pairwise as PostgreSQL does, names come from the left input.
func (b *binder) setOp(sel *ast.Select) (node, []Column, error) {
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
	cols := make([]Column, len(lcols))
	lx := make([]Expr, len(lcols))
	rx := make([]Expr, len(lcols))
	needL, needR := false, false
	for i := range lcols {
		l := &colExpr{idx: i, t: lcols[i].Type}
		r := &colExpr{idx: i, t: rcols[i].Type}
		var t types.Type
		if lcols[i].Type.OID == types.OIDUnknown && rcols[i].Type.OID == types.OIDUnknown {
			t = types.Text
		} else if t, err = commonType([]Expr{l, r}, name, -1); err != nil {
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
		cols[i] = Column{Name: lcols[i].Name, Type: t}
	}
	if needL {
		ln = &projectNode{child: ln, exprs: lx}
	}
	if needR {
		rn = &projectNode{child: rn, exprs: rx}
	}
	return &setOpNode{left: ln, right: rn, kind: sel.SetOp, all: sel.SetAll, types: exprTypes(lx)}, cols, nil
}

// withOuter sets the binder's enclosing level (set operands see the same
// outer levels as the set operation itself).
func (b *binder) withOuter(o *binder) *binder {
	b.outer = o
	return b
}

type setOpNode struct {
	left, right node
	kind        ast.SetOpKind
	all         bool
	types       []types.Type
}

func (s *setOpNode) open(ec *evalCtx) (rowIter, error) {
	idx := seq(len(s.types))
	left, err := collect(ec, s.left)
	if err != nil {
		return nil, err
	}
	right, err := collect(ec, s.right)
	if err != nil {
		return nil, err
	}
	var out [][]types.Datum
	var buf []byte
	key := func(r []types.Datum) string {
		buf = appendKey(buf[:0], r, idx, s.types)
		return string(buf)
	}
	switch s.kind {
	case ast.Union:
		if s.all {
			out = append(left, right...)
			break
		}
		seen := map[string]bool{}
		for _, r := range append(left, right...) {
			k := key(r)
			if !seen[k] {
				seen[k] = true
				out = append(out, r)
			}
		}
	case ast.Intersect, ast.Except:
		counts := map[string]int{}
		for _, r := range right {
			counts[key(r)]++
		}
		emitted := map[string]bool{}
		for _, r := range left {
			k := key(r)
			inRight := counts[k] > 0
			if s.all {
				if inRight {
					counts[k]--
				}
				if inRight == (s.kind == ast.Intersect) {
					out = append(out, r)
				}
				continue
			}
			if emitted[k] || inRight != (s.kind == ast.Intersect) {
				continue
			}
			emitted[k] = true
			out = append(out, r)
		}
	}
	return &sliceIter{rows: out}, nil
}
