package pgcatalog

import (
	"strings"
	"time"

	"github.com/sluicedb/sluice/catalog"
	"github.com/sluicedb/sluice/connectors"
	"github.com/sluicedb/sluice/sql/types"
)

// pg_catalog relations, computed from the catalog state when scanned, with
// PostgreSQL 15's columns (types sluice lacks are stood in for: aclitem[]
// and the node trees as text, xid as text, int2vector/oidvector as
// arrays). Lake tables are relkind 'r' (managed and external alike: BI
// tools list them as tables), views 'v'.

// Well-known OIDs of PostgreSQL 15.
const (
	oidPgCatalog   = 11
	oidPublic      = 2200
	oidInfoSchema  = 13000 // PostgreSQL assigns it at initdb; any stable value will do
	oidPgClass     = 1259
	oidPgNamespace = 2615
	oidPgRewrite   = 2618
	oidTempNS      = 99_999 // the session's pg_temp_1 (temporary tables count from 16384, catalog IDs from 100,000)
	oidDatabase    = 16384
	oidHeapAM      = 2
	oidBtreeAM     = 403
	collDefault    = 100
	collC          = 950
)

var (
	tChar     = types.Type{OID: types.OIDChar, Typmod: -1}
	tRegproc  = types.Type{OID: types.OIDRegproc, Typmod: -1}
	tText     = types.Text
	tName     = types.Name
	tOid      = types.Oid
	tTextArr  = arrayOf(types.Text)
	tInt2Arr  = arrayOf(types.Int2)
	tOidArr   = arrayOf(types.Oid)
	tCharArr  = arrayOf(tChar)
	tNodeTree = types.Type{OID: types.OIDNodeTree, Typmod: -1}
	tXid      = types.Text
	tACL      = arrayOf(types.Text)
)

func arrayOf(t types.Type) types.Type {
	a, _ := types.ArrayOf(t)
	return a
}

func cols(spec ...any) []connectors.Column {
	out := make([]connectors.Column, 0, len(spec)/2)
	for i := 0; i < len(spec); i += 2 {
		out = append(out, connectors.Column{Name: spec[i].(string), Type: spec[i+1].(types.Type)})
	}
	return out
}

// tables computes one session's catalog relations.
type tables struct{ Session }

