// Package suite is sluice's side-by-side benchmark: the same deterministic
// Parquet data queried by sluice (as lake tables), DuckDB (read_parquet)
// and PostgreSQL (loaded with COPY), each query run interleaved across the
// systems, answers checked to agree, medians and ratios reported.
package suite

import (
	"fmt"
	"github.com/sluicedb/sluice/connectors/lake"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// Regions are the 16 region codes of the fact table.
var Regions = [16]string{"us-east", "us-west", "us-central", "ca-east", "br-south", "eu-west", "eu-north", "eu-central",
	"uk-south", "af-south", "me-central", "ap-south", "ap-east", "ap-northeast", "ap-southeast", "au-east"}

var epoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// Fact is row i of t10m.
type Fact struct {
	ID, UserID int64
	Region     string
	Price      float64
	Qty        int32
	TS         time.Time
	URL        string
}

// FactRow computes row i by arithmetic only: the same bytes every run.
func FactRow(i int64) Fact {
	return Fact{
		ID:     i,
		UserID: i * 2654435761 % 1000003,
		Region: Regions[i*7919%16],
		Price:  float64(i*48271%100000) / 100.0,
		Qty:    int32(i % 50),
		TS:     epoch.Add(time.Duration(3*i) * time.Second),
		URL:    "https://example.com/p/" + strconv.FormatInt(i*31%100000, 10),
	}
}

// DimRow is row u of dim_user: (user_id, segment, signup).
func DimRow(u int64) (int64, string, time.Time) {
	return u, "seg" + strconv.FormatInt(u%8, 10), time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(u%1500))
}

// DimRows is dim_user's size.
const DimRows = 1_000_000

const rowGroup = 122_880

func writeParquet(path string, schema *arrow.Schema, n int64, fill func(b *array.RecordBuilder, lo, hi int64)) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy),
		parquet.WithDictionaryDefault(true), parquet.WithDictionaryPageSizeLimit(lake.DictionaryPageLimit),
		parquet.WithStats(true), parquet.WithMaxRowGroupLength(rowGroup),
		parquet.WithCreatedBy("sluice-bench"))
	w, err := pqarrow.NewFileWriter(schema, f, props, pqarrow.NewArrowWriterProperties())
	if err != nil {
		f.Close()
		return err
	}
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	for lo := int64(0); lo < n; lo += rowGroup {
		hi := min(lo+rowGroup, n)
		fill(b, lo, hi)
		rb := b.NewRecordBatch()
		err := w.WriteBuffered(rb)
		rb.Release()
		if err != nil {
			w.Close()
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Generate writes t10m.parquet (n rows) and dim_user.parquet into dir,
// unless files for the same n are there already.
func Generate(dir string, n int64) (fact, dim string, err error) {
	// The names carry the writer settings' version: files written with
	// other settings are not reused.
	fact = filepath.Join(dir, fmt.Sprintf("t%d.v2.parquet", n))
	dim = filepath.Join(dir, "dim_user.v2.parquet")
	if _, err := os.Stat(fact); err != nil {
		schema := arrow.NewSchema([]arrow.Field{
			{Name: "id", Type: arrow.PrimitiveTypes.Int64}, {Name: "user_id", Type: arrow.PrimitiveTypes.Int64},
			{Name: "region", Type: arrow.BinaryTypes.String}, {Name: "price", Type: arrow.PrimitiveTypes.Float64},
			{Name: "qty", Type: arrow.PrimitiveTypes.Int32}, {Name: "ts", Type: &arrow.TimestampType{Unit: arrow.Microsecond}},
			{Name: "url", Type: arrow.BinaryTypes.String}}, nil)
		err := writeParquet(fact, schema, n, func(b *array.RecordBuilder, lo, hi int64) {
			for i := lo; i < hi; i++ {
				r := FactRow(i)
				b.Field(0).(*array.Int64Builder).Append(r.ID)
				b.Field(1).(*array.Int64Builder).Append(r.UserID)
				b.Field(2).(*array.StringBuilder).Append(r.Region)
				b.Field(3).(*array.Float64Builder).Append(r.Price)
				b.Field(4).(*array.Int32Builder).Append(r.Qty)
				b.Field(5).(*array.TimestampBuilder).Append(arrow.Timestamp(r.TS.UnixMicro()))
				b.Field(6).(*array.StringBuilder).Append(r.URL)
			}
		})
		if err != nil {
			return "", "", err
		}
	}
	if _, err := os.Stat(dim); err != nil {
		schema := arrow.NewSchema([]arrow.Field{
			{Name: "user_id", Type: arrow.PrimitiveTypes.Int64}, {Name: "segment", Type: arrow.BinaryTypes.String},
			{Name: "signup", Type: arrow.FixedWidthTypes.Date32}}, nil)
		err := writeParquet(dim, schema, DimRows, func(b *array.RecordBuilder, lo, hi int64) {
			for u := lo; u < hi; u++ {
				id, seg, signup := DimRow(u)
				b.Field(0).(*array.Int64Builder).Append(id)
				b.Field(1).(*array.StringBuilder).Append(seg)
				b.Field(2).(*array.Date32Builder).Append(arrow.Date32FromTime(signup))
			}
		})
		if err != nil {
			return "", "", err
		}
	}
	return fact, dim, nil
}
