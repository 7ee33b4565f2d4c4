package lake

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/sluicedb/sluice/connectors"
	"github.com/sluicedb/sluice/sql/types"
)

// Column is a table column; Physical is its name inside the data files
// (it differs from Name after a RENAME COLUMN).
type Column struct {
	connectors.Column
	Physical string
}

// DataFile is one Parquet file of a table. Part holds the values of the
// table's partition columns (hive folders) for every row of the file.
type DataFile struct {
	Path  string // a local path, or an s3:// URI
	Size  int64
	MTime int64 // modification stamp (0 for immutable managed files)
	Rows  int64 // -1 until the footer is read
	Part  []types.Datum
	fs    objectFS
}

func (df *DataFile) fileSystem() objectFS {
	if df.fs == nil {
		return localFS{}
	}
	return df.fs
}

// Table is an immutable set of data files served as a connectors.Provider.
// The first fileCols columns are read from the files; the rest are
// partition columns whose values come from DataFile.Part.
type Table struct {
	cols     []Column
	fileCols int
	files    []*DataFile
	version  string
	// onScan is called with a scan's files while it is open, so Vacuum can
	// keep them (managed tables pin their snapshot).
	pin func(files []*DataFile) (release func())
	// distinct are ANALYZE's estimates per column (0: unknown).
	distinct []int64
}

// SetDistinct records estimated distinct counts per column (from ANALYZE).
func (t *Table) SetDistinct(d []int64) { t.distinct = d }

// NewTable returns a table over files; partCols columns at the end of cols
// come from each file's Part.
func NewTable(cols []Column, partCols int, files []*DataFile, version string) *Table {
	return &Table{cols: cols, fileCols: len(cols) - partCols, files: files, version: version}
}

// Files returns the table's data files.
func (t *Table) Files() []*DataFile { return t.files }

// Columns implements connectors.Provider.
func (t *Table) Columns() []connectors.Column {
	out := make([]connectors.Column, len(t.cols))
	for i, c := range t.cols {
		out[i] = c.Column
	}
	return out
}

// Version implements connectors.Provider.
func (t *Table) Version() string { return t.version }

func (t *Table) physical(c int) string {
	if p := t.cols[c].Physical; p != "" {
		return p
	}
	return t.cols[c].Name
}

func (t *Table) arrowSchema(cols []int) *arrow.Schema {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = types.FieldFor(t.cols[c].Name, t.cols[c].Type)
	}
	return arrow.NewSchema(fields, nil)
}

// Pushdown implements connectors.Provider: predicates on partition columns
// are exact (whole files are kept or dropped); comparisons on file columns
// prune files and row groups by their statistics (inexact).
func (t *Table) Pushdown(preds []connectors.Predicate) []connectors.Support {
	out := make([]connectors.Support, len(preds))
	for i, p := range preds {
		switch {
		case p.Col >= t.fileCols:
			out[i] = connectors.Exact
		default:
			out[i] = connectors.Inexact
		}
	}
	return out
}

// Stats implements connectors.Provider from the files' footers: row count
// and per-column min/max/nulls are exact (merged over row groups) where
// every row group carries statistics.
func (t *Table) Stats(ctx context.Context) (connectors.Stats, error) {
	st := connectors.Stats{Exact: true, Cols: make([]connectors.ColumnStats, len(t.cols))}
	known := make([]bool, len(t.cols))
	for i := range st.Cols {
		st.Cols[i].Nulls, st.Cols[i].Distinct = 0, -1
		known[i] = true
	}
	first := true
	for _, df := range t.files {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		ft, err := readFooter(df)
		if err != nil {
			return st, err
		}
		st.Rows += ft.md.NumRows
		st.Bytes += df.Size
		for c := range t.cols {
			if c >= t.fileCols {
				v := df.Part[c-t.fileCols]
				if v == nil {
					st.Cols[c].Nulls += ft.md.NumRows
					continue
				}
				mergeBounds(&st.Cols[c], v, v, first)
				continue
			}
			fl, ok := ft.byName[t.physical(c)]
			if !ok {
				st.Cols[c].Nulls += ft.md.NumRows
				continue
			}
			if len(fl.leaves) != 1 {
				known[c] = false
				continue
			}
			for rg := 0; rg < ft.md.NumRowGroups(); rg++ {
				lo, hi, nulls, ok := leafStats(ft.md, rg, fl.leaves[0], t.cols[c].Type, fl.field)
				if !ok || nulls < 0 {
					known[c] = false
					continue
				}
				st.Cols[c].Nulls += nulls
				if lo != nil {
					mergeBounds(&st.Cols[c], lo, hi, st.Cols[c].Min == nil)
				}
			}
		}
		first = false
	}
	for c := range st.Cols {
		if !known[c] {
			st.Cols[c] = connectors.ColumnStats{Nulls: -1, Distinct: -1}
		}
		if c < len(t.distinct) && t.distinct[c] > 0 {
			st.Cols[c].Distinct = t.distinct[c]
		}
	}
	return st, nil
}

