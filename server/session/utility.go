package session

import (
	"context"
	"fmt"
	"strings"

	"github.com/sluicedb/sluice/catalog"
	"github.com/sluicedb/sluice/planner"
	"github.com/sluicedb/sluice/planner/bind"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/server/pgwire"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/parse"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// utility runs a statement that is not a plain query and returns its tag
// ("" when it already wrote its own completion).
func (s *Session) utility(ctx context.Context, p *portal, w *pgwire.ResultWriter, describe bool) (string, error) {
	st := p.prep.stmt
	defer s.flushNotices(w)
	switch st.AST.(type) {
	case *ast.CreateTable, *ast.DropTable, *ast.CreateSchema, *ast.DropObjects, *ast.CreateView, *ast.Rename,
		*ast.AlterColumns, *ast.Truncate, *ast.Comment:
		// All CREATE, ALTER and DROP commands, COMMENT and TRUNCATE are
		// refused in a read-only transaction (temporary objects included).
		if v, _ := s.set.get("transaction_read_only"); v == "on" {
			return "", sqlerr.New(sqlerr.ReadOnlySQLTransaction, "cannot execute %s in a read-only transaction", st.Tag)
		}
	}
	switch x := st.AST.(type) {
	case *ast.Transaction:
		return s.transaction(x, st.Tag, w)
	case *ast.SetVar:
		err := s.setVar(x)
		s.flushNotices(w)
		return st.Tag, err
	case *ast.ShowVar:
		return s.show(x, w, p.formats, describe)
	case *ast.Insert:
		n, rows, err := s.insert(ctx, p)
		if err != nil {
			return "", err
		}
		if err := s.sendReturning(ctx, p, rows, w, describe); err != nil {
			return "", err
		}
		return fmt.Sprintf("INSERT 0 %d", n), nil
	case *ast.CreateTable:
		return s.createTable(ctx, x, st.Tag)
	case *ast.DropTable:
		return st.Tag, s.dropTable(x)
	case *ast.CreateSchema:
		return st.Tag, s.createSchema(x)
	case *ast.DropObjects:
		return st.Tag, s.dropObjects(x)
	case *ast.CreateView:
		return st.Tag, s.createView(x)
	case *ast.Rename:
		return st.Tag, s.rename(x)
	case *ast.AlterColumns:
		return st.Tag, s.alterColumns(x)
	case *ast.Truncate:
		return st.Tag, s.truncate(x)
	case *ast.Comment:
		return st.Tag, s.comment(x)
	case *ast.Vacuum:
		return st.Tag, s.vacuum(x)
	case *ast.Analyze:
		return st.Tag, s.analyze(ctx, x)
	case *ast.Merge:
		n, err := s.merge(ctx, x, p.prep.paramTypes, p.params)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("MERGE %d", n), nil
	case *ast.Delete:
		n, rows, err := s.rewriteRows(ctx, dmlOf(x), p.prep.paramTypes, p.params, p.prep.ret != nil)
		if err != nil {
			return "", err
		}
		if err := s.sendReturning(ctx, p, rows, w, describe); err != nil {
			return "", err
		}
		return fmt.Sprintf("DELETE %d", n), nil
	case *ast.Update:
		n, rows, err := s.rewriteRows(ctx, dmlOf(x), p.prep.paramTypes, p.params, p.prep.ret != nil)
		if err != nil {
			return "", err
		}
		if err := s.sendReturning(ctx, p, rows, w, describe); err != nil {
			return "", err
		}
		return fmt.Sprintf("UPDATE %d", n), nil
	case *ast.Declare:
		return st.Tag, s.declare(x)
	case *ast.Fetch:
		return s.fetch(ctx, x, w, p.formats, describe)
	case *ast.ClosePortal:
		if x.Name == "" {
			for name, c := range s.portals {
				if c.cursor {
					c.close()
					delete(s.portals, name)
				}
			}
			return st.Tag, nil
		}
		c, ok := s.portals[x.Name]
		if !ok || !c.cursor {
			return "", sqlerr.New(sqlerr.InvalidCursorName, "cursor \"%s\" does not exist", x.Name)
		}
		c.close()
		delete(s.portals, x.Name)
		return st.Tag, nil
	case *ast.Prepare:
		return st.Tag, s.sqlPrepare(x)
	case *ast.Execute:
		return s.sqlExecute(ctx, x, w, p.formats, describe)
	case *ast.Deallocate:
		if x.All {
			s.prepared = map[string]*prepared{}
			return st.Tag, nil
		}
		if _, ok := s.prepared[x.Name]; !ok {
			return "", sqlerr.New(sqlerr.InvalidSQLStatementName, "prepared statement \"%s\" does not exist", x.Name)
		}
		delete(s.prepared, x.Name)
		return st.Tag, nil
	case *ast.Discard:
		return st.Tag, s.discard(x)
	case *ast.Copy:
		return s.copy(ctx, x, p, w)
	case *ast.CreateRole:
		return st.Tag, s.createRole(x)
	case *ast.AlterRole:
		return st.Tag, s.alterRole(x)
	case *ast.DropRole:
		if !s.super {
			return "", sqlerr.New(sqlerr.InsufficientPrivilege, "permission denied to drop role")
		}
		for _, n := range x.Names {
			if n == s.user {
				return "", sqlerr.New(sqlerr.ObjectInUse, "current user cannot be dropped")
			}
			if err := s.m.Roles.Drop(n, x.IfExists); err != nil {
				return "", err
			}
		}
		return st.Tag, nil
	case *ast.Explain:
		return s.explain(ctx, x, p, w, describe)
	case *ast.Unsupported:
		return "", sqlerr.Unsupported("%s is not supported", x.Tag)
	}
	return "", sqlerr.Unsupported("statement %s is not supported", st.Tag)
}

// setVar runs SET/RESET.
func (s *Session) setVar(x *ast.SetVar) error {
	name := x.Name
	switch name {
	case "timezone":
		name = "TimeZone"
	case "names":
		name = "client_encoding"
	case "session_authorization":
		if x.Kind == ast.SetDefault || x.Kind == ast.SetReset {
			return nil
		}
		if len(x.Values) == 1 && x.Values[0] == s.user {
			return nil
		}
		return sqlerr.Unsupported("SET SESSION AUTHORIZATION to another role is not supported")
	case "role":
		if x.Kind == ast.SetValue && len(x.Values) == 1 && x.Values[0] != "none" && x.Values[0] != s.user {
			if _, ok := s.m.Roles.Get(x.Values[0]); !ok {
				return sqlerr.New(sqlerr.UndefinedObject, "role \"%s\" does not exist", x.Values[0])
			}
			return sqlerr.Unsupported("SET ROLE to another role is not supported")
		}
		return nil
	}
	switch x.Kind {
	case ast.SetTxModes:
		if x.Modes.Isolation != "" {
			if _, err := checkIsolation(x.Modes.Isolation); err != nil {
				return err
			}
		}
		if x.Session {
			if x.Modes.Isolation != "" {
				s.set.vals["default_transaction_isolation"] = x.Modes.Isolation
			}
			if x.Modes.ReadOnly != nil {
				s.set.vals["default_transaction_read_only"] = onOff(*x.Modes.ReadOnly)
			}
			if x.Modes.Deferrable != nil {
				s.set.vals["default_transaction_deferrable"] = onOff(*x.Modes.Deferrable)
			}
			return nil
		}
		if s.tx != txExplicit {
			s.notices = append(s.notices, warning(sqlerr.NoActiveSQLTransaction, "SET TRANSACTION can only be used in transaction blocks"))
			return nil
		}
		s.applyModes(x.Modes)
		return nil
	case ast.SetResetAll:
		for _, d := range settingList {
			if !d.readOnly && d.name != "session_authorization" {
				s.set.vals[strings.ToLower(d.name)] = d.def
			}
		}
		s.set.local = map[string]string{}
		return nil
	case ast.SetReset, ast.SetDefault:
		k := strings.ToLower(name)
		d, ok := settingsByKey[k]
		if !ok {
			if strings.Contains(k, ".") {
				s.set.vals[k] = ""
				return nil
			}
			return unrecognized(name)
		}
		if d.readOnly {
			return sqlerr.New(sqlerr.CantChangeRuntimeParam, "parameter \"%s\" cannot be changed", d.name)
		}
		if x.Local {
			s.set.local[k] = d.def
		} else {
			s.set.vals[k] = d.def
			delete(s.set.local, k)
		}
		return nil
	case ast.SetCurrent:
		return nil
	}
	value := strings.Join(x.Values, ", ")
	if name == "search_path" {
		parts := make([]string, len(x.Values))
		for i, v := range x.Values {
			parts[i] = quoteIdentIfNeeded(v)
		}
		value = strings.Join(parts, ", ")
	}
	k, v, err := validate(name, value)
	if err != nil {
		return err
	}
	if k == "transaction_isolation" && s.tx == txExplicit {
		s.txModes.Isolation = v
	}
	if x.Local {
		if s.tx == txExplicit || s.tx == txFailed {
			s.set.local[k] = v
		}
		// PostgreSQL warns and ignores SET LOCAL outside a transaction block.
		if s.tx != txExplicit && s.tx != txFailed {
			s.notices = append(s.notices, warning(sqlerr.NoActiveSQLTransaction, "SET LOCAL can only be used in transaction blocks"))
		}
		return nil
	}
	s.set.vals[k] = v
	delete(s.set.local, k)
	return nil
}

func quoteIdentIfNeeded(v string) string {
	if v == "" {
		return `""`
	}
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
		}
	}
	return v
}

