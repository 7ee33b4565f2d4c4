package parse

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
)

type converter struct {
	sql     string
	version int32                      // the parse tree's version (for Deparse)
	windows []map[string]*pg.WindowDef // WINDOW clauses of the selects being converted
}

// windowDef resolves OVER name / OVER (name …) against enclosing WINDOW clauses.
func (c *converter) windowDef(w *pg.WindowDef) (*pg.WindowDef, error) {
	return c.resolveWindow(w, w.Name)
}

// resolveWindow resolves a window's reference; ref is the name it refers to
// (OVER name) — a WINDOW clause entry refers only through its Refname.
func (c *converter) resolveWindow(w *pg.WindowDef, ref string) (*pg.WindowDef, error) {
	if ref == "" {
		ref = w.Refname
	}
	if ref == "" {
		return w, nil
	}
	for i := len(c.windows) - 1; i >= 0; i-- {
		if base, ok := c.windows[i][ref]; ok {
			base, err := c.resolveWindow(base, "")
			if err != nil {
				return nil, err
			}
			merged := &pg.WindowDef{PartitionClause: base.PartitionClause, OrderClause: base.OrderClause,
				FrameOptions: base.FrameOptions, StartOffset: base.StartOffset, EndOffset: base.EndOffset, Location: w.Location}
			if w.Refname != "" { // OVER (name ORDER BY … frame): extends the named window
				if len(w.OrderClause) > 0 {
					merged.OrderClause = w.OrderClause
				}
				if w.FrameOptions&1 != 0 {
					merged.FrameOptions, merged.StartOffset, merged.EndOffset = w.FrameOptions, w.StartOffset, w.EndOffset
				}
			}
			return merged, nil
		}
	}
	return nil, sqlerr.New(sqlerr.UndefinedObject, "window \"%s\" does not exist", ref).WithPosition(c.loc(w.Location) + 1)
}

// loc converts pg_query's byte offset to a 0-based character offset: error
// positions count characters, as PostgreSQL's do.
func (c *converter) loc(b int32) int {
	if b < 0 {
		return -1
	}
	n := min(int(b), len(c.sql))
	return utf8.RuneCountInString(c.sql[:n])
}

func (c *converter) unsupported(pos int32, format string, args ...any) error {
	e := sqlerr.Unsupported(format, args...)
	if pos >= 0 {
		e = e.WithPosition(c.loc(pos) + 1)
	}
	return e
}

