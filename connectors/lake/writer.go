package lake

import (
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/sluicedb/sluice/sql/sqlerr"
)

// Sizes of what a writer produces: row groups of ~120 K rows (the size
// DuckDB and the benchmarks use) and files of up to ~1 M rows.
const (
	rowGroupRows = 122_880
	fileRows     = 8 * rowGroupRows
)

// Writer writes Arrow batches of one schema into new Parquet files in a
// directory: snappy, dictionary encoding, statistics, large row groups
// (WriteBuffered), the Arrow schema stored so PostgreSQL types survive.
// Files appear under their final names only when complete and synced.
type Writer struct {
	dir    string
	schema *arrow.Schema
	files  []*DataFile
	cur    *os.File
	tmp    string
	fw     *pqarrow.FileWriter
	rows   int64
	unpin  []func()
}

// NewWriter returns a writer into dir.
func NewWriter(dir string, schema *arrow.Schema) *Writer {
	return &Writer{dir: dir, schema: schema}
}

// Schema is the schema of the batches the writer takes.
func (w *Writer) Schema() *arrow.Schema { return w.schema }

// Write appends a batch (the caller keeps its reference).
func (w *Writer) Write(rb arrow.RecordBatch) error {
	if rb.NumRows() == 0 {
		return nil
	}
	if w.fw == nil {
		if err := w.open(); err != nil {
			return err
		}
	}
	if err := w.fw.WriteBuffered(rb); err != nil {
		return sqlerr.New(sqlerr.IOError, "could not write Parquet data: %v", err)
	}
	w.rows += rb.NumRows()
	if w.rows >= fileRows {
		return w.finish()
	}
	return nil
}

// DictionaryPageLimit caps a column chunk's dictionary page; past it the
// chunk falls back to plain encoding. arrow-go's reader decodes a
// dictionary lazily, growing it by appends (1.25× at a time for large
// slices), so a 1 MB dictionary of a high-cardinality column costs about
// five times its size in copies per row group: a profile of a join over
// 10 M rows put 300 ms there. At 64 KB, columns with few distinct values
// (codes, categories: what dictionaries are for) stay dictionary-encoded
// and the others fall back after a few thousand values.
const DictionaryPageLimit = 64 << 10

func (w *Writer) open() error {
	if err := os.MkdirAll(w.dir, 0o755); err != nil {
		return ioErr(err)
	}
	f, err := os.CreateTemp(w.dir, ".tmp-*")
	if err != nil {
		return ioErr(err)
	}
	props := parquet.NewWriterProperties(
		parquet.WithCompression(compress.Codecs.Snappy),
		parquet.WithDictionaryDefault(true),
		parquet.WithDictionaryPageSizeLimit(DictionaryPageLimit),
		parquet.WithStats(true),
		parquet.WithMaxRowGroupLength(rowGroupRows),
		parquet.WithCreatedBy("sluice"))
	// The sink hides f's Close: the Parquet writer closes its sink, and the
	// file must stay open to be synced.
	fw, err := pqarrow.NewFileWriter(w.schema, writeOnly{f}, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return sqlerr.New(sqlerr.IOError, "could not start a Parquet file: %v", err)
	}
	w.cur, w.tmp, w.fw, w.rows = f, f.Name(), fw, 0
	w.unpin = append(w.unpin, pinPath(f.Name()))
	return nil
}

// finish closes the current file, syncs it and gives it its final name.
func (w *Writer) finish() error {
	if w.fw == nil {
		return nil
	}
	fw, f, tmp := w.fw, w.cur, w.tmp
	w.fw, w.cur = nil, nil
	if err := fw.Close(); err != nil {
		f.Close()
		os.Remove(tmp)
		return sqlerr.New(sqlerr.IOError, "could not finish a Parquet file: %v", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return ioErr(err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		os.Remove(tmp)
		return ioErr(err)
	}
	f.Close()
	final := filepath.Join(w.dir, newName(".parquet"))
	w.unpin = append(w.unpin, pinPath(final))
	if err := os.Rename(tmp, final); err != nil {
		os.Remove(tmp)
		return ioErr(err)
	}
	w.files = append(w.files, &DataFile{Path: final, Size: st.Size(), Rows: w.rows})
	return nil
}

type writeOnly struct{ f *os.File }

func (w writeOnly) Write(p []byte) (int, error) { return w.f.Write(p) }

// Close finishes the last file, syncs the directory and returns every file
// written. Files are complete and durable, but belong to no table until a
// snapshot that lists them is committed.
func (w *Writer) Close() ([]*DataFile, error) {
	if err := w.finish(); err != nil {
		return nil, err
	}
	if len(w.files) > 0 {
		if err := syncDir(w.dir); err != nil {
			return nil, err
		}
	}
	return w.files, nil
}

// Done releases the writer's hold on its files once the snapshot that
// lists them is committed (until then Vacuum leaves them alone).
func (w *Writer) Done() {
	for _, f := range w.unpin {
		f()
	}
	w.unpin = nil
}

// Abort removes everything written so far.
func (w *Writer) Abort() {
	defer w.Done()
	if w.fw != nil {
		w.cur.Close()
		os.Remove(w.tmp)
		w.fw = nil
	}
	for _, f := range w.files {
		os.Remove(f.Path)
	}
	w.files = nil
}
