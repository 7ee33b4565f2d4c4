package bind

import (
	"context"

	"github.com/sluicedb/sluice/planner"
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/types"
)

// ReturningPlan is the RETURNING list of an INSERT, UPDATE or DELETE: a
// SELECT of its targets from the rows the statement wrote (the inserted
// rows, the new versions of updated rows, the deleted rows), with the
// target table's name standing for those rows. Columns are known when the
// statement is prepared (Describe answers them); Rows binds the list again
// over each execution's rows.
type ReturningPlan struct {
	Columns []plan.Column
	tn      *ast.TableName
	rel     plan.Relation
	targets []*ast.Target
	params  []types.Type
	tables  plan.Tables
}

// BindReturning binds targets over rel's columns, rel being the table tn
// names.
func BindReturning(tn *ast.TableName, rel plan.Relation, targets []*ast.Target, paramTypes []types.Type, tables plan.Tables) (*ReturningPlan, error) {
	p := &ReturningPlan{tn: tn, rel: rel, targets: targets, params: paramTypes, tables: tables}
	plan, err := p.bind(nil)
	if err != nil {
		return nil, err
	}
	p.Columns = plan.Columns
	return p, nil
}

// Rows evaluates the list over rows (whole rows of the table).
func (p *ReturningPlan) Rows(ctx context.Context, env *expr.Env, params []types.Datum, rows [][]types.Datum) ([][]types.Datum, error) {
	plan, err := p.bind(rows)
	if err != nil {
		return nil, err
	}
	if plan.Err != nil {
		return nil, plan.Err
	}
	return planner.CollectRows(ctx, plan, env, params)
}

func (p *ReturningPlan) bind(rows [][]types.Datum) (*planner.Plan, error) {
	schema, name := p.rel.Ident()
	written := plan.NewMemTable(schema, name, p.rel.Columns())
	written.Append(rows)
	q := &ast.Select{Targets: p.targets, From: []ast.TableRef{p.tn}}
	return BindQuery(q, append([]types.Type(nil), p.params...), writtenRows{base: p.tables, schema: schema, name: name, t: written})
}

// writtenRows resolves the statement's target table to the rows it wrote.
type writtenRows struct {
	base         plan.Tables
	schema, name string
	t            *plan.MemTable
}

func (w writtenRows) Relation(schema, name string) (plan.Relation, error) {
	if name == w.name && (schema == "" || schema == w.schema) {
		return w.t, nil
	}
	return w.base.Relation(schema, name)
}
