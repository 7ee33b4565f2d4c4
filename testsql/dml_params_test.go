package testsql

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestDMLParamsMatchPostgres runs UPDATE and DELETE with bind parameters
// (the extended protocol, as JDBC and pgx send them) over a temporary and
// a durable table, in sluice and in PostgreSQL: the affected-row counts and
// the tables afterwards must be the same.
func TestDMLParamsMatchPostgres(t *testing.T) {
	Need(t, postgresReachable(), "PostgreSQL at "+PostgresAddr())
	ctx := context.Background()
	srv := Start(t)
	schema := fmt.Sprintf("dmlp_%d", os.Getpid())
	run := func(url string) []string {
		c := connect(t, url)
		defer c.Close(ctx)
		mustExec(t, c, "CREATE SCHEMA "+schema)
		defer mustExec(t, c, "DROP SCHEMA "+schema+" CASCADE")
		var out []string
		for _, tab := range []string{"pg_temp.dp", schema + ".dp"} {
			create := "CREATE TABLE " + tab
			if strings.HasPrefix(tab, "pg_temp.") {
				create = "CREATE TEMP TABLE dp"
			}
			mustExec(t, c, create+" (id int, name text, price numeric(8,2), seen timestamptz)")
			mustExec(t, c, "INSERT INTO "+tab+" SELECT i, 'n' || i, i * 1.25, TIMESTAMPTZ '2024-01-01 00:00:00+00' + i * INTERVAL '1 day' FROM generate_series(1, 20) i")
			steps := []struct {
				sql  string
				args []any
			}{
				{"UPDATE " + tab + " SET name = $1, price = price * $2 WHERE id = $3", []any{"renamed", "2", 4}},
				{"UPDATE " + tab + " SET price = NULL WHERE id > $1 AND name LIKE $2", []any{15, "n1%"}},
				{"DELETE FROM " + tab + " WHERE seen < $1 OR name = $2", []any{"2024-01-04 00:00:00+00", "n10"}},
				{"DELETE FROM " + tab + " WHERE id = ANY($1)", []any{[]int32{12, 13, 99}}},
				{"UPDATE " + tab + " SET name = $1 WHERE id = $2", []any{nil, 5}},
				{"DELETE FROM " + tab + " WHERE price IS NULL AND id > $1", []any{18}},
			}
			for _, st := range steps {
				tag, err := c.Exec(ctx, st.sql, st.args...)
				if err != nil {
					t.Fatalf("%s: %v", st.sql, err)
				}
				out = append(out, tab+": "+tag.String())
			}
			out = append(out, textRows(t, c, "SELECT id, name, price, seen FROM "+tab+" ORDER BY id")...)
		}
		return out
	}
	want := run(PostgresURL())
	got := run(srv.URL("sluice", ""))
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("sluice:\n%s\npostgres:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
