package testsql

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/jackc/pgx/v5"

	"github.com/sluicedb/sluice/connectors/lake"
)

// lakeRows is the size of the pruning tables: several row groups (122,880
// rows each) and, after the second INSERT, two data files.
const lakeRows = 300_000

// lakeGen is the same rows in sluice and in PostgreSQL, from one SQL text.
const lakeGen = `SELECT i::int8 AS id,
  CASE WHEN i % 97 = 0 THEN NULL ELSE (i % 1000)::int4 END AS k,
  CASE WHEN i % 101 = 0 THEN NULL ELSE 's' || lpad((i % 5000)::text, 5, '0') END AS s,
  date '2024-01-01' + (i / 1000)::int4 AS d,
  timestamp '2024-01-01' + i * interval '1 minute' AS ts,
  (i % 1000) / 10.0::float8 AS f,
  i % 3 = 0 AS b
FROM generate_series({lo}, {hi}) AS g(i)`

// lakePredicates cover every pushed-down operator on every prunable type,
// constants on both sides, NULL tests, and shapes that must not be pushed.
var lakePredicates = []string{
	"true",
	"id = 12345", "id < 1000", "id <= 122880", "id > 299000", "id >= 245760", "id <> 5",
	"12345 = id", "299000 < id", "id BETWEEN 130000 AND 130010", "id IN (1, 200000, 299999)",
	"k = 7", "k IS NULL", "k IS NOT NULL", "k > 998", "k < 0",
	"s = 's04999'", "s < 's00001'", "s >= 's04990'", "s IS NULL", "s LIKE 's0012%'",
	"d = date '2024-03-01'", "d < date '2024-01-02'", "d > date '2024-07-01'",
	"ts >= timestamp '2024-06-01'", "ts < timestamp '2024-01-01 01:00'",
	"f > 99.85", "f = 0", "b", "NOT b AND id < 100",
	"id = 12345.0", "id::text = '77'", "k = 7 OR id = 3", "id > 299990 AND s IS NOT NULL",
	"id = -1", "id > 1000000",
}

func lakeConns(t *testing.T) (sl, pg *pgx.Conn, srv *Server) {
	t.Helper()
	Need(t, postgresReachable(), "PostgreSQL at "+PostgresAddr()+" (the oracle for lake results)")
	srv = Start(t)
	return dial(t, srv.URL("sluice", "")), dial(t, PostgresURL()), srv
}