// CatalogTable serves pg_catalog.name (nil if sluice has no such relation).
func CatalogTable(sess Session, name string) *Table {
	s := tables{sess}
	mk := func(c []connectors.Column, rows func() [][]types.Datum) *Table {
		return &Table{Columns: c, Rows: rows}
	}
	B, I2, I4, F4 := types.Bool, types.Int2, types.Int4, types.Float4
	switch name {
	case "pg_namespace":
		return mk(cols("oid", tOid, "nspname", tName, "nspowner", tOid, "nspacl", tACL), s.pgNamespace)
	case "pg_class":
		return mk(cols("oid", tOid, "relname", tName, "relnamespace", tOid, "reltype", tOid, "reloftype", tOid,
			"relowner", tOid, "relam", tOid, "relfilenode", tOid, "reltablespace", tOid, "relpages", I4, "reltuples", F4,
			"relallvisible", I4, "reltoastrelid", tOid, "relhasindex", B, "relisshared", B, "relpersistence", tChar,
			"relkind", tChar, "relnatts", I2, "relchecks", I2, "relhasrules", B, "relhastriggers", B, "relhassubclass", B,
			"relrowsecurity", B, "relforcerowsecurity", B, "relispopulated", B, "relreplident", tChar, "relispartition", B,
			"relrewrite", tOid, "relfrozenxid", tXid, "relminmxid", tXid, "relacl", tACL, "reloptions", tTextArr,
			"relpartbound", tNodeTree), s.pgClass)
	case "pg_attribute":
		return mk(cols("attrelid", tOid, "attname", tName, "atttypid", tOid, "attstattarget", I4, "attlen", I2,
			"attnum", I2, "attndims", I4, "attcacheoff", I4, "atttypmod", I4, "attbyval", B, "attalign", tChar,
			"attstorage", tChar, "attcompression", tChar, "attnotnull", B, "atthasdef", B, "atthasmissing", B,
			"attidentity", tChar, "attgenerated", tChar, "attisdropped", B, "attislocal", B, "attinhcount", I4,
			"attcollation", tOid, "attacl", tACL, "attoptions", tTextArr, "attfdwoptions", tTextArr, "attmissingval", tText), s.pgAttribute)
	case "pg_type":
		return mk(cols("oid", tOid, "typname", tName, "typnamespace", tOid, "typowner", tOid, "typlen", I2,
			"typbyval", B, "typtype", tChar, "typcategory", tChar, "typispreferred", B, "typisdefined", B,
			"typdelim", tChar, "typrelid", tOid, "typsubscript", tRegproc, "typelem", tOid, "typarray", tOid,
			"typinput", tRegproc, "typoutput", tRegproc, "typreceive", tRegproc, "typsend", tRegproc,
			"typmodin", tRegproc, "typmodout", tRegproc, "typanalyze", tRegproc, "typalign", tChar, "typstorage", tChar,
			"typnotnull", B, "typbasetype", tOid, "typtypmod", I4, "typndims", I4, "typcollation", tOid,
			"typdefaultbin", tNodeTree, "typdefault", tText, "typacl", tACL), pgType)
	case "pg_database":
		return mk(cols("oid", tOid, "datname", tName, "datdba", tOid, "encoding", I4, "datlocprovider", tChar,
			"datistemplate", B, "datallowconn", B, "datconnlimit", I4, "datfrozenxid", tXid, "datminmxid", tXid,
			"dattablespace", tOid, "datcollate", tText, "datctype", tText, "daticulocale", tText, "datcollversion", tText,
			"datacl", tACL), func() [][]types.Datum {
			return [][]types.Datum{{int64(oidDatabase), s.Database(), int64(10), int64(6), "c", false, true, int64(-1),
				"722", "1", int64(1663), "C.UTF-8", "C.UTF-8", nil, nil, nil}}
		})
	case "pg_roles":
		return mk(cols("rolname", tName, "rolsuper", B, "rolinherit", B, "rolcreaterole", B, "rolcreatedb", B,
			"rolcanlogin", B, "rolreplication", B, "rolconnlimit", I4, "rolpassword", tText,
			"rolvaliduntil", types.TimestamptzT, "rolbypassrls", B, "rolconfig", tTextArr, "oid", tOid), func() [][]types.Datum {
			var out [][]types.Datum
			for _, r := range s.Roles() {
				out = append(out, []types.Datum{r.Name, r.Superuser, true, r.CreateRole, r.CreateDB, r.Login, r.Superuser,
					int64(-1), "********", nil, r.Superuser, nil, int64(r.OID)})
			}
			return out
		})
	case "pg_user":
		return mk(cols("usename", tName, "usesysid", tOid, "usecreatedb", B, "usesuper", B, "userepl", B,
			"usebypassrls", B, "passwd", tText, "valuntil", types.TimestamptzT, "useconfig", tTextArr), func() [][]types.Datum {
			var out [][]types.Datum
			for _, r := range s.Roles() {
				if r.Login {
					out = append(out, []types.Datum{r.Name, int64(r.OID), r.CreateDB, r.Superuser, false, r.Superuser, "********", nil, nil})
				}
			}
			return out
		})
	case "pg_am":
		return mk(cols("oid", tOid, "amname", tName, "amhandler", tRegproc, "amtype", tChar), func() [][]types.Datum {
			return [][]types.Datum{{int64(oidHeapAM), "heap", int64(0), "t"}, {int64(oidBtreeAM), "btree", int64(0), "i"}}
		})
	case "pg_description":
		return mk(cols("objoid", tOid, "classoid", tOid, "objsubid", I4, "description", tText), s.pgDescription)
	case "pg_tables":
		return mk(cols("schemaname", tName, "tablename", tName, "tableowner", tName, "tablespace", tName,
			"hasindexes", B, "hasrules", B, "hastriggers", B, "rowsecurity", B), func() [][]types.Datum {
			var out [][]types.Datum
			for _, r := range s.State().Sorted() {
				if s.Kind(r).Relkind == "r" {
					out = append(out, []types.Datum{r.Schema, r.Name, ownerName(r.Owner), nil, false, false, false, false})
				}
			}
			return out
		})
	case "pg_views":
		return mk(cols("schemaname", tName, "viewname", tName, "viewowner", tName, "definition", tText), func() [][]types.Datum {
			var out [][]types.Datum
			for _, r := range s.State().Sorted() {
				if s.Kind(r).Relkind == "v" {
					out = append(out, []types.Datum{r.Schema, r.Name, ownerName(r.Owner), viewDefinition(r)})
				}
			}
			return out
		})
	case "pg_matviews":
		// sluice has no materialized views yet: present and empty.
		return mk(cols("schemaname", tName, "matviewname", tName, "matviewowner", tName, "tablespace", tName,
			"hasindexes", B, "ispopulated", B, "definition", tText), none)
	case "pg_stat_user_tables":
		I8, T := types.Int8, types.TimestamptzT
		spec := []any{"relid", tOid, "schemaname", tName, "relname", tName}
		for _, n := range []string{"seq_scan", "seq_tup_read", "idx_scan", "idx_tup_fetch", "n_tup_ins", "n_tup_upd",
			"n_tup_del", "n_tup_hot_upd", "n_live_tup", "n_dead_tup", "n_mod_since_analyze", "n_ins_since_vacuum"} {
			spec = append(spec, n, I8)
		}
		for _, n := range []string{"last_vacuum", "last_autovacuum", "last_analyze", "last_autoanalyze"} {
			spec = append(spec, n, T)
		}
		for _, n := range []string{"vacuum_count", "autovacuum_count", "analyze_count", "autoanalyze_count"} {
			spec = append(spec, n, I8)
		}
		return mk(cols(spec...), func() [][]types.Datum {
			// One row per table; sluice keeps no access counters, so they
			// are zero (idx_* NULL: there are no indexes), as for a table
			// PostgreSQL has not scanned since its statistics were reset.
			var out [][]types.Datum
			for _, r := range s.State().Sorted() {
				if !s.Kind(r).HasStorage {
					continue
				}
				row := []types.Datum{int64(r.ID), r.Schema, r.Name, int64(0), int64(0), nil, nil}
				for range 8 {
					row = append(row, int64(0))
				}
				row = append(row, nil, nil, nil, nil, int64(0), int64(0), int64(0), int64(0))
				out = append(out, row)
			}
			return out
		})
	case "pg_index":
		return mk(cols("indexrelid", tOid, "indrelid", tOid, "indnatts", I2, "indnkeyatts", I2, "indisunique", B,
			"indnullsnotdistinct", B, "indisprimary", B, "indisexclusion", B, "indimmediate", B, "indisclustered", B,
			"indisvalid", B, "indcheckxmin", B, "indisready", B, "indislive", B, "indisreplident", B, "indkey", tInt2Arr,
			"indcollation", tOidArr, "indclass", tOidArr, "indoption", tInt2Arr, "indexprs", tNodeTree, "indpred", tNodeTree), none)
	case "pg_constraint":
		return mk(cols("oid", tOid, "conname", tName, "connamespace", tOid, "contype", tChar, "condeferrable", B,
			"condeferred", B, "convalidated", B, "conrelid", tOid, "contypid", tOid, "conindid", tOid, "conparentid", tOid,
			"confrelid", tOid, "confupdtype", tChar, "confdeltype", tChar, "confmatchtype", tChar, "conislocal", B,
			"coninhcount", I4, "connoinherit", B, "conkey", tInt2Arr, "confkey", tInt2Arr, "conpfeqop", tOidArr,
			"conppeqop", tOidArr, "conffeqop", tOidArr, "confdelsetcols", tInt2Arr, "conexclop", tOidArr, "conbin", tNodeTree), none)
	case "pg_attrdef":
		// adbin holds the expression's SQL text (sluice's node trees are
		// text); pg_get_expr returns it.
		return mk(cols("oid", tOid, "adrelid", tOid, "adnum", I2, "adbin", tNodeTree), func() [][]types.Datum {
			var out [][]types.Datum
			for _, r := range append(s.State().Sorted(), s.TempRelations()...) {
				for i, c := range r.Columns {
					if c.Default != "" {
						out = append(out, []types.Datum{int64(attrdefOID(r, i)), int64(r.ID), int64(i + 1), c.Default})
					}
				}
			}
			return out
		})
	case "pg_inherits":
		return mk(cols("inhrelid", tOid, "inhparent", tOid, "inhseqno", I4, "inhdetachpending", B), none)
	case "pg_enum":
		return mk(cols("oid", tOid, "enumtypid", tOid, "enumsortorder", F4, "enumlabel", tName), none)
	case "pg_settings":
		return s.pgSettings()
	case "pg_stat_activity":
		return s.pgStatActivity()
	case "pg_prepared_statements":
		return mk(cols("name", tText, "statement", tText, "prepare_time", types.TimestamptzT, "parameter_types", arrayOf(types.Regtype),
			"from_sql", B, "generic_plans", types.Int8, "custom_plans", types.Int8), func() [][]types.Datum {
			var out [][]types.Datum
			for _, p := range s.Prepared() {
				if p.Name == "" {
					continue
				}
				pt := &types.Array{Elem: types.Regtype}
				for _, t := range p.ParamTypes {
					pt.Vals = append(pt.Vals, int64(t.OID))
				}
				out = append(out, []types.Datum{p.Name, p.SQL, micros(p.Created), pt, p.FromSQL, int64(0), int64(0)})
			}
			return out
		})
	case "pg_cursors":
		return mk(cols("name", tText, "statement", tText, "is_holdable", B, "is_binary", B, "is_scrollable", B,
			"creation_time", types.TimestamptzT), func() [][]types.Datum {
			var out [][]types.Datum
			for _, c := range s.Cursors() {
				out = append(out, []types.Datum{c.Name, c.SQL, c.Hold, false, false, nil})
			}
			return out
		})
	case "pg_auth_members":
		return mk(cols("roleid", tOid, "member", tOid, "grantor", tOid, "admin_option", B), none)
	case "pg_proc":
		return mk(cols("oid", tOid, "proname", tName, "pronamespace", tOid, "proowner", tOid, "prolang", tOid,
			"procost", F4, "prorows", F4, "provariadic", tOid, "prosupport", tRegproc, "prokind", tChar, "prosecdef", B,
			"proleakproof", B, "proisstrict", B, "proretset", B, "provolatile", tChar, "proparallel", tChar,
			"pronargs", I2, "pronargdefaults", I2, "prorettype", tOid, "proargtypes", tOidArr, "proallargtypes", tOidArr,
			"proargmodes", tCharArr, "proargnames", tTextArr, "proargdefaults", tNodeTree, "protrftypes", tOidArr,
			"prosrc", tText, "probin", tText, "prosqlbody", tNodeTree, "proconfig", tTextArr, "proacl", tACL), s.pgProc)
	case "pg_operator":
		return mk(cols("oid", tOid, "oprname", tName, "oprnamespace", tOid, "oprowner", tOid, "oprkind", tChar,
			"oprcanmerge", B, "oprcanhash", B, "oprleft", tOid, "oprright", tOid, "oprresult", tOid, "oprcom", tOid,
			"oprnegate", tOid, "oprcode", tRegproc, "oprrest", tRegproc, "oprjoin", tRegproc), s.pgOperator)
	case "pg_policy":
		return mk(cols("oid", tOid, "polname", tName, "polrelid", tOid, "polcmd", tChar, "polpermissive", B,
			"polroles", tOidArr, "polqual", tNodeTree, "polwithcheck", tNodeTree), none)
	case "pg_statistic_ext":
		return mk(cols("oid", tOid, "stxrelid", tOid, "stxname", tName, "stxnamespace", tOid, "stxowner", tOid,
			"stxstattarget", I4, "stxkeys", tInt2Arr, "stxkind", tCharArr, "stxexprs", tNodeTree), none)
	case "pg_publication":
		return mk(cols("oid", tOid, "pubname", tName, "pubowner", tOid, "puballtables", B, "pubinsert", B,
			"pubupdate", B, "pubdelete", B, "pubtruncate", B, "pubviaroot", B), none)
	case "pg_publication_rel":
		return mk(cols("oid", tOid, "prpubid", tOid, "prrelid", tOid, "prqual", tNodeTree, "prattrs", tInt2Arr), none)
	case "pg_publication_namespace":
		return mk(cols("oid", tOid, "pnpubid", tOid, "pnnspid", tOid), none)
	case "pg_trigger":
		return mk(cols("oid", tOid, "tgrelid", tOid, "tgparentid", tOid, "tgname", tName, "tgfoid", tOid, "tgtype", I2,
			"tgenabled", tChar, "tgisinternal", B, "tgconstrrelid", tOid, "tgconstrindid", tOid, "tgconstraint", tOid,
			"tgdeferrable", B, "tginitdeferred", B, "tgnargs", I2, "tgattr", tInt2Arr, "tgargs", types.Bytea,
			"tgqual", tNodeTree, "tgoldtable", tName, "tgnewtable", tName), none)
	case "pg_rewrite":
		// A view is its _RETURN rule (ev_action, a node tree in PostgreSQL,
		// is left NULL).
		return mk(cols("oid", tOid, "rulename", tName, "ev_class", tOid, "ev_type", tChar, "ev_enabled", tChar,
			"is_instead", B, "ev_qual", tNodeTree, "ev_action", tNodeTree), func() [][]types.Datum {
			var out [][]types.Datum
			for _, r := range s.State().Sorted() {
				if s.Kind(r).Relkind == "v" {
					out = append(out, []types.Datum{ruleOID(r), "_RETURN", int64(r.ID), "1", "O", true, "<>", nil})
				}
			}
			return out
		})
	case "pg_depend":
		// Relations depend on their schema; a view's rule on the view
		// (internally) and on each relation the view uses (PostgreSQL
		// records the columns used; here the whole relation, refobjsubid 0).
		return mk(cols("classid", tOid, "objid", tOid, "objsubid", I4, "refclassid", tOid, "refobjid", tOid,
			"refobjsubid", I4, "deptype", tChar), func() [][]types.Datum {
			st := s.State()
			var out [][]types.Datum
			for _, r := range st.Sorted() {
				out = append(out, []types.Datum{int64(oidPgClass), int64(r.ID), int64(0), int64(oidPgNamespace), schemaOID(st, r.Schema), int64(0), "n"})
				if s.Kind(r).Relkind != "v" {
					continue
				}
				out = append(out, []types.Datum{int64(oidPgRewrite), ruleOID(r), int64(0), int64(oidPgClass), int64(r.ID), int64(0), "i"})
				for _, ref := range r.Refs {
					if st.ByID(ref.ID) != nil {
						out = append(out, []types.Datum{int64(oidPgRewrite), ruleOID(r), int64(0), int64(oidPgClass), int64(ref.ID), int64(0), "n"})
					}
				}
			}
			return out
		})
	case "pg_sequence":
		return mk(cols("seqrelid", tOid, "seqtypid", tOid, "seqstart", types.Int8, "seqincrement", types.Int8,
			"seqmax", types.Int8, "seqmin", types.Int8, "seqcache", types.Int8, "seqcycle", B), none)
	case "pg_extension":
		return mk(cols("oid", tOid, "extname", tName, "extowner", tOid, "extnamespace", tOid, "extrelocatable", B,
			"extversion", tText, "extconfig", tOidArr, "extcondition", tTextArr), none)
	case "pg_foreign_table":
		return mk(cols("ftrelid", tOid, "ftserver", tOid, "ftoptions", tTextArr), none)
	case "pg_collation":
		return mk(cols("oid", tOid, "collname", tName, "collnamespace", tOid, "collowner", tOid, "collprovider", tChar,
			"collisdeterministic", B, "collencoding", I4, "collcollate", tText, "collctype", tText, "colliculocale", tText,
			"collversion", tText), func() [][]types.Datum {
			return [][]types.Datum{
				{int64(collDefault), "default", int64(oidPgCatalog), int64(10), "d", true, int64(-1), nil, nil, nil, nil},
				{int64(collC), "C", int64(oidPgCatalog), int64(10), "c", true, int64(-1), "C", "C", nil, nil},
			}
		})
	}
	return nil
}

