// Package pgcatalog serves PostgreSQL 15's system catalogs over sluice's
// catalog: the pg_catalog relations (pg_namespace, pg_class, pg_attribute,
// pg_type, pg_proc, pg_operator, pg_settings, pg_stat_activity, …), the
// information_schema views, the answers of the SQL catalog functions
// (pg_get_userbyid, pg_table_is_visible, obj_description, pg_get_viewdef,
// current_schemas) and the names behind regclass and regnamespace values.
// Each relation is a Table: PostgreSQL's columns and a function computing
// the rows from the catalog state when it is scanned.
//
// What belongs to a session (its temporary tables, search path, prepared
// statements, cursors and settings, the server's sessions, how each kind of
// relation shows) comes through the Session interface, which the session
// implements; the functions and operators the engine knows come through it
// as plain Proc and Operator values. The session wraps each Table into a
// relation the planner scans.
//
// pgcatalog imports only catalog, connectors and sql/types. The catalog
// layer sits below the engine (ARCHITECTURE.md §1): the planner reads the
// catalog, so pgcatalog must not import the planner (nor server/*); what it
// needs of them arrives through Session as plain values.
package pgcatalog
