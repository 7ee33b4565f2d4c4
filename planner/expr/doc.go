// Package expr is the bottom of the query engine: bound, typed scalar
// expressions (Expr) and their evaluation a row at a time or, where a
// kernel exists, a column vector at a time; casts with PostgreSQL's
// implicit/assignment/explicit rules; the implementations and registry of
// operators and functions (pg_proc's rows come from it); aggregate
// definitions and their states; and the evaluation context of one
// execution (EvalCtx: parameters, outer rows, the memory budget every
// buffering operator charges, pinned providers, EXPLAIN ANALYZE figures).
//
// It knows nothing of operators or plans: expressions that run sub-plans
// live in package exec, and those that refer to values computed by an
// operator (grouping, window and set-returning results) implement Ref.
package expr
