package testsql

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// cacheCounts reads the result cache's hits and misses.
func cacheCounts(t *testing.T, c *pgx.Conn) (hits, misses int64) {
	t.Helper()
	if err := c.QueryRow(context.Background(), "SELECT hits, misses FROM sluice_catalog.result_cache").Scan(&hits, &misses); err != nil {
		t.Fatal(err)
	}
	return hits, misses
}

// TestResultCache checks the result cache's promises: a hit returns what a
// fresh execution returns (text and binary), a commit to an input table
// invalidates exactly the entries that read it, entries never cross roles,
// and queries calling non-immutable functions are never cached.
func TestResultCache(t *testing.T) {
	srv := Start(t)
	ctx := context.Background()
	c := dial(t, srv.URL("sluice", ""))
	mustExec(t, c, "CREATE TABLE rc1 AS SELECT i AS id, i % 7 AS k, 'v' || i AS s FROM generate_series(1, 5000) g(i)")
	mustExec(t, c, "CREATE TABLE rc2 AS SELECT i AS id FROM generate_series(1, 10) g(i)")
	q1 := "SELECT k, count(*), max(s) FROM rc1 GROUP BY k ORDER BY k"
	q2 := "SELECT sum(id) FROM rc2"
	fresh := func(q string) string {
		mustExec(t, c, "SET sluice.result_cache = off")
		defer mustExec(t, c, "RESET sluice.result_cache")
		return strings.Join(textRows(t, c, q), "\n")
	}
	want1, want2 := fresh(q1), fresh(q2)
	h0, m0 := cacheCounts(t, c)
	if got := strings.Join(textRows(t, c, q1), "\n"); got != want1 {
		t.Fatalf("first run: %s", got)
	}
	textRows(t, c, q2)
	srv.Manager.Results.Wait()
	for i := 0; i < 3; i++ {
		if got := strings.Join(textRows(t, c, q1), "\n"); got != want1 {
			t.Fatalf("cached: %s\nwant %s", got, want1)
		}
	}
	// Binary results through the extended protocol: the same cached rows.
	var n int64
	if err := c.QueryRow(ctx, q2).Scan(&n); err != nil || n != 55 {
		t.Fatalf("binary: %v %v", n, err)
	}
	h1, m1 := cacheCounts(t, c)
	if h1-h0 < 3 || m1-m0 != 2 {
		t.Fatalf("hits %d→%d, misses %d→%d: expected ≥3 hits and 2 misses", h0, h1, m0, m1)
	}
	// A commit to rc1 invalidates q1, not q2.
	mustExec(t, c, "INSERT INTO rc1 VALUES (5001, 0, 'zzz')")
	if got := strings.Join(textRows(t, c, q1), "\n"); got == want1 || got != fresh(q1) {
		t.Fatalf("stale after commit: %s", got)
	}
	h2, m2 := cacheCounts(t, c)
	textRows(t, c, q2)
	if h3, m3 := cacheCounts(t, c); h3 != h2+1 || m3 != m2 {
		t.Fatalf("q2 should still hit: hits %d→%d misses %d→%d", h2, h3, m2, m3)
	}
	// Another role never gets this role's entry.
	mustExec(t, c, "CREATE ROLE reader LOGIN")
	r := dial(t, srv.URL("reader", ""))
	h4, m4 := cacheCounts(t, c)
	if got := strings.Join(textRows(t, r, q2), "\n"); got != want2 {
		t.Fatalf("reader: %s", got)
	}
	if h5, m5 := cacheCounts(t, c); h5 != h4 || m5 != m4+1 {
		t.Fatalf("reader's query hit another role's entry: hits %d→%d misses %d→%d", h4, h5, m4, m5)
	}
	// Volatile and stable functions: not cached at all (no miss counted).
	for _, q := range []string{"SELECT count(*), random() < 2 FROM rc2", "SELECT count(*), now() IS NOT NULL FROM rc2", "SELECT current_user, count(*) FROM rc2"} {
		hb, mb := cacheCounts(t, c)
		textRows(t, c, q)
		textRows(t, c, q)
		if ha, ma := cacheCounts(t, c); ha != hb || ma != mb {
			t.Errorf("%s went through the cache (hits %d→%d misses %d→%d)", q, hb, ha, mb, ma)
		}
	}
}