// dial connects with pgx for the rest of the test.
func dial(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

func mustExec(t *testing.T, c *pgx.Conn, sql string) {
	t.Helper()
	if _, err := c.Exec(context.Background(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// textRows runs a query and renders its rows as text.
func textRows(t *testing.T, c *pgx.Conn, sql string) []string {
	t.Helper()
	rows, err := c.Query(context.Background(), sql, pgx.QueryResultFormats{pgx.TextFormatCode})
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var parts []string
		for _, raw := range rows.RawValues() {
			if raw == nil {
				parts = append(parts, "NULL")
			} else {
				parts = append(parts, string(raw))
			}
		}
		out = append(out, strings.Join(parts, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return out
}

var skippedRG = regexp.MustCompile(`Row Groups: (\d+) \(skipped (\d+)\)`)
var skippedFiles = regexp.MustCompile(`Files: (\d+) \(skipped (\d+)\)`)

// pruned returns the files and row groups a query's scan skipped.
func pruned(t *testing.T, c *pgx.Conn, sql string) (files, rgs int) {
	t.Helper()
	plan := strings.Join(textRows(t, c, "EXPLAIN ANALYZE "+sql), "\n")
	m := skippedRG.FindStringSubmatch(plan)
	f := skippedFiles.FindStringSubmatch(plan)
	if m == nil || f == nil {
		t.Fatalf("no pruning figures in\n%s", plan)
	}
	rgs, _ = strconv.Atoi(m[2])
	files, _ = strconv.Atoi(f[2])
	return files, rgs
}

// TestLakePruningMatchesPostgres writes a managed table of several row
// groups and files, loads the same rows into PostgreSQL, and compares
// aggregates under predicates that prune (and some that must not), with
// the pushdown rule on and off.
func TestLakePruningMatchesPostgres(t *testing.T) {
	sl, pg, _ := lakeConns(t)
	mustExec(t, sl, "CREATE TABLE lk AS "+series(lakeGen, 0, lakeRows/2-1))
	mustExec(t, sl, "INSERT INTO lk "+series(lakeGen, lakeRows/2, lakeRows-1))
	mustExec(t, pg, "CREATE TEMP TABLE lk AS "+series(lakeGen, 0, lakeRows-1))
	preds := append([]string(nil), lakePredicates...)
	// Exact row-group and file boundaries for every operator: an off-by-one
	// in pruning shows here.
	for _, v := range []string{"0", "122879", "122880", "149999", "150000", "272879", "272880", "299999"} {
		for _, op := range []string{"=", "<", "<=", ">", ">=", "<>"} {
			preds = append(preds, "id "+op+" "+v)
		}
	}
	for i, p := range preds {
		q := "SELECT count(*), sum(id), min(s), max(s), min(k), max(ts), sum(f) FROM lk WHERE " + p
		want := textRows(t, pg, q)
		if got := textRows(t, sl, q); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s\n  sluice   %v\n  postgres %v", q, got, want)
		}
		if i >= len(lakePredicates) {
			continue // the boundary cases are about pruning itself
		}
		mustExec(t, sl, "SET sluice.disabled_rules = 'scan_pushdown'")
		if got := textRows(t, sl, q); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("without pushdown: %s\n  sluice   %v\n  postgres %v", q, got, want)
		}
		mustExec(t, sl, "RESET sluice.disabled_rules")
		// One scan worker adds float sums directly, in scan order; more
		// record and replay them: both must give PostgreSQL's digits.
		prev := runtime.GOMAXPROCS(1)
		got := textRows(t, sl, q)
		runtime.GOMAXPROCS(prev)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("one worker: %s\n  sluice   %v\n  postgres %v", q, got, want)
		}
	}
	// ORDER BY … LIMIT over the lake table: the top-N prefilter drops rows
	// before they are materialized; ties, NULLs, offsets and later keys
	// must come out as PostgreSQL orders them.
	for _, q := range []string{
		"SELECT id, f FROM lk ORDER BY f DESC, id LIMIT 7",
		"SELECT id, k FROM lk ORDER BY k, id LIMIT 5",
		"SELECT id, k FROM lk ORDER BY k DESC, id LIMIT 5",
		"SELECT id, k FROM lk ORDER BY k NULLS FIRST, id DESC LIMIT 4",
		"SELECT id, f FROM lk ORDER BY f, id DESC LIMIT 3 OFFSET 10",
		"SELECT id FROM lk WHERE id % 1000 = 3 ORDER BY id DESC LIMIT 5",
		"SELECT s, id FROM lk ORDER BY id LIMIT 3",
		"SELECT count(*) FROM (SELECT id FROM lk ORDER BY f DESC LIMIT 20000) x",
	} {
		want := textRows(t, pg, q)
		if got := textRows(t, sl, q); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s\n  sluice   %v\n  postgres %v", q, got, want)
		}
	}
	// Selective predicates skip row groups, visibly.
	for _, p := range []string{"id > 299000", "id < 1000", "ts < timestamp '2024-01-01 01:00'", "d > date '2024-07-01'"} {
		if _, rgs := pruned(t, sl, "SELECT count(*) FROM lk WHERE "+p); rgs == 0 {
			t.Errorf("%s: no row group skipped", p)
		}
	}
	if _, rgs := pruned(t, sl, "SELECT count(*) FROM lk WHERE id::text = '77'"); rgs != 0 {
		t.Errorf("a predicate over an expression must not prune")
	}
}

// writeHive writes n rows as a hive-partitioned tree region=…/year=…/ and
// returns them as PostgreSQL VALUES rows.
func writeHive(t *testing.T, root string, n int) {
	t.Helper()
	regions := []string{"eu", "us", "apac"}
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "v", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	for r, region := range regions {
		for year := 2023; year <= 2024; year++ {
			b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
			for i := 0; i < n; i++ {
				if i%3 != r || 2023+i%2 != year {
					continue
				}
				b.Field(0).(*array.Int64Builder).Append(int64(i))
				if i%11 == 0 {
					b.Field(1).AppendNull()
				} else {
					b.Field(1).(*array.Int32Builder).Append(int32(i * 7 % 1000))
				}
				b.Field(2).(*array.StringBuilder).Append("n" + strconv.Itoa(i%50))
			}
			rb := b.NewRecordBatch()
			w := lake.NewWriter(filepath.Join(root, "region="+region, "year="+strconv.Itoa(year)), schema)
			if err := w.Write(rb); err != nil {
				t.Fatal(err)
			}
			if _, err := w.Close(); err != nil {
				t.Fatal(err)
			}
			w.Done()
			rb.Release()
			b.Release()
		}
	}
	// A file outside the partition scheme's data (hidden) is ignored.
	if err := os.WriteFile(filepath.Join(root, "_SUCCESS"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
}

const hiveGen = `SELECT i::int8 AS id, CASE WHEN i % 11 = 0 THEN NULL ELSE (i * 7 % 1000)::int4 END AS v,
  'n' || (i % 50) AS name, (ARRAY['eu','us','apac'])[i % 3 + 1] AS region, (2023 + i % 2)::int8 AS year
FROM generate_series(0, {hi}) AS g(i)`

// TestExternalHiveMatchesPostgres registers a hive-partitioned directory as
// an external table (schema inferred: file columns, then region text and
// year bigint from the folders) and compares queries with PostgreSQL.
func TestExternalHiveMatchesPostgres(t *testing.T) {
	sl, pg, _ := lakeConns(t)
	root := t.TempDir()
	const n = 20_000
	writeHive(t, root, n)
	mustExec(t, sl, fmt.Sprintf("CREATE TABLE ev WITH (location = 'file://%s', format = 'parquet')", root))
	mustExec(t, pg, "CREATE TEMP TABLE ev AS "+series(hiveGen, 0, n-1))
	compareHive(t, sl, pg)
	if files, _ := pruned(t, sl, "SELECT count(*) FROM ev WHERE region = 'us'"); files != 4 {
		t.Errorf("region = 'us' skipped %d of 6 files, want 4", files)
	}
	// Partition predicates are exact: no filter is left above the scan.
	plan := strings.Join(textRows(t, sl, "EXPLAIN SELECT count(*) FROM ev WHERE region = 'us'"), "\n")
	if strings.Contains(plan, "Filter") {
		t.Errorf("partition predicate kept a filter:\n%s", plan)
	}
	// New files under the location are seen (after the listing cache's TTL,
	// or at once after the table is re-created).
	w := lake.NewWriter(filepath.Join(root, "region=us", "year=2025"), arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64}, {Name: "v", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true}}, nil))
	b := array.NewRecordBuilder(memory.DefaultAllocator, w.Schema())
	b.Field(0).(*array.Int64Builder).Append(-1)
	b.Field(1).(*array.Int32Builder).Append(5)
	b.Field(2).(*array.StringBuilder).Append("late")
	rb := b.NewRecordBatch()
	if err := w.Write(rb); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Close(); err != nil {
		t.Fatal(err)
	}
	mustExec(t, sl, "DROP TABLE ev")
	mustExec(t, sl, fmt.Sprintf("CREATE TABLE ev WITH (location = 'file://%s', format = 'parquet')", root))
	if got := textRows(t, sl, "SELECT name, year FROM ev WHERE year = 2025"); strings.Join(got, ",") != "late|2025" {
		t.Errorf("new file: %v", got)
	}
}

// series fills a generator's {lo} and {hi}.
func series(gen string, lo, hi int) string {
	return strings.NewReplacer("{lo}", strconv.Itoa(lo), "{hi}", strconv.Itoa(hi)).Replace(gen)
}

// hiveQueries run over the hive-partitioned table ev in both systems.
var hiveQueries = []string{
	"SELECT count(*), sum(id), sum(v), count(DISTINCT name) FROM ev",
	"SELECT region, year, count(*), sum(v), min(name) FROM ev GROUP BY 1, 2 ORDER BY 1, 2",
	"SELECT count(*), sum(v) FROM ev WHERE region = 'us'",
	"SELECT count(*), sum(v) FROM ev WHERE year = 2024 AND v < 10",
	"SELECT count(*) FROM ev WHERE region IN ('eu', 'apac') AND year <> 2023",
	"SELECT count(*) FROM ev WHERE region IS NULL OR v IS NULL",
	"SELECT id, v, name, region, year FROM ev WHERE id BETWEEN 100 AND 110 ORDER BY id",
	"SELECT e.region, count(*) FROM ev e JOIN ev f ON e.id = f.id + 1 WHERE f.year = 2023 GROUP BY 1 ORDER BY 1",
}

func compareHive(t *testing.T, sl, pg *pgx.Conn) {
	t.Helper()
	for _, q := range hiveQueries {
		want := textRows(t, pg, q)
		if got := textRows(t, sl, q); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s\n  sluice   %v\n  postgres %v", q, got, want)
		}
	}
}