func none() [][]types.Datum { return nil }

func ownerName(o string) string {
	if o == "" {
		return catalog.BootstrapUser
	}
	return o
}

// roleOIDs reads the roles once for a scan and returns a role's OID by
// name (owner "" is the bootstrap superuser; unknown roles are 10).
func (s tables) roleOIDs() func(name string) int64 {
	oids := map[string]int64{}
	for _, r := range s.Roles() {
		oids[r.Name] = int64(r.OID)
	}
	return func(name string) int64 {
		if oid, ok := oids[ownerName(name)]; ok {
			return oid
		}
		return 10
	}
}

func schemaOID(st *catalog.State, name string) int64 {
	if ns := st.Schemas[name]; ns != nil {
		return int64(ns.ID)
	}
	return 0
}

func (s tables) pgNamespace() [][]types.Datum {
	st, roleOID := s.State(), s.roleOIDs()
	out := [][]types.Datum{
		{int64(oidPgCatalog), "pg_catalog", int64(10), nil},
		{int64(oidInfoSchema), "information_schema", int64(10), nil},
	}
	for _, ns := range st.Schemas {
		owner := roleOID(ns.Owner)
		if ns.Name == "public" {
			owner = 6171 // pg_database_owner, as in PostgreSQL 15
		}
		out = append(out, []types.Datum{int64(ns.ID), ns.Name, owner, nil})
	}
	if len(s.TempRelations()) > 0 {
		out = append(out, []types.Datum{int64(oidTempNS), "pg_temp_1", roleOID(s.User()), nil})
	}
	return out
}

