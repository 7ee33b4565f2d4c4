package planner

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sluicedb/sluice/connectors"
	"github.com/sluicedb/sluice/planner/exec"
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/types"
)

// Plan is a bound, planned query: immutable and reusable.
type Plan struct {
	Columns []plan.Column
	Params  []types.Type
	// RuleTimes records how long each applied rewrite rule took.
	RuleTimes map[string]time.Duration
	// Err is an error found while folding constants: PostgreSQL reports it
	// when the statement is planned for execution (Bind), not at Parse.
	Err  error
	Root plan.Node

	inputsOnce sync.Once // what the plan reads, found once (CacheInputs)
	in         *planInputs
}

// ExplainAnalyze runs the plan to completion, discarding its rows, and
// returns the EXPLAIN lines with each operator's actual rows and time.
func (p *Plan) ExplainAnalyze(ctx context.Context, env *expr.Env, params []types.Datum) ([]string, error) {
	ec := expr.NewEvalCtx(ctx, env, params)
	ec.Stats = map[any]*expr.NodeStats{}
	t0 := time.Now()
	it, err := exec.OpenNode(ec, p.Root)
	if err != nil {
		return nil, err
	}
	for {
		row, err := it.Next()
		if err != nil {
			it.Close()
			return nil, err
		}
		if row == nil {
			break
		}
	}
	it.Close() // operators report some figures (splits read) when closed
	lines := p.explain(ec.Stats, false)
	return append(lines, fmt.Sprintf("Execution Time: %.3f ms", float64(time.Since(t0).Microseconds())/1000)), nil
}

// Execute runs the plan with parameter values (already decoded to Datums of
// Params' types) and returns its rows as Arrow batches.
func (p *Plan) Execute(ctx context.Context, env *expr.Env, params []types.Datum) (connectors.RecordStream, error) {
	return p.execute(ctx, env, params, &expr.PinSet{})
}

func (p *Plan) execute(ctx context.Context, env *expr.Env, params []types.Datum, pins *expr.PinSet) (connectors.RecordStream, error) {
	ec := expr.NewEvalCtx(ctx, env, params)
	ec.Pins = pins
	it, err := exec.OpenNode(ec, p.Root)
	if err != nil {
		return nil, err
	}
	fields := make([]arrow.Field, len(p.Columns))
	for i, c := range p.Columns {
		fields[i] = types.FieldFor(c.Name, c.Type)
	}
	return &exec.RowStream{ArrowSchema: arrow.NewSchema(fields, nil), Cols: p.Columns, It: it, Ec: ec, Mem: memory.DefaultAllocator}, nil
}
