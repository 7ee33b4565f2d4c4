package session

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/sluicedb/sluice/catalog"
	"github.com/sluicedb/sluice/connectors/lake"
	"github.com/sluicedb/sluice/planner"
	"github.com/sluicedb/sluice/planner/bind"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
)

// DDL on durable objects. Each statement is one catalog operation (see
// lake.go): it checks its preconditions again inside the operation, so a
// concurrent change between the check and the commit is still caught.

func notice(code sqlerr.Code, format string, args ...any) sqlerr.Notice {
	return sqlerr.Notice{Severity: sqlerr.SeverityNotice, Code: code, Message: fmt.Sprintf(format, args...)}
}

// reservedSchema reports names of schemas sluice emulates or reserves.
func reservedSchema(name string) bool {
	return name == "pg_catalog" || name == "information_schema" || name == "sluice_catalog" ||
		strings.HasPrefix(name, "pg_")
}

func (s *Session) createSchema(x *ast.CreateSchema) error {
	if reservedSchema(x.Name) {
		return sqlerr.New(sqlerr.ReservedName, "unacceptable schema name \"%s\"", x.Name).
			WithDetail("The prefix \"pg_\" is reserved for system schemas.")
	}
	if s.catState().Schemas[x.Name] != nil {
		if x.IfNotExists {
			s.notices = append(s.notices, notice(sqlerr.DuplicateSchema, "schema \"%s\" already exists, skipping", x.Name))
			return nil
		}
		return sqlerr.New(sqlerr.DuplicateSchema, "schema \"%s\" already exists", x.Name)
	}
	return s.catalogChange(func(st *catalog.State) error {
		if st.Schemas[x.Name] != nil {
			if x.IfNotExists {
				return nil
			}
			return sqlerr.New(sqlerr.DuplicateSchema, "schema \"%s\" already exists", x.Name)
		}
		st.Schemas[x.Name] = &catalog.Namespace{ID: st.NewID(), Name: x.Name, Owner: s.user}
		return nil
	})
}

func (s *Session) dropObjects(x *ast.DropObjects) error {
	for _, tn := range x.Names {
		if x.Kind == ast.ObjSchema {
			if err := s.dropSchema(tn.Name, x.IfExists, x.Cascade); err != nil {
				return err
			}
			continue
		}
		r := s.lookupRel(s.catState(), tn.Schema, tn.Name)
		if r == nil {
			if x.IfExists {
				s.notices = append(s.notices, notice(sqlerr.SuccessfulCompletion, "view \"%s\" does not exist, skipping", tn.Name))
				continue
			}
			return sqlerr.New(sqlerr.UndefinedTable, "view \"%s\" does not exist", tn.Name)
		}
		if err := s.dropRelation(r, catalog.View, x.Cascade); err != nil {
			return err
		}
	}
	return nil
}