func (s tables) pgClass() [][]types.Datum {
	st, roleOID := s.State(), s.roleOIDs()
	var out [][]types.Datum
	temps := s.TempRelations()
	for i, r := range append(st.Sorted(), temps...) {
		// As PostgreSQL: relations with storage have the heap access
		// method, views a _RETURN rule; only tables replicate by default.
		k := s.Kind(r)
		kind, am, ident := k.Relkind, int64(0), "n"
		if k.HasStorage {
			am = int64(oidHeapAM)
		}
		if kind == "r" {
			ident = "d"
		}
		rules := kind == "v"
		ns, owner, persistence := schemaOID(st, r.Schema), roleOID(r.Owner), "p"
		if i >= len(st.Sorted()) {
			ns, owner, persistence = int64(oidTempNS), roleOID(s.User()), "t"
		}
		out = append(out, []types.Datum{int64(r.ID), r.Name, ns, int64(0), int64(0),
			owner, am, int64(r.ID), int64(0), int64(0), float64(-1), int64(0), int64(0), false, false,
			persistence, kind, int64(len(r.Columns)), int64(0), rules, false, false, false, false, true, ident, false,
			int64(0), "0", "1", nil, nil, nil})
	}
	return out
}

func (s tables) pgAttribute() [][]types.Datum {
	var out [][]types.Datum
	for _, r := range append(s.State().Sorted(), s.TempRelations()...) {
		for i, c := range r.Columns {
			t := types.Type{OID: c.TypeOID, Typmod: c.Typmod}
			ln, byval, align, storage := typeLayout(t)
			ndims := int64(0)
			if t.IsArray() {
				ndims = 1
			}
			out = append(out, []types.Datum{int64(r.ID), c.Name, int64(c.TypeOID), int64(-1), ln, int64(i + 1), ndims,
				int64(-1), int64(c.Typmod), byval, align, storage, "", c.NotNull, c.Default != "", false, "", "", false, true,
				int64(0), typeCollation(t), nil, nil, nil, nil})
		}
	}
	return out
}

