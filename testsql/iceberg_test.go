package testsql

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/iceberg-go"
	"github.com/apache/iceberg-go/catalog/hadoop"
	"github.com/apache/iceberg-go/table"

	"github.com/sluicedb/sluice/catalog"
)

// icebergRows builds rows [lo, hi) as an Arrow table: id, name (NULL when
// id % 9 = 0), amount decimal(10,2) = id * 1.25, ts = 2024-01-01 + id hours.
func icebergRows(t *testing.T, lo, hi int) arrow.Table {
	t.Helper()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "amount", Type: &arrow.Decimal128Type{Precision: 10, Scale: 2}, Nullable: true},
		{Name: "ts", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := lo; i < hi; i++ {
		b.Field(0).(*array.Int64Builder).Append(int64(i))
		if i%9 == 0 {
			b.Field(1).AppendNull()
		} else {
			b.Field(1).(*array.StringBuilder).Append(fmt.Sprintf("n%d", i%40))
		}
		b.Field(2).(*array.Decimal128Builder).Append(decimal128.FromI64(int64(i) * 125))
		b.Field(3).(*array.TimestampBuilder).Append(arrow.Timestamp(base.Add(time.Duration(i) * time.Hour).UnixMicro()))
	}
	rb := b.NewRecordBatch()
	defer rb.Release()
	return array.NewTableFromRecords(schema, []arrow.RecordBatch{rb})
}

const icebergGen = `SELECT i::int8 AS id, CASE WHEN i % 9 = 0 THEN NULL ELSE 'n' || (i % 40) END AS name,
  (i * 1.25)::numeric(10,2) AS amount, timestamptz '2024-01-01 00:00:00+00' + i * interval '1 hour' AS ts
FROM generate_series(0, {hi}) AS g(i)`

