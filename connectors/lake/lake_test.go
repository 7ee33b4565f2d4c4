package lake

import (
	"context"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/sluicedb/sluice/connectors"
	"github.com/sluicedb/sluice/sql/types"
)

var testCols = []connectors.Column{{Name: "id", Type: types.Int8}, {Name: "name", Type: types.Text}, {Name: "x", Type: types.Float8}}

func testSchema() *arrow.Schema {
	f := make([]arrow.Field, len(testCols))
	for i, c := range testCols {
		f[i] = types.FieldFor(c.Name, c.Type)
	}
	return arrow.NewSchema(f, nil)
}

// batch makes rows [lo, hi): id = i, name = "n<i%7>" (NULL when i%10 == 0), x = i/2.
func batch(lo, hi int) arrow.RecordBatch {
	b := array.NewRecordBuilder(memory.DefaultAllocator, testSchema())
	defer b.Release()
	for i := lo; i < hi; i++ {
		b.Field(0).(*array.Int64Builder).Append(int64(i))
		if i%10 == 0 {
			b.Field(1).AppendNull()
		} else {
			b.Field(1).(*array.StringBuilder).Append("n" + string(rune('0'+i%7)))
		}
		b.Field(2).(*array.Float64Builder).Append(float64(i) / 2)
	}
	return b.NewRecordBatch()
}

func lcols() []Column {
	out := make([]Column, len(testCols))
	for i, c := range testCols {
		out[i] = Column{Column: c}
	}
	return out
}

// scanAll reads every split of a scan and returns the rows as Datums.
func scanAll(t *testing.T, tb *Table, req connectors.ScanRequest) ([][]types.Datum, connectors.PruneStats) {
	t.Helper()
	ctx := context.Background()
	splits, ps, err := tb.Splits(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]types.Datum
	for _, sp := range splits {
		s, err := tb.Open(ctx, sp, req)
		if err != nil {
			t.Fatal(err)
		}
		for {
			rb, err := s.Next(ctx)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			for r := 0; r < int(rb.NumRows()); r++ {
				row := make([]types.Datum, rb.NumCols())
				for c := range row {
					row[c] = types.DatumAt(rb.Column(c), tb.cols[req.Columns[c]].Type, r)
				}
				rows = append(rows, row)
			}
			rb.Release()
		}
		s.Close()
	}
	return rows, ps
}

