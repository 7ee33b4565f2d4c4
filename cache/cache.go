// Package cache holds sluice's result cache: the full results of queries,
// keyed by everything the result depends on — the statement text, its
// parameters, the role, the session settings that change evaluation, and
// the version of every table it reads (lake snapshot ids, file listings).
// A commit to a table changes its version, so exactly the entries that
// read it stop matching; they age out of the cache (ristretto, bounded by
// bytes, admission by TinyLFU). A hit replays the stored Arrow batches.
//
// cache imports catalog, sql/* and arrow only.
package cache

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/dgraph-io/ristretto/v2"
)

// Entry is one cached result.
type Entry struct {
	Batches []arrow.RecordBatch
	Rows    int64
	Bytes   int64
}

// Results is a result cache.
type Results struct {
	c        *ristretto.Cache[string, *Entry]
	maxEntry int64
}

// Stats are the cache's counters.
type Stats struct {
	Hits, Misses, Evictions, Entries uint64
	Bytes                            int64
	Capacity                         int64
}

// NewResults returns a cache holding up to maxBytes of results; a result
// over maxEntry bytes is not cached.
func NewResults(maxBytes, maxEntry int64) *Results {
	c, err := ristretto.NewCache(&ristretto.Config[string, *Entry]{
		NumCounters: 100_000,
		MaxCost:     maxBytes,
		BufferItems: 64,
		Metrics:     true,
	})
	if err != nil {
		panic(err) // only for an invalid configuration
	}
	return &Results{c: c, maxEntry: maxEntry}
}

// Get returns the entry for a key.
func (r *Results) Get(key string) (*Entry, bool) { return r.c.Get(key) }

// MaxEntry is the largest result (in bytes) Put accepts.
func (r *Results) MaxEntry() int64 { return r.maxEntry }

// Put stores an entry (asynchronously: it may be visible a moment later,
// or be refused by the admission policy).
func (r *Results) Put(key string, e *Entry) {
	if e.Bytes > r.maxEntry {
		return
	}
	r.c.Set(key, e, e.Bytes+int64(len(key))+64)
}

// Wait blocks until pending Puts are applied (tests).
func (r *Results) Wait() { r.c.Wait() }

// Stats returns the counters.
func (r *Results) Stats() Stats {
	m := r.c.Metrics
	return Stats{Hits: m.Hits(), Misses: m.Misses(), Evictions: m.KeysEvicted(),
		Entries: m.KeysAdded() - m.KeysEvicted(), Bytes: int64(m.CostAdded() - m.CostEvicted()), Capacity: r.c.MaxCost()}
}
