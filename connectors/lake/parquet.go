package lake

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/sluicedb/sluice/connectors"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// batchRows is the number of rows per batch a scan reads.
const batchRows = 64 << 10

// footer is a Parquet file's parsed metadata and its columns by name.
type footer struct {
	md     *metadata.FileMetaData
	schema *arrow.Schema
	// byName maps a top-level column name to its field index and leaves.
	byName map[string]fieldLeaves
}

type fieldLeaves struct {
	field  arrow.Field
	leaves []int
}

// footers caches footers of immutable files by path, size and mtime.
var footers = struct {
	sync.Mutex
	m map[string]*footer
}{m: map[string]*footer{}}

const footerCacheMax = 4096

func footerKey(path string, size int64, mtime int64) string {
	return fmt.Sprintf("%s\x00%d\x00%d", path, size, mtime)
}

// readFooter returns the footer of a data file (cached: data files are
// immutable, and a rewritten external file has a new size or stamp).
func readFooter(df *DataFile) (*footer, error) {
	path := df.Path
	key := footerKey(path, df.Size, df.MTime)
	footers.Lock()
	f := footers.m[key]
	footers.Unlock()
	if f != nil {
		return f, nil
	}
	r, done, err := df.fileSystem().open(context.Background(), path, df.Size)
	if err != nil {
		return nil, err
	}
	defer done()
	pf, err := file.NewParquetReader(r)
	if err != nil {
		return nil, sqlerr.New(sqlerr.DataCorrupted, "could not read Parquet file \"%s\": %v", path, err)
	}
	defer pf.Close()
	md := pf.MetaData()
	props := pqarrow.ArrowReadProperties{}
	man, err := pqarrow.NewSchemaManifest(md.Schema, md.KeyValueMetadata(), &props)
	if err != nil {
		return nil, sqlerr.New(sqlerr.DataCorrupted, "could not read the schema of \"%s\": %v", path, err)
	}
	sc, err := pqarrow.FromParquet(md.Schema, &props, md.KeyValueMetadata())
	if err != nil {
		return nil, sqlerr.New(sqlerr.DataCorrupted, "could not read the schema of \"%s\": %v", path, err)
	}
	f = &footer{md: md, schema: sc, byName: map[string]fieldLeaves{}}
	for i := range man.Fields {
		sf := &man.Fields[i]
		f.byName[sf.Field.Name] = fieldLeaves{field: sc.Field(i), leaves: leavesOf(sf)}
	}
	footers.Lock()
	if len(footers.m) >= footerCacheMax {
		for k := range footers.m { // evict an arbitrary tenth
			delete(footers.m, k)
			if len(footers.m) < footerCacheMax*9/10 {
				break
			}
		}
	}
	footers.m[key] = f
	footers.Unlock()
	return f, nil
}

func leavesOf(sf *pqarrow.SchemaField) []int {
	if sf.IsLeaf() {
		return []int{sf.ColIndex}
	}
	var out []int
	for i := range sf.Children {
		out = append(out, leavesOf(&sf.Children[i])...)
	}
	return out
}

func fileErr(path string, err error) error {
	if os.IsNotExist(err) {
		return sqlerr.New(sqlerr.UndefinedFile, "could not open file \"%s\": No such file or directory", path)
	}
	return ioErr(err)
}