// typeLayout is a type's typlen, typbyval, typalign and typstorage.
func typeLayout(t types.Type) (int64, bool, string, string) {
	d, ok := types.Lookup(t.OID)
	if !ok {
		return -1, false, "i", "x"
	}
	switch d.Len {
	case 1:
		return 1, true, "c", "p"
	case 2:
		return 2, true, "s", "p"
	case 4:
		return 4, true, "i", "p"
	case 8:
		return 8, true, "d", "p"
	case 16:
		if t.OID == types.OIDInterval {
			return 16, false, "d", "p"
		}
		return 16, false, "c", "p"
	case 64:
		return 64, false, "c", "p"
	}
	if t.OID == types.OIDNumeric {
		return -1, false, "i", "m"
	}
	if t.IsArray() {
		e, _ := types.ElemOf(t)
		if _, _, a, _ := typeLayout(e); a == "d" {
			return int64(d.Len), false, "d", "x"
		}
	}
	return int64(d.Len), false, "i", "x"
}

func typeCollation(t types.Type) int64 {
	switch t.OID {
	case types.OIDText, types.OIDVarchar, types.OIDBpchar, types.OIDNodeTree:
		return collDefault
	case types.OIDName:
		return collC
	}
	return 0
}

// preferred marks each category's preferred type, as pg_type does.
var preferred = map[types.OID]bool{types.OIDBool: true, types.OIDText: true, types.OIDFloat8: true,
	types.OIDTimestamptz: true, types.OIDInterval: true, types.OIDOid: true}