func mergeBounds(cs *connectors.ColumnStats, lo, hi types.Datum, first bool) {
	if first || cs.Min == nil {
		cs.Min, cs.Max = lo, hi
		return
	}
	if c, ok := compareDatum(lo, cs.Min); ok && c < 0 {
		cs.Min = lo
	}
	if c, ok := compareDatum(hi, cs.Max); ok && c > 0 {
		cs.Max = hi
	}
}

// split is one row group of one file.
type split struct {
	df   *DataFile
	rg   int
	rows int64
}

func (s *split) Rows() int64    { return s.rows }
func (s *split) String() string { return fmt.Sprintf("%s#%d", s.df.Path, s.rg) }

// Splits implements connectors.Provider: files whose partition values or
// statistics rule out a predicate are skipped, then row groups are.
func (t *Table) Splits(ctx context.Context, req connectors.ScanRequest) ([]connectors.Split, connectors.PruneStats, error) {
	var ps connectors.PruneStats
	type res struct {
		out     []connectors.Split
		rgs, sk int
		err     error
	}
	results := make([]res, len(t.files))
	// Footers are read in parallel: a cold listing of many files is I/O bound.
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(4, runtime.GOMAXPROCS(0)))
fileLoop:
	for i, df := range t.files {
		ps.Files++
		for _, p := range req.Preds {
			if p.Col >= t.fileCols {
				v := df.Part[p.Col-t.fileCols]
				nulls := int64(0)
				if v == nil {
					nulls = 1
				}
				if !mayMatch(p, v, v, nulls, 1) {
					ps.FilesSkipped++
					continue fileLoop
				}
			}
		}
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, df *DataFile) {
			defer func() { <-sem; wg.Done() }()
			out, rgs, sk, err := t.rowGroups(df, req.Preds)
			results[i] = res{out, rgs, sk, err}
		}(i, df)
	}
	wg.Wait()
	var splits []connectors.Split
	for i, r := range results {
		if r.err != nil {
			return nil, ps, r.err
		}
		if r.rgs > 0 && r.sk == r.rgs && t.files[i] != nil {
			ps.FilesSkipped++
		}
		ps.RowGroups += r.rgs
		ps.RowGroupsSkipped += r.sk
		splits = append(splits, r.out...)
	}
	if err := ctx.Err(); err != nil {
		return nil, ps, err
	}
	return splits, ps, nil
}

func (t *Table) rowGroups(df *DataFile, preds []connectors.Predicate) ([]connectors.Split, int, int, error) {
	ft, err := readFooter(df)
	if err != nil {
		return nil, 0, 0, err
	}
	n := ft.md.NumRowGroups()
	var out []connectors.Split
	skipped := 0
rgLoop:
	for rg := 0; rg < n; rg++ {
		rows := ft.md.RowGroup(rg).NumRows()
		for _, p := range preds {
			if p.Col >= t.fileCols {
				continue
			}
			fl, ok := ft.byName[t.physical(p.Col)]
			if !ok {
				// The column is NULL throughout this file.
				if !mayMatch(p, nil, nil, rows, rows) {
					skipped++
					continue rgLoop
				}
				continue
			}
			if len(fl.leaves) != 1 {
				continue
			}
			lo, hi, nulls, ok := leafStats(ft.md, rg, fl.leaves[0], t.cols[p.Col].Type, fl.field)
			if ok && !mayMatch(p, lo, hi, nulls, rows) {
				skipped++
				continue rgLoop
			}
		}
		out = append(out, &split{df: df, rg: rg, rows: rows})
	}
	return out, n, skipped, nil
}

// Open implements connectors.Provider.
func (t *Table) Open(ctx context.Context, s connectors.Split, req connectors.ScanRequest) (connectors.RecordStream, error) {
	sp := s.(*split)
	return t.openRowGroup(ctx, sp.df, sp.rg, req)
}

// Pin marks the table's files as in use until release is called (a scan
// in progress); managed tables set it so that Vacuum keeps those files.
func (t *Table) Pin() (release func()) {
	if t.pin == nil {
		return func() {}
	}
	return t.pin(t.files)
}
