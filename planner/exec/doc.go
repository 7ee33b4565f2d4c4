// Package exec runs plans: each plan node (package plan) is converted to
// an executor of the same layout (type filterNodeExec plan.FilterNode, so
// the conversion is free) whose open returns an iterator. Rows flow one at
// a time through iterators that stop early (LIMIT closes its input, and a
// scan told the LIMIT reads only the splits that cover it); the vectorized
// operators (vector_*.go) filter, join and aggregate column batches read
// from providers, with workers over splits.
//
// Every operator that buffers rows (sort, hash join, aggregation, window,
// CTE and sub-query results, scan read-ahead) charges the query's memory
// budget (expr.EvalCtx), failing with 53200 past it. Sources are read
// through the execution's pinned providers (pin.go), never the providers a
// plan was bound with. Sub-query expressions, which run plans, live here.
package exec