func showColumns(x *ast.ShowVar) []plan.Column {
	if x.Name == "all" {
		return []plan.Column{{Name: "name", Type: types.Text}, {Name: "setting", Type: types.Text}, {Name: "description", Type: types.Text}}
	}
	name := x.Name
	if d, ok := settingsByKey[name]; ok {
		name = d.name
	}
	return []plan.Column{{Name: name, Type: types.Text}}
}

// show runs SHOW name | SHOW ALL.
func (s *Session) show(x *ast.ShowVar, w *pgwire.ResultWriter, formats []int16, describe bool) (string, error) {
	var rows [][]types.Datum
	if x.Name == "all" {
		for _, n := range settingNames() {
			v, _ := s.set.get(n)
			rows = append(rows, []types.Datum{n, v, settingsByKey[strings.ToLower(n)].desc})
		}
	} else {
		v, ok := s.set.get(x.Name)
		if !ok {
			return "", unrecognized(x.Name)
		}
		rows = append(rows, []types.Datum{v})
	}
	return "SHOW", s.sendDatumRows(showColumns(x), rows, w, formats, describe)
}

// sendDatumRows writes a small, already materialized result.
func (s *Session) sendDatumRows(cols []plan.Column, rows [][]types.Datum, w *pgwire.ResultWriter, formats []int16, describe bool) error {
	if describe {
		w.RowDescription(wireColumns(cols), formats)
	}
	rb, err := planner.BuildBatch(cols, rows)
	if err != nil {
		return err
	}
	defer rb.Release()
	ct := make([]types.Type, len(cols))
	for i, c := range cols {
		ct[i] = c.Type
	}
	w.BeginRows(ct, formats, s.format())
	return w.WriteBatch(rb, 0, int(rb.NumRows()))
}