// dependents lists the views that use relation r, directly or through
// other views, in creation order: those whose bound references (Refs)
// include it. Views stored before references were recorded fall back to a
// textual check of their query.
func dependents(st *catalog.State, r *catalog.Relation) []*catalog.Relation {
	var out []*catalog.Relation
	seen := map[uint32]bool{r.ID: true}
	for queue := []*catalog.Relation{r}; len(queue) > 0; queue = queue[1:] {
		x := queue[0]
		for _, v := range st.Sorted() {
			if v.Kind != catalog.View || seen[v.ID] || !uses(v, x) {
				continue
			}
			seen[v.ID] = true
			out = append(out, v)
			queue = append(queue, v)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// uses reports whether view v's query names relation x.
func uses(v, x *catalog.Relation) bool {
	if v.Refs == nil {
		return mentions(v.SQL, x.Schema, x.Name)
	}
	for _, ref := range v.Refs {
		if ref.ID == x.ID {
			return true
		}
	}
	return false
}

// mentions reports whether SQL text names a relation as an identifier.
func mentions(sql, schema, name string) bool {
	lower := strings.ToLower(sql)
	for _, n := range []string{name, schema + "." + name} {
		n = strings.ToLower(n)
		for i := strings.Index(lower, n); i >= 0; {
			before := i == 0 || !identChar(lower[i-1])
			end := i + len(n)
			after := end >= len(lower) || !identChar(lower[end])
			if before && after {
				return true
			}
			j := strings.Index(lower[i+1:], n)
			if j < 0 {
				break
			}
			i += 1 + j
		}
	}
	return false
}

func identChar(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// dropRelation drops a table (want Managed: managed or external) or a view;
// CASCADE drops the views that use it, otherwise they block it (2BP01).
func (s *Session) dropRelation(r *catalog.Relation, want catalog.Kind, cascade bool) error {
	isView := r.Kind == catalog.View
	if want == catalog.View && !isView {
		return sqlerr.New(sqlerr.WrongObjectType, "\"%s\" is not a view", r.Name).WithHint("Use DROP TABLE to remove a table.")
	}
	if want != catalog.View && isView {
		return sqlerr.New(sqlerr.WrongObjectType, "\"%s\" is not a table", r.Name).WithHint("Use DROP VIEW to remove a view.")
	}
	if err := s.checkWritable(); err != nil {
		return err
	}
	st := s.catState()
	deps := dependents(st, r)
	if len(deps) > 0 && !cascade {
		what := "table"
		if isView {
			what = "view"
		}
		var lines []string
		for i, d := range deps {
			// What d uses directly: r, or a view that goes before it.
			on := r
			for _, x := range deps[:i] {
				if !uses(d, r) && uses(d, x) {
					on = x
					break
				}
			}
			lines = append(lines, fmt.Sprintf("view %s depends on %s %s", s.displayName(st, d), kindWord(on), s.displayName(st, on)))
		}
		return sqlerr.New(sqlerr.DependentObjectsStillExist, "cannot drop %s %s because other objects depend on it", what, s.displayName(st, r)).
			WithDetail("%s", strings.Join(lines, "\n")).WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
	}
	s.cascadeNotice(st, deps)
	ids := []uint32{r.ID}
	for _, d := range deps {
		ids = append(ids, d.ID)
	}
	var dirs []string
	err := s.catalogChange(func(st *catalog.State) error {
		for _, id := range ids {
			x := st.ByID(id)
			if x == nil {
				continue
			}
			if x.Kind == catalog.Managed {
				dirs = append(dirs, s.tableDir(x))
			}
			delete(st.Relations, catalog.Key(x.Schema, x.Name))
		}
		return nil
	})
	if err == nil {
		s.afterCommit(func() {
			for _, d := range dirs {
				removeTableFiles(d)
			}
		})
	}
	return err
}

// cascadeNotice tells what a DROP … CASCADE takes with it, as PostgreSQL
// does: one object by name, several counted with a line each in DETAIL.
func (s *Session) cascadeNotice(st *catalog.State, objs []*catalog.Relation) {
	switch {
	case len(objs) == 1:
		s.notices = append(s.notices, notice(sqlerr.SuccessfulCompletion, "drop cascades to %s %s", kindWord(objs[0]), s.displayName(st, objs[0])))
	case len(objs) > 1:
		var lines []string
		for _, r := range objs {
			lines = append(lines, fmt.Sprintf("drop cascades to %s %s", kindWord(r), s.displayName(st, r)))
		}
		s.notices = append(s.notices, sqlerr.Notice{Severity: sqlerr.SeverityNotice, Code: sqlerr.SuccessfulCompletion,
			Message: fmt.Sprintf("drop cascades to %d other objects", len(objs)), Detail: strings.Join(lines, "\n")})
	}
}

func (s *Session) dropSchema(name string, ifExists, cascade bool) error {
	st := s.catState()
	if st.Schemas[name] == nil {
		if ifExists {
			s.notices = append(s.notices, notice(sqlerr.SuccessfulCompletion, "schema \"%s\" does not exist, skipping", name))
			return nil
		}
		return sqlerr.New(sqlerr.InvalidSchemaName, "schema \"%s\" does not exist", name)
	}
	var members []*catalog.Relation
	inSchema := map[uint32]bool{}
	for _, r := range st.Sorted() {
		if r.Schema == name {
			members = append(members, r)
			inSchema[r.ID] = true
		}
	}
	sort.Slice(members, func(i, j int) bool { return members[i].ID < members[j].ID }) // creation order, as PostgreSQL lists them
	// Views elsewhere that use the schema's relations go with them.
	for _, m := range members {
		for _, d := range dependents(st, m) {
			if !inSchema[d.ID] {
				inSchema[d.ID] = true
				members = append(members, d)
			}
		}
	}
	if len(members) > 0 && !cascade {
		var lines []string
		for _, r := range members {
			lines = append(lines, fmt.Sprintf("%s %s depends on schema %s", kindWord(r), s.displayName(st, r), name))
		}
		return sqlerr.New(sqlerr.DependentObjectsStillExist, "cannot drop schema %s because other objects depend on it", name).
			WithDetail("%s", strings.Join(lines, "\n")).WithHint("Use DROP ... CASCADE to drop the dependent objects too.")
	}
	s.cascadeNotice(st, members)
	var dirs []string
	err := s.catalogChange(func(st *catalog.State) error {
		for k, r := range st.Relations {
			if r.Schema == name || inSchema[r.ID] {
				if r.Kind == catalog.Managed {
					dirs = append(dirs, s.tableDir(r))
				}
				delete(st.Relations, k)
			}
		}
		delete(st.Schemas, name)
		return nil
	})
	if err == nil {
		s.afterCommit(func() {
			for _, d := range dirs {
				removeTableFiles(d)
			}
		})
	}
	return err
}

// displayName is how PostgreSQL names a relation in messages: bare when
// the search path finds it by that name, else schema-qualified.
func (s *Session) displayName(st *catalog.State, r *catalog.Relation) string {
	if x := s.lookupRel(st, "", r.Name); x != nil && x.ID == r.ID {
		return r.Name
	}
	return r.Schema + "." + r.Name
}

func kindWord(r *catalog.Relation) string {
	if r.Kind == catalog.View {
		return "view"
	}
	return "table"
}

func (s *Session) createView(x *ast.CreateView) error {
	st := s.catState()
	schema, err := s.creationSchema(st, x.View.Schema)
	if err != nil {
		return err
	}
	cols, prefs, err := bind.BindView(x.Query, s.tables())
	if err != nil {
		return err
	}
	refs := []catalog.ViewRef{} // not nil: the view's references are known
	for _, r := range prefs {
		if !slices.ContainsFunc(refs, func(x catalog.ViewRef) bool { return x == catalog.ViewRef{Schema: r.Schema, Name: r.Name, ID: r.OID} }) {
			refs = append(refs, catalog.ViewRef{Schema: r.Schema, Name: r.Name, ID: r.OID})
		}
	}
	if len(x.Columns) > len(cols) {
		return sqlerr.New(sqlerr.SyntaxError, "CREATE VIEW specifies more column names than columns")
	}
	for i := range cols {
		if i < len(x.Columns) {
			cols[i].Name = x.Columns[i]
		}
		if cols[i].Type.OID == 705 { // unknown literals become text, as in PostgreSQL 10+
			cols[i].Type.OID = 25
		}
	}
	if err := checkDupColumns(cols); err != nil {
		return err
	}
	old := st.Lookup(schema, x.View.Name)
	if old != nil {
		if !x.Replace {
			return sqlerr.New(sqlerr.DuplicateTable, "relation \"%s\" already exists", x.View.Name)
		}
		if old.Kind != catalog.View {
			return sqlerr.New(sqlerr.WrongObjectType, "\"%s\" is not a view", x.View.Name)
		}
		if len(cols) < len(old.Columns) {
			return sqlerr.New(sqlerr.InvalidTableDefinition, "cannot drop columns from view")
		}
		for i, c := range old.Columns {
			if c.Name != cols[i].Name {
				return sqlerr.New(sqlerr.InvalidTableDefinition, "cannot change name of view column \"%s\" to \"%s\"", c.Name, cols[i].Name).
					WithHint("Use ALTER VIEW ... RENAME COLUMN ... to change name of view column instead.")
			}
			if c.TypeOID != cols[i].Type.OID {
				return sqlerr.New(sqlerr.InvalidTableDefinition, "cannot change data type of view column \"%s\"", c.Name)
			}
		}
	}
	sql := x.SQL
	return s.catalogChange(func(st *catalog.State) error {
		cur := st.Lookup(schema, x.View.Name)
		if cur != nil && (!x.Replace || cur.Kind != catalog.View) {
			return sqlerr.New(sqlerr.DuplicateTable, "relation \"%s\" already exists", x.View.Name)
		}
		if cur != nil {
			cur.Columns, cur.SQL, cur.Refs = catalogCols(cols), sql, refs
			cur.Version++
			return nil
		}
		st.Relations[catalog.Key(schema, x.View.Name)] = &catalog.Relation{ID: st.NewID(), Schema: schema, Name: x.View.Name,
			Kind: catalog.View, Columns: catalogCols(cols), SQL: sql, Refs: refs, Owner: s.user, Created: time.Now().UTC()}
		return nil
	})
}

func (s *Session) rename(x *ast.Rename) error {
	st := s.catState()
	if x.Kind == ast.ObjSchema {
		old, nw := x.Table.Name, x.NewName
		if st.Schemas[old] == nil {
			return sqlerr.New(sqlerr.InvalidSchemaName, "schema \"%s\" does not exist", old)
		}
		if st.Schemas[nw] != nil {
			return sqlerr.New(sqlerr.DuplicateSchema, "schema \"%s\" already exists", nw)
		}
		if reservedSchema(nw) {
			return sqlerr.New(sqlerr.ReservedName, "unacceptable schema name \"%s\"", nw)
		}
		return s.catalogChange(func(st *catalog.State) error {
			ns := st.Schemas[old]
			if ns == nil {
				return sqlerr.New(sqlerr.InvalidSchemaName, "schema \"%s\" does not exist", old)
			}
			delete(st.Schemas, old)
			ns.Name = nw
			st.Schemas[nw] = ns
			for _, r := range st.Sorted() {
				if r.Schema == old {
					st.Rekey(r, nw, r.Name)
					r.Version++
				}
			}
			return nil
		})
	}
	if _, isTemp := s.temp[x.Table.Name]; isTemp && (x.Table.Schema == "" || x.Table.Schema == "pg_temp") {
		return sqlerr.Unsupported("ALTER on temporary tables is not supported")
	}
	r := s.lookupRel(st, x.Table.Schema, x.Table.Name)
	if r == nil {
		if x.IfExists {
			s.notices = append(s.notices, notice(sqlerr.SuccessfulCompletion, "relation \"%s\" does not exist, skipping", x.Table.Name))
			return nil
		}
		return sqlerr.New(sqlerr.UndefinedTable, "relation \"%s\" does not exist", relName(x.Table))
	}
	id := r.ID
	if x.Kind == ast.ObjColumn {
		if r.Kind == catalog.View {
			return sqlerr.Unsupported("renaming view columns is not supported yet")
		}
		parts, _ := partitioning(r.Columns, r.PartitionedBy)
		for _, p := range parts {
			if p.name == x.Column {
				return sqlerr.Unsupported("cannot rename partition column \"%s\"", p.name)
			}
		}
		return s.catalogChange(func(st *catalog.State) error {
			r := st.ByID(id)
			if r == nil {
				return sqlerr.New(sqlerr.UndefinedTable, "relation \"%s\" does not exist", x.Table.Name)
			}
			idx := -1
			for i, c := range r.Columns {
				if c.Name == x.NewName {
					return sqlerr.New(sqlerr.DuplicateColumn, "column \"%s\" of relation \"%s\" already exists", x.NewName, r.Name)
				}
				if c.Name == x.Column {
					idx = i
				}
			}
			if idx < 0 {
				return sqlerr.New(sqlerr.UndefinedColumn, "column \"%s\" does not exist", x.Column)
			}
			c := &r.Columns[idx]
			if c.Physical == "" {
				c.Physical = c.Name // data files keep the old name
			}
			c.Name = x.NewName
			r.Version++
			return nil
		})
	}
	if st.Lookup(r.Schema, x.NewName) != nil {
		return sqlerr.New(sqlerr.DuplicateTable, "relation \"%s\" already exists", x.NewName)
	}
	if x.Kind == ast.ObjView && r.Kind != catalog.View {
		return sqlerr.New(sqlerr.WrongObjectType, "\"%s\" is not a view", r.Name)
	}
	return s.catalogChange(func(st *catalog.State) error {
		r := st.ByID(id)
		if r == nil {
			return sqlerr.New(sqlerr.UndefinedTable, "relation \"%s\" does not exist", x.Table.Name)
		}
		if st.Lookup(r.Schema, x.NewName) != nil {
			return sqlerr.New(sqlerr.DuplicateTable, "relation \"%s\" already exists", x.NewName)
		}
		st.Rekey(r, r.Schema, x.NewName)
		r.Version++
		return nil
	})
}

func (s *Session) truncate(x *ast.Truncate) error {
	if err := s.checkWritable(); err != nil {
		return err
	}
	for _, tn := range x.Tables {
		if t, ok := s.temp[tn.Name]; ok && (tn.Schema == "" || tn.Schema == "pg_temp") {
			s.undo = append(s.undo, undoEntry{table: t, prevLen: t.Len()})
			t.Truncate(0)
			continue
		}
		r, err := s.managedTarget(tn, "truncate")
		if err != nil {
			return err
		}
		base := r.Metadata
		if err := s.catalogChange(s.commitOp(r.ID, nil, true, "truncate", &base)); err != nil {
			return err
		}
		if s.catTx != nil && s.deferCatalog() {
			s.catTx.rewrites = append(s.catTx.rewrites, r.ID)
		} else {
			s.publish(r.ID)
		}
	}
	return nil
}

func (s *Session) comment(x *ast.Comment) error {
	text := ""
	if x.Comment != nil {
		text = *x.Comment
	}
	st := s.catState()
	if x.Kind == ast.ObjSchema {
		if st.Schemas[x.Table.Name] == nil {
			return sqlerr.New(sqlerr.InvalidSchemaName, "schema \"%s\" does not exist", x.Table.Name)
		}
		return s.catalogChange(func(st *catalog.State) error {
			if ns := st.Schemas[x.Table.Name]; ns != nil {
				ns.Comment = text
			}
			return nil
		})
	}
	r := s.lookupRel(st, x.Table.Schema, x.Table.Name)
	if r == nil {
		return sqlerr.New(sqlerr.UndefinedTable, "relation \"%s\" does not exist", relName(x.Table))
	}
	if x.Kind == ast.ObjView && r.Kind != catalog.View {
		return sqlerr.New(sqlerr.WrongObjectType, "\"%s\" is not a view", r.Name)
	}
	if x.Kind == ast.ObjTable && r.Kind == catalog.View {
		return sqlerr.New(sqlerr.WrongObjectType, "\"%s\" is not a table", r.Name)
	}
	found := x.Kind != ast.ObjColumn
	for _, c := range r.Columns {
		found = found || c.Name == x.Column
	}
	if !found {
		return sqlerr.New(sqlerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", x.Column, r.Name)
	}
	id := r.ID
	return s.catalogChange(func(st *catalog.State) error {
		r := st.ByID(id)
		if r == nil {
			return sqlerr.New(sqlerr.UndefinedTable, "relation \"%s\" does not exist", x.Table.Name)
		}
		if x.Kind != ast.ObjColumn {
			r.Comment = text
			return nil
		}
		for i := range r.Columns {
			if r.Columns[i].Name == x.Column {
				r.Columns[i].Comment = text
			}
		}
		return nil
	})
}

// snapshotRetention is how long VACUUM keeps superseded snapshots (and so
// their files): long enough for any running query to finish.
const snapshotRetention = time.Hour

// vacuum expires old snapshots of managed tables and removes files that no
// retained snapshot lists (the leftovers of failed or crashed writes).
func (s *Session) vacuum(x *ast.Vacuum) error {
	if s.deferCatalog() {
		return sqlerr.New(sqlerr.ActiveSQLTransaction, "VACUUM cannot run inside a transaction block")
	}
	if err := s.needWarehouse(); err != nil {
		return err
	}
	st := s.catState()
	var ids []uint32
	if len(x.Tables) == 0 {
		for _, r := range st.Sorted() {
			if r.Kind == catalog.Managed {
				ids = append(ids, r.ID)
			}
		}
	}
	for _, tn := range x.Tables {
		r, err := s.managedTarget(tn, "vacuum")
		if err != nil {
			return err
		}
		ids = append(ids, r.ID)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		_, err := s.m.Catalog.Update(func(st *catalog.State) error {
			r := st.ByID(id)
			if r == nil || r.Kind != catalog.Managed {
				return nil
			}
			meta, _, err := lake.Vacuum(s.tableDir(r), r.Metadata, snapshotRetention)
			if err != nil {
				return err
			}
			if meta != "" {
				r.Metadata = meta
			}
			return nil
		})
		if err != nil {
			return err
		}
		s.publish(id)
	}
	return nil
}

// alterColumns adds and drops columns of a managed or external table. Data
// files are not rewritten: a column added later reads as NULL in older
// files (each added column gets a physical name of its own, so a dropped
// column's old values never come back under a new column of that name).
func (s *Session) alterColumns(x *ast.AlterColumns) error {
	if _, isTemp := s.temp[x.Table.Name]; isTemp && (x.Table.Schema == "" || x.Table.Schema == "pg_temp") {
		return sqlerr.Unsupported("ALTER TABLE on temporary tables is not supported")
	}
	st := s.catState()
	r := s.lookupRel(st, x.Table.Schema, x.Table.Name)
	if r == nil {
		if x.IfExists {
			s.notices = append(s.notices, notice(sqlerr.SuccessfulCompletion, "relation \"%s\" does not exist, skipping", x.Table.Name))
			return nil
		}
		return sqlerr.New(sqlerr.UndefinedTable, "relation \"%s\" does not exist", relName(x.Table))
	}
	if r.Kind == catalog.View {
		return sqlerr.New(sqlerr.WrongObjectType, "\"%s\" is not a table", r.Name)
	}
	if err := writeTarget(r, "add or drop columns of"); err != nil {
		return err
	}
	if parts, _ := partitioning(r.Columns, r.PartitionedBy); len(parts) > 0 {
		for _, c := range x.Cmds {
			for _, p := range parts {
				if c.Drop && c.Name == p.name {
					return sqlerr.Unsupported("cannot drop partition column \"%s\"", p.name)
				}
			}
		}
	}
	if deps := dependents(st, r); len(deps) > 0 {
		for _, c := range x.Cmds {
			if c.Drop {
				return sqlerr.Unsupported("cannot drop a column of table %s while views use it", r.Name)
			}
		}
	}
	var adds []catalog.Column
	for _, c := range x.Cmds {
		if c.Drop {
			continue
		}
		t, err := planner.TypeOf(c.Column.Type)
		if err != nil {
			return err
		}
		if c.Column.NotNull && r.Metadata != "" {
			return sqlerr.Unsupported("adding a NOT NULL column to a table with rows needs a default, which is not supported yet")
		}
		adds = append(adds, catalog.Column{Name: c.Column.Name, TypeOID: t.OID, Typmod: t.Typmod, NotNull: c.Column.NotNull})
	}
	id := r.ID
	return s.catalogChange(func(st *catalog.State) error {
		r := st.ByID(id)
		if r == nil {
			return sqlerr.New(sqlerr.UndefinedTable, "relation \"%s\" does not exist", x.Table.Name)
		}
		ai := 0
		for _, c := range x.Cmds {
			idx := -1
			for i, col := range r.Columns {
				if col.Name == c.Name || (!c.Drop && col.Name == c.Column.Name) {
					idx = i
				}
			}
			if c.Drop {
				if idx < 0 {
					if c.IfExists {
						continue
					}
					return sqlerr.New(sqlerr.UndefinedColumn, "column \"%s\" of relation \"%s\" does not exist", c.Name, r.Name)
				}
				if len(r.Columns) == 1 {
					return sqlerr.Unsupported("dropping the last column of a table is not supported")
				}
				r.Columns = append(r.Columns[:idx:idx], r.Columns[idx+1:]...)
				continue
			}
			col := adds[ai]
			ai++
			if idx >= 0 {
				if c.IfNotExists {
					continue
				}
				return sqlerr.New(sqlerr.DuplicateColumn, "column \"%s\" of relation \"%s\" already exists", col.Name, r.Name)
			}
			col.Physical = fmt.Sprintf("%s__%d", col.Name, st.NewID())
			r.Columns = append(r.Columns, col)
		}
		r.Version++
		return nil
	})
}