// TestRewriteConflict: a transaction block that rewrote a table (DELETE,
// UPDATE, TRUNCATE) fails at COMMIT with 40001 when another transaction
// committed to that table meanwhile — its rows are never silently lost —
// while appends from two blocks both land.
func TestRewriteConflict(t *testing.T) {
	srv := Start(t)
	ctx := context.Background()
	a := dial(t, srv.URL("sluice", ""))
	b := dial(t, srv.URL("sluice", ""))
	mustExec(t, a, "CREATE TABLE rw AS SELECT i AS id FROM generate_series(1, 100) g(i)")
	mustExec(t, a, "BEGIN")
	mustExec(t, a, "DELETE FROM rw WHERE id <= 50")
	mustExec(t, b, "INSERT INTO rw VALUES (1000)")
	_, err := a.Exec(ctx, "COMMIT")
	if err == nil || !strings.Contains(err.Error(), "40001") {
		t.Fatalf("COMMIT after a concurrent insert: %v, want 40001", err)
	}
	if got := textRows(t, b, "SELECT count(*), max(id) FROM rw"); got[0] != "101|1000" {
		t.Fatalf("after the failed commit: %v", got)
	}
	// Two blocks appending to the same table both commit.
	mustExec(t, a, "BEGIN")
	mustExec(t, a, "INSERT INTO rw VALUES (2000)")
	mustExec(t, b, "INSERT INTO rw VALUES (3000)")
	mustExec(t, a, "COMMIT")
	if got := textRows(t, b, "SELECT count(*) FROM rw WHERE id >= 1000"); got[0] != "3" {
		t.Fatalf("appends: %v", got)
	}
}

