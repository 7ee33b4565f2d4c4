// Package parse turns SQL text into sluice's ast. It is the only importer of
// pg_query_go (cgo stops here): PostgreSQL's own grammar splits and parses
// the text, and a converter maps the protobuf tree onto package ast,
// answering 0A000 for syntax PostgreSQL accepts but sluice does not handle.
//
// Parsing costs hundreds of microseconds for a large statement, so Parse
// keeps a bounded cache keyed by the exact text; results are immutable and
// shared by every session.
package parse
