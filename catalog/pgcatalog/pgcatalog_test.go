package pgcatalog

import (
	"reflect"
	"testing"

	"github.com/sluicedb/sluice/catalog"
	"github.com/sluicedb/sluice/sql/types"
)

// fakeSession is a session with one table and one view in public, and
// no temporary tables.
type fakeSession struct{ st *catalog.State }

func newFake() fakeSession {
	st := &catalog.State{
		Schemas: map[string]*catalog.Namespace{"public": {ID: oidPublic, Name: "public"}},
		Relations: map[string]*catalog.Relation{
			"public.t": {ID: 100001, Schema: "public", Name: "t", Kind: catalog.Managed, Comment: "a table",
				Columns: []catalog.Column{{Name: "id", TypeOID: types.OIDInt4, Typmod: -1, NotNull: true}}},
			"public.v": {ID: 100002, Schema: "public", Name: "v", Kind: catalog.View, SQL: "SELECT id FROM t",
				Columns: []catalog.Column{{Name: "id", TypeOID: types.OIDInt4, Typmod: -1}}},
		},
	}
	return fakeSession{st}
}

func (f fakeSession) Database() string                   { return "db" }
func (f fakeSession) State() *catalog.State              { return f.st }
func (f fakeSession) TempRelations() []*catalog.Relation { return nil }
func (f fakeSession) User() string                       { return catalog.BootstrapUser }
func (f fakeSession) SearchPath() []string               { return []string{"nosuch", "public"} }
func (f fakeSession) Roles() []catalog.Role {
	return []catalog.Role{{OID: 10, Name: catalog.BootstrapUser, Superuser: true, Login: true}}
}
func (f fakeSession) Backends() []Backend  { return nil }
func (f fakeSession) Prepared() []Prepared { return nil }
func (f fakeSession) Cursors() []Cursor    { return nil }
func (f fakeSession) Settings() []Setting  { return nil }
func (f fakeSession) Procs() []Proc        { return nil }
func (f fakeSession) Lookup(schema, name string) *catalog.Relation {
	if schema != "" {
		return f.st.Lookup(schema, name)
	}
	for _, p := range f.SearchPath() {
		if r := f.st.Lookup(p, name); r != nil {
			return r
		}
	}
	return nil
}
func (f fakeSession) Kind(r *catalog.Relation) Kind {
	if r.Kind == catalog.View {
		return Kind{Relkind: "v", TableType: "VIEW"}
	}
	return Kind{Relkind: "r", TableType: "BASE TABLE", Writable: true, HasStorage: true}
}
func (f fakeSession) Operators() []Operator {
	return []Operator{
		{OID: 1, Name: "<", Left: types.Int4, Right: types.Int8, Result: types.Bool},
		{OID: 2, Name: ">", Left: types.Int8, Right: types.Int4, Result: types.Bool},
		{OID: 3, Name: ">=", Left: types.Int4, Right: types.Int8, Result: types.Bool},
	}
}

func column(t *testing.T, tb *Table, name string) int {
	t.Helper()
	for i, c := range tb.Columns {
		if c.Name == name {
			return i
		}
	}
	t.Fatalf("no column %s", name)
	return -1
}

func TestTablesFromSession(t *testing.T) {
	s := newFake()
	if CatalogTable(s, "pg_nosuch") != nil || InfoSchemaTable(s, "nosuch") != nil {
		t.Fatal("unknown relations must be nil")
	}
	class := CatalogTable(s, "pg_class")
	name, kind, am := column(t, class, "relname"), column(t, class, "relkind"), column(t, class, "relam")
	var got [][]types.Datum
	for _, row := range class.Rows() {
		if len(row) != len(class.Columns) {
			t.Fatalf("row of %d values for %d columns", len(row), len(class.Columns))
		}
		got = append(got, []types.Datum{row[name], row[kind], row[am]})
	}
	want := [][]types.Datum{{"t", "r", int64(oidHeapAM)}, {"v", "v", int64(0)}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("pg_class: got %v, want %v", got, want)
	}

	tables := InfoSchemaTable(s, "tables")
	got = nil
	for _, row := range tables.Rows() {
		got = append(got, []types.Datum{row[0], row[2], row[3], row[9]})
	}
	want = [][]types.Datum{{"db", "t", "BASE TABLE", "YES"}, {"db", "v", "VIEW", "NO"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("information_schema.tables: got %v, want %v", got, want)
	}

	// < (int4, int8) commutes with > (int8, int4) and negates to >= (int4, int8).
	ops := CatalogTable(s, "pg_operator")
	com, neg := column(t, ops, "oprcom"), column(t, ops, "oprnegate")
	row := ops.Rows()[0]
	if row[com] != int64(2) || row[neg] != int64(3) {
		t.Errorf("pg_operator <: oprcom %v oprnegate %v, want 2 and 3", row[com], row[neg])
	}
}

func TestInfo(t *testing.T) {
	c := Info{S: newFake()}
	if d, ok := c.ViewDef(100002); !ok || d != " SELECT id FROM t;" {
		t.Errorf("ViewDef = %q, %v", d, ok)
	}
	if _, ok := c.ViewDef(100001); ok {
		t.Error("ViewDef of a table")
	}
	if d, ok := c.Description(100001, "pg_class", 0); !ok || d != "a table" {
		t.Errorf("Description = %q, %v", d, ok)
	}
	if p := c.SearchPath(); !reflect.DeepEqual(p, []string{"public"}) {
		t.Errorf("SearchPath = %v (schemas that do not exist are left out)", p)
	}
	if !c.RelationVisible(100001) || c.RelationVisible(424242) {
		t.Error("RelationVisible")
	}
	if oid, ok := c.RelationOID("pg_class"); !ok || oid != oidPgClass {
		t.Errorf("RelationOID(pg_class) = %d, %v", oid, ok)
	}
	if oid, ok := c.RelationOID("public.t"); !ok || oid != 100001 {
		t.Errorf("RelationOID(public.t) = %d, %v", oid, ok)
	}
	if n, ok := c.RelationName(100002); !ok || n != "v" {
		t.Errorf("RelationName = %q, %v", n, ok)
	}
	if n, ok := c.NamespaceName(oidInfoSchema); !ok || n != "information_schema" {
		t.Errorf("NamespaceName = %q, %v", n, ok)
	}
	if n, ok := c.RoleName(6171); !ok || n != "pg_database_owner" {
		t.Errorf("RoleName(6171) = %q, %v", n, ok)
	}
}
