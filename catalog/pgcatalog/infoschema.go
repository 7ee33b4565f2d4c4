package pgcatalog

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/sluicedb/sluice/catalog"
	"github.com/sluicedb/sluice/connectors"
	"github.com/sluicedb/sluice/sql/types"
)

// information_schema views over the catalog (the SQL-standard names many
// tools read instead of pg_catalog), and pg_settings.

var (
	tVarchar = types.Varchar
	tInt     = types.Int4
)

// InfoSchemaTable serves information_schema.name (nil if absent).
func InfoSchemaTable(sess Session, name string) *Table {
	s := tables{sess}
	mk := func(c []connectors.Column, rows func() [][]types.Datum) *Table {
		return &Table{Columns: c, Rows: rows}
	}
	switch name {
	case "schemata":
		return mk(cols("catalog_name", tName, "schema_name", tName, "schema_owner", tName, "default_character_set_catalog", tName,
			"default_character_set_schema", tName, "default_character_set_name", tName, "sql_path", tVarchar), func() [][]types.Datum {
			out := [][]types.Datum{{s.Database(), "information_schema", catalog.BootstrapUser, nil, nil, nil, nil},
				{s.Database(), "pg_catalog", catalog.BootstrapUser, nil, nil, nil, nil}}
			for _, ns := range sortedSchemas(s.State()) {
				owner := ownerName(ns.Owner)
				if ns.Name == "public" {
					owner = "pg_database_owner"
				}
				out = append(out, []types.Datum{s.Database(), ns.Name, owner, nil, nil, nil, nil})
			}
			return out
		})
	case "tables":
		return mk(cols("table_catalog", tName, "table_schema", tName, "table_name", tName, "table_type", tVarchar,
			"self_referencing_column_name", tName, "reference_generation", tVarchar, "user_defined_type_catalog", tName,
			"user_defined_type_schema", tName, "user_defined_type_name", tName, "is_insertable_into", tVarchar,
			"is_typed", tVarchar, "commit_action", tVarchar), func() [][]types.Datum {
			var out [][]types.Datum
			for _, r := range s.State().Sorted() {
				k := s.Kind(r)
				kind, ins := k.TableType, yesNo(k.Writable)
				out = append(out, []types.Datum{s.Database(), r.Schema, r.Name, kind, nil, nil, nil, nil, nil, ins, "NO", nil})
			}
			for _, r := range s.TempRelations() {
				out = append(out, []types.Datum{s.Database(), r.Schema, r.Name, "LOCAL TEMPORARY", nil, nil, nil, nil, nil, "YES", "NO", nil})
			}
			return out
		})
	case "views":
		return mk(cols("table_catalog", tName, "table_schema", tName, "table_name", tName, "view_definition", tVarchar,
			"check_option", tVarchar, "is_updatable", tVarchar, "is_insertable_into", tVarchar, "is_trigger_updatable", tVarchar,
			"is_trigger_deletable", tVarchar, "is_trigger_insertable_into", tVarchar), func() [][]types.Datum {
			var out [][]types.Datum
			for _, r := range s.State().Sorted() {
				if s.Kind(r).Relkind == "v" {
					out = append(out, []types.Datum{s.Database(), r.Schema, r.Name, viewDefinition(r), "NONE", "NO", "NO", "NO", "NO", "NO"})
				}
			}
			return out
		})
	case "columns":
		spec := []any{"table_catalog", tName, "table_schema", tName, "table_name", tName, "column_name", tName,
			"ordinal_position", tInt, "column_default", tVarchar, "is_nullable", tVarchar, "data_type", tVarchar,
			"character_maximum_length", tInt, "character_octet_length", tInt, "numeric_precision", tInt,
			"numeric_precision_radix", tInt, "numeric_scale", tInt, "datetime_precision", tInt, "interval_type", tVarchar,
			"interval_precision", tInt}
		for _, n := range []string{"character_set_catalog", "character_set_schema", "character_set_name", "collation_catalog",
			"collation_schema", "collation_name", "domain_catalog", "domain_schema", "domain_name", "udt_catalog", "udt_schema",
			"udt_name", "scope_catalog", "scope_schema", "scope_name"} {
			spec = append(spec, n, tName)
		}
		spec = append(spec, "maximum_cardinality", tInt, "dtd_identifier", tName)
		for _, n := range []string{"is_self_referencing", "is_identity", "identity_generation", "identity_start",
			"identity_increment", "identity_maximum", "identity_minimum", "identity_cycle", "is_generated",
			"generation_expression", "is_updatable"} {
			spec = append(spec, n, tVarchar)
		}
		return mk(cols(spec...), s.infoColumns)
	case "table_constraints":
		spec := []any{}
		for _, n := range []string{"constraint_catalog", "constraint_schema", "constraint_name", "table_catalog",
			"table_schema", "table_name"} {
			spec = append(spec, n, tName)
		}
		for _, n := range []string{"constraint_type", "is_deferrable", "initially_deferred", "enforced", "nulls_distinct"} {
			spec = append(spec, n, tVarchar)
		}
		return mk(cols(spec...), func() [][]types.Datum {
			// sluice has no keys; PostgreSQL lists each NOT NULL column as a
			// CHECK constraint named <schema oid>_<table oid>_<attnum>_not_null.
			st := s.State()
			var out [][]types.Datum
			for _, r := range st.Sorted() {
				if s.Kind(r).Relkind == "v" {
					continue
				}
				for i, c := range r.Columns {
					if c.NotNull {
						name := fmt.Sprintf("%d_%d_%d_not_null", schemaOID(st, r.Schema), r.ID, i+1)
						out = append(out, []types.Datum{s.Database(), r.Schema, name, s.Database(), r.Schema, r.Name,
							"CHECK", "NO", "NO", "YES", nil})
					}
				}
			}
			return out
		})
	case "key_column_usage":
		spec := []any{}
		for _, n := range []string{"constraint_catalog", "constraint_schema", "constraint_name", "table_catalog",
			"table_schema", "table_name", "column_name"} {
			spec = append(spec, n, tName)
		}
		spec = append(spec, "ordinal_position", tInt, "position_in_unique_constraint", tInt)
		return mk(cols(spec...), none) // no keys
	case "role_table_grants":
		return mk(infoCols("grantor:sql_identifier,grantee:sql_identifier,table_catalog:sql_identifier,table_schema:sql_identifier,"+
			"table_name:sql_identifier,privilege_type:character_data,is_grantable:yes_or_no,with_hierarchy:yes_or_no"), func() [][]types.Datum {
			// An owner holds every table privilege and may grant it.
			var out [][]types.Datum
			for _, r := range s.State().Sorted() {
				owner := ownerName(r.Owner)
				for _, p := range []string{"INSERT", "SELECT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"} {
					hier := "NO"
					if p == "SELECT" {
						hier = "YES"
					}
					out = append(out, []types.Datum{owner, owner, s.Database(), r.Schema, r.Name, p, "YES", hier})
				}
			}
			return out
		})
	case "routines":
		return mk(infoCols(routineCols), func() [][]types.Datum {
			var out [][]types.Datum
			for _, p := range s.Procs() {
				row := make([]types.Datum, 82)
				copy(row, []types.Datum{s.Database(), "pg_catalog", fmt.Sprintf("%s_%d", p.Name, p.OID), s.Database(), "pg_catalog", p.Name})
				if p.Kind == 'f' {
					row[6] = "FUNCTION"
					row[13] = sqlDataType(p.Ret)
					row[28], row[29], row[30] = s.Database(), "pg_catalog", udtName(p.Ret)
				}
				row[35] = "0"
				row[36], row[37], row[39], row[40] = "EXTERNAL", p.Name, "INTERNAL", "GENERAL"
				row[41], row[42], row[43] = yesNo(p.Volatile == 'i'), "MODIFIES", yesNo(p.Strict)
				row[45], row[46], row[49], row[53], row[57] = "YES", int64(0), "INVOKER", "NO", "NO"
				out = append(out, row)
			}
			return out
		})
	case "parameters":
		return mk(infoCols(parameterCols), func() [][]types.Datum {
			var out [][]types.Datum
			for _, p := range s.Procs() {
				for i, t := range p.Args {
					row := make([]types.Datum, 32)
					copy(row, []types.Datum{s.Database(), "pg_catalog", fmt.Sprintf("%s_%d", p.Name, p.OID), int64(i + 1), "IN", "NO", "NO", nil, sqlDataType(t)})
					row[23], row[24], row[25], row[30] = s.Database(), "pg_catalog", udtName(t), strconv.Itoa(i+1)
					out = append(out, row)
				}
			}
			return out
		})
	}
	return nil
}

