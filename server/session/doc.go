// Package session is the per-connection state of sluice: settings (GUCs)
// with SET/SHOW/RESET and ParameterStatus reporting, transactions (implicit
// and explicit, savepoints, the failed state), prepared statements and
// portals for the extended protocol, SQL cursors (DECLARE/FETCH/MOVE/CLOSE),
// PREPARE/EXECUTE/DEALLOCATE, COPY in and out, roles DDL, and the dispatch of
// every statement to the planner. pg_catalog and information_schema are
// computed by package catalog/pgcatalog from what catalogs.go hands it.
//
// A Manager creates one Session per authenticated connection and implements
// pgwire.Sessions; a Session implements pgwire.Handler. The one recover of
// the server lives here (Session.guard): a panic in a statement becomes
// XX000 "internal error" with its stack logged, and the connection lives on.
//
// Temporary tables are in-memory (planner.MemTable) and transactional: an
// undo log truncates appended rows and forgets created tables on ROLLBACK
// and ROLLBACK TO SAVEPOINT, so a rolled-back write is never visible.
package session
