package testsql

import (
	"context"
	"fmt"
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
