package plan

import "github.com/sluicedb/sluice/planner/expr"

// TABLESAMPLE BERNOULLI (p) and SYSTEM (p) [REPEATABLE (seed)].
//
// Both keep each row with probability p/100. PostgreSQL's SYSTEM samples
// whole pages, which sluice's files do not have; sampling rows instead
// gives the same expected size with less clustering. With REPEATABLE the
// same seed selects the same rows of the same data (not the rows
// PostgreSQL would select).

type SampleNode struct {
	Child  Node
	Method string
	Pct    expr.Expr // float4
	Seed   expr.Expr // float8, nil without REPEATABLE
}
