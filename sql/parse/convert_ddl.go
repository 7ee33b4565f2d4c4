package parse

// Conversion of DDL and utility statements: CREATE TABLE/VIEW, ALTER TABLE,
// DROP, RENAME, COMMENT and COPY.

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
)

func (c *converter) createTable(cs *pg.CreateStmt) (ast.Stmt, string, error) {
	out := &ast.CreateTable{Table: c.rangeVar(cs.Relation), Temp: cs.Relation.Relpersistence == "t", IfNotExists: cs.IfNotExists, Options: map[string]string{}}
	for _, e := range cs.TableElts {
		cd := e.GetColumnDef()
		if cd == nil {
			return nil, "", c.unsupported(-1, "table constraints are not supported yet")
		}
		tn, err := c.typeName(cd.TypeName)
		if err != nil {
			return nil, "", err
		}
		col := ast.ColumnDef{Name: cd.Colname, Type: tn, NotNull: cd.IsNotNull}
		for _, k := range cd.Constraints {
			con := k.GetConstraint()
			if con == nil {
				continue
			}
			switch con.Contype {
			case pg.ConstrType_CONSTR_NOTNULL:
				col.NotNull = true
			case pg.ConstrType_CONSTR_DEFAULT:
				if col.Default, err = c.expr(con.RawExpr); err != nil {
					return nil, "", err
				}
				if col.DefaultSQL, err = c.deparseExpr(con.RawExpr); err != nil {
					return nil, "", err
				}
			case pg.ConstrType_CONSTR_CHECK:
				// Not enforced would mean rows PostgreSQL refuses are kept.
				return nil, "", c.unsupported(con.Location, "CHECK constraints are not supported yet")
			case pg.ConstrType_CONSTR_GENERATED, pg.ConstrType_CONSTR_IDENTITY:
				return nil, "", c.unsupported(con.Location, "generated and identity columns are not supported yet")
			}
			// PRIMARY KEY, UNIQUE and REFERENCES are accepted and not
			// enforced (informational, as in most analytical systems).
		}
		out.Columns = append(out.Columns, col)
	}
	for _, o := range cs.Options {
		d := o.GetDefElem()
		out.Options[strings.ToLower(d.Defname)] = c.constString(d.Arg)
	}
	return out, "CREATE TABLE", nil
}

func (c *converter) alterTable(a *pg.AlterTableStmt) (ast.Stmt, string, error) {
	if a.Objtype != pg.ObjectType_OBJECT_TABLE {
		return &ast.Unsupported{Tag: "ALTER"}, "ALTER", nil
	}
	out := &ast.AlterColumns{Table: c.rangeVar(a.Relation), IfExists: a.MissingOk}
	for _, n := range a.Cmds {
		cmd := n.GetAlterTableCmd()
		switch cmd.Subtype {
		case pg.AlterTableType_AT_AddColumn:
			cd := cmd.Def.GetColumnDef()
			tn, err := c.typeName(cd.TypeName)
			if err != nil {
				return nil, "", err
			}
			col := ast.ColumnDef{Name: cd.Colname, Type: tn, NotNull: cd.IsNotNull}
			for _, k := range cd.Constraints {
				switch k.GetConstraint().GetContype() {
				case pg.ConstrType_CONSTR_NOTNULL:
					col.NotNull = true
				case pg.ConstrType_CONSTR_NULL:
				default:
					return nil, "", c.unsupported(-1, "column constraints and defaults in ALTER TABLE are not supported yet")
				}
			}
			out.Cmds = append(out.Cmds, ast.AlterColumn{Column: col, IfNotExists: cmd.MissingOk})
		case pg.AlterTableType_AT_DropColumn:
			out.Cmds = append(out.Cmds, ast.AlterColumn{Drop: true, Name: cmd.Name, IfExists: cmd.MissingOk,
				Cascade: cmd.Behavior == pg.DropBehavior_DROP_CASCADE})
		default:
			return &ast.Unsupported{Tag: "ALTER TABLE"}, "ALTER TABLE", nil
		}
	}
	return out, "ALTER TABLE", nil
}

func (c *converter) drop(d *pg.DropStmt) (ast.Stmt, string, error) {
	cascade := d.Behavior == pg.DropBehavior_DROP_CASCADE
	switch d.RemoveType {
	case pg.ObjectType_OBJECT_TABLE:
		out := &ast.DropTable{IfExists: d.MissingOk, Cascade: cascade}
		for _, o := range d.Objects {
			out.Tables = append(out.Tables, qualified(o))
		}
		return out, "DROP TABLE", nil
	case pg.ObjectType_OBJECT_VIEW, pg.ObjectType_OBJECT_SCHEMA:
		kind, tag := ast.ObjView, "DROP VIEW"
		if d.RemoveType == pg.ObjectType_OBJECT_SCHEMA {
			kind, tag = ast.ObjSchema, "DROP SCHEMA"
		}
		out := &ast.DropObjects{Kind: kind, IfExists: d.MissingOk, Cascade: cascade}
		for _, o := range d.Objects {
			out.Names = append(out.Names, qualified(o))
		}
		return out, tag, nil
	}
	return &ast.Unsupported{Tag: "DROP"}, "DROP", nil
}

