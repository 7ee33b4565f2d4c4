// Package bind turns parsed statements into plans: it resolves names
// against the catalog (planner.Tables), infers the types of $n parameters
// from context, resolves operators, functions and aggregates with
// PostgreSQL's implicit-cast rules, folds constants, decorrelates
// sub-queries, binds INSERT (with defaults, casts and RETURNING) and view
// definitions, and finally runs the rewrite rules of package rules.
//
// It produces planner nodes and expressions and never executes a query
// (constant folding evaluates immutable functions of constants only).
// Errors carry SQLSTATEs and the statement position at birth, as
// PostgreSQL reports them.
package bind