// insert runs INSERT; with RETURNING it also returns the rows written.
func (s *Session) insert(ctx context.Context, p *portal) (int64, [][]types.Datum, error) {
	ins := p.prep.ins
	if st, ok := ins.Table.(*plan.SourceTable); ok {
		return s.insertLake(ctx, p, st)
	}
	mt := ins.Table.(*plan.MemTable)
	if t := s.temp[mt.Name]; t != mt {
		return 0, nil, sqlerr.New(sqlerr.UndefinedTable, "relation \"%s\" does not exist", mt.Name)
	}
	if err := s.checkWritable(); err != nil {
		return 0, nil, err
	}
	rows, err := ins.Rows(ctx, s.env(), p.params)
	if err != nil {
		return 0, nil, err
	}
	s.undo = append(s.undo, undoEntry{table: mt, prevLen: mt.Len()})
	mt.Append(rows)
	n := int64(len(rows))
	if p.prep.ret == nil {
		rows = nil
	}
	return n, rows, nil
}

// sendReturning sends the RETURNING rows of an INSERT, UPDATE or DELETE
// (nothing when it has no RETURNING list).
func (s *Session) sendReturning(ctx context.Context, p *portal, written [][]types.Datum, w *pgwire.ResultWriter, describe bool) error {
	ret := p.prep.ret
	if ret == nil {
		return nil
	}
	rows, err := ret.Rows(ctx, s.env(), p.params, written)
	if err != nil {
		return err
	}
	return s.sendDatumRows(ret.Columns, rows, w, p.formats, describe)
}

func (s *Session) checkWritable() error {
	if v, _ := s.set.get("transaction_read_only"); v == "on" {
		return sqlerr.New(sqlerr.ReadOnlySQLTransaction, "cannot execute INSERT in a read-only transaction")
	}
	return nil
}

