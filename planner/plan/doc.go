// Package plan holds the operators a query plan is made of, as plain
// values other packages read and build: the binder (package bind) creates
// them, the rewrite rules (package rules) match and replace them,
// EXPLAIN renders them (describe, with row and cost estimates from the
// sources' statistics), and package exec runs them. Materialized-view
// maintenance and federation will read the same nodes: a plan is data, not
// code, so a subtree can be compiled over deltas or deparsed into SQL for a
// remote database.
//
// It also holds what plans refer to from the catalog side: Column,
// Relation, the Tables resolver, SourceTable (a provider-backed table) and
// MemTable (session-temporary rows).
//
// Nodes carry no execution state: a Plan is immutable and run many times.
// plan imports expr (node fields hold expressions) and never exec.
package plan
