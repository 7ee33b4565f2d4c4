package parse

// Conversion of INSERT and MERGE, and deparsing parts of statements to SQL text.

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
)

func (c *converter) insert(is *pg.InsertStmt) (ast.Stmt, string, error) {
	if is.OnConflictClause != nil || is.WithClause != nil {
		return nil, "", c.unsupported(-1, "INSERT with ON CONFLICT or WITH is not supported yet")
	}
	out := &ast.Insert{Table: c.rangeVar(is.Relation)}
	var err error
	if out.Returning, err = c.targetList(is.ReturningList); err != nil {
		return nil, "", err
	}
	for _, col := range is.Cols {
		out.Columns = append(out.Columns, col.GetResTarget().Name)
	}
	if is.SelectStmt == nil {
		// DEFAULT VALUES: one row of defaults.
		out.Query = &ast.Select{Values: [][]ast.Expr{{}}}
		return out, "INSERT", nil
	}
	q, err := c.selectStmt(is.SelectStmt.GetSelectStmt())
	if err != nil {
		return nil, "", err
	}
	out.Query = q
	return out, "INSERT", nil
}

// merge keeps MERGE's parts as deparsed SQL text (see ast.Merge).
func (c *converter) merge(m *pg.MergeStmt) (ast.Stmt, string, error) {
	if m.WithClause != nil || len(m.ReturningList) > 0 {
		return nil, "", c.unsupported(-1, "MERGE with WITH or RETURNING is not supported")
	}
	out := &ast.Merge{Target: c.rangeVar(m.Relation)}
	var err error
	if out.Source, err = c.deparseFrom(m.SourceRelation); err != nil {
		return nil, "", err
	}
	if out.On, err = c.deparseExpr(m.JoinCondition); err != nil {
		return nil, "", err
	}
	for _, n := range m.MergeWhenClauses {
		w := n.GetMergeWhenClause()
		var cl ast.MergeClause
		switch w.MatchKind {
		case pg.MergeMatchKind_MERGE_WHEN_MATCHED:
			cl.Matched = true
		case pg.MergeMatchKind_MERGE_WHEN_NOT_MATCHED_BY_TARGET:
		default:
			return nil, "", c.unsupported(-1, "WHEN NOT MATCHED BY SOURCE is not supported")
		}
		if w.Condition != nil {
			if cl.Cond, err = c.deparseExpr(w.Condition); err != nil {
				return nil, "", err
			}
		}
		value := func(v *pg.Node) (string, error) {
			if v.GetSetToDefault() != nil {
				return "DEFAULT", nil
			}
			return c.deparseExpr(v)
		}
		switch w.CommandType {
		case pg.CmdType_CMD_UPDATE:
			cl.Action = "update"
			for _, t := range w.TargetList {
				rt := t.GetResTarget()
				if len(rt.Indirection) > 0 {
					return nil, "", c.unsupported(-1, "UPDATE of array elements or fields is not supported")
				}
				v, err := value(rt.Val)
				if err != nil {
					return nil, "", err
				}
				cl.Set = append(cl.Set, ast.MergeSet{Column: rt.Name, Value: v})
			}
		case pg.CmdType_CMD_DELETE:
			cl.Action = "delete"
		case pg.CmdType_CMD_NOTHING:
			cl.Action = "nothing"
		case pg.CmdType_CMD_INSERT:
			cl.Action = "insert"
			for _, t := range w.TargetList {
				cl.Columns = append(cl.Columns, t.GetResTarget().Name)
			}
			for _, v := range w.Values {
				s, err := value(v)
				if err != nil {
					return nil, "", err
				}
				cl.Values = append(cl.Values, s)
			}
		default:
			return nil, "", c.unsupported(-1, "this MERGE action is not supported")
		}
		out.Clauses = append(out.Clauses, cl)
	}
	return out, "MERGE", nil
}

// deparseExpr is an expression's SQL text as pg_query prints it.
func (c *converter) deparseExpr(e *pg.Node) (string, error) {
	sel := &pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: &pg.SelectStmt{
		TargetList: []*pg.Node{{Node: &pg.Node_ResTarget{ResTarget: &pg.ResTarget{Val: e}}}},
		Op:         pg.SetOperation_SETOP_NONE,
	}}}
	text, err := pg.Deparse(&pg.ParseResult{Version: c.version, Stmts: []*pg.RawStmt{{Stmt: sel}}})
	if err != nil {
		return "", sqlerr.New(sqlerr.InternalError, "could not deparse an expression: %v", err)
	}
	return strings.TrimPrefix(text, "SELECT "), nil
}

// deparseFrom is a FROM item's SQL text (alias included).
func (c *converter) deparseFrom(n *pg.Node) (string, error) {
	sel := &pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: &pg.SelectStmt{
		TargetList: []*pg.Node{{Node: &pg.Node_ResTarget{ResTarget: &pg.ResTarget{Val: &pg.Node{Node: &pg.Node_ColumnRef{
			ColumnRef: &pg.ColumnRef{Fields: []*pg.Node{{Node: &pg.Node_AStar{AStar: &pg.A_Star{}}}}}}}}}}},
		FromClause: []*pg.Node{n},
		Op:         pg.SetOperation_SETOP_NONE,
	}}}
	text, err := pg.Deparse(&pg.ParseResult{Version: c.version, Stmts: []*pg.RawStmt{{Stmt: sel}}})
	if err != nil {
		return "", sqlerr.New(sqlerr.InternalError, "could not deparse a FROM item: %v", err)
	}
	return strings.TrimPrefix(text, "SELECT * FROM "), nil
}
