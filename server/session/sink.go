package session

import (
	"path/filepath"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/sluicedb/sluice/catalog"
	"github.com/sluicedb/sluice/connectors/lake"
	"github.com/sluicedb/sluice/planner"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// rowSink writes rows into new data files of a managed table. A
// partitioned table gets one set of files per partition value, in
// hive-style folders (data/region=eu/, data/ts_day=2024-01-05/), so each
// file's statistics are tight and scans skip whole files.
type rowSink struct {
	dir     string
	schema  *arrow.Schema
	cols    []plan.Column
	n       int64
	parts   []partField
	writers map[string]*lake.Writer
	order   []string // partition keys in first-seen order
	// asText are columns stored as their text form (intervals: Parquet
	// has no month-day-microsecond type).
	asText []int
	// base is the metadata the rewritten rows were read from (replacing
	// commits only): a commit on top of another one is a conflict.
	base *string
}

// partField is one partitioning column and its transform.
type partField struct {
	col       int
	name      string
	transform string // identity, day, month, year
}

// newRowSink writes rows of cols into a table's data files; the files name
// columns by their physical names (phys, when given).
func newRowSink(dir string, cols []plan.Column, phys ...string) (*rowSink, error) {
	named := append([]plan.Column(nil), cols...)
	for i, p := range phys {
		if p != "" {
			named[i].Name = p
		}
	}
	var asText []int
	for i, c := range named {
		if c.Type.OID == types.OIDInterval {
			named[i].Type = types.Text
			asText = append(asText, i)
		}
	}
	rb, err := planner.BuildBatch(named, nil)
	if err != nil {
		return nil, err
	}
	schema := rb.Schema()
	rb.Release()
	return &rowSink{dir: dir, schema: schema, cols: named, asText: asText, writers: map[string]*lake.Writer{}}, nil
}

// sinkFor is newRowSink for a managed table, with its partitioning.
func (s *Session) sinkFor(r *catalog.Relation) (*rowSink, error) {
	k, err := newRowSink(s.tableDir(r), plannerCols(r.Columns), physicalNames(r)...)
	if err != nil {
		return nil, err
	}
	k.parts, err = partitioning(r.Columns, r.PartitionedBy)
	return k, err
}

// partitioning parses partitioned_by ("region, day(ts)") against columns.
func partitioning(cols []catalog.Column, spec string) ([]partField, error) {
	var out []partField
	if strings.TrimSpace(spec) == "" {
		return nil, nil
	}
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		transform, name := "identity", item
		if i := strings.IndexByte(item, '('); i > 0 && strings.HasSuffix(item, ")") {
			transform, name = strings.ToLower(strings.TrimSpace(item[:i])), strings.TrimSpace(item[i+1:len(item)-1])
		}
		idx := -1
		for i, c := range cols {
			if c.Name == name {
				idx = i
			}
		}
		if idx < 0 {
			return nil, sqlerr.New(sqlerr.UndefinedColumn, "partition column \"%s\" does not exist", name)
		}
		t := cols[idx].TypeOID
		switch transform {
		case "identity":
			if t == types.OIDFloat4 || t == types.OIDFloat8 || t == types.OIDBytea || t == types.OIDJSON || t == types.OIDJSONB {
				return nil, sqlerr.New(sqlerr.InvalidTableDefinition, "cannot partition by column \"%s\" of type %s", name, types.Type{OID: t, Typmod: -1})
			}
		case "day", "month", "year":
			if t != types.OIDDate && t != types.OIDTimestamp && t != types.OIDTimestamptz {
				return nil, sqlerr.New(sqlerr.InvalidTableDefinition, "%s() partitioning needs a date or timestamp column, \"%s\" is %s", transform, name, types.Type{OID: t, Typmod: -1})
			}
		default:
			return nil, sqlerr.New(sqlerr.InvalidParameterValue, "unknown partition transform \"%s\" (use identity, day, month or year)", transform)
		}
		out = append(out, partField{col: idx, name: cols[idx].Name, transform: transform})
	}
	return out, nil
}

// partKey is the folder path of a row's partition.
func (k *rowSink) partKey(row []types.Datum) string {
	var b strings.Builder
	f := &types.Format{Loc: time.UTC}
	for i, p := range k.parts {
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(p.name)
		if p.transform != "identity" {
			b.WriteString("_" + p.transform)
		}
		b.WriteByte('=')
		v := row[p.col]
		if v == nil {
			b.WriteString("__HIVE_DEFAULT_PARTITION__")
			continue
		}
		var t time.Time
		switch x := v.(type) {
		case types.Date:
			t = time.Unix(int64(x)*86400, 0).UTC()
		case types.Timestamp:
			t = time.UnixMicro(int64(x)).UTC()
		default:
			text := types.TextOf(k.cols[p.col].Type, v, f)
			b.WriteString(strings.NewReplacer("/", "%2F", "=", "%3D").Replace(text))
			continue
		}
		switch p.transform {
		case "day":
			b.WriteString(t.Format("2006-01-02"))
		case "month":
			b.WriteString(t.Format("2006-01"))
		case "year":
			b.WriteString(t.Format("2006"))
		default:
			b.WriteString(types.TextOf(k.cols[p.col].Type, v, f))
		}
	}
	return b.String()
}

func (k *rowSink) writer(key string) *lake.Writer {
	w, ok := k.writers[key]
	if !ok {
		w = lake.NewWriter(filepath.Join(lake.DataDir(k.dir), filepath.FromSlash(key)), k.schema)
		k.writers[key] = w
		k.order = append(k.order, key)
	}
	return w
}

func (k *rowSink) write(rows [][]types.Datum) error {
	if len(rows) == 0 {
		return nil
	}
	if len(k.asText) > 0 {
		f := &types.Format{}
		for _, row := range rows {
			for _, c := range k.asText {
				if row[c] != nil {
					row[c] = types.TextOf(types.IntervalT, row[c], f)
				}
			}
		}
	}
	k.n += int64(len(rows))
	if len(k.parts) == 0 {
		return k.writeTo("", rows)
	}
	groups := map[string][][]types.Datum{}
	var keys []string
	for _, row := range rows {
		key := k.partKey(row)
		if _, ok := groups[key]; !ok {
			keys = append(keys, key)
		}
		groups[key] = append(groups[key], row)
	}
	if len(k.writers)+len(keys) > maxOpenPartitions {
		return sqlerr.New(sqlerr.ProgramLimitExceeded, "a write may create at most %d partitions", maxOpenPartitions)
	}
	for _, key := range keys {
		if err := k.writeTo(key, groups[key]); err != nil {
			return err
		}
	}
	return nil
}

// maxOpenPartitions bounds the files one write keeps open.
const maxOpenPartitions = 1000

func (k *rowSink) writeTo(key string, rows [][]types.Datum) error {
	rb, err := planner.BuildBatch(k.cols, rows)
	if err != nil {
		return err
	}
	defer rb.Release()
	return k.writer(key).Write(rb)
}

// close finishes every file and returns them all.
func (k *rowSink) close() ([]*lake.DataFile, error) {
	var out []*lake.DataFile
	for _, key := range k.order {
		files, err := k.writers[key].Close()
		if err != nil {
			return nil, err
		}
		out = append(out, files...)
	}
	return out, nil
}

// abort removes everything written.
func (k *rowSink) abort() {
	for _, w := range k.writers {
		w.Abort()
	}
}

// done releases the writers' hold on their files (after the commit).
func (k *rowSink) done() {
	for _, w := range k.writers {
		w.Done()
	}
}
