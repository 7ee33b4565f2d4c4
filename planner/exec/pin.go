package exec

import (
	"context"

	"github.com/sluicedb/sluice/connectors"
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
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
	t   *plan.SourceTable
}

func keyOf(t *plan.SourceTable) pinKey {
	if t.OID != 0 {
		return pinKey{oid: uint32(t.OID)}
	}
	return pinKey{t: t}
}

// PinSource returns the provider pins hold for t, pinning it on first use;
// tables without Current are read as bound.
func PinSource(ctx context.Context, pins *expr.PinSet, t *plan.SourceTable) (connectors.Provider, error) {
	if t.Current == nil || pins == nil {
		return t.Provider, nil
	}
	return pins.Pin(ctx, keyOf(t), t.Current)
}

// providerOf is the provider the execution ec belongs to reads for t.
func providerOf(ec *expr.EvalCtx, t *plan.SourceTable) (connectors.Provider, error) {
	return PinSource(ec.Ctx, ec.Pins, t)
}
