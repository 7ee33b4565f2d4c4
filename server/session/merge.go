package session

import (
	"context"
	"fmt"
	"strings"

	"github.com/sluicedb/sluice/catalog"
	"github.com/sluicedb/sluice/planner"
	"github.com/sluicedb/sluice/planner/bind"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/parse"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// MERGE runs as the copy-on-write rewrite UPDATE and DELETE use (dml.go):
// the table's new contents are one query over it and the source —
//
//   - each target row left-joined with the source rows ON the condition;
//     the first WHEN MATCHED clause whose condition holds decides (UPDATE
//     computes the new row, DELETE drops it, DO NOTHING or no clause keeps
//     it); DISTINCT ON a row number keeps one row per target row,
//   - UNION ALL each source row no target row joins, inserted by the first
//     WHEN NOT MATCHED clause whose condition holds —
//
// after a check that no target row is updated or deleted by more than one
// source row (21000, as PostgreSQL). The queries are SQL text built from
// the statement's deparsed parts.

const (
	mergeRN     = "__merge_rn"
	mergeMarker = "__merge_m"
	mergeAct    = "__merge_act"
)

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func (s *Session) merge(ctx context.Context, m *ast.Merge, paramTypes []types.Type, params []types.Datum) (int64, error) {
	if err := s.checkWritable(); err != nil {
		return 0, err
	}
	tn := m.Target
	rel, err := s.tables().Relation(tn.Schema, tn.Name)
	if err != nil {
		return 0, err
	}
	if rel == nil {
		return 0, sqlerr.New(sqlerr.UndefinedTable, "relation \"%s\" does not exist", relName(tn))
	}
	var lakeRel *catalog.Relation
	switch rel.(type) {
	case *plan.SourceTable:
		if lakeRel, err = s.managedTarget(tn, "merge into"); err != nil {
			return 0, err
		}
	case *plan.ViewDef:
		return 0, sqlerr.Unsupported("cannot merge into view \"%s\"", tn.Name)
	}
	cols := rel.Columns()
	target := quoteIdent(tn.Name)
	if tn.Schema != "" {
		target = quoteIdent(tn.Schema) + "." + target
	}
	alias := tn.Name
	if tn.Alias != "" {
		alias = tn.Alias
	}
	a := quoteIdent(alias)
	tt := fmt.Sprintf("(SELECT row_number() OVER () AS %s, * FROM %s) AS %s", mergeRN, target, a)
	// The source keeps its own names (a table, a sub-query, a join…);
	// a one-row marker joined to it tells matched rows in the LEFT JOIN.
	ss := fmt.Sprintf("(%s CROSS JOIN (SELECT true AS %s) AS %s)", m.Source, mergeMarker, mergeMarker)
	on := "(" + m.On + ")"
	cond := func(c ast.MergeClause) string {
		if c.Cond == "" {
			return "true"
		}
		return "(" + c.Cond + ")"
	}
	colDefault := func(c plan.Column) string {
		if c.Default != "" {
			return "(" + c.Default + ")"
		}
		return "NULL"
	}

	// The action of each joined row (matched clauses) and of each
	// unmatched source row (not-matched clauses): the clause's number.
	var matched, unmatched strings.Builder
	var updDel, dels, inserts []string
	for i, c := range m.Clauses {
		n := fmt.Sprint(i + 1)
		if c.Matched {
			fmt.Fprintf(&matched, " WHEN %s.%s AND %s THEN %s", mergeMarker, mergeMarker, cond(c), n)
			if c.Action == "update" || c.Action == "delete" {
				updDel = append(updDel, n)
			}
			if c.Action == "delete" {
				dels = append(dels, n)
			}
		} else {
			fmt.Fprintf(&unmatched, " WHEN %s THEN %s", cond(c), n)
			if c.Action == "insert" {
				inserts = append(inserts, n)
			}
		}
	}
	actM := "0"
	if matched.Len() > 0 {
		actM = "CASE" + matched.String() + " ELSE 0 END"
	}
	actI := "0"
	if unmatched.Len() > 0 {
		actI = "CASE" + unmatched.String() + " ELSE 0 END"
	}
	in := func(list []string) string {
		if len(list) == 0 {
			return "(-1)"
		}
		return "(" + strings.Join(list, ", ") + ")"
	}
	notJoined := fmt.Sprintf("NOT EXISTS (SELECT 1 FROM %s AS %s WHERE %s)", target, a, on)

	run := func(sql string) ([][]types.Datum, error) {
		sel, err := parseSelect(sql)
		if err != nil {
			return nil, err
		}
		plan, err := bind.BindQuery(sel, paramTypes, s.tables())
		if err != nil {
			return nil, err
		}
		return planner.CollectRows(ctx, plan, s.env(), params)
	}
	if len(updDel) > 0 {
		twice, err := run(fmt.Sprintf("SELECT 1 FROM %s JOIN %s ON %s WHERE (%s) IN %s GROUP BY %s.%s HAVING count(*) > 1 LIMIT 1",
			tt, ss, on, actM, in(updDel), a, mergeRN))
		if err != nil {
			return 0, err
		}
		if len(twice) > 0 {
			return 0, sqlerr.New(sqlerr.CardinalityViolation, "MERGE command cannot affect row a second time").
				WithHint("Ensure that not more than one source row matches any one target row.")
		}
	}

	// Target rows, updated, kept or dropped.
	var sets, names []string
	for _, c := range cols {
		name := quoteIdent(c.Name)
		names = append(names, name)
		var when strings.Builder
		for i, cl := range m.Clauses {
			if cl.Action != "update" {
				continue
			}
			for _, st := range cl.Set {
				if st.Column == c.Name {
					v := st.Value
					if v == "DEFAULT" {
						v = colDefault(c)
					}
					fmt.Fprintf(&when, " WHEN %d THEN (%s)", i+1, v)
				}
			}
		}
		if when.Len() == 0 {
			sets = append(sets, fmt.Sprintf("%s.%s AS %s", a, name, name))
		} else {
			sets = append(sets, fmt.Sprintf("CASE %s%s ELSE %s.%s END AS %s", actM, when.String(), a, name, name))
		}
	}
	for _, cl := range m.Clauses {
		for _, st := range cl.Set {
			if !hasColumn(cols, st.Column) {
				return 0, sqlerr.New(sqlerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", st.Column, tn.Name)
			}
		}
	}
	kept := fmt.Sprintf("SELECT %s FROM (SELECT DISTINCT ON (%s.%s) %s, %s AS %s FROM %s LEFT JOIN %s ON %s ORDER BY %s.%s, (%s) IN %s DESC) AS __merge_t WHERE %s NOT IN %s",
		strings.Join(names, ", "), a, mergeRN, strings.Join(sets, ", "), actM, mergeAct, tt, ss, on, a, mergeRN, actM, in(updDel), mergeAct, in(dels))
	all := kept
	// Source rows no target row joins, inserted.
	for i, cl := range m.Clauses {
		if cl.Matched || cl.Action != "insert" {
			continue
		}
		listed := cl.Columns
		if listed == nil && cl.Values != nil {
			for _, c := range cols[:min(len(cols), len(cl.Values))] {
				listed = append(listed, c.Name)
			}
		}
		if len(cl.Values) > len(cols) || (cl.Columns != nil && len(cl.Values) != len(cl.Columns)) {
			return 0, sqlerr.New(sqlerr.SyntaxError, "INSERT has more expressions than target columns")
		}
		var vals []string
		for _, c := range cols {
			v := colDefault(c)
			for j, name := range listed {
				if name == c.Name && cl.Values[j] != "DEFAULT" {
					v = "(" + cl.Values[j] + ")"
				}
			}
			vals = append(vals, v+" AS "+quoteIdent(c.Name))
		}
		for _, name := range listed {
			if !hasColumn(cols, name) {
				return 0, sqlerr.New(sqlerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", name, tn.Name)
			}
		}
		all += fmt.Sprintf(" UNION ALL SELECT %s FROM %s WHERE %s AND (%s) = %d", strings.Join(vals, ", "), ss, notJoined, actI, i+1)
	}
	sel, err := parseSelect(all)
	if err != nil {
		return 0, err
	}
	insTarget := &ast.TableName{Schema: tn.Schema, Name: tn.Name, Pos: tn.Pos}
	ins, err := bind.BindInsert(&ast.Insert{Table: insTarget, Query: sel}, paramTypes, s.tables())
	if err != nil {
		return 0, err
	}
	if ins.Err != nil {
		return 0, ins.Err
	}
	count, err := parseSelect(fmt.Sprintf("SELECT (SELECT count(*) FROM %s JOIN %s ON %s WHERE (%s) IN %s) + (SELECT count(*) FROM %s WHERE %s AND (%s) IN %s)",
		tt, ss, on, actM, in(updDel), ss, notJoined, actI, in(inserts)))
	if err != nil {
		return 0, err
	}
	return s.rewrite(ctx, &dmlPlan{rel: rel, lakeRel: lakeRel, ins: ins, count: count}, true, params)
}

func hasColumn(cols []plan.Column, name string) bool {
	for _, c := range cols {
		if c.Name == name {
			return true
		}
	}
	return false
}

// parseSelect parses one SELECT built as text.
func parseSelect(sql string) (*ast.Select, error) {
	stmts, err := parse.Parse(sql)
	if err != nil {
		return nil, err
	}
	sel, ok := stmts[0].AST.(*ast.Select)
	if len(stmts) != 1 || !ok {
		return nil, sqlerr.Internal("MERGE: built query is not a SELECT")
	}
	return sel, nil
}
