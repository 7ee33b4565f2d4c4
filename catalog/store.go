package catalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/sluicedb/sluice/durable"
	"github.com/sluicedb/sluice/sql/sqlerr"
)

// Kind is what a relation is.
type Kind string

const (
	// Managed is a table sluice writes (Parquet data files and snapshot
	// metadata in the warehouse).
	Managed Kind = "table"
	// External is a table over Parquet files sluice only reads.
	External Kind = "external"
	// View is a stored query, expanded where it is used.
	View Kind = "view"
)

// ViewRef is a relation a view's query names: as written (schema may be
// empty) and the relation it meant.
type ViewRef struct {
	Schema string `json:"schema,omitempty"`
	Name   string `json:"name"`
	ID     uint32 `json:"id"`
}

// Column is a column of a relation.
type Column struct {
	Name    string `json:"name"`
	TypeOID uint32 `json:"type"`
	Typmod  int32  `json:"typmod"`
	NotNull bool   `json:"not_null,omitempty"`
	// Default is the DEFAULT expression's SQL text, "" when none.
	Default string `json:"default,omitempty"`
	// Physical is the column's name inside data files when it differs.
	Physical string `json:"physical,omitempty"`
	Comment  string `json:"comment,omitempty"`
}

// Relation is a table or view. IDs are stable for the object's life and
// are also its pg_class OID; Version grows with every change to it
// (definition or data), so caches can key on (ID, Version).
type Relation struct {
	ID      uint32    `json:"id"`
	Schema  string    `json:"schema"`
	Name    string    `json:"name"`
	Kind    Kind      `json:"kind"`
	Columns []Column  `json:"columns"`
	Comment string    `json:"comment,omitempty"`
	Owner   string    `json:"owner,omitempty"`
	Version int64     `json:"version"`
	Created time.Time `json:"created"`

	// External tables: where the files are; the last PartCols columns are
	// hive partition keys.
	Location string `json:"location,omitempty"`
	Format   string `json:"format,omitempty"`
	PartCols int    `json:"partition_columns,omitempty"`
	// Options are the table's connection options (s3_endpoint, …). They
	// may hold credentials: nothing ever shows them back.
	Options map[string]string `json:"options,omitempty"`

	// Managed tables: the table's directory (relative to the warehouse)
	// and its current snapshot's metadata file (relative to Dir; "" while
	// the table is empty). Recording a new Metadata is the commit point.
	Dir      string `json:"dir,omitempty"`
	Metadata string `json:"metadata,omitempty"`
	// PartitionedBy is the partitioning of new data files ("region,
	// day(ts)"): each partition value gets files of its own.
	PartitionedBy string `json:"partitioned_by,omitempty"`

	// Views: the defining query as written, and the relations it named,
	// bound when the view was created: a view follows them through renames
	// (as PostgreSQL's views hold OIDs), and dropping one drops or is
	// blocked by the view.
	SQL  string    `json:"sql,omitempty"`
	Refs []ViewRef `json:"refs,omitempty"`

	// Analyzed holds what ANALYZE measured, for the data version it read.
	Analyzed *TableStats `json:"analyzed,omitempty"`
}

// TableStats are a table's ANALYZE results.
type TableStats struct {
	DataVersion string           `json:"data_version"`
	At          time.Time        `json:"at"`
	Rows        int64            `json:"rows"`
	Distinct    map[string]int64 `json:"distinct"` // estimated distinct values by column
}

// Namespace is a schema.
type Namespace struct {
	ID      uint32 `json:"id"`
	Name    string `json:"name"`
	Owner   string `json:"owner,omitempty"`
	Comment string `json:"comment,omitempty"`
}

// State is one version of the whole catalog. A State handed out by
// Snapshot is immutable; Update gives its callback a private copy.
type State struct {
	Version   int64                 `json:"version"`
	NextID    uint32                `json:"next_id"`
	Schemas   map[string]*Namespace `json:"schemas"`
	Relations map[string]*Relation  `json:"relations"` // by Key(schema, name)
}

// Key is the map key of a relation.
func Key(schema, name string) string { return schema + "." + name }