func pgType() [][]types.Datum {
	var out [][]types.Datum
	for _, d := range types.All() {
		t := types.Type{OID: d.OID, Typmod: -1}
		ln, byval, align, storage := typeLayout(t)
		typtype := "b"
		if d.OID == types.OIDVoid || d.OID == types.OIDUnknown || d.OID == types.OIDRecord {
			typtype = "p"
		}
		elem, arr := int64(0), int64(0)
		in, outp, recv, send, subscript := int64(0), int64(0), int64(0), int64(0), int64(0)
		if e, ok := types.ElemOf(t); ok {
			elem = int64(e.OID)
			in, outp = int64(types.ProcOIDs["array_in"]), int64(types.ProcOIDs["array_out"])
			recv, send = int64(types.ProcOIDs["array_recv"]), int64(types.ProcOIDs["array_send"])
			subscript = int64(types.ProcOIDs["array_subscript_handler"])
		}
		if a, ok := types.ArrayOf(t); ok {
			arr = int64(a.OID)
		}
		out = append(out, []types.Datum{int64(d.OID), d.Name, int64(oidPgCatalog), int64(10), ln, byval, typtype,
			string(d.Category), preferred[d.OID], true, ",", int64(0), subscript, elem, arr, in, outp, recv,
			send, int64(0), int64(0), int64(0), align, storage, false, int64(0), int64(-1), int64(0),
			typeCollation(t), nil, nil, nil})
	}
	for _, p := range types.PseudoTypes {
		out = append(out, []types.Datum{int64(p.OID), p.Name, int64(oidPgCatalog), int64(10), int64(p.Len), p.Len > 0,
			"p", "P", false, true, ",", int64(0), int64(0), int64(0), int64(0), int64(0), int64(0), int64(0),
			int64(0), int64(0), int64(0), int64(0), p.Align, p.Storage, false, int64(0), int64(-1), int64(0),
			int64(0), nil, nil, nil})
	}
	for _, d := range types.InfoSchemaDomains {
		base, _ := types.Lookup(d.Base.OID)
		ln, byval, align, storage := typeLayout(d.Base)
		out = append(out, []types.Datum{int64(d.OID), d.Name, int64(oidInfoSchema), int64(10), ln, byval, "d",
			string(base.Category), false, true, ",", int64(0), int64(0), int64(0), int64(0), int64(0), int64(0), int64(0),
			int64(0), int64(0), int64(0), int64(0), align, storage, false, int64(d.Base.OID), int64(d.Base.Typmod), int64(0),
			int64(d.Collation), nil, defaultOrNil(d.Default), nil})
	}
	return out
}

