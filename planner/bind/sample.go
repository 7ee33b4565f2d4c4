package bind

import (
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

func (b *binder) sampleTable(x *ast.SampleTable) (plan.Node, []plan.ScopeCol, error) {
	method := x.Method
	if method != "bernoulli" && method != "system" {
		return nil, nil, expr.ErrAt(sqlerr.New(sqlerr.UndefinedObject, "tablesample method %s does not exist", method), x.Pos)
	}
	if len(x.Args) != 1 {
		return nil, nil, expr.ErrAt(sqlerr.New(sqlerr.InvalidTablesampleArgument, "tablesample method %s requires 1 argument, not %d", method, len(x.Args)), x.Pos)
	}
	n, cols, err := b.fromItem(x.Table)
	if err != nil {
		return nil, nil, err
	}
	arg, err := b.expr(x.Args[0])
	if err != nil {
		return nil, nil, err
	}
	out := &plan.SampleNode{Child: n, Method: method}
	if out.Pct, err = b.coerce(arg, types.Float4, "argument", x.Pos); err != nil {
		return nil, nil, err
	}
	if x.Repeatable != nil {
		seed, err := b.expr(x.Repeatable)
		if err != nil {
			return nil, nil, err
		}
		if out.Seed, err = b.coerce(seed, types.Float8, "argument", x.Pos); err != nil {
			return nil, nil, err
		}
	}
	return out, cols, nil
}