func (s *Session) createTable(ctx context.Context, x *ast.CreateTable, tag string) (string, error) {
	if !x.Temp {
		return s.createDurableTable(ctx, x, tag)
	}
	if x.Table.Schema != "" && x.Table.Schema != "pg_temp" {
		return "", sqlerr.New(sqlerr.InvalidTableDefinition, "cannot create temporary relation in non-temporary schema")
	}
	if _, ok := s.temp[x.Table.Name]; ok {
		if x.IfNotExists {
			return "CREATE TABLE", nil
		}
		return "", sqlerr.New(sqlerr.DuplicateTable, "relation \"%s\" already exists", x.Table.Name)
	}
	if x.AsQuery != nil {
		pl, cols, err := s.bindCreateAs(x)
		if err != nil {
			return "", err
		}
		t := plan.NewMemTable("pg_temp", x.Table.Name, cols)
		t.OID = s.nextRelOID()
		rows, err := planner.CollectRows(ctx, pl, s.env(), nil)
		if err != nil {
			return "", err
		}
		t.Append(rows)
		s.temp[t.Name] = t
		s.tempGen++
		s.tempGen++
		s.undo = append(s.undo, undoEntry{created: t.Name})
		return fmt.Sprintf("SELECT %d", len(rows)), nil
	}
	cols := make([]plan.Column, len(x.Columns))
	seen := map[string]bool{}
	for i, c := range x.Columns {
		if seen[c.Name] {
			return "", sqlerr.New(sqlerr.DuplicateColumn, "column \"%s\" specified more than once", c.Name)
		}
		seen[c.Name] = true
		col, err := columnOf(c)
		if err != nil {
			return "", err
		}
		cols[i] = col
	}
	t := plan.NewMemTable("pg_temp", x.Table.Name, cols)
	t.OID = s.nextRelOID()
	s.temp[t.Name] = t
	s.tempGen++
	s.undo = append(s.undo, undoEntry{created: t.Name})
	return tag, nil
}

func (s *Session) dropTable(x *ast.DropTable) error {
	for _, tn := range x.Tables {
		t, ok := s.temp[tn.Name]
		if tn.Schema != "" && tn.Schema != "pg_temp" {
			ok = false
		}
		if !ok {
			if r := s.lookupRel(s.catState(), tn.Schema, tn.Name); r != nil && tn.Schema != "pg_temp" {
				if err := s.dropRelation(r, catalog.Managed, x.Cascade); err != nil {
					return err
				}
				continue
			}
			if x.IfExists {
				s.notices = append(s.notices, sqlerr.Notice{Severity: sqlerr.SeverityNotice, Code: sqlerr.SuccessfulCompletion,
					Message: fmt.Sprintf("table \"%s\" does not exist, skipping", tn.Name)})
				continue
			}
			return sqlerr.New(sqlerr.UndefinedTable, "table \"%s\" does not exist", tn.Name)
		}
		delete(s.temp, tn.Name)
		s.tempGen++
		s.undo = append(s.undo, undoEntry{dropped: t})
	}
	return nil
}

func (s *Session) discard(x *ast.Discard) error {
	switch x.What {
	case "ALL":
		if s.tx == txExplicit || s.tx == txFailed {
			return sqlerr.New(sqlerr.ActiveSQLTransaction, "DISCARD ALL cannot run inside a transaction block")
		}
		for name, p := range s.portals {
			p.close()
			delete(s.portals, name)
		}
		s.prepared = map[string]*prepared{}
		s.temp = map[string]*plan.MemTable{}
		s.tempGen++
		for _, d := range settingList {
			if !d.readOnly && d.name != "session_authorization" {
				s.set.vals[strings.ToLower(d.name)] = d.def
			}
		}
	case "PLANS":
	case "TEMP":
		s.temp = map[string]*plan.MemTable{}
		s.tempGen++
	}
	return nil
}

// declare opens a SQL cursor.
func (s *Session) declare(x *ast.Declare) error {
	if !x.Hold && s.tx != txExplicit {
		return sqlerr.New(sqlerr.NoActiveSQLTransaction, "DECLARE CURSOR can only be used in transaction blocks")
	}
	if _, dup := s.portals[x.Name]; dup {
		return sqlerr.New(sqlerr.DuplicateCursor, "cursor \"%s\" already exists", x.Name)
	}
	sel, ok := x.Query.(*ast.Select)
	if !ok {
		return sqlerr.New(sqlerr.InvalidCursorDefinition, "cursor can only scan a query")
	}
	plan, err := bind.BindQuery(sel, nil, s.tables())
	if err != nil {
		return err
	}
	if plan.Err != nil {
		return plan.Err
	}
	var formats []int16
	if x.Binary {
		formats = []int16{1}
	}
	prep := &prepared{stmt: &parse.Statement{AST: sel, Tag: "SELECT"}, plan: plan}
	s.portals[x.Name] = &portal{name: x.Name, prep: prep, cursor: true, hold: x.Hold, cols: plan.Columns, formats: formats}
	return nil
}