func (s tables) pgDescription() [][]types.Datum {
	st := s.State()
	var out [][]types.Datum
	for _, ns := range st.Schemas {
		if ns.Comment != "" {
			out = append(out, []types.Datum{int64(ns.ID), int64(oidPgNamespace), int64(0), ns.Comment})
		}
	}
	for _, r := range st.Sorted() {
		if r.Comment != "" {
			out = append(out, []types.Datum{int64(r.ID), int64(oidPgClass), int64(0), r.Comment})
		}
		for i, c := range r.Columns {
			if c.Comment != "" {
				out = append(out, []types.Datum{int64(r.ID), int64(oidPgClass), int64(i + 1), c.Comment})
			}
		}
	}
	return out
}

// viewDefinition is pg_get_viewdef's text: the deparsed query, indented
// and terminated as PostgreSQL prints it.
func viewDefinition(r *catalog.Relation) string {
	return " " + strings.TrimSpace(r.SQL) + ";"
}

// catalogOIDs are the pg_class OIDs of the pg_catalog relations sluice
// serves (PostgreSQL 15's), so 'pg_class'::regclass and joins on
// classoid work.
var catalogOIDs = map[string]types.OID{
	"pg_type":                  1247,
	"pg_foreign_table":         3118,
	"pg_roles":                 12000,
	"pg_settings":              12104,
	"pg_attribute":             1249,
	"pg_proc":                  1255,
	"pg_operator":              2617,
	"pg_class":                 1259,
	"pg_attrdef":               2604,
	"pg_constraint":            2606,
	"pg_inherits":              2611,
	"pg_index":                 2610,
	"pg_am":                    2601,
	"pg_statistic_ext":         3381,
	"pg_rewrite":               2618,
	"pg_trigger":               2620,
	"pg_description":           2609,
	"pg_enum":                  3501,
	"pg_namespace":             2615,
	"pg_depend":                2608,
	"pg_database":              1262,
	"pg_extension":             3079,
	"pg_policy":                3256,
	"pg_collation":             3456,
	"pg_sequence":              2224,
	"pg_publication":           6104,
	"pg_publication_namespace": 6237,
	"pg_publication_rel":       6106,
	"pg_user":                  12014,
	"pg_views":                 12028,
	"pg_tables":                12033,
	"pg_matviews":              12038,
	"pg_stat_user_tables":      12161,
}

