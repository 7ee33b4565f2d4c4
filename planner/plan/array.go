package plan

import "github.com/sluicedb/sluice/planner/expr"

// UnnestNode is unnest(array) in FROM.
type UnnestNode struct {
	Arg     expr.Expr
	Ordinal bool
}
