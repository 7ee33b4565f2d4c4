package expr

import (
	"fmt"
	"strings"

	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// Catalog functions PostgreSQL clients call while introspecting (psql's
// \d, JDBC DatabaseMetaData, SQLAlchemy, BI tools). They ask the session
// through Env.Catalog; without one they answer as an empty database would.

func init() {
	O, T, B, I4 := types.Oid, types.Text, types.Bool, types.Int4
	cat := func(ec *EvalCtx) CatalogInfo {
		if ec.Env == nil {
			return nil
		}
		return ec.Env.Catalog
	}
	reg("pg_get_userbyid", funcDef{Args: []types.Type{O}, Ret: types.Name, Strict: true, Fn: func(ec *EvalCtx, a []types.Datum) (types.Datum, error) {
		oid := types.OID(a[0].(int64))
		if c := cat(ec); c != nil {
			if n, ok := c.RoleName(oid); ok {
				return n, nil
			}
		}
		return fmt.Sprintf("unknown (OID=%d)", oid), nil
	}})
	reg("pg_table_is_visible", funcDef{Args: []types.Type{O}, Ret: B, Strict: true, Fn: func(ec *EvalCtx, a []types.Datum) (types.Datum, error) {
		if c := cat(ec); c != nil {
			return c.RelationVisible(types.OID(a[0].(int64))), nil
		}
		return false, nil
	}})
	reg("pg_function_is_visible", funcDef{Args: []types.Type{O}, Ret: B, Strict: true, Fn: func(*EvalCtx, []types.Datum) (types.Datum, error) { return true, nil }})
	reg("pg_type_is_visible", funcDef{Args: []types.Type{O}, Ret: B, Strict: true, Fn: func(_ *EvalCtx, a []types.Datum) (types.Datum, error) {
		// Every type is in pg_catalog but information_schema's domains.
		for _, d := range types.InfoSchemaDomains {
			if int64(d.OID) == a[0].(int64) {
				return false, nil
			}
		}
		return true, nil
	}})
	reg("pg_encoding_to_char", funcDef{Args: []types.Type{I4}, Ret: types.Name, Strict: true, Pure: true, Fn: func(_ *EvalCtx, a []types.Datum) (types.Datum, error) {
		if a[0].(int64) == 6 {
			return "UTF8", nil
		}
		return "", nil
	}})
	reg("obj_description", funcDef{Args: []types.Type{O, types.Name}, Ret: T, Strict: true, Fn: func(ec *EvalCtx, a []types.Datum) (types.Datum, error) {
		if c := cat(ec); c != nil {
			if d, ok := c.Description(types.OID(a[0].(int64)), a[1].(string), 0); ok {
				return d, nil
			}
		}
		return nil, nil
	}})
	reg("obj_description", funcDef{Args: []types.Type{O}, Ret: T, Strict: true, Fn: func(ec *EvalCtx, a []types.Datum) (types.Datum, error) {
		if c := cat(ec); c != nil {
			if d, ok := c.Description(types.OID(a[0].(int64)), "", 0); ok {
				return d, nil
			}
		}
		return nil, nil
	}})
	reg("shobj_description", funcDef{Args: []types.Type{O, types.Name}, Ret: T, Strict: true, Fn: func(*EvalCtx, []types.Datum) (types.Datum, error) { return nil, nil }})
	reg("col_description", funcDef{Args: []types.Type{O, I4}, Ret: T, Strict: true, Fn: func(ec *EvalCtx, a []types.Datum) (types.Datum, error) {
		if c := cat(ec); c != nil {
			if d, ok := c.Description(types.OID(a[0].(int64)), "pg_class", int32(a[1].(int64))); ok {
				return d, nil
			}
		}
		return nil, nil
	}})
	viewdef := func(ec *EvalCtx, a []types.Datum) (types.Datum, error) {
		if c := cat(ec); c != nil {
			if d, ok := c.ViewDef(types.OID(a[0].(int64))); ok {
				return d, nil
			}
		}
		return nil, nil
	}
	reg("pg_get_viewdef", funcDef{Args: []types.Type{O}, Ret: T, Strict: true, Fn: viewdef})
	reg("pg_get_viewdef", funcDef{Args: []types.Type{O, B}, Ret: T, Strict: true, Fn: viewdef})
	// No column defaults, constraints or indexes exist yet: their
	// definitions are NULL, as for an OID that names nothing.
	none := func(*EvalCtx, []types.Datum) (types.Datum, error) { return nil, nil }
	// pg_get_expr: sluice's node trees (pg_attrdef.adbin) are SQL text already.
	nodeText := func(_ *EvalCtx, a []types.Datum) (types.Datum, error) { return a[0], nil }
	reg("pg_get_expr", funcDef{Args: []types.Type{T, O}, Ret: T, Strict: true, Fn: nodeText})
	reg("pg_get_expr", funcDef{Args: []types.Type{T, O, B}, Ret: T, Strict: true, Fn: nodeText})
	reg("pg_get_constraintdef", funcDef{Args: []types.Type{O}, Ret: T, Strict: true, Fn: none})
	reg("pg_get_constraintdef", funcDef{Args: []types.Type{O, B}, Ret: T, Strict: true, Fn: none})
	reg("pg_get_indexdef", funcDef{Args: []types.Type{O}, Ret: T, Strict: true, Fn: none})
	reg("pg_get_indexdef", funcDef{Args: []types.Type{O, I4, B}, Ret: T, Strict: true, Fn: none})
	// sluice has no triggers: every OID names none (NULL, as for an unknown trigger).
	reg("pg_get_triggerdef", funcDef{Args: []types.Type{O}, Ret: T, Strict: true, Fn: none})
	reg("pg_get_triggerdef", funcDef{Args: []types.Type{O, B}, Ret: T, Strict: true, Fn: none})
	procText := func(f func(Proc) string) func(*EvalCtx, []types.Datum) (types.Datum, error) {
		return func(_ *EvalCtx, a []types.Datum) (types.Datum, error) {
			if p, ok := procByOID(types.OID(a[0].(int64))); ok {
				return f(p), nil
			}
			return nil, nil
		}
	}
	reg("pg_get_function_arguments", funcDef{Args: []types.Type{O}, Ret: T, Strict: true, Fn: procText(procArgs)})
	reg("pg_get_function_identity_arguments", funcDef{Args: []types.Type{O}, Ret: T, Strict: true, Fn: procText(procArgs)})
	reg("pg_get_function_result", funcDef{Args: []types.Type{O}, Ret: T, Strict: true, Fn: procText(func(p Proc) string { return p.Ret.String() })})
	reg("pg_is_other_temp_schema", funcDef{Args: []types.Type{O}, Ret: B, Strict: true, Fn: func(*EvalCtx, []types.Datum) (types.Datum, error) { return false, nil }})
	// to_regclass/to_regtype/to_regnamespace: the OID, or NULL when the
	// name resolves to nothing (no error).
	for name, t := range map[string]types.Type{"to_regclass": types.Regclass, "to_regtype": types.Regtype,
		"to_regnamespace": {OID: types.OIDRegnamespace, Typmod: -1}} {
		t := t
		reg(name, funcDef{Args: []types.Type{T}, Ret: t, Strict: true, Fn: func(ec *EvalCtx, a []types.Datum) (types.Datum, error) {
			var f *types.Format
			if ec.Env != nil {
				f = ec.Env.Format
			}
			v, err := types.ParseText(t, a[0].(string), f)
			if err != nil {
				return nil, nil
			}
			return v, nil
		}})
	}
	// Privileges: sluice has no GRANT system yet, every role may use every
	// object, so every check answers true (as for a superuser).
	yes := func(*EvalCtx, []types.Datum) (types.Datum, error) { return true, nil }
	for _, name := range []string{"has_table_privilege", "has_schema_privilege", "has_database_privilege",
		"has_function_privilege", "has_type_privilege", "has_any_column_privilege", "has_sequence_privilege"} {
		reg(name, funcDef{Args: []types.Type{T, T}, Ret: B, Strict: true, Fn: yes})
		reg(name, funcDef{Args: []types.Type{O, T}, Ret: B, Strict: true, Fn: yes})
		reg(name, funcDef{Args: []types.Type{types.Name, T, T}, Ret: B, Strict: true, Fn: yes})
		reg(name, funcDef{Args: []types.Type{types.Name, O, T}, Ret: B, Strict: true, Fn: yes})
	}
	reg("has_column_privilege", funcDef{Args: []types.Type{T, T, T}, Ret: B, Strict: true, Fn: yes})
	reg("has_column_privilege", funcDef{Args: []types.Type{O, T, T}, Ret: B, Strict: true, Fn: yes})
	reg("has_column_privilege", funcDef{Args: []types.Type{O, types.Int2, T}, Ret: B, Strict: true, Fn: yes})
	reg("pg_has_role", funcDef{Args: []types.Type{types.Name, T}, Ret: B, Strict: true, Fn: yes})
	reg("pg_has_role", funcDef{Args: []types.Type{types.Name, types.Name, T}, Ret: B, Strict: true, Fn: yes})
	textArr, _ := types.ArrayOf(T)
	reg("parse_ident", funcDef{Args: []types.Type{T}, Ret: textArr, Strict: true, Pure: true, Fn: func(_ *EvalCtx, a []types.Datum) (types.Datum, error) {
		return parseIdent(a[0].(string))
	}})
	reg("pg_get_serial_sequence", funcDef{Args: []types.Type{T, T}, Ret: T, Strict: true, Fn: none}) // no sequences
	reg("pg_relation_is_publishable", funcDef{Args: []types.Type{types.Regclass}, Ret: B, Strict: true, Fn: func(*EvalCtx, []types.Datum) (types.Datum, error) { return false, nil }})
	reg("pg_get_statisticsobjdef_columns", funcDef{Args: []types.Type{O}, Ret: T, Strict: true, Fn: none})
	size := func(ec *EvalCtx, a []types.Datum) (types.Datum, error) {
		if c := cat(ec); c != nil {
			return c.RelationSize(types.OID(a[0].(int64))), nil
		}
		return int64(0), nil
	}
	for _, n := range []string{"pg_table_size", "pg_relation_size", "pg_total_relation_size"} {
		reg(n, funcDef{Args: []types.Type{types.Regclass}, Ret: types.Int8, Strict: true, Fn: size})
	}
	reg("pg_indexes_size", funcDef{Args: []types.Type{types.Regclass}, Ret: types.Int8, Strict: true, Fn: func(*EvalCtx, []types.Datum) (types.Datum, error) { return int64(0), nil }})
	reg("pg_size_pretty", funcDef{Args: []types.Type{types.Int8}, Ret: T, Strict: true, Pure: true, Fn: func(_ *EvalCtx, a []types.Datum) (types.Datum, error) {
		return sizePretty(a[0].(int64)), nil
	}})
	nameArr, _ := types.ArrayOf(types.Name)
	reg("current_schemas", funcDef{Args: []types.Type{B}, Ret: nameArr, Strict: true, Fn: func(ec *EvalCtx, a []types.Datum) (types.Datum, error) {
		out := &types.Array{Elem: types.Name}
		if a[0].(bool) {
			out.Vals = append(out.Vals, "pg_catalog")
		}
		if c := cat(ec); c != nil {
			for _, s := range c.SearchPath() {
				out.Vals = append(out.Vals, s)
			}
		}
		return out, nil
	}})
}

// sizePretty is PostgreSQL 15's pg_size_pretty(bigint): bytes below
// 10 kB, then the largest unit that keeps the number under 20 480, the
// last bit rounded half away from zero.
func sizePretty(n int64) string {
	const limit = 10 * 1024
	const limit2 = limit*2 - 1
	abs := func(x int64) int64 {
		if x < 0 {
			return -x
		}
		return x
	}
	half := func(x int64) int64 {
		if x < 0 {
			return (x - 1) / 2
		}
		return (x + 1) / 2
	}
	if abs(n) < limit {
		return fmt.Sprintf("%d bytes", n)
	}
	n >>= 9 // one extra bit for rounding
	for _, unit := range []string{"kB", "MB", "GB", "TB"} {
		if abs(n) < limit2 {
			return fmt.Sprintf("%d %s", half(n), unit)
		}
		n >>= 10
	}
	return fmt.Sprintf("%d PB", half(n))
}

// parseIdent splits a qualified identifier as parse_ident does: quoted
// parts keep their case and may contain dots, unquoted ones fold to lower.
func parseIdent(s string) (types.Datum, error) {
	out := &types.Array{Elem: types.Text}
	i := 0
	bad := func() error {
		return sqlerr.New(sqlerr.InvalidParameterValue, "string is not a valid identifier: \"%s\"", s)
	}
	for {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
			i++
		}
		if i >= len(s) {
			return nil, bad()
		}
		var part strings.Builder
		if s[i] == '"' {
			i++
			for {
				if i >= len(s) {
					return nil, bad()
				}
				if s[i] == '"' {
					if i+1 < len(s) && s[i+1] == '"' {
						part.WriteByte('"')
						i += 2
						continue
					}
					i++
					break
				}
				part.WriteByte(s[i])
				i++
			}
			if part.Len() == 0 {
				return nil, bad()
			}
		} else {
			start := i
			for i < len(s) && s[i] != '.' && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' {
				i++
			}
			if i == start {
				return nil, bad()
			}
			part.WriteString(strings.ToLower(s[start:i]))
		}
		out.Vals = append(out.Vals, part.String())
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n') {
			i++
		}
		if i >= len(s) {
			return out, nil
		}
		if s[i] != '.' {
			return nil, bad()
		}
		i++
	}
}