// TestPartitionedManagedTable: partitioned_by splits a managed table's
// files by partition value (identity and day()), results match
// PostgreSQL's, and predicates on partition columns skip whole files.
func TestPartitionedManagedTable(t *testing.T) {
	sl, pg, srv := lakeConns(t)
	const gen = `SELECT i AS id, (ARRAY['eu','us','apac'])[i % 3 + 1] AS region,
  timestamp '2024-03-01' + (i % 10) * interval '1 day' + i * interval '1 second' AS ts,
  CASE WHEN i % 7 = 0 THEN NULL ELSE i % 100 END AS v
FROM generate_series(1, {hi}) g(i)`
	mustExec(t, sl, "CREATE TABLE pt (id int, region text, ts timestamp, v int) WITH (partitioned_by = 'region, day(ts)')")
	mustExec(t, sl, "INSERT INTO pt "+series(gen, 0, 30000))
	mustExec(t, pg, "CREATE TEMP TABLE pt AS "+series(gen, 0, 30000))
	for _, q := range []string{
		"SELECT region, count(*), sum(v), min(ts), max(ts) FROM pt GROUP BY region ORDER BY region",
		"SELECT count(*), sum(id) FROM pt WHERE region = 'us' AND ts >= timestamp '2024-03-05' AND ts < timestamp '2024-03-06'",
		"SELECT date_trunc('day', ts) AS d, count(*) FROM pt GROUP BY 1 ORDER BY 1",
		"SELECT count(*) FROM pt WHERE v IS NULL",
	} {
		want := textRows(t, pg, q)
		if got := textRows(t, sl, q); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s\n  sluice   %v\n  postgres %v", q, got, want)
		}
	}
	// 3 regions × 10 days = 30 files; one region and one day keep one.
	files, _ := pruned(t, sl, "SELECT count(*) FROM pt WHERE region = 'us' AND ts >= timestamp '2024-03-05' AND ts < timestamp '2024-03-06'")
	if files < 29 {
		t.Errorf("skipped %d of 30 files, want 29", files)
	}
	dirs, _ := filepath.Glob(filepath.Join(srv.Dir, "warehouse", "public", "pt_*", "data", "region=us", "ts_day=2024-03-05", "*.parquet"))
	if len(dirs) != 1 {
		t.Errorf("expected one file in region=us/ts_day=2024-03-05, found %v", dirs)
	}
	if _, err := sl.Exec(context.Background(), "ALTER TABLE pt DROP COLUMN region"); err == nil {
		t.Error("dropping a partition column succeeded")
	}
}

