package session

import (
	"sync"
	"time"

	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/types"
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

func micros(t time.Time) types.Datum {
	if t.IsZero() {
		return nil
	}
	return types.Timestamp(t.UnixMicro())
}

// pgStatActivity lists the server's sessions.
func (s *Session) pgStatActivity() plan.Relation {
	ts := types.TimestamptzT
	c := cols("datid", tOid, "datname", tName, "pid", tInt, "leader_pid", tInt, "usesysid", tOid, "usename", tName,
		"application_name", tText, "client_addr", tText, "client_hostname", tText, "client_port", tInt,
		"backend_start", ts, "xact_start", ts, "query_start", ts, "state_change", ts, "wait_event_type", tText,
		"wait_event", tText, "state", tText, "backend_xid", tXid, "backend_xmin", tXid, "query_id", types.Int8,
		"query", tText, "backend_type", tText)
	return virtualTable("pg_catalog", "pg_stat_activity", c, func() [][]types.Datum {
		var out [][]types.Datum
		s.m.mu.Lock()
		sessions := make([]*Session, 0, len(s.m.sessions))
		for _, x := range s.m.sessions {
			sessions = append(sessions, x)
		}
		s.m.mu.Unlock()
		for _, x := range sessions {
			a := &x.act
			a.mu.Lock()
			row := []types.Datum{int64(oidDatabase), DatabaseName, int64(x.key.PID), nil, s.roleOID(x.user), x.user,
				a.app, nil, nil, nil, micros(a.backendStart), nil, micros(a.queryStart), micros(a.stateChange),
				nil, nil, a.state, nil, nil, nil, a.query, "client backend"}
			active := a.state == "active"
			a.mu.Unlock()
			if active && x == s {
				row[11] = micros(s.txStartTime())
			}
			out = append(out, row)
		}
		return out
	})
}