// routineCols and parameterCols are information_schema.routines' and
// .parameters' columns (name:domain) in PostgreSQL 15's order.
const (
	routineCols = "specific_catalog:sql_identifier,specific_schema:sql_identifier,specific_name:sql_identifier," +
		"routine_catalog:sql_identifier,routine_schema:sql_identifier,routine_name:sql_identifier,routine_type:character_data," +
		"module_catalog:sql_identifier,module_schema:sql_identifier,module_name:sql_identifier,udt_catalog:sql_identifier," +
		"udt_schema:sql_identifier,udt_name:sql_identifier,data_type:character_data,character_maximum_length:cardinal_number," +
		"character_octet_length:cardinal_number,character_set_catalog:sql_identifier,character_set_schema:sql_identifier," +
		"character_set_name:sql_identifier,collation_catalog:sql_identifier,collation_schema:sql_identifier," +
		"collation_name:sql_identifier,numeric_precision:cardinal_number,numeric_precision_radix:cardinal_number," +
		"numeric_scale:cardinal_number,datetime_precision:cardinal_number,interval_type:character_data," +
		"interval_precision:cardinal_number,type_udt_catalog:sql_identifier,type_udt_schema:sql_identifier," +
		"type_udt_name:sql_identifier,scope_catalog:sql_identifier,scope_schema:sql_identifier,scope_name:sql_identifier," +
		"maximum_cardinality:cardinal_number,dtd_identifier:sql_identifier,routine_body:character_data," +
		"routine_definition:character_data,external_name:character_data,external_language:character_data," +
		"parameter_style:character_data,is_deterministic:yes_or_no,sql_data_access:character_data,is_null_call:yes_or_no," +
		"sql_path:character_data,schema_level_routine:yes_or_no,max_dynamic_result_sets:cardinal_number," +
		"is_user_defined_cast:yes_or_no,is_implicitly_invocable:yes_or_no,security_type:character_data," +
		"to_sql_specific_catalog:sql_identifier,to_sql_specific_schema:sql_identifier,to_sql_specific_name:sql_identifier," +
		"as_locator:yes_or_no,created:time_stamp,last_altered:time_stamp,new_savepoint_level:yes_or_no," +
		"is_udt_dependent:yes_or_no,result_cast_from_data_type:character_data,result_cast_as_locator:yes_or_no," +
		"result_cast_char_max_length:cardinal_number,result_cast_char_octet_length:cardinal_number,result_cast_char_set_catalog:sql_identifier," +
		"result_cast_char_set_schema:sql_identifier,result_cast_char_set_name:sql_identifier,result_cast_collation_catalog:sql_identifier," +
		"result_cast_collation_schema:sql_identifier,result_cast_collation_name:sql_identifier,result_cast_numeric_precision:cardinal_number," +
		"result_cast_numeric_precision_radix:cardinal_number,result_cast_numeric_scale:cardinal_number," +
		"result_cast_datetime_precision:cardinal_number,result_cast_interval_type:character_data,result_cast_interval_precision:cardinal_number," +
		"result_cast_type_udt_catalog:sql_identifier,result_cast_type_udt_schema:sql_identifier,result_cast_type_udt_name:sql_identifier," +
		"result_cast_scope_catalog:sql_identifier,result_cast_scope_schema:sql_identifier,result_cast_scope_name:sql_identifier," +
		"result_cast_maximum_cardinality:cardinal_number,result_cast_dtd_identifier:sql_identifier"
	parameterCols = "specific_catalog:sql_identifier,specific_schema:sql_identifier,specific_name:sql_identifier," +
		"ordinal_position:cardinal_number,parameter_mode:character_data,is_result:yes_or_no,as_locator:yes_or_no," +
		"parameter_name:sql_identifier,data_type:character_data,character_maximum_length:cardinal_number," +
		"character_octet_length:cardinal_number,character_set_catalog:sql_identifier,character_set_schema:sql_identifier," +
		"character_set_name:sql_identifier,collation_catalog:sql_identifier,collation_schema:sql_identifier," +
		"collation_name:sql_identifier,numeric_precision:cardinal_number,numeric_precision_radix:cardinal_number," +
		"numeric_scale:cardinal_number,datetime_precision:cardinal_number,interval_type:character_data," +
		"interval_precision:cardinal_number,udt_catalog:sql_identifier,udt_schema:sql_identifier,udt_name:sql_identifier," +
		"scope_catalog:sql_identifier,scope_schema:sql_identifier,scope_name:sql_identifier,maximum_cardinality:cardinal_number," +
		"dtd_identifier:sql_identifier,parameter_default:character_data"
)

