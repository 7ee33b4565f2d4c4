package testsql

import (
	"strings"
	"testing"
)

// TestPgStatActivity: pg_stat_activity lists every session with its
// last query and state (PostgreSQL's values), pg_cancel_backend can use
// its pids; pg_prepared_statements and pg_cursors show the session's own.
func TestPgStatActivity(t *testing.T) {
	srv := Start(t)
	a := dial(t, srv.URL("sluice", "")+"&application_name=watcher")
	b := dial(t, srv.URL("sluice", "")+"&application_name=worker")
	mustExec(t, b, "BEGIN")
	mustExec(t, b, "SELECT 42")
	got := textRows(t, a, "SELECT application_name, state, query, backend_type, datname FROM pg_stat_activity WHERE pid <> pg_backend_pid()")
	if strings.Join(got, "\n") != "worker|idle in transaction|SELECT 42|client backend|sluice" {
		t.Fatalf("other session: %v", got)
	}
	self := textRows(t, a, "SELECT state, application_name, query LIKE '%pg_stat_activity%' FROM pg_stat_activity WHERE pid = pg_backend_pid()")
	if strings.Join(self, "\n") != "active|watcher|t" {
		t.Fatalf("own session: %v", self)
	}
	mustExec(t, b, "COMMIT")
	mustExec(t, a, "PREPARE q1 (int) AS SELECT $1 + 1")
	mustExec(t, a, "BEGIN")
	mustExec(t, a, "DECLARE c1 CURSOR FOR SELECT 1")
	if got := textRows(t, a, "SELECT name, from_sql, parameter_types::text FROM pg_prepared_statements WHERE from_sql"); strings.Join(got, ",") != "q1|t|{integer}" {
		t.Fatalf("prepared: %v", got)
	}
	if got := textRows(t, a, "SELECT name, is_holdable FROM pg_cursors"); strings.Join(got, ",") != "c1|f" {
		t.Fatalf("cursors: %v", got)
	}
	mustExec(t, a, "COMMIT")
}