// Lookup returns a relation or nil.
func (s *State) Lookup(schema, name string) *Relation { return s.Relations[Key(schema, name)] }

// Sorted returns the relations ordered by schema and name.
func (s *State) Sorted() []*Relation {
	out := make([]*Relation, 0, len(s.Relations))
	for _, r := range s.Relations {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Schema != out[j].Schema {
			return out[i].Schema < out[j].Schema
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// NewID allocates an object ID.
func (s *State) NewID() uint32 {
	id := s.NextID
	s.NextID++
	return id
}

// firstID keeps catalog OIDs clear of PostgreSQL's built-in ones and of
// sessions' temporary tables (which count up from 16384).
const firstID = 100_000

func newState() *State {
	s := &State{NextID: firstID, Schemas: map[string]*Namespace{}, Relations: map[string]*Relation{}}
	s.Schemas["public"] = &Namespace{ID: 2200, Name: "public", Owner: BootstrapUser}
	return s
}

// Clone returns a deep copy of the state.
func (s *State) Clone() *State {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	var c State
	if err := json.Unmarshal(b, &c); err != nil {
		panic(err)
	}
	return &c
}

// Store keeps the catalog. Snapshot is cheap and lock-free for readers;
// Update serialises writers and commits each change atomically.
type Store interface {
	Snapshot() *State
	// Update runs fn on a private copy of the current state and, when fn
	// succeeds, makes the copy the new state durably (before returning).
	Update(fn func(*State) error) (*State, error)
}

// FileStore keeps the catalog in one JSON file in the data directory,
// replaced atomically on every change (temp file, fsync, rename). A
// crash leaves either the old or the new catalog. The interface leaves
// room for a shared PostgreSQL-backed store for several replicas.
type FileStore struct {
	path string // "" keeps the catalog in memory

	mu  sync.Mutex // serialises Update
	cur atomicState
}

type atomicState struct {
	mu sync.RWMutex
	s  *State
}

func (a *atomicState) load() *State {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.s
}

func (a *atomicState) store(s *State) {
	a.mu.Lock()
	a.s = s
	a.mu.Unlock()
}

// OpenStore loads (or creates) the catalog in dir; dir "" is in memory.
func OpenStore(dir string) (*FileStore, error) {
	st := &FileStore{}
	s := newState()
	if dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("catalog: %w", err)
		}
		st.path = filepath.Join(dir, "catalog.json")
		b, err := os.ReadFile(st.path)
		switch {
		case err == nil:
			s = &State{}
			if err := json.Unmarshal(b, s); err != nil {
				return nil, fmt.Errorf("catalog: %s is corrupt: %w", st.path, err)
			}
			if s.Schemas == nil {
				s.Schemas = map[string]*Namespace{}
			}
			if s.Relations == nil {
				s.Relations = map[string]*Relation{}
			}
		case errors.Is(err, fs.ErrNotExist):
		default:
			return nil, fmt.Errorf("catalog: %w", err)
		}
	}
	st.cur.store(s)
	return st, nil
}

// Snapshot implements Store.
func (st *FileStore) Snapshot() *State { return st.cur.load() }

// Update implements Store.
func (st *FileStore) Update(fn func(*State) error) (*State, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	next := st.cur.load().Clone()
	if err := fn(next); err != nil {
		return nil, err
	}
	next.Version++
	if st.path != "" {
		b, err := json.MarshalIndent(next, "", " ")
		if err != nil {
			return nil, sqlerr.Internal("catalog: %v", err)
		}
		if err := durable.WriteBytes(st.path, b); err != nil {
			return nil, sqlerr.New(sqlerr.IOError, "could not write the catalog: %v", err)
		}
	}
	st.cur.store(next)
	return next, nil
}

// ByID returns the relation with an ID, or nil.
func (s *State) ByID(id uint32) *Relation {
	for _, r := range s.Relations {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// Rekey moves a relation to a new schema or name (after a rename).
func (s *State) Rekey(r *Relation, schema, name string) {
	delete(s.Relations, Key(r.Schema, r.Name))
	r.Schema, r.Name = schema, name
	s.Relations[Key(schema, name)] = r
}