func (s tables) pgProc() [][]types.Datum {
	var out [][]types.Datum
	for _, p := range s.Procs() {
		args := &types.Array{Elem: types.Oid}
		for _, a := range p.Args {
			args.Vals = append(args.Vals, int64(a.OID))
		}
		variadic := int64(0)
		if p.Variadic && len(p.Args) > 0 {
			variadic = int64(p.Args[len(p.Args)-1].OID)
		}
		out = append(out, []types.Datum{int64(p.OID), p.Name, int64(oidPgCatalog), int64(10), int64(12), float64(1), float64(0),
			variadic, int64(0), string(p.Kind), false, false, p.Strict, false, string(p.Volatile), "s", int64(len(p.Args)),
			int64(0), int64(p.Ret.OID), args, nil, nil, nil, nil, nil, p.Name, nil, nil, nil, nil})
	}
	return out
}

// pgOperator is pg_operator: the binary operators the planner resolves,
// with commutators and negators linked where both exist. No operator has a
// pg_proc function of its own (oprcode 0, shown as "-").
func (s tables) pgOperator() [][]types.Datum {
	ops := s.Operators()
	type sig struct {
		name string
		l, r types.OID
	}
	byName := make(map[sig]types.OID, len(ops))
	for _, o := range ops {
		byName[sig{o.Name, o.Left.OID, o.Right.OID}] = o.OID
	}
	commutator := map[string]string{"=": "=", "<>": "<>", "<": ">", ">": "<", "<=": ">=", ">=": "<=", "+": "+", "*": "*", "&&": "&&", "@>": "<@", "<@": "@>"}
	negator := map[string]string{"=": "<>", "<>": "=", "<": ">=", ">=": "<", ">": "<=", "<=": ">",
		"~~": "!~~", "!~~": "~~", "~~*": "!~~*", "!~~*": "~~*", "~": "!~", "!~": "~", "~*": "!~*", "!~*": "~*"}
	link := func(m map[string]string, o Operator, swap bool) int64 {
		name, ok := m[o.Name]
		if !ok {
			return 0
		}
		l, r := o.Left.OID, o.Right.OID
		if swap {
			l, r = r, l
		}
		return int64(byName[sig{name, l, r}])
	}
	out := make([][]types.Datum, 0, len(ops))
	for _, o := range ops {
		isEq := o.Name == "="
		out = append(out, []types.Datum{int64(o.OID), o.Name, int64(oidPgCatalog), int64(10), "b",
			isEq && o.Left == o.Right, isEq && o.Left == o.Right, int64(o.Left.OID), int64(o.Right.OID), int64(o.Result.OID),
			link(commutator, o, true), link(negator, o, false), int64(0), int64(0), int64(0)})
	}
	return out
}

// pgStatActivity lists the server's sessions.
func (s tables) pgStatActivity() *Table {
	ts := types.TimestamptzT
	c := cols("datid", tOid, "datname", tName, "pid", tInt, "leader_pid", tInt, "usesysid", tOid, "usename", tName,
		"application_name", tText, "client_addr", tText, "client_hostname", tText, "client_port", tInt,
		"backend_start", ts, "xact_start", ts, "query_start", ts, "state_change", ts, "wait_event_type", tText,
		"wait_event", tText, "state", tText, "backend_xid", tXid, "backend_xmin", tXid, "query_id", types.Int8,
		"query", tText, "backend_type", tText)
	return &Table{Columns: c, Rows: func() [][]types.Datum {
		var out [][]types.Datum
		roleOID := s.roleOIDs()
		for _, b := range s.Backends() {
			out = append(out, []types.Datum{int64(oidDatabase), s.Database(), int64(b.PID), nil, roleOID(b.User), b.User,
				b.App, nil, nil, nil, micros(b.BackendStart), micros(b.XactStart), micros(b.QueryStart), micros(b.StateChange),
				nil, nil, b.State, nil, nil, nil, b.Query, "client backend"})
		}
		return out
	}}
}

func micros(t time.Time) types.Datum {
	if t.IsZero() {
		return nil
	}
	return types.Timestamp(t.UnixMicro())
}

// attrdefOID numbers a column default apart from relation and rule OIDs.
func attrdefOID(r *catalog.Relation, col int) int64 {
	return int64(2<<30) | int64(r.ID)<<10 | int64(col)
}

// ruleOID numbers a view's _RETURN rule apart from relation OIDs.
func ruleOID(view *catalog.Relation) int64 { return int64(1<<30 | view.ID) }

func defaultOrNil(s string) types.Datum {
	if s == "" {
		return nil
	}
	return s
}
