// Package planner is the query engine's front door: a Plan (what package
// bind produces from a statement) and its execution: Pin, Execute,
// ExplainAnalyze, the inputs the result cache keys on (CacheInputs), and
// INSERT plans.
//
// The engine is split by what each part may depend on, bottom up:
//
//   - planner/expr: expressions, casts, operator and function
//     implementations and their registry, aggregate definitions, and the
//     evaluation context (memory budget, pinned providers).
//   - planner/plan: the operator nodes, as plain values with exported
//     fields; tree walking; EXPLAIN descriptions and estimates.
//   - planner/exec: the execution of plan nodes (row iterators and the
//     vectorized operators) and sub-query expressions.
//   - planner/rules: the ordered list of named rewrite rules.
//   - planner/bind: syntax tree → plan, then the rules.
//   - planner (this package): Plan, on top of all but bind.
//
// testsql/imports_test.go enforces the layering. Plans are immutable: a
// prepared statement keeps its Plan and executes it many times; each
// execution pins every source it reads once (Plan.Pin), so a self-join reads
// one version and a cached plan sees new files and commits.
//
// Contract for callers: binding never executes anything; execution checks
// ctx per batch (and inside pg_sleep), so cancel and statement_timeout stop a
// running query. Errors carry SQLSTATEs from package sqlerr.
package planner