func TestManagedWriteCommitScanPrune(t *testing.T) {
	dir := t.TempDir()
	w := NewWriter(DataDir(dir), testSchema())
	const n = 300_000 // three row groups
	for lo := 0; lo < n; lo += 50_000 {
		rb := batch(lo, lo+50_000)
		if err := w.Write(rb); err != nil {
			t.Fatal(err)
		}
		rb.Release()
	}
	files, err := w.Close()
	if err != nil {
		t.Fatal(err)
	}
	meta, snap, err := Commit(dir, "", &Snapshot{}, files, false, "append")
	w.Done()
	if err != nil {
		t.Fatal(err)
	}
	if snap.Rows != n {
		t.Fatalf("snapshot rows %d", snap.Rows)
	}
	loaded, err := LoadSnapshot(dir, meta)
	if err != nil {
		t.Fatal(err)
	}
	tb := loaded.Table(dir, lcols())
	st, err := tb.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Rows != n || st.Cols[0].Min != int64(0) || st.Cols[0].Max != int64(n-1) || st.Cols[1].Nulls != n/10 {
		t.Fatalf("stats %+v", st)
	}
	// All rows, projected and reordered.
	rows, ps := scanAll(t, tb, connectors.ScanRequest{Columns: []int{2, 0}, Limit: -1})
	if len(rows) != n || rows[7][0] != 3.5 || rows[7][1] != int64(7) {
		t.Fatalf("got %d rows, row 7 = %v", len(rows), rows[7])
	}
	if ps.RowGroups < 3 || ps.RowGroupsSkipped != 0 {
		t.Fatalf("prune stats %+v", ps)
	}
	// id >= 250000 keeps only the last row group.
	rows, ps = scanAll(t, tb, connectors.ScanRequest{Columns: []int{0}, Limit: -1,
		Preds: []connectors.Predicate{{Col: 0, Op: connectors.OpGe, Value: int64(250_000)}}})
	if ps.RowGroupsSkipped != ps.RowGroups-1 {
		t.Fatalf("expected all but one row group skipped: %+v", ps)
	}
	if len(rows) == 0 || len(rows) > rowGroupRows {
		t.Fatalf("rows after pruning: %d", len(rows))
	}
	// No columns: only counts.
	rows, _ = scanAll(t, tb, connectors.ScanRequest{Limit: -1})
	if len(rows) != n {
		t.Fatalf("count-only scan: %d rows", len(rows))
	}
	// Vacuum keeps committed files and removes an orphan.
	orphan := filepath.Join(DataDir(dir), "orphan.parquet")
	if err := os.WriteFile(orphan, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, res, err := Vacuum(dir, meta, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if res.DataFiles != 1 {
		t.Fatalf("vacuum removed %d files", res.DataFiles)
	}
	if _, err := os.Stat(orphan); !os.IsNotExist(err) {
		t.Fatal("orphan survived")
	}
	rows, _ = scanAll(t, tb, connectors.ScanRequest{Columns: []int{0}, Limit: -1})
	if len(rows) != n {
		t.Fatalf("after vacuum: %d rows", len(rows))
	}
}

func TestExternalHivePartitions(t *testing.T) {
	root := t.TempDir()
	for i, part := range []string{"region=eu/day=1", "region=us/day=1", "region=us/day=2", "region=" + hiveNull + "/day=3"} {
		w := NewWriter(filepath.Join(root, part), testSchema())
		rb := batch(i*100, i*100+100)
		if err := w.Write(rb); err != nil {
			t.Fatal(err)
		}
		rb.Release()
		if _, err := w.Close(); err != nil {
			t.Fatal(err)
		}
		w.Done()
	}
	loc := "file://" + root
	cols, parts, err := InferColumns(loc, S3Options{})
	if err != nil {
		t.Fatal(err)
	}
	if parts != 2 || len(cols) != 5 || cols[3].Name != "region" || cols[3].Type != types.Text || cols[4].Type != types.Int8 {
		t.Fatalf("inferred %v (%d partition columns)", cols, parts)
	}
	tb, err := OpenExternal(loc, S3Options{}, cols, parts)
	if err != nil {
		t.Fatal(err)
	}
	rows, ps := scanAll(t, tb, connectors.ScanRequest{Columns: []int{0, 3, 4}, Limit: -1,
		Preds: []connectors.Predicate{{Col: 3, Op: connectors.OpEq, Value: "us"}}})
	if ps.FilesSkipped != 2 || len(rows) != 200 || rows[0][1] != "us" {
		t.Fatalf("prune %+v, %d rows, first %v", ps, len(rows), rows[0])
	}
	rows, _ = scanAll(t, tb, connectors.ScanRequest{Columns: []int{3}, Limit: -1,
		Preds: []connectors.Predicate{{Col: 3, Op: connectors.OpIsNull}}})
	if len(rows) != 100 || rows[0][0] != nil {
		t.Fatalf("NULL partition: %d rows", len(rows))
	}
}

func TestSketchAccuracy(t *testing.T) {
	for _, n := range []int{10, 1000, 100_000, 1_000_000} {
		var s Sketch
		for i := 0; i < n; i++ {
			s.Add(mix(uint64(i)))
			s.Add(mix(uint64(i))) // duplicates do not count
		}
		got := s.Estimate()
		if err := math.Abs(float64(got-int64(n))) / float64(n); err > 0.03 {
			t.Errorf("n=%d: estimate %d (%.1f%% off)", n, got, err*100)
		}
	}
}

// mix is a 64-bit finalizer (splitmix64), a stand-in for a value hash.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