func (c *converter) rename(r *pg.RenameStmt) (ast.Stmt, string, error) {
	switch r.RenameType {
	case pg.ObjectType_OBJECT_TABLE, pg.ObjectType_OBJECT_VIEW:
		kind, tag := ast.ObjTable, "ALTER TABLE"
		if r.RenameType == pg.ObjectType_OBJECT_VIEW {
			kind, tag = ast.ObjView, "ALTER VIEW"
		}
		return &ast.Rename{Kind: kind, Table: c.rangeVar(r.Relation), NewName: r.Newname, IfExists: r.MissingOk}, tag, nil
	case pg.ObjectType_OBJECT_COLUMN:
		tag := "ALTER TABLE"
		if r.RelationType == pg.ObjectType_OBJECT_VIEW {
			tag = "ALTER VIEW"
		}
		return &ast.Rename{Kind: ast.ObjColumn, Table: c.rangeVar(r.Relation), Column: r.Subname, NewName: r.Newname, IfExists: r.MissingOk}, tag, nil
	case pg.ObjectType_OBJECT_SCHEMA:
		return &ast.Rename{Kind: ast.ObjSchema, Table: &ast.TableName{Name: r.Subname, Pos: -1}, NewName: r.Newname}, "ALTER SCHEMA", nil
	}
	return &ast.Unsupported{Tag: "ALTER"}, "ALTER", nil
}

func (c *converter) comment(cs *pg.CommentStmt) (ast.Stmt, string, error) {
	out := &ast.Comment{}
	if cs.Comment != "" {
		text := cs.Comment
		out.Comment = &text
	}
	switch cs.Objtype {
	case pg.ObjectType_OBJECT_TABLE, pg.ObjectType_OBJECT_VIEW:
		out.Kind = ast.ObjTable
		if cs.Objtype == pg.ObjectType_OBJECT_VIEW {
			out.Kind = ast.ObjView
		}
		out.Table = qualified(cs.Object)
	case pg.ObjectType_OBJECT_SCHEMA:
		out.Kind = ast.ObjSchema
		out.Table = qualified(cs.Object)
	case pg.ObjectType_OBJECT_COLUMN:
		out.Kind = ast.ObjColumn
		tn := qualified(cs.Object) // schema.table.column, or table.column
		var names []string
		for _, it := range cs.Object.GetList().GetItems() {
			names = append(names, it.GetString_().Sval)
		}
		if len(names) < 2 {
			return nil, "", sqlerr.New(sqlerr.SyntaxError, "column name must be qualified")
		}
		out.Column = tn.Name
		out.Table = &ast.TableName{Name: names[len(names)-2], Pos: -1}
		if len(names) > 2 {
			out.Table.Schema = names[len(names)-3]
		}
	default:
		return &ast.Unsupported{Tag: "COMMENT"}, "COMMENT", nil
	}
	return out, "COMMENT", nil
}

func (c *converter) createView(v *pg.ViewStmt) (ast.Stmt, string, error) {
	if v.View.Relpersistence == "t" {
		return nil, "", c.unsupported(-1, "temporary views are not supported yet")
	}
	q, err := c.selectStmt(v.Query.GetSelectStmt())
	if err != nil {
		return nil, "", err
	}
	text, err := pg.Deparse(&pg.ParseResult{Version: c.version, Stmts: []*pg.RawStmt{{Stmt: v.Query}}})
	if err != nil {
		return nil, "", sqlerr.New(sqlerr.InternalError, "could not deparse the view's query: %v", err)
	}
	out := &ast.CreateView{View: c.rangeVar(v.View), Query: q, SQL: text, Replace: v.Replace}
	for _, a := range v.Aliases {
		out.Columns = append(out.Columns, a.GetString_().Sval)
	}
	return out, "CREATE VIEW", nil
}

func (c *converter) copyStmt(cp *pg.CopyStmt) (ast.Stmt, string, error) {
	out := &ast.Copy{From: cp.IsFrom, Filename: cp.Filename, Stdio: cp.Filename == "" && !cp.IsProgram, Options: map[string]string{}}
	if cp.IsProgram {
		return &ast.Unsupported{Tag: "COPY"}, "COPY", nil
	}
	if cp.Relation != nil {
		out.Table = c.rangeVar(cp.Relation)
	}
	if cp.Query != nil {
		q, _, err := c.stmt(cp.Query)
		if err != nil {
			return nil, "", err
		}
		out.Query = q
	}
	for _, a := range cp.Attlist {
		out.Columns = append(out.Columns, a.GetString_().Sval)
	}
	if cp.WhereClause != nil {
		return nil, "", c.unsupported(-1, "COPY FROM … WHERE is not supported")
	}
	for _, o := range cp.Options {
		d := o.GetDefElem()
		val := ""
		if d.Arg != nil {
			val = c.constString(d.Arg)
			if l := d.Arg.GetList(); l != nil {
				var parts []string
				for _, it := range l.Items {
					parts = append(parts, c.constString(it))
				}
				val = strings.Join(parts, ",")
			}
		} else {
			val = "true"
		}
		out.Options[strings.ToLower(d.Defname)] = val
	}
	return out, "COPY", nil
}