// leafStats returns the min, max and null count of one leaf column in one
// row group as Datums of type t; ok is false when the statistics cannot be
// used for t (absent, unsigned, NaN, or an ordering that differs from t's).
func leafStats(md *metadata.FileMetaData, rg, leaf int, t types.Type, field arrow.Field) (lo, hi types.Datum, nulls int64, ok bool) {
	cc, err := md.RowGroup(rg).ColumnChunk(leaf)
	if err != nil {
		return nil, nil, -1, false
	}
	if set, err := cc.StatsSet(); err != nil || !set {
		return nil, nil, -1, false
	}
	st, err := cc.Statistics()
	if err != nil || st == nil {
		return nil, nil, -1, false
	}
	nulls = -1
	if st.HasNullCount() {
		nulls = st.NullCount()
	}
	if !st.HasMinMax() {
		return nil, nil, nulls, nulls >= 0
	}
	switch s := st.(type) {
	case *metadata.Int32Statistics:
		if field.Type.ID() == arrow.UINT32 || field.Type.ID() == arrow.UINT16 || field.Type.ID() == arrow.UINT8 {
			return nil, nil, nulls, nulls >= 0
		}
		switch t.OID {
		case types.OIDInt2, types.OIDInt4, types.OIDInt8:
			return int64(s.Min()), int64(s.Max()), nulls, true
		case types.OIDDate:
			return types.Date(s.Min()), types.Date(s.Max()), nulls, true
		}
	case *metadata.Int64Statistics:
		switch t.OID {
		case types.OIDInt8:
			if field.Type.ID() == arrow.UINT64 {
				break
			}
			return s.Min(), s.Max(), nulls, true
		case types.OIDTimestamp, types.OIDTimestamptz:
			ts, isTS := field.Type.(*arrow.TimestampType)
			if !isTS {
				break
			}
			return types.Timestamp(toMicros(s.Min(), ts.Unit)), types.Timestamp(toMicros(s.Max(), ts.Unit)), nulls, true
		}
	case *metadata.Float32Statistics:
		if t.OID == types.OIDFloat4 && !math.IsNaN(float64(s.Min())) && !math.IsNaN(float64(s.Max())) {
			return float64(s.Min()), float64(s.Max()), nulls, true
		}
	case *metadata.Float64Statistics:
		if t.OID == types.OIDFloat8 && !math.IsNaN(s.Min()) && !math.IsNaN(s.Max()) {
			return s.Min(), s.Max(), nulls, true
		}
	case *metadata.ByteArrayStatistics:
		if t.OID == types.OIDText || t.OID == types.OIDVarchar {
			return string(s.Min()), string(s.Max()), nulls, true
		}
	case *metadata.BooleanStatistics:
		if t.OID == types.OIDBool {
			return s.Min(), s.Max(), nulls, true
		}
	}
	return nil, nil, nulls, nulls >= 0
}

