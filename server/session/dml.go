package session

import (
	"context"

	"github.com/sluicedb/sluice/catalog"
	"github.com/sluicedb/sluice/planner"
	"github.com/sluicedb/sluice/planner/bind"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// DELETE and UPDATE rewrite the table (copy-on-write): the rows that stay,
// changed where UPDATE says, become the table's new snapshot in one
// commit, which fails with 40001 if another commit changed the table
// since it was read. The rewrite is whole-table today; rewriting only the
// files that hold affected rows is the next step.

// rewriteRows runs DELETE (set == nil) or UPDATE and returns the number of
// rows deleted or updated; with returning, also those rows (the deleted
// rows, the new versions of the updated ones), read in the same snapshot
// before the rewrite.
func (s *Session) rewriteRows(ctx context.Context, st dmlStmt, paramTypes []types.Type, params []types.Datum,
	returning bool) (int64, [][]types.Datum, error) {
	if err := s.checkWritable(); err != nil {
		return 0, nil, err
	}
	tn := st.table
	d, err := s.planDML(st, paramTypes)
	if err != nil {
		return 0, nil, err
	}
	ins := d.ins
	var affected [][]types.Datum
	if returning {
		// Through an INSERT plan (not run) for the assignment casts the
		// rewrite applies: RETURNING shows the values as stored.
		target := &ast.TableName{Schema: tn.Schema, Name: tn.Name, Pos: tn.Pos}
		aplan, err := bind.BindInsert(&ast.Insert{Table: target, Query: d.affected}, ins.Params, s.tables())
		if err != nil {
			return 0, nil, err
		}
		if affected, err = aplan.Rows(ctx, s.env(), params); err != nil {
			return 0, nil, err
		}
	}
	n, err := s.rewrite(ctx, d, st.set != nil, params)
	return n, affected, err
}

func (s *Session) rewrite(ctx context.Context, d *dmlPlan, update bool, params []types.Datum) (int64, error) {
	rel, lakeRel, ins := d.rel, d.lakeRel, d.ins
	cplan, err := bind.BindQuery(d.count, ins.Params, s.tables())
	if err != nil {
		return 0, err
	}
	crow, err := planner.CollectRows(ctx, cplan, s.env(), params)
	if err != nil {
		return 0, err
	}
	touched := crow[0][0].(int64)
	if lakeRel == nil {
		mt := rel.(*plan.MemTable)
		rows, err := ins.Rows(ctx, s.env(), params)
		if err != nil {
			return 0, err
		}
		s.undo = append(s.undo, undoEntry{table: mt, prevRows: mt.Snapshot(), replaced: true})
		mt.Replace(rows)
		return touched, nil
	}
	if touched == 0 {
		return 0, nil
	}
	k, err := s.sinkFor(lakeRel)
	if err != nil {
		return 0, err
	}
	if err := ins.Each(ctx, s.env(), params, k.write); err != nil {
		k.abort()
		return 0, err
	}
	op := "delete"
	if update {
		op = "overwrite"
	}
	base := lakeRel.Metadata
	k.base = &base
	if err := s.finishSink(k, lakeRel.ID, true, op); err != nil {
		return 0, err
	}
	return touched, nil
}

// dmlPlan is an UPDATE or DELETE bound: the table's new contents as an
// INSERT … SELECT over it (ins, whose Params are the statement's parameter
// types) and the count of rows it touches (count, bound at execution).
type dmlPlan struct {
	rel      plan.Relation
	lakeRel  *catalog.Relation
	ins      *planner.InsertPlan
	count    *ast.Select
	affected *ast.Select // the rows deleted, or the updated rows' new versions (RETURNING)
}

// planDML binds an UPDATE (set non-nil) or DELETE; paramTypes are the
// client's ($n of unknown type are inferred).
// dmlStmt is an UPDATE (set non-nil) or DELETE.
type dmlStmt struct {
	table     *ast.TableName
	where     ast.Expr
	set       []ast.SetClause
	from      []ast.TableRef // UPDATE … FROM, DELETE … USING
	returning []*ast.Target
}

// errReturningFrom: RETURNING may name the FROM/USING tables' columns in
// PostgreSQL; sluice evaluates RETURNING over the target's rows only.
var errReturningFrom = sqlerr.Unsupported("RETURNING together with UPDATE … FROM or DELETE … USING is not supported yet")

func dmlOf(x ast.Stmt) dmlStmt {
	if u, ok := x.(*ast.Update); ok {
		return dmlStmt{table: u.Table, where: u.Where, set: u.Set, from: u.From, returning: u.Returning}
	}
	d := x.(*ast.Delete)
	return dmlStmt{table: d.Table, where: d.Where, from: d.Using, returning: d.Returning}
}

// withoutFrom rewrites UPDATE … FROM and DELETE … USING over the target
// alone: the condition becomes EXISTS (SELECT 1 FROM <from> WHERE cond)
// and each SET value (SELECT value FROM <from> WHERE cond LIMIT 1) — the
// target row is changed when some row of the FROM list joins it, and takes
// its values from one such row (PostgreSQL leaves which one unspecified
// when several join).
func (st dmlStmt) withoutFrom() dmlStmt {
	if len(st.from) == 0 {
		return st
	}
	one := &ast.Const{Kind: ast.ConstInt, Val: "1"}
	out := st
	out.from = nil
	out.where = &ast.SubLink{Kind: ast.ExistsSubLink, Query: &ast.Select{
		Targets: []*ast.Target{{Expr: one}}, From: st.from, Where: st.where}}
	if st.set != nil {
		out.set = make([]ast.SetClause, len(st.set))
		for i, sc := range st.set {
			out.set[i] = sc
			if _, isDefault := sc.Value.(*ast.Default); !isDefault {
				out.set[i].Value = &ast.SubLink{Kind: ast.ExprSubLink, Query: &ast.Select{
					Targets: []*ast.Target{{Expr: sc.Value}}, From: st.from, Where: st.where, Limit: one}}
			}
		}
	}
	return out
}

func (s *Session) planDML(st dmlStmt, paramTypes []types.Type) (*dmlPlan, error) {
	if len(st.from) > 0 && len(st.returning) > 0 {
		return nil, errReturningFrom
	}
	st = st.withoutFrom()
	tn, where, set := st.table, st.where, st.set
	target := &ast.TableName{Schema: tn.Schema, Name: tn.Name, Alias: tn.Alias, Pos: tn.Pos}
	rel, err := s.tables().Relation(tn.Schema, tn.Name)
	if err != nil {
		return nil, err
	}
	if rel == nil {
		return nil, sqlerr.New(sqlerr.UndefinedTable, "relation \"%s\" does not exist", relName(tn))
	}
	var lakeRel *catalog.Relation
	switch rel.(type) {
	case *plan.SourceTable:
		what := "delete from"
		if set != nil {
			what = "update"
		}
		if lakeRel, err = s.managedTarget(tn, what); err != nil {
			return nil, err
		}
	case *plan.ViewDef:
		return nil, sqlerr.Unsupported("cannot change view \"%s\": views are not updatable", tn.Name)
	}
	cols := rel.Columns()
	// cond IS TRUE, as an expression over the table's row.
	isTrue := ast.Expr(&ast.Const{Kind: ast.ConstBool, Val: "t"})
	if where != nil {
		isTrue = &ast.Coalesce{Args: []ast.Expr{where, &ast.Const{Kind: ast.ConstBool, Val: "f"}}}
	}
	// The new rows: for DELETE the rows where the condition is not true;
	// for UPDATE every row, with SET applied where it is.
	sel := &ast.Select{From: []ast.TableRef{target}}
	if set == nil {
		sel.Where = &ast.BoolExpr{Op: ast.Not, Args: []ast.Expr{isTrue}}
		sel.Targets = []*ast.Target{{Expr: &ast.ColumnRef{Star: true}}}
	} else {
		byCol := map[string]ast.Expr{}
		for _, sc := range set {
			found := false
			for _, c := range cols {
				found = found || c.Name == sc.Column
			}
			if !found {
				_, name := rel.Ident()
				return nil, sqlerr.New(sqlerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", sc.Column, name)
			}
			if _, dup := byCol[sc.Column]; dup {
				return nil, sqlerr.New(sqlerr.SyntaxError, "multiple assignments to same column \"%s\"", sc.Column)
			}
			byCol[sc.Column] = sc.Value
		}
		for _, c := range cols {
			e := ast.Expr(&ast.ColumnRef{Names: []string{c.Name}})
			if _, isDefault := byCol[c.Name].(*ast.Default); isDefault {
				// SET col = DEFAULT: the column's default, or NULL.
				var d ast.Expr = &ast.Const{Kind: ast.ConstNull}
				if c.Default != "" {
					if d, err = planner.ParseDefault(c.Default); err != nil {
						return nil, err
					}
				}
				byCol[c.Name] = d
			}
			if v, ok := byCol[c.Name]; ok {
				e = &ast.CaseExpr{Whens: []ast.When{{Cond: isTrue, Result: v}}, Else: e}
			}
			sel.Targets = append(sel.Targets, &ast.Target{Expr: e, Name: c.Name})
		}
	}
	ins, err := bind.BindInsert(&ast.Insert{Table: target, Query: sel}, paramTypes, s.tables())
	if err != nil {
		return nil, err
	}
	if ins.Err != nil {
		return nil, ins.Err
	}
	count := &ast.Select{From: []ast.TableRef{target}, Where: isTrue,
		Targets: []*ast.Target{{Expr: &ast.FuncCall{Name: []string{"count"}, Star: true}}}}
	affected := &ast.Select{From: []ast.TableRef{target}, Where: isTrue, Targets: sel.Targets}
	return &dmlPlan{rel: rel, lakeRel: lakeRel, ins: ins, count: count, affected: affected}, nil
}
