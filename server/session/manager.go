package session

import (
	"context"
	"log/slog"
	"runtime"
	"strings"
	"sync"

	"github.com/sluicedb/sluice/cache"
	"github.com/sluicedb/sluice/catalog"
	"github.com/sluicedb/sluice/server/pgwire"
	"github.com/sluicedb/sluice/sql/sqlerr"
)

// DatabaseName is the one database sluice serves.
const DatabaseName = "sluice"

// Signaler cancels or terminates other connections (the pgwire server).
type Signaler interface {
	Signal(pid uint32, terminate bool) bool
}

// Manager creates sessions; it implements pgwire.Sessions.
type Manager struct {
	Roles *catalog.Roles
	// Catalog keeps schemas, lake tables and views (in memory by default).
	Catalog catalog.Store
	// Warehouse is the directory of managed tables ("" allows none).
	Warehouse string
	// Results is the result cache shared by all sessions.
	Results  *cache.Results
	Logger   *slog.Logger
	Metrics  *Metrics
	Version  string // sluice's own version
	Signaler Signaler
	// QueryMemory is the default of sluice.query_memory ("" keeps the built-in 1GB).
	QueryMemory string

	mu       sync.Mutex
	sessions map[uint32]*Session
}

// NewManager returns a session manager.
func NewManager(roles *catalog.Roles, version string, logger *slog.Logger, m *Metrics) *Manager {
	if logger == nil {
		logger = slog.Default()
	}
	mem, _ := catalog.OpenStore("") // in memory: cannot fail
	return &Manager{Roles: roles, Catalog: mem, Results: cache.NewResults(256<<20, 32<<20), Version: version, Logger: logger, Metrics: m, sessions: map[uint32]*Session{}}
}

// VersionString is version()'s text.
func (m *Manager) VersionString() string {
	return "PostgreSQL " + ServerVersion + " (sluice " + m.Version + ") on x86_64-pc-linux-gnu, compiled by " +
		runtime.Version() + ", 64-bit"
}

// NewSession implements pgwire.Sessions.
func (m *Manager) NewSession(ctx context.Context, st *pgwire.Startup, key pgwire.BackendKey, n pgwire.Notifier) (pgwire.Handler, [][2]string, error) {
	if st.Database != DatabaseName && st.Database != st.User {
		return nil, nil, sqlerr.New(sqlerr.InvalidCatalogName, "database \"%s\" does not exist", st.Database).WithSeverity(sqlerr.SeverityFatal)
	}
	if st.Database != DatabaseName {
		// libpq defaults the database to the user name; PostgreSQL would
		// refuse it unless such a database exists, and so do we.
		return nil, nil, sqlerr.New(sqlerr.InvalidCatalogName, "database \"%s\" does not exist", st.Database).WithSeverity(sqlerr.SeverityFatal)
	}
	role, ok := m.Roles.Get(st.User)
	if !ok {
		return nil, nil, sqlerr.New(sqlerr.InvalidAuthorization, "role \"%s\" does not exist", st.User).WithSeverity(sqlerr.SeverityFatal)
	}
	s := newSession(m, st, key, n, role)
	if m.QueryMemory != "" {
		if v, err := checkMemory(m.QueryMemory); err == nil {
			s.set.vals["sluice.query_memory"] = v
		}
	}
	// Startup parameters are applied like SET; unknown ones are FATAL 42704.
	for k, v := range st.Params {
		switch k {
		case "user", "database", "replication", "options":
			continue
		}
		if err := s.setFromStartup(k, v); err != nil {
			return nil, nil, sqlerr.From(err).WithSeverity(sqlerr.SeverityFatal)
		}
	}
	if opts := st.Params["options"]; strings.TrimSpace(opts) != "" {
		kvs, err := pgwire.ParseOptions(opts)
		if err != nil {
			return nil, nil, err
		}
		for _, kv := range kvs {
			if err := s.setFromStartup(kv[0], kv[1]); err != nil {
				return nil, nil, sqlerr.From(err).WithSeverity(sqlerr.SeverityFatal)
			}
		}
	}
	s.markReported()
	m.mu.Lock()
	m.sessions[key.PID] = s
	m.mu.Unlock()
	return s, s.reportedStatus(), nil
}

func (m *Manager) remove(pid uint32) {
	m.mu.Lock()
	delete(m.sessions, pid)
	m.mu.Unlock()
}