func toMicros(v int64, u arrow.TimeUnit) int64 {
	switch u {
	case arrow.Second:
		return v * 1e6
	case arrow.Millisecond:
		return v * 1e3
	case arrow.Nanosecond:
		return floorDiv(v, 1e3)
	}
	return v
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// compareDatum orders two non-NULL Datums of one type family.
func compareDatum(a, b types.Datum) (int, bool) {
	switch x := a.(type) {
	case int64:
		y, ok := b.(int64)
		return cmp.Compare(x, y), ok
	case float64:
		y, ok := b.(float64)
		return cmp.Compare(x, y), ok
	case string:
		y, ok := b.(string)
		return cmp.Compare(x, y), ok
	case bool:
		y, ok := b.(bool)
		if !ok {
			return 0, false
		}
		switch {
		case x == y:
			return 0, true
		case !x:
			return -1, true
		}
		return 1, true
	case types.Date:
		y, ok := b.(types.Date)
		return cmp.Compare(x, y), ok
	case types.Timestamp:
		y, ok := b.(types.Timestamp)
		return cmp.Compare(x, y), ok
	}
	return 0, false
}

// mayMatch reports whether a set of values with bounds [lo, hi] (nil when
// unknown), nulls NULLs (-1 unknown) out of rows can hold a row satisfying p.
func mayMatch(p connectors.Predicate, lo, hi types.Datum, nulls, rows int64) bool {
	switch p.Op {
	case connectors.OpIsNull:
		return nulls != 0
	case connectors.OpIsNotNull:
		return nulls < 0 || nulls < rows
	}
	if nulls >= 0 && nulls == rows {
		return false // only NULLs: no comparison is true
	}
	if lo == nil || hi == nil {
		return true
	}
	cLo, ok1 := compareDatum(p.Value, lo)
	cHi, ok2 := compareDatum(p.Value, hi)
	if !ok1 || !ok2 {
		return true
	}
	switch p.Op {
	case connectors.OpEq:
		return cLo >= 0 && cHi <= 0
	case connectors.OpNe:
		return !(cLo == 0 && cHi == 0)
	case connectors.OpLt: // some x < v  ⇔ lo < v
		return cLo > 0
	case connectors.OpLe:
		return cLo >= 0
	case connectors.OpGt:
		return cHi < 0
	case connectors.OpGe:
		return cHi <= 0
	}
	return true
}

// readRowGroup streams one row group of a file as batches holding the
// requested table columns.
type rowGroupStream struct {
	t      *Table
	df     *DataFile
	ft     *footer
	req    connectors.ScanRequest
	schema *arrow.Schema
	pf     *file.Reader
	rr     pqarrow.RecordReader
	// pos[i] is the position of output column i in the reader's batches,
	// or -1 when it is not read from the file (partition value or missing).
	pos    []int
	done   func() // closes the underlying file
	left   int64  // rows still to emit when no file column is read
	limit  int64
	mem    memory.Allocator
	closed bool
}

func (t *Table) openRowGroup(ctx context.Context, df *DataFile, rg int, req connectors.ScanRequest) (connectors.RecordStream, error) {
	ft, err := readFooter(df)
	if err != nil {
		return nil, err
	}
	s := &rowGroupStream{t: t, df: df, ft: ft, req: req, schema: t.arrowSchema(req.Columns),
		pos: make([]int, len(req.Columns)), limit: req.Limit, mem: memory.DefaultAllocator}
	var leaves []int
	for i, c := range req.Columns {
		s.pos[i] = -1
		if c >= t.fileCols {
			continue
		}
		fl, ok := ft.byName[t.physical(c)]
		if !ok {
			continue // a column added after this file was written: NULL
		}
		s.pos[i] = len(leaves) // provisional: index among requested fields
		leaves = append(leaves, fl.leaves...)
	}
	if len(leaves) == 0 {
		s.left = ft.md.RowGroup(rg).NumRows()
		return s, nil
	}
	r, done, err := df.fileSystem().open(ctx, df.Path, df.Size)
	if err != nil {
		return nil, err
	}
	pf, err := file.NewParquetReader(r, file.WithMetadata(ft.md))
	if err != nil {
		done()
		return nil, sqlerr.New(sqlerr.DataCorrupted, "could not read Parquet file \"%s\": %v", df.Path, err)
	}
	s.done = done
	props := pqarrow.ArrowReadProperties{BatchSize: batchRows}
	// Text columns whose chunk is entirely dictionary-encoded are read as
	// Arrow dictionaries: the values are decoded once per row group, and
	// rows refer to them (no per-row copy of the bytes). A chunk whose
	// dictionary overflowed into plain pages is read as plain strings:
	// rebuilding a dictionary from those costs a hash lookup per value.
	rgmd := ft.md.RowGroup(rg)
	for _, leaf := range leaves {
		cc, err := rgmd.ColumnChunk(leaf)
		if err == nil && cc.HasDictionaryPage() && cc.Type() == parquet.Types.ByteArray && onlyDictPages(cc) {
			props.SetReadDict(leaf, true)
		}
	}
	fr, err := pqarrow.NewFileReader(pf, props, s.mem)
	if err != nil {
		pf.Close()
		done()
		return nil, sqlerr.New(sqlerr.DataCorrupted, "could not read Parquet file \"%s\": %v", df.Path, err)
	}
	rr, err := fr.GetRecordReader(ctx, leaves, []int{rg})
	if err != nil {
		pf.Close()
		done()
		return nil, sqlerr.New(sqlerr.DataCorrupted, "could not read Parquet file \"%s\": %v", df.Path, err)
	}
	// The reader's batches hold the requested fields in file order; map
	// each output column to its field by name.
	rs := rr.Schema()
	for i, c := range req.Columns {
		if s.pos[i] < 0 {
			continue
		}
		idx := rs.FieldIndices(t.physical(c))
		if len(idx) == 0 {
			pf.Close()
			done()
			rr.Release()
			return nil, sqlerr.Internal("lake: column %s not found in %s", t.physical(c), df.Path)
		}
		s.pos[i] = idx[0]
	}
	s.pf, s.rr = pf, rr
	return s, nil
}

func (s *rowGroupStream) Schema() *arrow.Schema { return s.schema }

func (s *rowGroupStream) Next(ctx context.Context) (arrow.RecordBatch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s.limit == 0 {
		return nil, io.EOF
	}
	var n int64
	var src arrow.RecordBatch
	if s.rr == nil {
		if s.left == 0 {
			return nil, io.EOF
		}
		n = min(s.left, batchRows)
		s.left -= n
	} else {
		if !s.rr.Next() {
			if err := s.rr.Err(); err != nil && err != io.EOF {
				return nil, sqlerr.New(sqlerr.DataCorrupted, "could not read Parquet file \"%s\": %v", s.df.Path, err)
			}
			return nil, io.EOF
		}
		src = s.rr.RecordBatch()
		n = src.NumRows()
	}
	if s.limit > 0 {
		n = min(n, s.limit)
		s.limit -= n
	}
	cols := make([]arrow.Array, len(s.req.Columns))
	for i, c := range s.req.Columns {
		want := s.schema.Field(i).Type
		switch {
		case s.pos[i] >= 0:
			a := src.Column(s.pos[i])
			if int64(a.Len()) > n {
				a = array.NewSlice(a, 0, n)
			} else {
				a.Retain()
			}
			na, err := normalize(s.mem, a, want, s.t.cols[c].Type)
			a.Release()
			if err != nil {
				return nil, err
			}
			cols[i] = na
		case c >= s.t.fileCols:
			cols[i] = constArray(s.mem, s.t.cols[c].Type, s.df.Part[c-s.t.fileCols], int(n))
		default:
			cols[i] = array.MakeArrayOfNull(s.mem, want, int(n))
		}
	}
	schema := s.schema
	for i, a := range cols {
		if a.DataType().ID() == arrow.DICTIONARY {
			fields := append([]arrow.Field(nil), s.schema.Fields()...)
			for j := i; j < len(cols); j++ {
				fields[j].Type = cols[j].DataType()
			}
			schema = arrow.NewSchema(fields, nil)
			break
		}
	}
	rb := array.NewRecordBatch(schema, cols, n)
	for _, a := range cols {
		a.Release()
	}
	return rb, nil
}

func (s *rowGroupStream) Close() {
	if s.closed {
		return
	}
	s.closed = true
	if s.rr != nil {
		s.rr.Release()
	}
	if s.pf != nil {
		s.pf.Close()
	}
	if s.done != nil {
		s.done()
	}
}

// constArray repeats one value n times.
func constArray(mem memory.Allocator, t types.Type, v types.Datum, n int) arrow.Array {
	b := array.NewBuilder(mem, types.ArrowType(t))
	defer b.Release()
	b.Reserve(n)
	for range n {
		types.AppendDatum(b, t, v)
	}
	return b.NewArray()
}

// normalize converts an array read from a file to the Arrow type the
// engine uses for t (files written elsewhere may use other widths, units
// or encodings). The result is a new reference.
func normalize(mem memory.Allocator, a arrow.Array, want arrow.DataType, t types.Type) (arrow.Array, error) {
	if arrow.TypeEqual(a.DataType(), want) {
		a.Retain()
		return a, nil
	}
	if d, ok := a.(*array.Dictionary); ok && arrow.TypeEqual(d.Dictionary().DataType(), want) {
		a.Retain()
		return a, nil // dictionaries stay dictionaries; DatumAt reads through them
	}
	b := array.NewBuilder(mem, want)
	defer b.Release()
	b.Reserve(a.Len())
	for i := 0; i < a.Len(); i++ {
		v, err := rawDatum(a, t, i)
		if err != nil {
			return nil, err
		}
		types.AppendDatum(b, t, v)
	}
	return b.NewArray(), nil
}

// rawDatum reads element i of an array of any supported Arrow type.
func rawDatum(a arrow.Array, t types.Type, i int) (types.Datum, error) {
	if a.IsNull(i) {
		return nil, nil
	}
	switch x := a.(type) {
	case *array.Int8:
		return int64(x.Value(i)), nil
	case *array.Uint8:
		return int64(x.Value(i)), nil
	case *array.Uint16:
		return int64(x.Value(i)), nil
	case *array.Uint32:
		return int64(x.Value(i)), nil
	case *array.Int16:
		return int64(x.Value(i)), nil
	case *array.Int32:
		return int64(x.Value(i)), nil
	case *array.Int64:
		return x.Value(i), nil
	case *array.Float16:
		return float64(x.Value(i).Float32()), nil
	case *array.LargeString:
		return x.Value(i), nil
	case *array.LargeBinary:
		return x.Value(i), nil
	case *array.Timestamp:
		u := x.DataType().(*arrow.TimestampType).Unit
		return types.Timestamp(toMicros(int64(x.Value(i)), u)), nil
	case *array.Date64:
		return types.Date(floorDiv(int64(x.Value(i)), 86400000)), nil
	case *array.Decimal128:
		s := x.Value(i).ToString(x.DataType().(*arrow.Decimal128Type).Scale)
		d, err := types.ParseDecimal(s)
		if err != nil {
			return nil, err
		}
		return d, nil
	case *array.Dictionary:
		return rawDatum(x.Dictionary(), t, x.GetValueIndex(i))
	}
	return types.DatumAt(a, t, i), nil
}

// pgTypeOf maps a Parquet file's Arrow field to a PostgreSQL type for
// schema inference; unsupported types answer 0A000.
func pgTypeOf(f arrow.Field) (types.Type, error) {
	if f.Metadata.FindKey(types.MetaOID) >= 0 {
		return types.TypeOfField(f), nil
	}
	dt := f.Type
	if d, ok := dt.(*arrow.DictionaryType); ok {
		dt = d.ValueType
	}
	switch x := dt.(type) {
	case *arrow.Int8Type, *arrow.Uint8Type, *arrow.Int16Type:
		return types.Int2, nil
	case *arrow.Uint16Type, *arrow.Int32Type:
		return types.Int4, nil
	case *arrow.Uint32Type, *arrow.Int64Type:
		return types.Int8, nil
	case *arrow.Float16Type, *arrow.Float32Type:
		return types.Float4, nil
	case *arrow.Float64Type:
		return types.Float8, nil
	case *arrow.StringType, *arrow.LargeStringType:
		return types.Text, nil
	case *arrow.BinaryType, *arrow.LargeBinaryType:
		return types.Bytea, nil
	case *arrow.BooleanType:
		return types.Bool, nil
	case *arrow.Date32Type, *arrow.Date64Type:
		return types.DateT, nil
	case *arrow.TimestampType:
		if x.TimeZone != "" {
			return types.TimestamptzT, nil
		}
		return types.TimestampT, nil
	case *arrow.Decimal128Type:
		return types.Type{OID: types.OIDNumeric, Typmod: (x.Precision<<16 | x.Scale) + 4}, nil
	}
	return types.Type{}, sqlerr.Unsupported("column \"%s\" has Parquet/Arrow type %s, which is not supported", f.Name, f.Type)
}

// onlyDictPages reports whether every data page of a chunk is
// dictionary-encoded (false when the writer recorded no page statistics).
func onlyDictPages(cc *metadata.ColumnChunkMetaData) bool {
	const dictionaryPage = 2 // parquet.thrift PageType.DICTIONARY_PAGE
	stats := cc.EncodingStats()
	if len(stats) == 0 {
		return false
	}
	for _, st := range stats {
		if int(st.PageType) == dictionaryPage {
			continue
		}
		if st.Encoding != parquet.Encodings.RLEDict && st.Encoding != parquet.Encodings.PlainDict {
			return false
		}
	}
	return true
}
