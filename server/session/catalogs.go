package session

import (
	"context"
	"reflect"
	"sort"
	"strings"

	"github.com/sluicedb/sluice/catalog"
	"github.com/sluicedb/sluice/catalog/pgcatalog"
	"github.com/sluicedb/sluice/planner/bind"
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/types"
)

// catalogRelation serves pg_catalog.name or information_schema.name (nil if
// sluice has no such relation): package pgcatalog computes it from what
// catalogSession gives it; here it becomes a table the planner scans.
func (s *Session) catalogRelation(schema, name string) plan.Relation {
	var t *pgcatalog.Table
	if schema == "information_schema" {
		t = pgcatalog.InfoSchemaTable(catalogSession{s}, name)
	} else {
		t = pgcatalog.CatalogTable(catalogSession{s}, name)
	}
	if t == nil {
		return nil
	}
	st := systemTable(name, t.Columns, t.Rows)
	st.Schema = schema
	return st
}

// catalogSession is the session as package pgcatalog reads it.
type catalogSession struct{ s *Session }

var _ pgcatalog.Session = catalogSession{}

func (c catalogSession) Database() string      { return DatabaseName }
func (c catalogSession) State() *catalog.State { return c.s.catState() }
func (c catalogSession) User() string          { return c.s.user }
func (c catalogSession) SearchPath() []string  { return c.s.searchPath() }
func (c catalogSession) Roles() []catalog.Role { return c.s.m.Roles.List() }
func (c catalogSession) Lookup(schema, name string) *catalog.Relation {
	return c.s.lookupRel(c.s.catState(), schema, name)
}

// Kind reads the relation-kind registry (kinds.go).
func (c catalogSession) Kind(r *catalog.Relation) pgcatalog.Kind {
	k := kindOf(r)
	return pgcatalog.Kind{Relkind: k.relkind, TableType: k.tableType, Writable: k.writable, HasStorage: hasStorage(r)}
}

// TempRelations are the session's temporary tables as catalog relations,
// in schema pg_temp_1 (PostgreSQL numbers it by backend slot), for the
// catalog views that list them.
func (c catalogSession) TempRelations() []*catalog.Relation {
	var out []*catalog.Relation
	for _, t := range c.s.temp {
		r := &catalog.Relation{ID: t.OID, Schema: "pg_temp_1", Name: t.Name, Kind: catalog.Managed}
		for _, c := range t.Cols {
			r.Columns = append(r.Columns, catalog.Column{Name: c.Name, TypeOID: c.Type.OID, Typmod: c.Type.Typmod, NotNull: c.NotNull, Default: c.Default})
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Backends snapshots the server's sessions; the scanning session shows its
// transaction's start while it runs a statement.
func (c catalogSession) Backends() (out []pgcatalog.Backend) {
	c.s.m.mu.Lock()
	sessions := make([]*Session, 0, len(c.s.m.sessions))
	for _, x := range c.s.m.sessions {
		sessions = append(sessions, x)
	}
	c.s.m.mu.Unlock()
	for _, x := range sessions {
		a := &x.act
		a.mu.Lock()
		b := pgcatalog.Backend{PID: x.key.PID, User: x.user, App: a.app, BackendStart: a.backendStart,
			QueryStart: a.queryStart, StateChange: a.stateChange, State: a.state, Query: a.query}
		a.mu.Unlock()
		if b.State == "active" && x == c.s {
			b.XactStart = c.s.txStartTime()
		}
		out = append(out, b)
	}
	return out
}

func (c catalogSession) Prepared() (out []pgcatalog.Prepared) {
	for name, p := range c.s.prepared {
		out = append(out, pgcatalog.Prepared{Name: name, SQL: p.sql, Created: p.created, ParamTypes: p.paramTypes, FromSQL: p.fromSQL})
	}
	return out
}

func (c catalogSession) Cursors() (out []pgcatalog.Cursor) {
	for name, p := range c.s.portals {
		if p.cursor {
			out = append(out, pgcatalog.Cursor{Name: name, SQL: p.prep.sql, Hold: p.hold})
		}
	}
	return out
}

func (c catalogSession) Settings() (out []pgcatalog.Setting) {
	for _, name := range settingNames() {
		st := settingsByKey[strings.ToLower(name)]
		v, _ := c.s.set.get(st.name)
		isBool := st.check != nil && reflect.ValueOf(st.check).Pointer() == reflect.ValueOf(checkBool).Pointer()
		out = append(out, pgcatalog.Setting{Name: st.name, Value: v, Default: st.def, Desc: st.desc, Bool: isBool, ReadOnly: st.readOnly})
	}
	return out
}

// Procs and Operators hand the planner's lists over as pgcatalog's types,
// so that pgcatalog need not import the planner (the fields are the same:
// a change to either side stops these conversions from compiling).
func (c catalogSession) Procs() (out []pgcatalog.Proc) {
	for _, p := range expr.Procs() {
		out = append(out, pgcatalog.Proc(p))
	}
	return out
}

func (c catalogSession) Operators() (out []pgcatalog.Operator) {
	for _, o := range bind.Operators() {
		out = append(out, pgcatalog.Operator(o))
	}
	return out
}

// catalogInfo answers the planner's catalog functions for this session:
// pgcatalog.Info all but RelationSize, which asks the table's provider.
type catalogInfo struct {
	pgcatalog.Info
	s *Session
}

var _ expr.CatalogInfo = catalogInfo{}

func (c catalogInfo) RelationSize(oid types.OID) int64 {
	r := c.s.catState().ByID(oid)
	if r == nil || !hasStorage(r) {
		return 0
	}
	rel, err := c.s.relation(r)
	if err != nil {
		return 0
	}
	st, err := rel.(*plan.SourceTable).Provider.Stats(context.Background())
	if err != nil {
		return 0
	}
	return st.Bytes
}
