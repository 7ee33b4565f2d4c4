package testsql

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// TestSqlsmith runs sqlsmith (Debian's package) against sluice: a query
// generator of its own, which reads sluice's catalog (pg_type, pg_operator,
// pg_proc, pg_aggregate's rows in pg_proc, information_schema.tables …) for
// what it may call, and sends deep random queries (sub-queries in every
// position, LATERAL, window calls, CASE/COALESCE/NULLIF of every type)
// with statement_timeout = 1s. sqlsmith logs each failed query with its
// SQLSTATE into PostgreSQL (schema sqlsmith_log of the oracle's database).
//
// Passing means: sqlsmith loads the catalog and runs to the end, sluice
// is still up, and no query answered XX000 (an internal error or a
// recovered panic). Errors sluice answers on purpose (0A000, 22xxx,
// 57014 …) are counted and printed. Random results are not compared
// here: sqlsmith's queries use random() and LIMIT without ORDER BY
// (TestRandomQueriesMatchPostgres compares results).
func TestSqlsmith(t *testing.T) {
	_, err := exec.LookPath("sqlsmith")
	Need(t, err == nil, "sqlsmith (apt-get install sqlsmith)")
	Need(t, postgresReachable(), "PostgreSQL at "+PostgresAddr()+" (sqlsmith logs its errors there)")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	srv := Start(t)
	sl, err := pgx.Connect(ctx, srv.URL("sluice", ""))
	if err != nil {
		t.Fatal(err)
	}
	defer sl.Close(ctx)
	for _, q := range []string{
		"CREATE TABLE t1 (a int4, b int8, c text, d numeric(10,2), e float8, f date, g timestamp, h bool)",
		`INSERT INTO t1 SELECT i, i * 3 % 17, 'x' || (i % 7), i / 3.0, i * 0.5, DATE '2020-01-01' + i,
			TIMESTAMP '2020-01-01' + i * INTERVAL '1 hour', i % 2 = 0 FROM generate_series(1, 50) i`,
		"INSERT INTO t1 VALUES (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)",
		"CREATE TABLE t2 (k int4, name text, amount numeric, ts timestamptz)",
		`INSERT INTO t2 SELECT i % 10, 'n' || i, i * 1.25, TIMESTAMPTZ '2021-06-01 00:00+00' + i * INTERVAL '1 day'
			FROM generate_series(1, 30) i`,
		"CREATE VIEW v1 AS SELECT a, c, d FROM t1 WHERE a > 10",
	} {
		if _, err := sl.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}

	pg, err := pgx.Connect(ctx, PostgresURL())
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close(ctx)
	for _, q := range []string{
		"DROP SCHEMA IF EXISTS sqlsmith_log CASCADE",
		"CREATE SCHEMA sqlsmith_log",
		"CREATE TABLE sqlsmith_log.instance (id bigserial PRIMARY KEY, rev text, target text, hostname text, version text, seed text)",
		"CREATE TABLE sqlsmith_log.error (id bigint, msg text, query text, target text, sqlstate text)",
		"CREATE TABLE sqlsmith_log.stat (id bigint, generated float8, level float8, nodes float8, updated timestamptz, retries float8, impedance jsonb)",
	} {
		if _, err := pg.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}

	const queries = 2000
	target := fmt.Sprintf("host=127.0.0.1 port=%d user=sluice dbname=sluice", srv.Port)
	logTo := "host=127.0.0.1 port=5432 user=postgres dbname=test options=-csearch_path=sqlsmith_log"
	cmd := exec.CommandContext(ctx, "sqlsmith", "--target="+target, "--log-to="+logTo,
		"--exclude-catalog", fmt.Sprintf("--max-queries=%d", queries), "--seed=7")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sqlsmith: %v\n%s", err, tail(string(out), 2000))
	}
	if err := sl.Ping(ctx); err != nil {
		t.Fatalf("sluice is down after sqlsmith: %v", err)
	}

	rows, err := pg.Query(ctx, "SELECT sqlstate, count(*), min(split_part(msg, E'\\n', 1)), min(query) FROM sqlsmith_log.error GROUP BY 1 ORDER BY 2 DESC")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	failed := 0
	var summary []string
	for rows.Next() {
		var state, msg, query string
		var n int
		if err := rows.Scan(&state, &n, &msg, &query); err != nil {
			t.Fatal(err)
		}
		failed += n
		summary = append(summary, fmt.Sprintf("%s ×%d (%s)", state, n, msg))
		if state == "XX000" {
			t.Errorf("%d queries answered XX000, e.g. %s\n%s", n, msg, query)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	t.Logf("sqlsmith: %d queries, %d answered, %d errors: %s", queries, queries-failed, failed, strings.Join(summary, "; "))
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
