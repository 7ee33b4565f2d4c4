package session

import (
	"context"

	"github.com/sluicedb/sluice/catalog"
	"github.com/sluicedb/sluice/connectors"
	"github.com/sluicedb/sluice/connectors/lake"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/parse"
	"github.com/sluicedb/sluice/sql/sqlerr"
)

// relKind is one kind of relation the catalog stores: how its CREATE is
// recognized and carried out, what the planner scans for it, how the
// catalogs show it and whether it can be written. The session asks this
// table wherever relations differ by kind, so a new kind (a stream, a
// materialized view, a foreign table) is one new value in relKinds and a
// file of its own, not edits across the session.
type relKind struct {
	kind catalog.Kind
	// relkind is pg_class.relkind ('r' table, 'v' view, 'm' materialized
	// view, 'f' foreign table); tableType is information_schema's
	// table_type.
	relkind, tableType string
	// writable: INSERT, UPDATE, DELETE, MERGE, TRUNCATE, COPY FROM and
	// ALTER TABLE … ADD/DROP COLUMN change it. Otherwise notWritable is
	// the error ("cannot insert into …").
	writable    bool
	notWritable func(r *catalog.Relation, what string) error
	// claims reports whether a CREATE TABLE … WITH (…) statement creates a
	// relation of this kind (nil: never by CREATE TABLE); create carries it
	// out for a relation whose name, schema and owner are set.
	claims func(x *ast.CreateTable) bool
	create func(ctx context.Context, s *Session, rel *catalog.Relation, cols []plan.Column, x *ast.CreateTable, tag string) (string, error)
	// open returns what the planner reads for a relation of this kind.
	open func(s *Session, r *catalog.Relation) (plan.Relation, error)
}

// relKinds lists every kind. A CREATE TABLE is claimed by the first kind
// whose claims says so; managed tables claim what no other kind does.
var relKinds = []*relKind{externalKind, viewKind, managedKind}

// kindOf returns the entry of a relation's kind.
func kindOf(r *catalog.Relation) *relKind {
	for _, k := range relKinds {
		if k.kind == r.Kind {
			return k
		}
	}
	return nil
}

// relkind is a relation's pg_class.relkind.
func relkind(r *catalog.Relation) string { return kindOf(r).relkind }

// hasStorage reports whether a relation holds rows of its own (tables,
// materialized views), as opposed to a query (views) or a remote table.
func hasStorage(r *catalog.Relation) bool {
	k := relkind(r)
	return k == "r" || k == "m"
}

// createKind is the kind a CREATE TABLE statement creates.
func createKind(x *ast.CreateTable) *relKind {
	for _, k := range relKinds {
		if k.claims != nil && k.claims(x) {
			return k
		}
	}
	return managedKind
}

// managedKind: a table sluice writes (Parquet data files and snapshot
// metadata in the warehouse; lake.go).
var managedKind = &relKind{
	kind: catalog.Managed, relkind: "r", tableType: "BASE TABLE", writable: true,
	claims: func(*ast.CreateTable) bool { return true },
	create: func(ctx context.Context, s *Session, rel *catalog.Relation, cols []plan.Column, x *ast.CreateTable, tag string) (string, error) {
		return s.createManaged(ctx, rel, cols, x, tag)
	},
	open: func(s *Session, r *catalog.Relation) (plan.Relation, error) {
		dir := s.tableDir(r)
		snap, err := lake.LoadSnapshot(dir, r.Metadata)
		if err != nil {
			return nil, err
		}
		t := snap.Table(dir, lakeCols(r.Columns))
		t.SetDistinct(analyzedDistinct(r, t.Version()))
		return &plan.SourceTable{Schema: r.Schema, Name: r.Name, OID: r.ID, Cols: plannerCols(r.Columns), DefVersion: r.Version, Provider: t}, nil
	},
}

// externalKind: Parquet files or an Iceberg table someone else writes,
// read where they are.
var externalKind = &relKind{
	kind: catalog.External, relkind: "r", tableType: "BASE TABLE",
	notWritable: func(r *catalog.Relation, what string) error {
		return sqlerr.Unsupported("cannot %s external table \"%s\": its files belong to their writer", what, r.Name).
			WithHint("Write to a managed table (CREATE TABLE without a location).")
	},
	claims: func(x *ast.CreateTable) bool { _, ok := x.Options["location"]; return ok },
	create: func(_ context.Context, s *Session, rel *catalog.Relation, cols []plan.Column, x *ast.CreateTable, tag string) (string, error) {
		return s.createExternal(rel, cols, x, x.Options["location"], tag)
	},
	open: func(s *Session, r *catalog.Relation) (plan.Relation, error) {
		// Files under an external location (or another engine's Iceberg
		// commits) change without a catalog commit: each execution pins
		// the table as it is then (SourceTable.Current).
		open := func(ctx context.Context) (connectors.Provider, error) {
			if r.Format == "iceberg" {
				return lake.OpenIceberg(ctx, r.Location, connCols(r.Columns))
			}
			t, err := lake.OpenExternal(r.Location, lake.S3OptionsFrom(r.Options), connCols(r.Columns), r.PartCols)
			if err != nil {
				return nil, err
			}
			t.SetDistinct(analyzedDistinct(r, t.Version()))
			return t, nil
		}
		t, err := open(context.Background())
		if err != nil {
			return nil, err
		}
		return &plan.SourceTable{Schema: r.Schema, Name: r.Name, OID: r.ID, Cols: plannerCols(r.Columns), DefVersion: r.Version, Provider: t, Current: open}, nil
	},
}

// viewKind: a stored query, bound afresh where it is used (CREATE VIEW in
// ddl.go).
var viewKind = &relKind{
	kind: catalog.View, relkind: "v", tableType: "VIEW",
	notWritable: func(r *catalog.Relation, what string) error {
		return sqlerr.New(sqlerr.WrongObjectType, "cannot %s view \"%s\"", what, r.Name)
	},
	open: func(s *Session, r *catalog.Relation) (plan.Relation, error) {
		stmts, err := parse.Parse(r.SQL)
		if err != nil {
			return nil, err
		}
		sel, ok := stmts[0].AST.(*ast.Select)
		if len(stmts) != 1 || !ok {
			return nil, sqlerr.Internal("view %s.%s: stored query is not a SELECT", r.Schema, r.Name)
		}
		v := &plan.ViewDef{Schema: r.Schema, Name: r.Name, OID: r.ID, Cols: plannerCols(r.Columns), Query: sel}
		for _, ref := range r.Refs {
			v.Refs = append(v.Refs, plan.ViewRef{Schema: ref.Schema, Name: ref.Name, OID: ref.ID})
		}
		return v, nil
	},
}

// relation turns a catalog relation into what the planner scans.
func (s *Session) relation(r *catalog.Relation) (plan.Relation, error) {
	k := kindOf(r)
	if k == nil {
		return nil, sqlerr.Internal("catalog: unknown relation kind %q", r.Kind)
	}
	return k.open(s, r)
}

// writeTarget checks that a relation can be written by a statement ("insert
// into", "update", …).
func writeTarget(r *catalog.Relation, what string) error {
	if k := kindOf(r); k != nil && !k.writable {
		return k.notWritable(r, what)
	}
	return nil
}
