// Package planner is sluice's query engine core: the bound plan (Plan, the
// operator nodes and their expressions), its execution as a stream of rows
// and column batches, EXPLAIN, and the per-execution state (memory budget,
// pinned sources, statistics for EXPLAIN ANALYZE).
//
// The work is split in packages by what they may depend on:
//
//   - planner (this package): plan nodes, expressions, functions, casts and
//     their evaluation; the operators (row-at-a-time and vectorized);
//     Plan.Pin/Execute/ExplainAnalyze. It knows nothing of SQL syntax trees
//     beyond what functions need, nor of rewrite rules.
//   - planner/bind: syntax tree → plan (name resolution, type inference of
//     $n parameters, operator and function resolution with PostgreSQL's
//     implicit-cast rules, decorrelation), then the rules.
//   - planner/rules: the ordered list of named rewrite rules applied to a
//     bound plan (SET sluice.disabled_rules turns any of them off).
//
// Plans are immutable: a prepared statement keeps its Plan and executes it
// many times; all run state lives in the evaluation context and the
// returned iterators. Each execution pins every source it reads once
// (Plan.Pin), so a self-join reads one version and a cached plan sees new
// files and commits.
//
// Contract for callers: binding never executes anything; execution checks
// ctx per batch (and inside pg_sleep), so cancel and statement_timeout stop a
// running query. Errors carry SQLSTATEs from package sqlerr.
package planner