// fetch runs FETCH/MOVE on a SQL cursor.
func (s *Session) fetch(ctx context.Context, x *ast.Fetch, w *pgwire.ResultWriter, formats []int16, describe bool) (string, error) {
	c, ok := s.portals[x.Name]
	if !ok || !c.cursor {
		return "", sqlerr.New(sqlerr.InvalidCursorName, "cursor \"%s\" does not exist", x.Name)
	}
	count := x.Count
	switch x.Dir {
	case ast.FetchBackward:
		return "", sqlerr.New(sqlerr.ObjectNotInPrerequisiteState, "cursor can only scan forward").
			WithHint("Declare it with SCROLL option to enable backward scan.")
	case ast.FetchAbsolute, ast.FetchRelative:
		target := x.Count
		if x.Dir == ast.FetchRelative {
			target = c.pos + x.Count
		}
		if target < c.pos {
			return "", sqlerr.New(sqlerr.ObjectNotInPrerequisiteState, "cursor can only scan forward").
				WithHint("Declare it with SCROLL option to enable backward scan.")
		}
		// Skip to the row before target, then fetch one.
		if skip := target - c.pos - 1; skip > 0 {
			if _, _, err := s.sendRows(ctx, c, int(skip), discardWriter(w)); err != nil {
				return "", err
			}
		}
		count = 1
		if target == c.pos {
			count = 0
		}
	}
	verb := "FETCH"
	out := w
	if x.Move {
		verb = "MOVE"
		out = discardWriter(w)
	}
	rowFormats := c.formats
	if formats != nil {
		rowFormats = formats
	}
	saved := c.formats
	c.formats = rowFormats
	defer func() { c.formats = saved }()
	if describe && !x.Move {
		w.RowDescription(wireColumns(c.cols), rowFormats)
	}
	if count == 0 {
		return fmt.Sprintf("%s 0", verb), nil
	}
	max := int(min(count, int64(1<<31-1)))
	if count == ast.FetchAll {
		max = 0
	}
	n, _, err := s.sendRows(ctx, c, max, out)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s %d", verb, n), nil
}

func discardWriter(w *pgwire.ResultWriter) *pgwire.ResultWriter { return w.Discard() }

func (s *Session) sqlPrepare(x *ast.Prepare) error {
	if _, dup := s.prepared[x.Name]; dup {
		return sqlerr.New(sqlerr.DuplicatePreparedStatement, "prepared statement \"%s\" already exists", x.Name)
	}
	pt := make([]types.Type, len(x.ArgTypes))
	for i, tn := range x.ArgTypes {
		t, err := planner.TypeOf(tn)
		if err != nil {
			return err
		}
		pt[i] = t
	}
	st := &parse.Statement{AST: x.Query, SQL: x.SQL, Tag: tagOf(x.Query)}
	prep, err := s.prepare(st, pt, x.SQL)
	if err != nil {
		return err
	}
	prep.name, prep.fromSQL = x.Name, true
	s.prepared[x.Name] = prep
	return nil
}

func tagOf(st ast.Stmt) string {
	switch st.(type) {
	case *ast.Select:
		return "SELECT"
	case *ast.Insert:
		return "INSERT"
	}
	return "EXECUTE"
}

func (s *Session) sqlExecute(ctx context.Context, x *ast.Execute, w *pgwire.ResultWriter, formats []int16, describe bool) (string, error) {
	prep, ok := s.prepared[x.Name]
	if !ok {
		return "", sqlerr.New(sqlerr.InvalidSQLStatementName, "prepared statement \"%s\" does not exist", x.Name)
	}
	if len(x.Params) != len(prep.paramTypes) {
		return "", sqlerr.New(sqlerr.SyntaxError, "wrong number of parameters for prepared statement \"%s\"", x.Name).
			WithDetail("Expected %d parameters but got %d.", len(prep.paramTypes), len(x.Params))
	}
	vals, err := bind.EvalConstants(ctx, x.Params, prep.paramTypes, s.env())
	if err != nil {
		return "", err
	}
	p := &portal{prep: prep, params: vals, formats: formats}
	defer p.close()
	if err := s.run(ctx, p, 0, w, describe); err != nil {
		return "", err
	}
	return "", nil
}