// infoCols turns "name:domain,…" into columns of the domains' base types
// (sluice's information_schema has no domain types of its own).
func infoCols(spec string) []connectors.Column {
	var out []connectors.Column
	for _, f := range strings.Split(spec, ",") {
		name, dom, _ := strings.Cut(f, ":")
		t := types.Text
		for _, d := range types.InfoSchemaDomains {
			if d.Name == dom {
				t = d.Base
				t.Typmod = -1
			}
		}
		out = append(out, connectors.Column{Name: name, Type: t})
	}
	return out
}

func yesNo(b bool) string {
	if b {
		return "YES"
	}
	return "NO"
}

// udtName is a type's pg_type name (information_schema's udt_name).
func udtName(t types.Type) string {
	if d, ok := types.Lookup(t.OID); ok {
		return d.Name
	}
	return ""
}

func sortedSchemas(st *catalog.State) []*catalog.Namespace {
	out := make([]*catalog.Namespace, 0, len(st.Schemas))
	for _, ns := range st.Schemas {
		out = append(out, ns)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (s tables) infoColumns() [][]types.Datum {
	var out [][]types.Datum
	for _, r := range append(s.State().Sorted(), s.TempRelations()...) {
		updatable := yesNo(s.Kind(r).Writable)
		for i, c := range r.Columns {
			t := types.Type{OID: c.TypeOID, Typmod: c.Typmod}
			nullable := "YES"
			if c.NotNull {
				nullable = "NO"
			}
			row := []types.Datum{s.Database(), r.Schema, r.Name, c.Name, int64(i + 1), defaultOrNil(c.Default), nullable, sqlDataType(t)}
			row = append(row, typeFacts(t)...)
			udt := ""
			if d, ok := types.Lookup(t.OID); ok {
				udt = d.Name
			}
			row = append(row, nil, nil, nil, nil, nil, nil, nil, nil, nil, s.Database(), "pg_catalog", udt, nil, nil, nil,
				nil, strconv.Itoa(i+1), "NO", "NO", nil, nil, nil, nil, nil, "NO", "NEVER", nil, updatable)
			out = append(out, row)
		}
	}
	return out
}

// sqlDataType is information_schema's data_type: the SQL name without
// modifiers, ARRAY for arrays.
func sqlDataType(t types.Type) string {
	if t.IsArray() {
		return "ARRAY"
	}
	if d, ok := types.Lookup(t.OID); ok {
		return d.SQLName
	}
	return "USER-DEFINED"
}

// typeFacts are character_maximum_length … interval_precision.
func typeFacts(t types.Type) []types.Datum {
	var maxLen, octets, prec, radix, scale, dtPrec types.Datum
	switch t.OID {
	case types.OIDVarchar, types.OIDBpchar:
		if t.Typmod > 4 {
			maxLen, octets = int64(t.Typmod-4), int64((t.Typmod-4)*4)
		} else {
			octets = int64(1073741824)
		}
	case types.OIDText:
		octets = int64(1073741824)
	case types.OIDInt2:
		prec, radix, scale = int64(16), int64(2), int64(0)
	case types.OIDInt4:
		prec, radix, scale = int64(32), int64(2), int64(0)
	case types.OIDInt8:
		prec, radix, scale = int64(64), int64(2), int64(0)
	case types.OIDFloat4:
		prec, radix = int64(24), int64(2)
	case types.OIDFloat8:
		prec, radix = int64(53), int64(2)
	case types.OIDNumeric:
		radix = int64(10)
		if t.Typmod >= 4 {
			prec, scale = int64((t.Typmod-4)>>16), int64((t.Typmod-4)&0xffff)
		}
	case types.OIDDate:
		dtPrec = int64(0)
	case types.OIDTimestamp, types.OIDTimestamptz, types.OIDInterval:
		dtPrec = int64(6)
		if t.Typmod >= 0 && t.OID != types.OIDInterval {
			dtPrec = int64(t.Typmod)
		}
	}
	return []types.Datum{maxLen, octets, prec, radix, scale, dtPrec, nil, nil}
}

// pgSettings is pg_settings over the session's settings.
func (s tables) pgSettings() *Table {
	c := cols("name", tText, "setting", tText, "unit", tText, "category", tText, "short_desc", tText,
		"extra_desc", tText, "context", tText, "vartype", tText, "source", tText, "min_val", tText, "max_val", tText,
		"enumvals", tTextArr, "boot_val", tText, "reset_val", tText, "sourcefile", tText, "sourceline", tInt,
		"pending_restart", types.Bool)
	return &Table{Columns: c, Rows: func() [][]types.Datum {
		var out [][]types.Datum
		for _, st := range s.Settings() {
			vartype := "string"
			if st.Bool {
				vartype = "bool"
			}
			context, source := "user", "default"
			if st.ReadOnly {
				context = "internal"
			}
			if st.Value != st.Default {
				source = "session"
			}
			out = append(out, []types.Datum{st.Name, st.Value, nil, "Ungrouped", st.Desc, nil, context, vartype, source,
				nil, nil, nil, st.Default, st.Default, nil, nil, false})
		}
		return out
	}}
}
