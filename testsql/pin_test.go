package testsql

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/jackc/pgx/v5"

	"github.com/sluicedb/sluice/connectors/lake"
)

// writeIDs writes one Parquet file of ids lo..hi into dir.
func writeIDs(t *testing.T, dir string, lo, hi int64) {
	t.Helper()
	schema := arrow.NewSchema([]arrow.Field{{Name: "id", Type: arrow.PrimitiveTypes.Int64}}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for i := lo; i <= hi; i++ {
		b.Field(0).(*array.Int64Builder).Append(i)
	}
	rb := b.NewRecordBatch()
	defer rb.Release()
	w := lake.NewWriter(dir, schema)
	if err := w.Write(rb); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Close(); err != nil {
		t.Fatal(err)
	}
	w.Done()
}

// TestPreparedSeesNewFiles runs the real binary and checks with pgx (the
// extended protocol, a named prepared statement; and the simple protocol,
// whose plans the session caches) that a statement prepared over an
// external directory table sees a Parquet file added after it was
// prepared, once the listing cache has expired: each execution pins the
// table's files as they are then. A self-join reads one version.
func TestPreparedSeesNewFiles(t *testing.T) {
	bin := buildSluice(t)
	c := startChild(t, bin, t.TempDir())
	defer c.kill9()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, c.url())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	root := t.TempDir()
	writeIDs(t, root, 1, 100)
	mustExec(t, conn, fmt.Sprintf("CREATE TABLE ext WITH (location = 'file://%s', format = 'parquet')", root))
	const q = "SELECT count(*), sum(id) FROM ext"
	const join = "SELECT count(*) FROM ext a JOIN ext b ON a.id = b.id"
	if _, err := conn.Prepare(ctx, "cnt", q); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Prepare(ctx, "self", join); err != nil {
		t.Fatal(err)
	}
	read := func(what string, wantN, wantSum int64) {
		t.Helper()
		var n, sum int64
		if err := conn.QueryRow(ctx, "cnt").Scan(&n, &sum); err != nil {
			t.Fatal(err)
		}
		if n != wantN || sum != wantSum {
			t.Errorf("%s: prepared count, sum = %d, %d; want %d, %d", what, n, sum, wantN, wantSum)
		}
		// The simple protocol: the session's plan cache keeps the plan.
		rows := textRowsSimple(t, conn, q)
		if want := strconv.FormatInt(wantN, 10) + "|" + strconv.FormatInt(wantSum, 10); len(rows) != 1 || rows[0] != want {
			t.Errorf("%s: simple query %v, want %s", what, rows, want)
		}
		if err := conn.QueryRow(ctx, "self").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != wantN {
			t.Errorf("%s: self-join %d rows, want %d", what, n, wantN)
		}
	}
	read("before", 100, 5050)
	writeIDs(t, filepath.Join(root, "more"), 101, 150)
	// The location's listing is cached for 2 s (README: "New files … are
	// seen within 2 s").
	time.Sleep(2500 * time.Millisecond)
	read("after a file was added", 150, 150*151/2)
}

// textRowsSimple runs a query through the simple protocol and returns its
// rows as text joined with '|'.
func textRowsSimple(t *testing.T, conn *pgx.Conn, q string) []string {
	t.Helper()
	res, err := conn.PgConn().Exec(context.Background(), q).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range res {
		for _, row := range r.Rows {
			s := ""
			for i, v := range row {
				if i > 0 {
					s += "|"
				}
				s += string(v)
			}
			out = append(out, s)
		}
	}
	return out
}

var splitsRead = regexp.MustCompile(`Splits Read: (\d+)`)

// readSplits runs EXPLAIN ANALYZE and returns how many splits (row
// groups) the scan began to read.
func readSplits(t *testing.T, c *pgx.Conn, q string) int {
	t.Helper()
	plan := strings.Join(textRows(t, c, "EXPLAIN ANALYZE "+q), "\n")
	m := splitsRead.FindStringSubmatch(plan)
	if m == nil {
		t.Fatalf("no split count in\n%s", plan)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestLimitStopsScan checks that a LIMIT over an external table's scan
// reads only the row groups it needs, with and without a filter between
// them, and that the rows are the right ones across row-group boundaries
// (lake files hold 122,880-row groups).
func TestLimitStopsScan(t *testing.T) {
	sl, _, _ := lakeConns(t)
	dir := t.TempDir()
	const rows = 122_880*6 + 17
	writeIDs(t, dir, 0, rows-1)
	mustExec(t, sl, fmt.Sprintf("CREATE TABLE lim WITH (location = 'file://%s', format = 'parquet')", dir))
	if n := readSplits(t, sl, "SELECT * FROM lim LIMIT 1"); n > 1 {
		t.Errorf("SELECT * FROM lim LIMIT 1 read %d row groups, want 1", n)
	}
	if n := readSplits(t, sl, "SELECT id + 1 FROM lim LIMIT 2 OFFSET 122879"); n != 2 {
		t.Errorf("LIMIT 2 OFFSET 122879 read %d row groups, want 2", n)
	}
	// A filter between: the scan streams, its window of splits read ahead
	// growing from one.
	if n := readSplits(t, sl, "SELECT * FROM lim WHERE id % 2 = 1 LIMIT 1"); n > 3 {
		t.Errorf("a filtered LIMIT 1 read %d of 7 row groups", n)
	}
	for q, want := range map[string]string{
		"SELECT id FROM lim LIMIT 3 OFFSET 122879":                              "122879,122880,122881",
		"SELECT id FROM lim WHERE id % 1000 = 7 LIMIT 2 OFFSET 245":             "245007,246007",
		"SELECT id FROM lim LIMIT 2 OFFSET " + strconv.Itoa(rows-1):             strconv.Itoa(rows - 1),
		"SELECT count(*) FROM (SELECT id FROM lim WHERE id > 5 LIMIT 300000) s": "300000",
	} {
		if got := strings.Join(textRows(t, sl, q), ","); got != want {
			t.Errorf("%s: %s, want %s", q, got, want)
		}
	}
}
