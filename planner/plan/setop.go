package plan

import (
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/types"
)

type SetOpNode struct {
	Left, Right Node
	Kind        ast.SetOpKind
	All         bool
	Types       []types.Type
}
