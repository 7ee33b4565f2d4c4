// Package planner binds statements against a catalog, plans them and
// executes the plans as streams of Arrow record batches.
//
// Today it is the seed of the engine the SQL-engine issue grows: it binds
// SELECT (targets, FROM of one table, function or subquery, WHERE, ORDER BY,
// LIMIT/OFFSET, DISTINCT, VALUES) and INSERT, resolves operators and
// functions with PostgreSQL's implicit-cast rules for the types sluice has,
// infers the types of $n parameters from context, and evaluates expressions
// a row at a time before assembling Arrow batches. Plans are immutable
// values: a prepared statement keeps its Plan and executes it many times,
// all run state living in the returned stream.
//
// Contract for callers: Bind never executes anything; Plan.Execute checks
// ctx per row batch (and inside pg_sleep), so cancel and statement_timeout
// stop a running query. Errors carry SQLSTATEs from package sqlerr.
package planner
