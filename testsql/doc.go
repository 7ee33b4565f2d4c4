// Package testsql holds sluice's end-to-end tests: sqllogictest files
// (*.slt) run through a real pgwire client against a gateway started
// in-process on a loopback port, wire scripts of raw protocol messages
// (wire/*.wire) that also run against the real PostgreSQL on this machine to
// prove their expectations, smoke tests with real client programs and
// libraries, robustness tests (malformed frames, cancel, limits) and the
// import-graph test that enforces the architecture's package table.
//
// Start is the one helper every test uses to run a server in-process.
//
// Flags (go test ./testsql -args …):
//
//	-slt=FILE[:LINE]  run one .slt file, or the one record starting at LINE
//	-rewrite          rewrite expected results in place (review the diff!)
//	-wire=FILE        run one wire script
//
// PostgreSQL at 127.0.0.1:5432 (PGHOST/PGPORT override) is the oracle for
// pg_compat_*.slt and the wire scripts. Outside CI a missing PostgreSQL or
// client program skips those tests with a message; with CI=true it fails.
package testsql
