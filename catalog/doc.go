// Package catalog owns sluice's durable metadata. Today that is roles and
// their SCRAM-SHA-256 verifiers (the database list is fixed: "sluice"), kept
// in <data-dir>/catalog/roles.json and replaced atomically (write to a temp
// file, fsync, rename, fsync the directory), so a crash leaves either the old
// or the new file. Schemas, tables, views and the embedded SQL store arrive
// with the lake issue behind the same package.
//
// catalog imports only sql/* (and, later, connector interfaces).
package catalog
