package pgcatalog

import (
	"time"

	"github.com/sluicedb/sluice/catalog"
	"github.com/sluicedb/sluice/connectors"
	"github.com/sluicedb/sluice/sql/types"
)

// Session is what the catalogs read from the session that scans them. Its
// lists are read when a relation is scanned, not when it is bound.
type Session interface {
	// Database is the name of the database the session is connected to.
	Database() string
	// State is the catalog state the session's statement reads.
	State() *catalog.State
	// TempRelations are the session's temporary tables, in schema
	// pg_temp_1, sorted by name.
	TempRelations() []*catalog.Relation
	User() string
	// SearchPath is the session's search_path, "$user" resolved.
	SearchPath() []string
	// Lookup finds a relation of the catalog as the session does: in
	// schema, or through the search path when schema is "".
	Lookup(schema, name string) *catalog.Relation
	Roles() []catalog.Role
	// Kind is how a relation of the catalog (or a temporary table) shows.
	Kind(r *catalog.Relation) Kind
	// Backends are the server's sessions (pg_stat_activity).
	Backends() []Backend
	// Prepared are the session's prepared statements, the unnamed one
	// included.
	Prepared() []Prepared
	// Cursors are the session's open SQL cursors.
	Cursors() []Cursor
	// Settings are the session's configuration parameters, in SHOW ALL's
	// order.
	Settings() []Setting
	// Procs and Operators are the functions and the binary operators the
	// engine resolves.
	Procs() []Proc
	Operators() []Operator
}

// Table is a relation of pg_catalog or information_schema: its columns and
// its rows, computed at each scan.
type Table struct {
	Columns []connectors.Column
	Rows    func() [][]types.Datum
}

// Kind is how the catalogs show one kind of relation.
type Kind struct {
	// Relkind is pg_class.relkind ('r' table, 'v' view, 'm' materialized
	// view, 'f' foreign table); TableType is information_schema's
	// table_type.
	Relkind, TableType string
	// Writable: statements may write it (information_schema's
	// is_insertable_into and is_updatable).
	Writable bool
	// HasStorage: it holds rows of its own (tables, materialized views), as
	// opposed to a query (views) or a remote table.
	HasStorage bool
}

// Backend is one server session as pg_stat_activity shows it.
type Backend struct {
	PID       uint32
	User, App string
	// XactStart is zero unless shown (the scanning session's own
	// transaction, while it runs a statement).
	BackendStart, XactStart, QueryStart, StateChange time.Time
	State, Query                                     string
}

// Prepared is a prepared statement (pg_prepared_statements).
type Prepared struct {
	Name, SQL  string
	Created    time.Time
	ParamTypes []types.Type
	FromSQL    bool // created by SQL PREPARE
}

// Cursor is an open SQL cursor (pg_cursors).
type Cursor struct {
	Name, SQL string
	Hold      bool
}

// Setting is a configuration parameter and the session's value of it
// (pg_settings).
type Setting struct {
	Name, Value, Default, Desc string
	Bool                       bool // its values are on and off
	ReadOnly                   bool
}

// Proc is a function or aggregate the engine resolves (pg_proc).
type Proc struct {
	OID      types.OID
	Name     string
	Args     []types.Type
	Ret      types.Type
	Kind     byte // f function, a aggregate
	Strict   bool
	Volatile byte // i immutable, s stable, v volatile
	Variadic bool
}

// Operator is a binary operator the engine resolves (pg_operator).
type Operator struct {
	OID                 types.OID
	Name                string
	Left, Right, Result types.Type
}
