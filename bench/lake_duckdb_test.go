package main

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
	"github.com/jackc/pgx/v5"

	"github.com/sluicedb/sluice/catalog"
	"github.com/sluicedb/sluice/connectors/lake"
	"github.com/sluicedb/sluice/testsql"
)

// TestDuckDBReadsSluiceTables writes a managed table through sluice (two
// commits, so several data files), then reads its Parquet files with
// DuckDB and compares per-column aggregates with sluice's own answers:
// the files are plain Parquet any engine reads, with the same values.
func TestDuckDBReadsSluiceTables(t *testing.T) {
	srv := testsql.Start(t)
	ctx := context.Background()
	c, err := pgx.Connect(ctx, srv.URL("sluice", ""))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	const gen = `SELECT i::int8 AS id, (i %% 1000)::int4 AS k, (i %% 7)::int2 AS s,
  CASE WHEN i %% 13 = 0 THEN NULL ELSE i * 0.25::float8 END AS f,
  CASE WHEN i %% 17 = 0 THEN NULL ELSE 'name-' || (i %% 5000) END AS txt,
  i %% 3 = 0 AS b, date '2024-01-01' + (i %% 400) AS d,
  timestamp '2024-01-01' + i * interval '1 second' AS ts,
  timestamptz '2024-01-01 00:00:00+00' + i * interval '1 minute' AS tz
FROM generate_series(%d, %d) g(i)`
	if _, err := c.Exec(ctx, "CREATE TABLE w AS "+fmt.Sprintf(gen, 1, 150000)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(ctx, "INSERT INTO w "+fmt.Sprintf(gen, 150001, 300000)); err != nil {
		t.Fatal(err)
	}
	// The files of the current snapshot, from the catalog.
	store, err := catalog.OpenStore(srv.Dir)
	if err != nil {
		t.Fatal(err)
	}
	rel := store.Snapshot().Lookup("public", "w")
	dir := filepath.Join(srv.Dir, "warehouse", rel.Dir)
	snap, err := lake.LoadSnapshot(dir, rel.Metadata)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range snap.Files {
		files = append(files, "'"+filepath.Join(dir, f.Path)+"'")
	}
	if len(files) < 2 {
		t.Fatalf("expected several data files, got %d", len(files))
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	src := "read_parquet([" + strings.Join(files, ", ") + "])"
	// Each query: the same aggregates in both dialects.
	checks := []struct{ sluice, duck string }{
		{"SELECT count(*), sum(id)::int8, sum(k), sum(s), count(f), count(txt) FROM w",
			"SELECT count(*), sum(id), sum(k), sum(s), count(f), count(txt) FROM " + src},
		{"SELECT min(txt), max(txt), count(DISTINCT txt), sum(length(txt)) FROM w",
			"SELECT min(txt), max(txt), count(DISTINCT txt), sum(length(txt)) FROM " + src},
		{"SELECT count(*) FILTER (WHERE b), min(d - date '2000-01-01'), max(d - date '2000-01-01') FROM w",
			"SELECT count(*) FILTER (WHERE b), min(d - date '2000-01-01'), max(d - date '2000-01-01') FROM " + src},
		{"SELECT min(extract(epoch FROM ts))::int8, max(extract(epoch FROM ts))::int8, min(extract(epoch FROM tz))::int8, max(extract(epoch FROM tz))::int8 FROM w",
			"SELECT epoch(min(ts))::int8, epoch(max(ts))::int8, epoch(min(tz))::int8, epoch(max(tz))::int8 FROM " + src},
		{"SELECT k, count(*), sum(id)::int8 FROM w WHERE k < 5 GROUP BY k ORDER BY k",
			"SELECT k, count(*), sum(id) FROM " + src + " WHERE k < 5 GROUP BY k ORDER BY k"},
	}
	for _, ch := range checks {
		want := pgRows(t, c, ch.sluice)
		got := duckRows(t, db, ch.duck)
		if !sameRows(got, want) {
			t.Errorf("%s\n  duckdb %v\n  sluice %v", ch.duck, got, want)
		}
	}
	var fsum float64
	if err := db.QueryRow("SELECT sum(f) FROM " + src).Scan(&fsum); err != nil {
		t.Fatal(err)
	}
	var want float64
	if err := c.QueryRow(ctx, "SELECT sum(f) FROM w").Scan(&want); err != nil {
		t.Fatal(err)
	}
	if math.Abs(fsum-want) > 1e-9*math.Abs(want) {
		t.Errorf("sum(f): duckdb %v, sluice %v", fsum, want)
	}
	// DuckDB sees the PostgreSQL types sluice stored: timestamptz as UTC.
	var typ string
	if err := db.QueryRow("SELECT typeof(tz) FROM " + src + " LIMIT 1").Scan(&typ); err != nil {
		t.Fatal(err)
	}
	if typ != "TIMESTAMP WITH TIME ZONE" {
		t.Errorf("tz column reads as %s", typ)
	}
}

func pgRows(t *testing.T, c *pgx.Conn, q string) [][]string {
	t.Helper()
	rows, err := c.Query(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, render(vals))
	}
	return out
}

func duckRows(t *testing.T, db *sql.DB, q string) [][]string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, render(vals))
	}
	return out
}

// render prints values so that integers of any width and numerics compare.
func render(vals []any) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		switch x := v.(type) {
		case nil:
			out[i] = "NULL"
		case fmt.Stringer:
			out[i] = x.String()
		default:
			out[i] = fmt.Sprint(x)
		}
		out[i] = strings.TrimSuffix(out[i], ".0")
	}
	return out
}

func sameRows(a, b [][]string) bool {
	return fmt.Sprint(a) == fmt.Sprint(b)
}
