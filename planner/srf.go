package planner

import (
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// Set-returning functions in the select list (SELECT unnest(a), …): like
// PostgreSQL's ProjectSet, all of them run in lockstep for each input row;
// the row repeats as many times as the longest one yields, shorter ones
// padding with NULL. Each is bound as a FROM function whose arguments see
// the current row as an enclosing level.

type srfSet struct {
	calls []node
	// recs[k] is set when call k returns rows of several columns
	// (information_schema._pg_expandarray): each row is one record value.
	recs [][]types.Field
}

type srfRefExpr struct {
	set *srfSet
	k   int
	t   types.Type
}

func (e *srfRefExpr) Type() types.Type { return e.t }
func (e *srfRefExpr) Eval(_ *evalCtx, row []types.Datum) (types.Datum, error) {
	return row[len(row)-len(e.set.calls)+e.k], nil
}

var selectListSRFs = map[string]bool{"unnest": true, "generate_series": true, "generate_subscripts": true, "_pg_expandarray": true}

func (b *binder) srfCall(f *ast.FuncCall) (Expr, error) {
	if b.srf == nil {
		return nil, errAt(sqlerr.New(sqlerr.FeatureNotSupported, "set-returning functions are not allowed here"), f.Pos)
	}
	set := b.srf
	b.srf = nil
	defer func() { b.srf = set }()
	child := b.child()
	n, cols, err := child.tableFunc(&ast.FuncTable{Func: f})
	if err != nil {
		return nil, err
	}
	set.calls = append(set.calls, n)
	t := cols[0].t
	var rec []types.Field
	if len(cols) > 1 {
		for _, c := range cols {
			rec = append(rec, types.Field{Name: c.name, Type: c.t})
		}
		t = types.RecordType(rec)
	}
	set.recs = append(set.recs, rec)
	return &srfRefExpr{set: set, k: len(set.calls) - 1, t: t}, nil
}

type projectSetNode struct {
	child node
	set   *srfSet
}

func (p *projectSetNode) open(ec *evalCtx) (rowIter, error) {
	in, err := openNode(ec, p.child)
	if err != nil {
		return nil, err
	}
	return &projectSetIter{p: p, in: in, ec: ec}, nil
}

type projectSetIter struct {
	p    *projectSetNode
	in   rowIter
	ec   *evalCtx
	row  []types.Datum
	vals [][]types.Datum // per SRF, its values for the current row
	i, n int
}

func (it *projectSetIter) next() ([]types.Datum, error) {
	for it.row == nil || it.i >= it.n {
		row, err := it.in.next()
		if err != nil || row == nil {
			return nil, err
		}
		sub := it.ec.sub(row)
		it.row, it.i, it.n = row, 0, 0
		it.vals = make([][]types.Datum, len(it.p.set.calls))
		for k, c := range it.p.set.calls {
			rows, err := collect(sub, c)
			if err != nil {
				return nil, err
			}
			for _, r := range rows {
				if rec := it.p.set.recs[k]; rec != nil {
					it.vals[k] = append(it.vals[k], &types.Record{Fields: rec, Vals: r[:len(rec):len(rec)]})
					continue
				}
				it.vals[k] = append(it.vals[k], r[0])
			}
			it.n = max(it.n, len(rows))
		}
	}
	out := make([]types.Datum, len(it.row), len(it.row)+len(it.vals))
	copy(out, it.row)
	for _, v := range it.vals {
		if it.i < len(v) {
			out = append(out, v[it.i])
		} else {
			out = append(out, nil)
		}
	}
	it.i++
	return out, nil
}

func (it *projectSetIter) close() { it.in.close() }

// fieldSelect binds (x).field over a record value.
func (b *binder) fieldSelect(x *ast.FieldSelect) (Expr, error) {
	in, err := b.expr(x.X)
	if err != nil {
		return nil, err
	}
	fields, ok := types.RecordFields(in.Type())
	if !ok && in.Type().OID != types.OIDRecord {
		return nil, errAt(sqlerr.New(sqlerr.WrongObjectType, "column notation .%s applied to type %s, which is not a composite type", x.Field, in.Type()), x.Pos)
	}
	for i, f := range fields {
		if f.Name == x.Field {
			return &fnExpr{t: f.Type, args: []Expr{in}, strict: true, fn: func(_ *evalCtx, a []types.Datum) (types.Datum, error) {
				return a[0].(*types.Record).Vals[i], nil
			}}, nil
		}
	}
	return nil, errAt(sqlerr.New(sqlerr.UndefinedColumn, "could not identify column \"%s\" in record data type", x.Field), x.Pos)
}