// TestIcebergTableMatchesPostgres writes an Iceberg table with iceberg-go
// (a hadoop-layout catalog: metadata/vN.metadata.json and version-hint),
// in two snapshots, registers it in sluice by its directory and by a
// metadata file, and compares queries with the same rows in PostgreSQL.
func TestIcebergTableMatchesPostgres(t *testing.T) {
	sl, pg, _ := lakeConns(t)
	ctx := context.Background()
	dir := t.TempDir()
	cat, err := hadoop.NewCatalog("test", "file://"+dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := cat.CreateNamespace(ctx, table.Identifier{"db"}, nil); err != nil {
		t.Fatal(err)
	}
	sch := iceberg.NewSchema(0,
		iceberg.NestedField{ID: 1, Name: "id", Type: iceberg.PrimitiveTypes.Int64, Required: true},
		iceberg.NestedField{ID: 2, Name: "name", Type: iceberg.PrimitiveTypes.String},
		iceberg.NestedField{ID: 3, Name: "amount", Type: iceberg.DecimalTypeOf(10, 2)},
		iceberg.NestedField{ID: 4, Name: "ts", Type: iceberg.PrimitiveTypes.TimestampTz})
	tbl, err := cat.CreateTable(ctx, table.Identifier{"db", "ev"}, sch)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range [][2]int{{0, 3000}, {3000, 5000}} {
		tx := tbl.NewTransaction()
		at := icebergRows(t, r[0], r[1])
		if err := tx.AppendTable(ctx, at, 1000, nil); err != nil {
			t.Fatal(err)
		}
		at.Release()
		if tbl, err = tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	mustExec(t, sl, fmt.Sprintf("CREATE TABLE ice WITH (location = 'file://%s/db/ev', format = 'iceberg')", dir))
	mustExec(t, pg, "CREATE TEMP TABLE ice AS "+series(icebergGen, 0, 4999))
	for _, q := range []string{
		"SELECT count(*), sum(id), count(name), sum(amount), min(ts), max(ts) FROM ice",
		"SELECT name, count(*), sum(amount) FROM ice WHERE id BETWEEN 1000 AND 4000 GROUP BY name ORDER BY name LIMIT 5",
		"SELECT id, name, amount, ts FROM ice WHERE id IN (0, 9, 2999, 3000, 4999) ORDER BY id",
		"SELECT count(*) FROM ice WHERE ts >= timestamptz '2024-06-01 00:00:00+00'",
	} {
		want := textRows(t, pg, q)
		if got := textRows(t, sl, q); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s\n  sluice   %v\n  postgres %v", q, got, want)
		}
	}
	// The older snapshot, by its metadata file: only the first append.
	mustExec(t, sl, fmt.Sprintf("CREATE TABLE ice_v2 WITH (location = 'file://%s/db/ev/metadata/v2.metadata.json', format = 'iceberg')", dir))
	if got := textRows(t, sl, "SELECT count(*), max(id) FROM ice_v2"); got[0] != "3000|2999" {
		t.Errorf("v2 snapshot: %v", got)
	}
	if got := textRows(t, sl, "SELECT column_name, n_rows FROM sluice_catalog.table_stats WHERE table_name = 'ice' AND column_name = 'id'"); got[0] != "id|5000" {
		t.Errorf("stats: %v", got)
	}
}

// TestManagedTablesPublishIceberg: after each commit, a managed table's
// directory holds Iceberg metadata listing exactly its current files, so
// iceberg-go (and sluice's own Iceberg reader) see the same rows.
func TestManagedTablesPublishIceberg(t *testing.T) {
	srv := Start(t)
	ctx := context.Background()
	sl := dial(t, srv.URL("sluice", ""))
	mustExec(t, sl, "CREATE TABLE pub AS SELECT i::int8 AS id, 'v' || i AS s, i * 0.5::float8 AS f, date '2024-01-01' + i AS d FROM generate_series(1, 20000) g(i)")
	mustExec(t, sl, "INSERT INTO pub SELECT i, 'w', 1, date '2025-01-01' FROM generate_series(20001, 21000) g(i)")
	mustExec(t, sl, "DELETE FROM pub WHERE id % 10 = 0")
	want := textRows(t, sl, "SELECT count(*), sum(id) FROM pub")[0]
	store, err := catalog.OpenStore(srv.Dir)
	if err != nil {
		t.Fatal(err)
	}
	rel := store.Snapshot().Lookup("public", "pub")
	cat, err := hadoop.NewCatalog("check", "file://"+filepath.Join(srv.Dir, "warehouse"), nil)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := cat.LoadTable(ctx, table.Identifier{"public", filepath.Base(rel.Dir)})
	if err != nil {
		t.Fatal(err)
	}
	at, err := tbl.Scan(table.WithSelectedFields("id")).ToArrowTable(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer at.Release()
	var n, sum int64
	for _, chunk := range at.Column(0).Data().Chunks() {
		ids := chunk.(*array.Int64)
		for i := 0; i < ids.Len(); i++ {
			n++
			sum += ids.Value(i)
		}
	}
	if got := fmt.Sprintf("%d|%d", n, sum); got != want {
		t.Fatalf("iceberg-go reads %s, sluice %s", got, want)
	}
	// And sluice reads its own table back through the Iceberg metadata.
	mustExec(t, sl, fmt.Sprintf("CREATE TABLE pub_ice WITH (location = 'file://%s', format = 'iceberg')",
		filepath.Join(srv.Dir, "warehouse", rel.Dir)))
	if got := textRows(t, sl, "SELECT count(*), sum(id) FROM pub_ice")[0]; got != want {
		t.Fatalf("through Iceberg metadata: %s, want %s", got, want)
	}
	// VACUUM leaves the Iceberg metadata alone.
	mustExec(t, sl, "VACUUM pub")
	if got := textRows(t, sl, "SELECT count(*), sum(id) FROM pub_ice")[0]; got != want {
		t.Fatalf("after VACUUM: %s, want %s", got, want)
	}
}
