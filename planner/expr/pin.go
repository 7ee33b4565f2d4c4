package expr

import (
	"context"
	"sync"

	"github.com/sluicedb/sluice/connectors"
)

// PinSet is one execution's pinned providers, shared by its sub-queries
// and scan workers. Keys are the caller's (planner keys sources by OID or
// pointer); the set itself knows nothing of tables.
type PinSet struct {
	mu sync.Mutex
	m  map[any]connectors.Provider
}

// Pin returns the provider pinned under key, calling load on first use.
func (ps *PinSet) Pin(ctx context.Context, key any, load func(context.Context) (connectors.Provider, error)) (connectors.Provider, error) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if p, ok := ps.m[key]; ok {
		return p, nil
	}
	p, err := load(ctx)
	if err != nil {
		return nil, err
	}
	if ps.m == nil {
		ps.m = map[any]connectors.Provider{}
	}
	ps.m[key] = p
	return p, nil
}