func (s *Session) createRole(x *ast.CreateRole) error {
	if !s.super {
		return sqlerr.New(sqlerr.InsufficientPrivilege, "permission denied to create role")
	}
	r := catalog.Role{Name: x.Name, Login: x.User}
	if err := applyRoleOptions(&r, x.Options); err != nil {
		return err
	}
	return s.m.Roles.Create(r)
}

func (s *Session) alterRole(x *ast.AlterRole) error {
	name := x.Name
	if name == "" || name == "current_user" || name == "session_user" {
		name = s.user
	}
	if !s.super {
		if name != s.user {
			return sqlerr.New(sqlerr.InsufficientPrivilege, "permission denied to alter role")
		}
		for _, o := range x.Options {
			if o.Name != "password" {
				return sqlerr.New(sqlerr.InsufficientPrivilege, "permission denied to alter role")
			}
		}
	}
	var optErr error
	err := s.m.Roles.Alter(name, func(r *catalog.Role) { optErr = applyRoleOptions(r, x.Options) })
	if err != nil {
		return err
	}
	return optErr
}

func applyRoleOptions(r *catalog.Role, opts []ast.RoleOption) error {
	for _, o := range opts {
		switch o.Name {
		case "password":
			switch {
			case o.Null:
				r.Verifier = ""
			case strings.HasPrefix(o.Value, "SCRAM-SHA-256$"):
				r.Verifier = o.Value
			case strings.HasPrefix(o.Value, "md5") && len(o.Value) == 35:
				return sqlerr.Unsupported("MD5-encrypted passwords are not supported").WithHint("Give the password in clear text; it is stored as a SCRAM-SHA-256 verifier.")
			default:
				r.Verifier = pgwire.MakeVerifier(o.Value)
			}
		case "canlogin":
			r.Login = o.Bool
		case "superuser":
			r.Superuser = o.Bool
		case "createdb":
			r.CreateDB = o.Bool
		case "createrole":
			r.CreateRole = o.Bool
		case "inherit", "replication", "bypassrls", "connectionlimit", "validUntil", "isreplication":
			// accepted and ignored: sluice has no such privileges yet
		default:
			return sqlerr.Unsupported("role option %s is not supported", o.Name)
		}
	}
	return nil
}

var explainColumns = []plan.Column{{Name: "QUERY PLAN", Type: types.Text}}

// explain runs EXPLAIN [ANALYZE] on a query.
func (s *Session) explain(ctx context.Context, x *ast.Explain, p *portal, w *pgwire.ResultWriter, describe bool) (string, error) {
	sel, ok := x.Query.(*ast.Select)
	if !ok {
		return "", sqlerr.Unsupported("EXPLAIN of this statement is not supported yet")
	}
	plan, err := bind.BindQueryOpts(sel, p.prep.paramTypes, s.tables(), s.disabledRules())
	if err != nil {
		return "", err
	}
	if plan.Err != nil {
		return "", plan.Err
	}
	lines := plan.Explain()
	if !x.NoCosts {
		lines = plan.ExplainCosts()
	}
	if x.Analyze {
		if lines, err = plan.ExplainAnalyze(ctx, s.env(), p.params); err != nil {
			return "", err
		}
	}
	rows := make([][]types.Datum, len(lines))
	for i, l := range lines {
		rows[i] = []types.Datum{l}
	}
	if err := s.sendDatumRows(explainColumns, rows, w, p.formats, describe); err != nil {
		return "", err
	}
	return "EXPLAIN", nil
}

// columnOf is a CREATE TABLE column definition as a planner column, its
// DEFAULT checked (no column references, no sub-queries, castable to the
// column's type) and kept as PostgreSQL displays it.
func columnOf(c ast.ColumnDef) (plan.Column, error) {
	t, err := planner.TypeOf(c.Type)
	if err != nil {
		return plan.Column{}, err
	}
	col := plan.Column{Name: c.Name, Type: t, NotNull: c.NotNull}
	if c.Default != nil {
		if col.Default, err = bind.CheckDefault(c.Default, c.DefaultSQL, col); err != nil {
			return plan.Column{}, err
		}
	}
	return col, nil
}
