package session

import (
	"sync"
	"time"
)

// activity is what pg_stat_activity shows of a session. Other sessions
// read it, so it has its own lock.
type activity struct {
	mu           sync.Mutex
	backendStart time.Time
	query        string
	queryStart   time.Time
	stateChange  time.Time
	state        string // active, idle, idle in transaction, idle in transaction (aborted)
	app          string
}

// begin records that the session started running query.
func (s *Session) beginActivity(query string) {
	app, _ := s.set.get("application_name")
	a := &s.act
	a.mu.Lock()
	now := time.Now()
	a.query, a.queryStart, a.stateChange, a.state, a.app = query, now, now, "active", app
	a.mu.Unlock()
}

func (a *activity) end(state string) {
	a.mu.Lock()
	a.state, a.stateChange = state, time.Now()
	a.mu.Unlock()
}

// idleState is the state a session shows between statements.
func (s *Session) idleState() string {
	switch s.tx {
	case txExplicit:
		return "idle in transaction"
	case txFailed:
		return "idle in transaction (aborted)"
	}
	return "idle"
}