// TestConcurrentAppends: sessions appending to one managed table at the
// same time all land (each commit rebases on the current snapshot), while
// readers always see whole commits.
func TestConcurrentAppends(t *testing.T) {
	srv := Start(t)
	ctx := context.Background()
	setup := dial(t, srv.URL("sluice", ""))
	mustExec(t, setup, "CREATE TABLE ca (w int, i int)")
	const writers, each = 4, 25
	errs := make(chan error, writers+1)
	done := make(chan struct{})
	for w := 0; w < writers; w++ {
		go func(w int) {
			c, err := pgx.Connect(ctx, srv.URL("sluice", ""))
			if err != nil {
				errs <- err
				return
			}
			defer c.Close(ctx)
			for i := 0; i < each; i++ {
				// Ten rows per commit: a reader must never see a partial one.
				if _, err := c.Exec(ctx, fmt.Sprintf("INSERT INTO ca SELECT %d, g FROM generate_series(1, 10) g", w)); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}(w)
	}
	go func() {
		c, err := pgx.Connect(ctx, srv.URL("sluice", ""))
		if err != nil {
			errs <- err
			return
		}
		defer c.Close(ctx)
		for {
			select {
			case <-done:
				errs <- nil
				return
			default:
			}
			var n int64
			if err := c.QueryRow(ctx, "SELECT count(*) FROM ca WHERE i > 0").Scan(&n); err != nil {
				errs <- err
				return
			}
			if n%10 != 0 {
				errs <- fmt.Errorf("a reader saw %d rows: a partial commit", n)
				return
			}
		}
	}()
	for w := 0; w < writers; w++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	if err := <-errs; err != nil {
		t.Fatal(err)
	}
	if got := textRows(t, setup, "SELECT count(*), count(DISTINCT w) FROM ca")[0]; got != fmt.Sprintf("%d|%d", writers*each*10, writers) {
		t.Fatalf("after concurrent appends: %s", got)
	}
}

// TestDropInTransaction: a managed table dropped inside a transaction
// block keeps its files until COMMIT (a ROLLBACK brings it back whole) and
// loses them after.
func TestDropInTransaction(t *testing.T) {
	srv := Start(t)
	c := dial(t, srv.URL("sluice", ""))
	mustExec(t, c, "CREATE TABLE dt AS SELECT g AS id FROM generate_series(1, 100) g")
	dirs, _ := filepath.Glob(filepath.Join(srv.Dir, "warehouse", "public", "dt_*"))
	if len(dirs) != 1 {
		t.Fatalf("table directory: %v", dirs)
	}
	mustExec(t, c, "BEGIN")
	mustExec(t, c, "DROP TABLE dt")
	mustExec(t, c, "ROLLBACK")
	if got := textRows(t, c, "SELECT count(*) FROM dt")[0]; got != "100" {
		t.Fatalf("after ROLLBACK: %s", got)
	}
	mustExec(t, c, "BEGIN")
	mustExec(t, c, "DROP TABLE dt")
	if _, err := os.Stat(dirs[0]); err != nil {
		t.Fatal("files removed before COMMIT")
	}
	mustExec(t, c, "COMMIT")
	if _, err := os.Stat(filepath.Join(dirs[0], "data")); !os.IsNotExist(err) {
		t.Fatalf("data of a dropped table left behind: %v", err)
	}
}
