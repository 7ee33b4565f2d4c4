package planner

import (
	"context"

	"github.com/sluicedb/sluice/connectors"
	"github.com/sluicedb/sluice/planner/exec"
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/types"
)

// Pinned is a plan whose sources are pinned: what one execution reads.
// The result cache keys on Sources' versions, then runs Execute, so a
// cached answer and a computed one come from the same data.
type Pinned struct {
	plan *Plan
	pins *expr.PinSet
	srcs []PinnedSource
}

// PinnedSource is a table the plan reads and the provider pinned for it.
type PinnedSource struct {
	Table    *plan.SourceTable
	Provider connectors.Provider
}

// Pin pins every source table the plan reads (sub-queries included).
func (p *Plan) Pin(ctx context.Context) (*Pinned, error) {
	x := &Pinned{plan: p, pins: &expr.PinSet{}}
	for _, t := range p.inputs().sources {
		prov, err := exec.PinSource(ctx, x.pins, t)
		if err != nil {
			return nil, err
		}
		x.srcs = append(x.srcs, PinnedSource{Table: t, Provider: prov})
	}
	return x, nil
}

// Sources returns the pinned source tables, in the plan's order.
func (x *Pinned) Sources() []PinnedSource { return x.srcs }

// Execute runs the plan over the pinned sources.
func (x *Pinned) Execute(ctx context.Context, env *expr.Env, params []types.Datum) (connectors.RecordStream, error) {
	return x.plan.execute(ctx, env, params, x.pins)
}
