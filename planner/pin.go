package planner

import (
	"context"

	"github.com/sluicedb/sluice/connectors"
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/sql/types"
)

// Pinning: a plan is bound once and may run many times (prepared
// statements, the session's plan cache), but what a source holds changes
// between runs: files land in an external directory, another engine
// commits to an Iceberg table, a stream's tail grows. A plan therefore
// keeps the provider it was bound with only for planning (schema,
// statistics, pushdown answers); each execution pins every source once,
// on first use, and reads only the pinned provider. A table named twice
// in one query (a self-join, a sub-query) reads one version.

// pinKey identifies a source within one execution: by OID when it has one
// (each reference to a table binds its own SourceTable), else by pointer.
type pinKey struct {
	oid uint32
	t   *SourceTable
}

func keyOf(t *SourceTable) pinKey {
	if t.OID != 0 {
		return pinKey{oid: uint32(t.OID)}
	}
	return pinKey{t: t}
}

// pinSource returns the provider pins hold for t, pinning it on first use;
// tables without Current are read as bound.
func pinSource(ctx context.Context, pins *expr.PinSet, t *SourceTable) (connectors.Provider, error) {
	if t.Current == nil || pins == nil {
		return t.Provider, nil
	}
	return pins.Pin(ctx, keyOf(t), t.Current)
}

// providerOf is the provider the execution ec belongs to reads for t.
func providerOf(ec *expr.EvalCtx, t *SourceTable) (connectors.Provider, error) {
	return pinSource(ec.Ctx, ec.Pins, t)
}

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
	Table    *SourceTable
	Provider connectors.Provider
}

// Pin pins every source table the plan reads (sub-queries included).
func (p *Plan) Pin(ctx context.Context) (*Pinned, error) {
	x := &Pinned{plan: p, pins: &expr.PinSet{}}
	for _, t := range p.inputs().sources {
		prov, err := pinSource(ctx, x.pins, t)
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