// stmt converts one statement and returns its command tag.
func (c *converter) stmt(n *pg.Node) (ast.Stmt, string, error) {
	switch x := n.Node.(type) {
	case *pg.Node_SelectStmt:
		s, err := c.selectStmt(x.SelectStmt)
		return s, "SELECT", err
	case *pg.Node_TransactionStmt:
		return c.transaction(x.TransactionStmt)
	case *pg.Node_VariableSetStmt:
		s, err := c.setStmt(x.VariableSetStmt)
		tag := "SET"
		if s != nil && (s.Kind == ast.SetReset || s.Kind == ast.SetResetAll) {
			tag = "RESET"
		}
		return s, tag, err
	case *pg.Node_VariableShowStmt:
		return &ast.ShowVar{Name: strings.ToLower(x.VariableShowStmt.Name)}, "SHOW", nil
	case *pg.Node_DeclareCursorStmt:
		d := x.DeclareCursorStmt
		q, _, err := c.stmt(d.Query)
		if err != nil {
			return nil, "", err
		}
		// CURSOR_OPT_BINARY 0x1, SCROLL 0x2, HOLD 0x20 (parsenodes.h).
		return &ast.Declare{Name: d.Portalname, Query: q, Binary: d.Options&0x1 != 0,
			Scroll: d.Options&0x2 != 0, Hold: d.Options&0x20 != 0}, "DECLARE CURSOR", nil
	case *pg.Node_FetchStmt:
		f := x.FetchStmt
		out := &ast.Fetch{Name: f.Portalname, Count: f.HowMany, Move: f.Ismove}
		switch f.Direction {
		case pg.FetchDirection_FETCH_BACKWARD:
			out.Dir = ast.FetchBackward
		case pg.FetchDirection_FETCH_ABSOLUTE:
			out.Dir = ast.FetchAbsolute
		case pg.FetchDirection_FETCH_RELATIVE:
			out.Dir = ast.FetchRelative
		}
		if f.HowMany == 0 && (f.Direction == pg.FetchDirection_FETCH_FORWARD || f.Direction == pg.FetchDirection_FETCH_BACKWARD) {
			out.Count = ast.FetchAll // FETCH ALL is encoded as FETCH_ALL = LONG_MAX; 0 would be "FETCH 0"
		}
		if f.HowMany == 9223372036854775807 {
			out.Count = ast.FetchAll
		}
		tag := "FETCH"
		if f.Ismove {
			tag = "MOVE"
		}
		return out, tag, nil
	case *pg.Node_ClosePortalStmt:
		if x.ClosePortalStmt.Portalname == "" {
			return &ast.ClosePortal{}, "CLOSE CURSOR ALL", nil
		}
		return &ast.ClosePortal{Name: x.ClosePortalStmt.Portalname}, "CLOSE CURSOR", nil
	case *pg.Node_PrepareStmt:
		p := x.PrepareStmt
		q, _, err := c.stmt(p.Query)
		if err != nil {
			return nil, "", err
		}
		out := &ast.Prepare{Name: p.Name, Query: q}
		for _, t := range p.Argtypes {
			tn, err := c.typeName(t.GetTypeName())
			if err != nil {
				return nil, "", err
			}
			out.ArgTypes = append(out.ArgTypes, tn)
		}
		return out, "PREPARE", nil
	case *pg.Node_ExecuteStmt:
		out := &ast.Execute{Name: x.ExecuteStmt.Name}
		for _, p := range x.ExecuteStmt.Params {
			e, err := c.expr(p)
			if err != nil {
				return nil, "", err
			}
			out.Params = append(out.Params, e)
		}
		return out, "EXECUTE", nil
	case *pg.Node_DeallocateStmt:
		d := x.DeallocateStmt
		if d.Isall || d.Name == "" {
			return &ast.Deallocate{All: true}, "DEALLOCATE ALL", nil
		}
		return &ast.Deallocate{Name: d.Name}, "DEALLOCATE", nil
	case *pg.Node_CopyStmt:
		return c.copyStmt(x.CopyStmt)
	case *pg.Node_CreateRoleStmt:
		r := x.CreateRoleStmt
		opts, err := c.roleOptions(r.Options)
		if err != nil {
			return nil, "", err
		}
		return &ast.CreateRole{Name: r.Role, User: r.StmtType == pg.RoleStmtType_ROLESTMT_USER, Options: opts}, "CREATE ROLE", nil
	case *pg.Node_AlterRoleStmt:
		r := x.AlterRoleStmt
		opts, err := c.roleOptions(r.Options)
		if err != nil {
			return nil, "", err
		}
		return &ast.AlterRole{Name: r.Role.GetRolename(), Options: opts}, "ALTER ROLE", nil
	case *pg.Node_DropRoleStmt:
		out := &ast.DropRole{IfExists: x.DropRoleStmt.MissingOk}
		for _, r := range x.DropRoleStmt.Roles {
			out.Names = append(out.Names, r.GetRoleSpec().GetRolename())
		}
		return out, "DROP ROLE", nil
	case *pg.Node_DiscardStmt:
		switch x.DiscardStmt.Target {
		case pg.DiscardMode_DISCARD_ALL:
			return &ast.Discard{What: "ALL"}, "DISCARD ALL", nil
		case pg.DiscardMode_DISCARD_PLANS:
			return &ast.Discard{What: "PLANS"}, "DISCARD PLANS", nil
		case pg.DiscardMode_DISCARD_SEQUENCES:
			return &ast.Discard{What: "SEQUENCES"}, "DISCARD SEQUENCES", nil
		}
		return &ast.Discard{What: "TEMP"}, "DISCARD TEMP", nil
	case *pg.Node_CreateStmt:
		return c.createTable(x.CreateStmt)
	case *pg.Node_CreateTableAsStmt:
		ct := x.CreateTableAsStmt
		if ct.Objtype != pg.ObjectType_OBJECT_TABLE {
			return &ast.Unsupported{Tag: "CREATE MATERIALIZED VIEW"}, "CREATE MATERIALIZED VIEW", nil
		}
		q, _, err := c.stmt(ct.Query)
		if err != nil {
			return nil, "", err
		}
		rel := ct.Into.Rel
		out := &ast.CreateTable{Table: c.rangeVar(rel), Temp: rel.Relpersistence == "t", IfNotExists: ct.IfNotExists, AsQuery: q}
		for _, col := range ct.Into.ColNames {
			out.Columns = append(out.Columns, ast.ColumnDef{Name: col.GetString_().Sval})
		}
		return out, "SELECT", nil
	case *pg.Node_DropStmt:
		return c.drop(x.DropStmt)
	case *pg.Node_CreateSchemaStmt:
		cs := x.CreateSchemaStmt
		if len(cs.SchemaElts) > 0 || cs.Authrole != nil {
			return nil, "", c.unsupported(-1, "CREATE SCHEMA with AUTHORIZATION or schema elements is not supported")
		}
		return &ast.CreateSchema{Name: cs.Schemaname, IfNotExists: cs.IfNotExists}, "CREATE SCHEMA", nil
	case *pg.Node_ViewStmt:
		return c.createView(x.ViewStmt)
	case *pg.Node_RenameStmt:
		return c.rename(x.RenameStmt)
	case *pg.Node_AlterTableStmt:
		return c.alterTable(x.AlterTableStmt)
	case *pg.Node_TruncateStmt:
		out := &ast.Truncate{}
		for _, r := range x.TruncateStmt.Relations {
			out.Tables = append(out.Tables, c.rangeVar(r.GetRangeVar()))
		}
		return out, "TRUNCATE TABLE", nil
	case *pg.Node_CommentStmt:
		return c.comment(x.CommentStmt)
	case *pg.Node_VacuumStmt:
		if !x.VacuumStmt.IsVacuumcmd {
			out := &ast.Analyze{}
			for _, r := range x.VacuumStmt.Rels {
				out.Tables = append(out.Tables, c.rangeVar(r.GetVacuumRelation().Relation))
			}
			return out, "ANALYZE", nil
		}
		out := &ast.Vacuum{}
		for _, r := range x.VacuumStmt.Rels {
			out.Tables = append(out.Tables, c.rangeVar(r.GetVacuumRelation().Relation))
		}
		return out, "VACUUM", nil
	case *pg.Node_DeleteStmt:
		d := x.DeleteStmt
		if d.WithClause != nil {
			return nil, "", c.unsupported(-1, "DELETE with WITH is not supported yet")
		}
		out := &ast.Delete{Table: c.rangeVar(d.Relation)}
		var err error
		if out.Using, err = c.tableRefs(d.UsingClause); err != nil {
			return nil, "", err
		}
		if out.Returning, err = c.targetList(d.ReturningList); err != nil {
			return nil, "", err
		}
		if d.WhereClause != nil {
			w, err := c.expr(d.WhereClause)
			if err != nil {
				return nil, "", err
			}
			out.Where = w
		}
		return out, "DELETE", nil
	case *pg.Node_MergeStmt:
		return c.merge(x.MergeStmt)
	case *pg.Node_UpdateStmt:
		u := x.UpdateStmt
		if u.WithClause != nil {
			return nil, "", c.unsupported(-1, "UPDATE with WITH is not supported yet")
		}
		out := &ast.Update{Table: c.rangeVar(u.Relation)}
		var err error
		if out.From, err = c.tableRefs(u.FromClause); err != nil {
			return nil, "", err
		}
		if out.Returning, err = c.targetList(u.ReturningList); err != nil {
			return nil, "", err
		}
		for _, t := range u.TargetList {
			rt := t.GetResTarget()
			if len(rt.Indirection) > 0 {
				return nil, "", c.unsupported(-1, "UPDATE of array elements or fields is not supported")
			}
			v, err := c.expr(rt.Val)
			if err != nil {
				return nil, "", err
			}
			out.Set = append(out.Set, ast.SetClause{Column: rt.Name, Value: v})
		}
		if u.WhereClause != nil {
			w, err := c.expr(u.WhereClause)
			if err != nil {
				return nil, "", err
			}
			out.Where = w
		}
		return out, "UPDATE", nil
	case *pg.Node_InsertStmt:
		return c.insert(x.InsertStmt)
	case *pg.Node_ExplainStmt:
		q, _, err := c.stmt(x.ExplainStmt.Query)
		if err != nil {
			return nil, "", err
		}
		out := &ast.Explain{Query: q}
		for _, o := range x.ExplainStmt.Options {
			d := o.GetDefElem()
			on := d.Arg == nil || !strings.EqualFold(c.constString(d.Arg), "off") && !strings.EqualFold(c.constString(d.Arg), "false")
			switch d.GetDefname() {
			case "analyze":
				out.Analyze = on
			case "costs":
				out.NoCosts = !on
			}
		}
		return out, "EXPLAIN", nil
	}
	tag := stmtTag(n)
	return &ast.Unsupported{Tag: tag}, tag, nil
}

