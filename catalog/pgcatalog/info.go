package pgcatalog

import (
	"strings"

	"github.com/sluicedb/sluice/sql/types"
)

// Info answers, for one session, what the engine asks of the catalog
// besides its relations: the catalog functions (pg_get_userbyid,
// pg_table_is_visible, obj_description, pg_get_viewdef, current_schemas;
// all of the planner's CatalogInfo but RelationSize, which asks a table's
// provider for its bytes) and the names behind regclass and regnamespace
// values (types.RelationNames).
type Info struct{ S Session }

var _ types.RelationNames = Info{}

func (c Info) RoleName(oid types.OID) (string, bool) {
	for _, r := range c.S.Roles() {
		if r.OID == oid {
			return r.Name, true
		}
	}
	if oid == 6171 {
		return "pg_database_owner", true
	}
	return "", false
}

func (c Info) RelationVisible(oid types.OID) bool {
	for _, t := range c.S.TempRelations() {
		if t.ID == oid {
			return true // pg_temp comes first on the search path
		}
	}
	r := c.S.State().ByID(oid)
	if r == nil {
		return false
	}
	x := c.S.Lookup("", r.Name)
	return x != nil && x.ID == r.ID
}

func (c Info) Description(obj types.OID, cat string, sub int32) (string, bool) {
	st := c.S.State()
	if cat == "" || cat == "pg_class" {
		if r := st.ByID(obj); r != nil {
			if sub == 0 {
				return r.Comment, r.Comment != ""
			}
			if int(sub) <= len(r.Columns) && sub > 0 {
				cm := r.Columns[sub-1].Comment
				return cm, cm != ""
			}
			return "", false
		}
	}
	if cat == "" || cat == "pg_namespace" {
		for _, ns := range st.Schemas {
			if ns.ID == obj {
				return ns.Comment, ns.Comment != ""
			}
		}
	}
	return "", false
}

func (c Info) ViewDef(oid types.OID) (string, bool) {
	r := c.S.State().ByID(oid)
	if r == nil || c.S.Kind(r).Relkind != "v" {
		return "", false
	}
	return viewDefinition(r), true
}

func (c Info) SearchPath() []string {
	var out []string
	st := c.S.State()
	for _, p := range c.S.SearchPath() {
		if st.Schemas[p] != nil {
			out = append(out, p)
		}
	}
	return out
}

// RelationOID resolves regclass input against the session's temporary
// tables, pg_catalog and the catalog.
func (c Info) RelationOID(name string) (types.OID, bool) {
	schema, rel, qualified := strings.Cut(name, ".")
	if !qualified {
		schema, rel = "", name
	}
	if schema == "" || schema == "pg_temp" {
		for _, t := range c.S.TempRelations() {
			if t.Name == rel {
				return t.ID, true
			}
		}
		if schema == "pg_temp" {
			return 0, false
		}
	}
	if schema == "" || schema == "pg_catalog" {
		if oid, ok := catalogOIDs[rel]; ok {
			return oid, true
		}
	}
	if d := c.S.Lookup(schema, rel); d != nil {
		return d.ID, true
	}
	return 0, false
}

func (c Info) NamespaceOID(name string) (types.OID, bool) {
	switch name {
	case "pg_catalog":
		return oidPgCatalog, true
	case "information_schema":
		return oidInfoSchema, true
	}
	if ns := c.S.State().Schemas[name]; ns != nil {
		return ns.ID, true
	}
	return 0, false
}

func (c Info) NamespaceName(oid types.OID) (string, bool) {
	switch oid {
	case oidPgCatalog:
		return "pg_catalog", true
	case oidInfoSchema:
		return "information_schema", true
	}
	for _, ns := range c.S.State().Schemas {
		if ns.ID == oid {
			return ns.Name, true
		}
	}
	return "", false
}

func (c Info) RelationName(oid types.OID) (string, bool) {
	for name, o := range catalogOIDs {
		if o == oid {
			return name, true
		}
	}
	for _, t := range c.S.TempRelations() {
		if t.ID == oid {
			return t.Name, true
		}
	}
	if d := c.S.State().ByID(oid); d != nil {
		// Qualified unless the search path finds it by its bare name.
		if x := c.S.Lookup("", d.Name); x != nil && x.ID == d.ID {
			return d.Name, true
		}
		return d.Schema + "." + d.Name, true
	}
	return "", false
}