// stmtTag derives a command tag from a node type: Node_CreateSchemaStmt →
// "CREATE SCHEMA".
func stmtTag(n *pg.Node) string {
	name := fmt.Sprintf("%T", n.Node)
	name = name[strings.LastIndex(name, "_")+1:]
	name = strings.TrimSuffix(name, "Stmt")
	if name == "CreateSeq" {
		return "CREATE SEQUENCE"
	}
	var b strings.Builder
	for i, r := range name {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return strings.ToUpper(b.String())
}

func (c *converter) transaction(t *pg.TransactionStmt) (ast.Stmt, string, error) {
	out := &ast.Transaction{Savepoint: t.SavepointName, Chain: t.Chain}
	var tag string
	switch t.Kind {
	case pg.TransactionStmtKind_TRANS_STMT_BEGIN:
		out.Kind, tag = ast.TxBegin, "BEGIN"
	case pg.TransactionStmtKind_TRANS_STMT_START:
		out.Kind, tag = ast.TxStart, "START TRANSACTION"
	case pg.TransactionStmtKind_TRANS_STMT_COMMIT:
		out.Kind, tag = ast.TxCommit, "COMMIT"
	case pg.TransactionStmtKind_TRANS_STMT_ROLLBACK:
		out.Kind, tag = ast.TxRollback, "ROLLBACK"
	case pg.TransactionStmtKind_TRANS_STMT_SAVEPOINT:
		out.Kind, tag = ast.TxSavepoint, "SAVEPOINT"
	case pg.TransactionStmtKind_TRANS_STMT_RELEASE:
		out.Kind, tag = ast.TxRelease, "RELEASE"
	case pg.TransactionStmtKind_TRANS_STMT_ROLLBACK_TO:
		out.Kind, tag = ast.TxRollbackTo, "ROLLBACK"
	default:
		return &ast.Unsupported{Tag: "PREPARE TRANSACTION"}, "PREPARE TRANSACTION", nil
	}
	m, err := c.txModes(t.Options)
	out.Modes = m
	return out, tag, err
}

func (c *converter) txModes(opts []*pg.Node) (ast.TxModes, error) {
	var m ast.TxModes
	for _, o := range opts {
		d := o.GetDefElem()
		if d == nil {
			continue
		}
		switch d.Defname {
		case "transaction_isolation":
			m.Isolation = c.constString(d.Arg)
		case "transaction_read_only":
			b := c.constBool(d.Arg)
			m.ReadOnly = &b
		case "transaction_deferrable":
			b := c.constBool(d.Arg)
			m.Deferrable = &b
		}
	}
	return m, nil
}

func (c *converter) constString(n *pg.Node) string {
	if ac := n.GetAConst(); ac != nil {
		switch {
		case ac.GetSval() != nil:
			return ac.GetSval().Sval
		case ac.GetIval() != nil:
			return strconv.Itoa(int(ac.GetIval().Ival))
		case ac.GetFval() != nil:
			return ac.GetFval().Fval
		case ac.GetBoolval() != nil:
			if ac.GetBoolval().Boolval {
				return "on"
			}
			return "off"
		}
	}
	if s := n.GetString_(); s != nil {
		return s.Sval
	}
	if b := n.GetBoolean(); b != nil {
		if b.Boolval {
			return "true"
		}
		return "false"
	}
	if i := n.GetInteger(); i != nil {
		return strconv.Itoa(int(i.Ival))
	}
	return ""
}

func (c *converter) constBool(n *pg.Node) bool {
	if ac := n.GetAConst(); ac != nil {
		if ac.GetIval() != nil {
			return ac.GetIval().Ival != 0
		}
		if ac.GetBoolval() != nil {
			return ac.GetBoolval().Boolval
		}
	}
	return false
}

func (c *converter) setStmt(v *pg.VariableSetStmt) (*ast.SetVar, error) {
	out := &ast.SetVar{Name: strings.ToLower(v.Name), Local: v.IsLocal}
	switch v.Kind {
	case pg.VariableSetKind_VAR_SET_VALUE:
		out.Kind = ast.SetValue
	case pg.VariableSetKind_VAR_SET_DEFAULT:
		out.Kind = ast.SetDefault
	case pg.VariableSetKind_VAR_RESET:
		out.Kind = ast.SetReset
	case pg.VariableSetKind_VAR_RESET_ALL:
		out.Kind = ast.SetResetAll
	case pg.VariableSetKind_VAR_SET_CURRENT:
		out.Kind = ast.SetCurrent
	case pg.VariableSetKind_VAR_SET_MULTI:
		out.Kind = ast.SetTxModes
		out.Session = v.Name == "SESSION CHARACTERISTICS"
		m, err := c.txModes(v.Args)
		out.Modes = m
		return out, err
	}
	for _, a := range v.Args {
		if tc := a.GetTypeCast(); tc != nil {
			// SET TIME ZONE INTERVAL '…' HOUR TO MINUTE
			a = tc.Arg
		}
		out.Values = append(out.Values, c.constString(a))
	}
	return out, nil
}

func (c *converter) roleOptions(opts []*pg.Node) ([]ast.RoleOption, error) {
	var out []ast.RoleOption
	for _, o := range opts {
		d := o.GetDefElem()
		if d == nil {
			continue
		}
		ro := ast.RoleOption{Name: d.Defname}
		switch {
		case d.Arg == nil:
			ro.Null = true
		case d.Arg.GetBoolean() != nil:
			ro.Bool = d.Arg.GetBoolean().Boolval
		case d.Arg.GetInteger() != nil:
			ro.Bool = d.Arg.GetInteger().Ival != 0
			ro.Value = strconv.Itoa(int(d.Arg.GetInteger().Ival))
		case d.Arg.GetString_() != nil:
			ro.Value = d.Arg.GetString_().Sval
		default:
			ro.Value = c.constString(d.Arg)
		}
		out = append(out, ro)
	}
	return out, nil
}

// tableRefs converts a FROM list (or UPDATE's FROM, DELETE's USING).
func (c *converter) tableRefs(list []*pg.Node) ([]ast.TableRef, error) {
	var out []ast.TableRef
	for _, f := range list {
		tr, err := c.tableRef(f)
		if err != nil {
			return nil, err
		}
		out = append(out, tr)
	}
	return out, nil
}

// targetList converts a SELECT list or a RETURNING list.
func (c *converter) targetList(list []*pg.Node) ([]*ast.Target, error) {
	var out []*ast.Target
	for _, t := range list {
		rt := t.GetResTarget()
		e, err := c.expr(rt.Val)
		if err != nil {
			return nil, err
		}
		out = append(out, &ast.Target{Expr: e, Name: rt.Name, Pos: c.loc(rt.Location)})
	}
	return out, nil
}

func (c *converter) rangeVar(r *pg.RangeVar) *ast.TableName {
	tn := &ast.TableName{Schema: r.Schemaname, Name: r.Relname, Pos: c.loc(r.Location)}
	if r.Alias != nil {
		tn.Alias = r.Alias.Aliasname
	}
	return tn
}

func (c *converter) selectStmt(s *pg.SelectStmt) (*ast.Select, error) {
	if s == nil {
		return nil, c.unsupported(-1, "this statement is not supported as a query")
	}
	if s.IntoClause != nil {
		return nil, c.unsupported(-1, "SELECT INTO is not supported")
	}
	if len(s.LockingClause) > 0 {
		return nil, c.unsupported(-1, "SELECT … FOR UPDATE/SHARE is not supported")
	}
	wins := map[string]*pg.WindowDef{}
	for _, w := range s.WindowClause {
		wd := w.GetWindowDef()
		wins[wd.Name] = wd
	}
	c.windows = append(c.windows, wins)
	defer func() { c.windows = c.windows[:len(c.windows)-1] }()
	out := &ast.Select{}
	if s.WithClause != nil {
		out.Recursive = s.WithClause.Recursive
		for _, n := range s.WithClause.Ctes {
			cte := n.GetCommonTableExpr()
			if cte.SearchClause != nil || cte.CycleClause != nil {
				return nil, c.unsupported(cte.Location, "SEARCH and CYCLE clauses are not supported yet")
			}
			q, err := c.selectStmt(cte.Ctequery.GetSelectStmt())
			if err != nil {
				return nil, err
			}
			item := &ast.CTE{Name: cte.Ctename, Query: q, Pos: c.loc(cte.Location)}
			for _, col := range cte.Aliascolnames {
				item.Columns = append(item.Columns, col.GetString_().Sval)
			}
			out.With = append(out.With, item)
		}
	}
	if s.Op != pg.SetOperation_SETOP_NONE {
		switch s.Op {
		case pg.SetOperation_SETOP_UNION:
			out.SetOp = ast.Union
		case pg.SetOperation_SETOP_INTERSECT:
			out.SetOp = ast.Intersect
		default:
			out.SetOp = ast.Except
		}
		out.SetAll = s.All
		var err error
		if out.Left, err = c.selectStmt(s.Larg); err != nil {
			return nil, err
		}
		if out.Right, err = c.selectStmt(s.Rarg); err != nil {
			return nil, err
		}
		return out, c.orderLimit(s, out)
	}
	if len(s.ValuesLists) > 0 {
		for _, row := range s.ValuesLists {
			var r []ast.Expr
			for _, e := range row.GetList().Items {
				x, err := c.expr(e)
				if err != nil {
					return nil, err
				}
				r = append(r, x)
			}
			out.Values = append(out.Values, r)
		}
	}
	if len(s.DistinctClause) > 0 {
		out.Distinct = true
		if s.DistinctClause[0].Node != nil {
			on, err := c.exprs(s.DistinctClause)
			if err != nil {
				return nil, err
			}
			out.DistinctOn = on
		}
	}
	targets, err := c.targetList(s.TargetList)
	if err != nil {
		return nil, err
	}
	out.Targets = targets
	if out.From, err = c.tableRefs(s.FromClause); err != nil {
		return nil, err
	}
	if s.WhereClause != nil {
		if out.Where, err = c.expr(s.WhereClause); err != nil {
			return nil, err
		}
	}
	sets := [][]ast.Expr{{}}
	hasSets := false
	for _, g := range s.GroupClause {
		alts, isSet, err := c.groupingAlternatives(g)
		if err != nil {
			return nil, err
		}
		hasSets = hasSets || isSet
		// Cross product: every set so far extended by every alternative.
		var next [][]ast.Expr
		for _, base := range sets {
			for _, alt := range alts {
				next = append(next, append(append([]ast.Expr{}, base...), alt...))
			}
		}
		sets = next
		if len(sets) > 4096 {
			return nil, c.unsupported(-1, "too many grouping sets")
		}
	}
	seen := map[string]bool{}
	for _, set := range sets {
		for _, e := range set {
			k := ast.Key(e)
			if !seen[k] {
				seen[k] = true
				out.GroupBy = append(out.GroupBy, e)
			}
		}
	}
	if hasSets {
		out.GroupingSets = sets
	}
	if s.GroupDistinct {
		return nil, c.unsupported(-1, "GROUP BY DISTINCT is not supported yet")
	}
	if s.HavingClause != nil {
		if out.Having, err = c.expr(s.HavingClause); err != nil {
			return nil, err
		}
	}
	return out, c.orderLimit(s, out)
}

// groupingAlternatives converts one GROUP BY item into the list of
// expression sets it stands for: e → [[e]], ROLLUP(a, b) → [[a b] [a] []],
// CUBE(a, b) → every subset, GROUPING SETS (…) → the union of its items.
func (c *converter) groupingAlternatives(n *pg.Node) ([][]ast.Expr, bool, error) {
	gs := n.GetGroupingSet()
	if gs == nil {
		e, err := c.expr(n)
		if err != nil {
			return nil, false, err
		}
		return [][]ast.Expr{{e}}, false, nil
	}
	// Items of ROLLUP/CUBE may be parenthesized lists (a SIMPLE set).
	item := func(m *pg.Node) ([]ast.Expr, error) {
		if s := m.GetGroupingSet(); s != nil && s.Kind == pg.GroupingSetKind_GROUPING_SET_SIMPLE {
			return c.exprs(s.Content)
		}
		if l := m.GetRowExpr(); l != nil {
			return c.exprs(l.Args)
		}
		e, err := c.expr(m)
		if err != nil {
			return nil, err
		}
		return []ast.Expr{e}, nil
	}
	switch gs.Kind {
	case pg.GroupingSetKind_GROUPING_SET_EMPTY:
		return [][]ast.Expr{{}}, true, nil
	case pg.GroupingSetKind_GROUPING_SET_SIMPLE:
		es, err := c.exprs(gs.Content)
		return [][]ast.Expr{es}, true, err
	case pg.GroupingSetKind_GROUPING_SET_ROLLUP:
		var items [][]ast.Expr
		for _, m := range gs.Content {
			it, err := item(m)
			if err != nil {
				return nil, false, err
			}
			items = append(items, it)
		}
		var out [][]ast.Expr
		for k := len(items); k >= 0; k-- {
			var set []ast.Expr
			for _, it := range items[:k] {
				set = append(set, it...)
			}
			out = append(out, set)
		}
		return out, true, nil
	case pg.GroupingSetKind_GROUPING_SET_CUBE:
		var items [][]ast.Expr
		for _, m := range gs.Content {
			it, err := item(m)
			if err != nil {
				return nil, false, err
			}
			items = append(items, it)
		}
		if len(items) > 12 {
			return nil, false, c.unsupported(gs.Location, "CUBE is limited to 12 elements")
		}
		var out [][]ast.Expr
		for mask := (1 << len(items)) - 1; mask >= 0; mask-- {
			var set []ast.Expr
			for i, it := range items {
				if mask&(1<<(len(items)-1-i)) != 0 {
					set = append(set, it...)
				}
			}
			out = append(out, set)
		}
		return out, true, nil
	}
	// GROUPING SETS (…): the union of each item's alternatives.
	var out [][]ast.Expr
	for _, m := range gs.Content {
		alts, _, err := c.groupingAlternatives(m)
		if err != nil {
			return nil, false, err
		}
		out = append(out, alts...)
	}
	return out, true, nil
}

// orderLimit converts ORDER BY, LIMIT and OFFSET.
func (c *converter) orderLimit(s *pg.SelectStmt, out *ast.Select) error {
	var err error
	if out.OrderBy, err = c.sortClause(s.SortClause); err != nil {
		return err
	}
	if s.LimitOption == pg.LimitOption_LIMIT_OPTION_WITH_TIES {
		return c.unsupported(-1, "FETCH … WITH TIES is not supported yet")
	}
	if s.LimitCount != nil {
		if out.Limit, err = c.expr(s.LimitCount); err != nil {
			return err
		}
	}
	if s.LimitOffset != nil {
		if out.Offset, err = c.expr(s.LimitOffset); err != nil {
			return err
		}
	}
	return nil
}

func (c *converter) sortClause(items []*pg.Node) ([]*ast.OrderItem, error) {
	var out []*ast.OrderItem
	for _, o := range items {
		sb := o.GetSortBy()
		e, err := c.expr(sb.Node)
		if err != nil {
			return nil, err
		}
		it := &ast.OrderItem{Expr: e, Desc: sb.SortbyDir == pg.SortByDir_SORTBY_DESC}
		if sb.SortbyDir == pg.SortByDir_SORTBY_USING {
			return nil, c.unsupported(sb.Location, "ORDER BY … USING is not supported")
		}
		switch sb.SortbyNulls {
		case pg.SortByNulls_SORTBY_NULLS_FIRST:
			t := true
			it.NullsFirst = &t
		case pg.SortByNulls_SORTBY_NULLS_LAST:
			f := false
			it.NullsFirst = &f
		}
		out = append(out, it)
	}
	return out, nil
}

func aliasOf(a *pg.Alias) (string, []string) {
	if a == nil {
		return "", nil
	}
	var cols []string
	for _, c := range a.Colnames {
		cols = append(cols, c.GetString_().Sval)
	}
	return a.Aliasname, cols
}

func (c *converter) tableRef(n *pg.Node) (ast.TableRef, error) {
	switch x := n.Node.(type) {
	case *pg.Node_RangeVar:
		return c.rangeVar(x.RangeVar), nil
	case *pg.Node_RangeFunction:
		rf := x.RangeFunction
		if rf.IsRowsfrom || len(rf.Functions) != 1 || len(rf.Coldeflist) > 0 {
			return nil, c.unsupported(-1, "this form of function in FROM is not supported yet")
		}
		items := rf.Functions[0].GetList().GetItems()
		fe, err := c.expr(items[0])
		if err != nil {
			return nil, err
		}
		fc, ok := fe.(*ast.FuncCall)
		if !ok {
			return nil, c.unsupported(-1, "this form of function in FROM is not supported yet")
		}
		alias, cols := aliasOf(rf.Alias)
		return &ast.FuncTable{Func: fc, Alias: alias, ColAliases: cols, Ordinality: rf.Ordinality}, nil
	case *pg.Node_RangeTableSample:
		ts := x.RangeTableSample
		rv := ts.Relation.GetRangeVar()
		if rv == nil {
			return nil, c.unsupported(ts.Location, "TABLESAMPLE is supported on tables only")
		}
		out := &ast.SampleTable{Table: c.rangeVar(rv), Pos: c.loc(ts.Location)}
		for _, m := range ts.Method {
			out.Method = m.GetString_().Sval
		}
		var err error
		if out.Args, err = c.exprs(ts.Args); err != nil {
			return nil, err
		}
		if ts.Repeatable != nil {
			if out.Repeatable, err = c.expr(ts.Repeatable); err != nil {
				return nil, err
			}
		}
		return out, nil
	case *pg.Node_RangeSubselect:
		rs := x.RangeSubselect
		q, err := c.selectStmt(rs.Subquery.GetSelectStmt())
		if err != nil {
			return nil, err
		}
		alias, cols := aliasOf(rs.Alias)
		return &ast.SubqueryTable{Query: q, Alias: alias, ColAliases: cols, Lateral: rs.Lateral}, nil
	case *pg.Node_JoinExpr:
		j := x.JoinExpr
		out := &ast.JoinTable{Natural: j.IsNatural}
		switch j.Jointype {
		case pg.JoinType_JOIN_INNER:
			out.Kind = ast.InnerJoin
			if j.Quals == nil && len(j.UsingClause) == 0 && !j.IsNatural {
				out.Kind = ast.CrossJoin
			}
		case pg.JoinType_JOIN_LEFT:
			out.Kind = ast.LeftJoin
		case pg.JoinType_JOIN_RIGHT:
			out.Kind = ast.RightJoin
		case pg.JoinType_JOIN_FULL:
			out.Kind = ast.FullJoin
		default:
			return nil, c.unsupported(-1, "join type %s is not supported", j.Jointype)
		}
		if j.JoinUsingAlias != nil {
			return nil, c.unsupported(-1, "JOIN USING … AS alias is not supported yet")
		}
		var err error
		if out.Left, err = c.tableRef(j.Larg); err != nil {
			return nil, err
		}
		if out.Right, err = c.tableRef(j.Rarg); err != nil {
			return nil, err
		}
		for _, u := range j.UsingClause {
			out.Using = append(out.Using, u.GetString_().Sval)
		}
		if j.Quals != nil {
			if out.On, err = c.expr(j.Quals); err != nil {
				return nil, err
			}
		}
		out.Alias, out.ColAliases = aliasOf(j.Alias)
		return out, nil
	}
	return nil, c.unsupported(-1, "this FROM item is not supported yet")
}

func (c *converter) typeName(t *pg.TypeName) (*ast.TypeName, error) {
	if t == nil {
		return nil, sqlerr.Internal("missing type name")
	}
	var names []string
	for _, n := range t.Names {
		names = append(names, n.GetString_().Sval)
	}
	name := names[len(names)-1]
	if len(names) > 1 && names[0] != "pg_catalog" {
		return nil, sqlerr.New(sqlerr.UndefinedObject, "type \"%s\" does not exist", strings.Join(names, ".")).WithPosition(c.loc(t.Location) + 1)
	}
	out := &ast.TypeName{Name: strings.ToLower(name), Pos: c.loc(t.Location), Array: len(t.ArrayBounds) > 0}
	for _, m := range t.Typmods {
		ac := m.GetAConst()
		if ac == nil || ac.GetIval() == nil {
			return nil, c.unsupported(t.Location, "type modifiers must be integer constants")
		}
		out.Mods = append(out.Mods, int(ac.GetIval().Ival))
	}
	// The grammar spells "timestamp with time zone" as pg_catalog.timestamptz
	// and interval field qualifiers as a typmod; fold the latter away.
	if out.Name == "interval" {
		out.Mods = nil
	}
	return out, nil
}

func (c *converter) exprs(ns []*pg.Node) ([]ast.Expr, error) {
	out := make([]ast.Expr, 0, len(ns))
	for _, n := range ns {
		e, err := c.expr(n)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

func (c *converter) expr(n *pg.Node) (ast.Expr, error) {
	if n == nil {
		return nil, nil
	}
	switch x := n.Node.(type) {
	case *pg.Node_AConst:
		return c.aconst(x.AConst), nil
	case *pg.Node_ParamRef:
		return &ast.Param{N: int(x.ParamRef.Number), Pos: c.loc(x.ParamRef.Location)}, nil
	case *pg.Node_SetToDefault:
		return &ast.Default{Pos: c.loc(x.SetToDefault.Location)}, nil
	case *pg.Node_ColumnRef:
		cr := &ast.ColumnRef{Pos: c.loc(x.ColumnRef.Location)}
		for _, f := range x.ColumnRef.Fields {
			if f.GetAStar() != nil {
				cr.Star = true
				continue
			}
			cr.Names = append(cr.Names, f.GetString_().Sval)
		}
		return cr, nil
	case *pg.Node_TypeCast:
		arg, err := c.expr(x.TypeCast.Arg)
		if err != nil {
			return nil, err
		}
		tn, err := c.typeName(x.TypeCast.TypeName)
		if err != nil {
			return nil, err
		}
		return &ast.Cast{X: arg, Type: tn, Pos: c.loc(x.TypeCast.Location)}, nil
	case *pg.Node_FuncCall:
		f := x.FuncCall
		if f.FuncVariadic {
			return nil, c.unsupported(f.Location, "VARIADIC calls are not supported yet")
		}
		out := &ast.FuncCall{Star: f.AggStar, Distinct: f.AggDistinct, WithinGroup: f.AggWithinGroup, Pos: c.loc(f.Location)}
		if f.AggFilter != nil {
			flt, err := c.expr(f.AggFilter)
			if err != nil {
				return nil, err
			}
			out.Filter = flt
		}
		if len(f.AggOrder) > 0 {
			ob, err := c.sortClause(f.AggOrder)
			if err != nil {
				return nil, err
			}
			out.OrderBy = ob
		}
		if f.Over != nil {
			over, err := c.windowDef(f.Over)
			if err != nil {
				return nil, err
			}
			w := &ast.Window{Frame: over.FrameOptions, Pos: c.loc(over.Location)}
			if w.PartitionBy, err = c.exprs(over.PartitionClause); err != nil {
				return nil, err
			}
			if w.OrderBy, err = c.sortClause(over.OrderClause); err != nil {
				return nil, err
			}
			if w.Start, err = c.expr(over.StartOffset); err != nil {
				return nil, err
			}
			if w.End, err = c.expr(over.EndOffset); err != nil {
				return nil, err
			}
			out.Over = w
		}
		for _, nm := range f.Funcname {
			out.Name = append(out.Name, strings.ToLower(nm.GetString_().Sval))
		}
		args, err := c.exprs(f.Args)
		if err != nil {
			return nil, err
		}
		out.Args = args
		return out, nil
	case *pg.Node_AExpr:
		return c.aexpr(x.AExpr)
	case *pg.Node_BoolExpr:
		args, err := c.exprs(x.BoolExpr.Args)
		if err != nil {
			return nil, err
		}
		op := ast.And
		switch x.BoolExpr.Boolop {
		case pg.BoolExprType_OR_EXPR:
			op = ast.Or
		case pg.BoolExprType_NOT_EXPR:
			op = ast.Not
		}
		return &ast.BoolExpr{Op: op, Args: args, Pos: c.loc(x.BoolExpr.Location)}, nil
	case *pg.Node_NullTest:
		arg, err := c.expr(x.NullTest.Arg)
		if err != nil {
			return nil, err
		}
		return &ast.NullTest{X: arg, Not: x.NullTest.Nulltesttype == pg.NullTestType_IS_NOT_NULL, Pos: c.loc(x.NullTest.Location)}, nil
	case *pg.Node_BooleanTest:
		bt := x.BooleanTest
		arg, err := c.expr(bt.Arg)
		if err != nil {
			return nil, err
		}
		val := &ast.Const{Kind: ast.ConstBool, Val: "t", Pos: -1}
		op := "IS NOT DISTINCT FROM"
		switch bt.Booltesttype {
		case pg.BoolTestType_IS_FALSE:
			val.Val = "f"
		case pg.BoolTestType_IS_NOT_TRUE:
			op = "IS DISTINCT FROM"
		case pg.BoolTestType_IS_NOT_FALSE:
			val.Val, op = "f", "IS DISTINCT FROM"
		case pg.BoolTestType_IS_UNKNOWN:
			return &ast.NullTest{X: arg, Pos: c.loc(bt.Location)}, nil
		case pg.BoolTestType_IS_NOT_UNKNOWN:
			return &ast.NullTest{X: arg, Not: true, Pos: c.loc(bt.Location)}, nil
		}
		return &ast.BinaryExpr{Op: op, L: arg, R: val, Pos: c.loc(bt.Location)}, nil
	case *pg.Node_CaseExpr:
		ce := x.CaseExpr
		out := &ast.CaseExpr{Pos: c.loc(ce.Location)}
		var err error
		if out.Arg, err = c.expr(ce.Arg); err != nil {
			return nil, err
		}
		for _, w := range ce.Args {
			cw := w.GetCaseWhen()
			cond, err := c.expr(cw.Expr)
			if err != nil {
				return nil, err
			}
			res, err := c.expr(cw.Result)
			if err != nil {
				return nil, err
			}
			out.Whens = append(out.Whens, ast.When{Cond: cond, Result: res})
		}
		if out.Else, err = c.expr(ce.Defresult); err != nil {
			return nil, err
		}
		return out, nil
	case *pg.Node_CoalesceExpr:
		args, err := c.exprs(x.CoalesceExpr.Args)
		if err != nil {
			return nil, err
		}
		return &ast.Coalesce{Args: args, Pos: c.loc(x.CoalesceExpr.Location)}, nil
	case *pg.Node_MinMaxExpr:
		args, err := c.exprs(x.MinMaxExpr.Args)
		if err != nil {
			return nil, err
		}
		return &ast.MinMax{Greatest: x.MinMaxExpr.Op == pg.MinMaxOp_IS_GREATEST, Args: args, Pos: c.loc(x.MinMaxExpr.Location)}, nil
	case *pg.Node_SqlvalueFunction:
		return c.sqlValue(x.SqlvalueFunction), nil
	case *pg.Node_SubLink:
		sl := x.SubLink
		q, err := c.selectStmt(sl.Subselect.GetSelectStmt())
		if err != nil {
			return nil, err
		}
		out := &ast.SubLink{Query: q, Pos: c.loc(sl.Location), Op: "="}
		switch sl.SubLinkType {
		case pg.SubLinkType_EXPR_SUBLINK:
			out.Kind = ast.ExprSubLink
		case pg.SubLinkType_EXISTS_SUBLINK:
			out.Kind = ast.ExistsSubLink
		case pg.SubLinkType_ANY_SUBLINK:
			out.Kind = ast.AnySubLink
		case pg.SubLinkType_ALL_SUBLINK:
			out.Kind = ast.AllSubLink
		case pg.SubLinkType_ARRAY_SUBLINK:
			out.Kind = ast.ArraySubLink
		default:
			return nil, c.unsupported(sl.Location, "this form of subquery is not supported yet")
		}
		for _, n := range sl.OperName {
			out.Op = n.GetString_().Sval
		}
		if sl.Testexpr != nil {
			if out.Test, err = c.expr(sl.Testexpr); err != nil {
				return nil, err
			}
		}
		return out, nil
	case *pg.Node_AArrayExpr:
		elems, err := c.exprs(x.AArrayExpr.Elements)
		if err != nil {
			return nil, err
		}
		for _, e := range elems {
			if _, nested := e.(*ast.ArrayExpr); nested {
				return nil, c.unsupported(x.AArrayExpr.Location, "multidimensional arrays are not supported yet")
			}
		}
		return &ast.ArrayExpr{Elems: elems, Pos: c.loc(x.AArrayExpr.Location)}, nil
	case *pg.Node_AIndirection:
		arg, err := c.expr(x.AIndirection.Arg)
		if err != nil {
			return nil, err
		}
		for _, ind := range x.AIndirection.Indirection {
			ix := ind.GetAIndices()
			if ix == nil {
				if name := ind.GetString_(); name != nil {
					arg = &ast.FieldSelect{X: arg, Field: name.Sval, Pos: ast.PosOf(arg)}
					continue
				}
				return nil, c.unsupported(-1, "(value).* is not supported yet")
			}
			sub := &ast.Subscript{X: arg, Slice: ix.IsSlice, Pos: -1}
			if ix.IsSlice {
				if sub.Lo, err = c.expr(ix.Lidx); err != nil {
					return nil, err
				}
				if sub.Hi, err = c.expr(ix.Uidx); err != nil {
					return nil, err
				}
			} else if sub.Index, err = c.expr(ix.Uidx); err != nil {
				return nil, err
			}
			arg = sub
		}
		return arg, nil
	case *pg.Node_GroupingFunc:
		args, err := c.exprs(x.GroupingFunc.Args)
		if err != nil {
			return nil, err
		}
		return &ast.FuncCall{Name: []string{"grouping"}, Args: args, Pos: c.loc(x.GroupingFunc.Location)}, nil
	case *pg.Node_RowExpr:
		args, err := c.exprs(x.RowExpr.Args)
		if err != nil {
			return nil, err
		}
		return &ast.RowExpr{Args: args, Pos: c.loc(x.RowExpr.Location)}, nil
	case *pg.Node_CollateClause:
		// COLLATE "C"/pg_catalog.default: text compares bytewise already.
		return c.expr(x.CollateClause.Arg)
	}
	return nil, c.unsupported(-1, "expression %s is not supported yet", nodeName(n))
}

func nodeName(n *pg.Node) string {
	s := n.String()
	if i := strings.IndexAny(s, ":{ "); i > 0 {
		s = s[:i]
	}
	return strings.TrimSuffix(s, "_")
}

func (c *converter) sqlValue(v *pg.SQLValueFunction) ast.Expr {
	name := map[pg.SQLValueFunctionOp]string{
		pg.SQLValueFunctionOp_SVFOP_CURRENT_DATE:        "current_date",
		pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP:   "now",
		pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N: "now",
		pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP:      "localtimestamp",
		pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N:    "localtimestamp",
		pg.SQLValueFunctionOp_SVFOP_CURRENT_ROLE:        "current_user",
		pg.SQLValueFunctionOp_SVFOP_CURRENT_USER:        "current_user",
		pg.SQLValueFunctionOp_SVFOP_USER:                "current_user",
		pg.SQLValueFunctionOp_SVFOP_SESSION_USER:        "session_user",
		pg.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG:     "current_database",
		pg.SQLValueFunctionOp_SVFOP_CURRENT_SCHEMA:      "current_schema",
		pg.SQLValueFunctionOp_SVFOP_CURRENT_TIME:        "current_time",
		pg.SQLValueFunctionOp_SVFOP_CURRENT_TIME_N:      "current_time",
		pg.SQLValueFunctionOp_SVFOP_LOCALTIME:           "localtime",
		pg.SQLValueFunctionOp_SVFOP_LOCALTIME_N:         "localtime",
	}[v.Op]
	label := strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(v.Op.String(), "SVFOP_"), "_N"))
	return &ast.FuncCall{Name: []string{name}, Label: label, Pos: c.loc(v.Location)}
}

func (c *converter) aconst(a *pg.A_Const) ast.Expr {
	pos := c.loc(a.Location)
	switch {
	case a.Isnull:
		return &ast.Const{Kind: ast.ConstNull, Pos: pos}
	case a.GetIval() != nil:
		return &ast.Const{Kind: ast.ConstInt, Val: strconv.Itoa(int(a.GetIval().Ival)), Pos: pos}
	case a.GetFval() != nil:
		v := a.GetFval().Fval
		// Integer literals too large for int4 arrive as Float; int8 if they fit.
		if _, err := strconv.ParseInt(v, 10, 64); err == nil {
			return &ast.Const{Kind: ast.ConstInt, Val: v, Pos: pos}
		}
		return &ast.Const{Kind: ast.ConstNumeric, Val: v, Pos: pos}
	case a.GetBoolval() != nil:
		v := "f"
		if a.GetBoolval().Boolval {
			v = "t"
		}
		return &ast.Const{Kind: ast.ConstBool, Val: v, Pos: pos}
	case a.GetSval() != nil:
		return &ast.Const{Kind: ast.ConstString, Val: a.GetSval().Sval, Pos: pos}
	case a.GetBsval() != nil:
		return &ast.Const{Kind: ast.ConstString, Val: a.GetBsval().Bsval, Pos: pos}
	}
	return &ast.Const{Kind: ast.ConstNull, Pos: pos}
}

func (c *converter) aexpr(a *pg.A_Expr) (ast.Expr, error) {
	pos := c.loc(a.Location)
	var op string
	for _, n := range a.Name {
		op = n.GetString_().Sval // the last part; OPERATOR(pg_catalog.~) qualifies it
	}
	l, err := c.expr(a.Lexpr)
	if err != nil {
		return nil, err
	}
	switch a.Kind {
	case pg.A_Expr_Kind_AEXPR_OP:
		r, err := c.expr(a.Rexpr)
		if err != nil {
			return nil, err
		}
		if l == nil {
			return &ast.UnaryExpr{Op: op, X: r, Pos: pos}, nil
		}
		return &ast.BinaryExpr{Op: op, L: l, R: r, Pos: pos}, nil
	case pg.A_Expr_Kind_AEXPR_DISTINCT, pg.A_Expr_Kind_AEXPR_NOT_DISTINCT:
		r, err := c.expr(a.Rexpr)
		if err != nil {
			return nil, err
		}
		o := "IS DISTINCT FROM"
		if a.Kind == pg.A_Expr_Kind_AEXPR_NOT_DISTINCT {
			o = "IS NOT DISTINCT FROM"
		}
		return &ast.BinaryExpr{Op: o, L: l, R: r, Pos: pos}, nil
	case pg.A_Expr_Kind_AEXPR_NULLIF:
		r, err := c.expr(a.Rexpr)
		if err != nil {
			return nil, err
		}
		return &ast.NullIf{L: l, R: r, Pos: pos}, nil
	case pg.A_Expr_Kind_AEXPR_IN:
		list, err := c.exprs(a.Rexpr.GetList().GetItems())
		if err != nil {
			return nil, err
		}
		return &ast.InList{X: l, List: list, Not: op == "<>", Pos: pos}, nil
	case pg.A_Expr_Kind_AEXPR_LIKE, pg.A_Expr_Kind_AEXPR_ILIKE, pg.A_Expr_Kind_AEXPR_SIMILAR:
		// x SIMILAR TO p arrives as x ~ similar_to_escape(p), as in PostgreSQL.
		r, err := c.expr(a.Rexpr)
		if err != nil {
			return nil, err
		}
		return &ast.BinaryExpr{Op: op, L: l, R: r, Pos: pos}, nil
	case pg.A_Expr_Kind_AEXPR_BETWEEN, pg.A_Expr_Kind_AEXPR_NOT_BETWEEN, pg.A_Expr_Kind_AEXPR_BETWEEN_SYM, pg.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM:
		items, err := c.exprs(a.Rexpr.GetList().GetItems())
		if err != nil {
			return nil, err
		}
		not := a.Kind == pg.A_Expr_Kind_AEXPR_NOT_BETWEEN || a.Kind == pg.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM
		b := &ast.Between{X: l, Lo: items[0], Hi: items[1], Pos: pos}
		if a.Kind == pg.A_Expr_Kind_AEXPR_BETWEEN_SYM || a.Kind == pg.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM {
			// x BETWEEN SYMMETRIC a AND b: either order of the bounds.
			var out ast.Expr = &ast.BoolExpr{Op: ast.Or, Args: []ast.Expr{b, &ast.Between{X: l, Lo: items[1], Hi: items[0], Pos: pos}}, Pos: pos}
			if not {
				out = &ast.BoolExpr{Op: ast.Not, Args: []ast.Expr{out}, Pos: pos}
			}
			return out, nil
		}
		b.Not = not
		return b, nil
	case pg.A_Expr_Kind_AEXPR_OP_ANY, pg.A_Expr_Kind_AEXPR_OP_ALL:
		r, err := c.expr(a.Rexpr)
		if err != nil {
			return nil, err
		}
		return &ast.ArrayCmp{Op: op, All: a.Kind == pg.A_Expr_Kind_AEXPR_OP_ALL, X: l, Array: r, Pos: pos}, nil
	}
	return nil, c.unsupported(a.Location, "operator form %s is not supported yet", a.Kind)
}

// qualified splits a List of String nodes (schema.name) into a TableName.
func qualified(n *pg.Node) *ast.TableName {
	var names []string
	if l := n.GetList(); l != nil {
		for _, it := range l.GetItems() {
			names = append(names, it.GetString_().Sval)
		}
	} else if s := n.GetString_(); s != nil {
		names = []string{s.Sval}
	}
	if len(names) == 0 {
		return &ast.TableName{Pos: -1}
	}
	tn := &ast.TableName{Name: names[len(names)-1], Pos: -1}
	if len(names) > 1 {
		tn.Schema = names[len(names)-2]
	}
	return tn
}
