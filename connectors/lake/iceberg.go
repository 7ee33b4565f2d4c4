package lake

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/apache/iceberg-go"
	icebergio "github.com/apache/iceberg-go/io"
	"github.com/apache/iceberg-go/table"

	"github.com/sluicedb/sluice/connectors"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// Reading existing Iceberg tables (written by Spark, Trino, iceberg-go …):
// the location is a table directory (its metadata/version-hint.text, else
// the newest metadata file, names the current version) or a metadata JSON
// file. The current snapshot's data files become a Table; scans prune and
// read them like any Parquet files. Tables with delete files (merge-on-read
// deletes) answer 0A000 rather than return deleted rows. Columns map by
// name.

// icebergTables caches opened snapshots by metadata file (immutable).
var icebergTables sync.Map // metadata location → *icebergSnapshot

type icebergSnapshot struct {
	cols  []connectors.Column
	files []*DataFile
	id    string
}

// IcebergMetadata resolves a location to its current metadata file.
func IcebergMetadata(location string) (string, error) {
	p, err := LocalPath(location)
	if err != nil {
		return "", err
	}
	if strings.HasSuffix(p, ".metadata.json") {
		return p, nil
	}
	dir := filepath.Join(p, "metadata")
	if hint, err := os.ReadFile(filepath.Join(dir, "version-hint.text")); err == nil {
		v := strings.TrimSpace(string(hint))
		for _, name := range []string{"v" + v + ".metadata.json", v + ".metadata.json"} {
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				return filepath.Join(dir, name), nil
			}
		}
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return "", fileErr(dir, err)
	}
	var metas []string
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".metadata.json") {
			metas = append(metas, e.Name())
		}
	}
	if len(metas) == 0 {
		return "", sqlerr.New(sqlerr.UndefinedFile, "no Iceberg metadata found under \"%s\"", location)
	}
	// vN.metadata.json or NNNNN-uuid.metadata.json: the highest N is current.
	num := func(n string) int {
		n = strings.TrimPrefix(n, "v")
		d := n
		if i := strings.IndexAny(n, "-."); i >= 0 {
			d = n[:i]
		}
		v, _ := strconv.Atoi(d)
		return v
	}
	sort.Slice(metas, func(i, j int) bool { return num(metas[i]) < num(metas[j]) })
	return filepath.Join(dir, metas[len(metas)-1]), nil
}

func openIceberg(ctx context.Context, location string) (*icebergSnapshot, error) {
	meta, err := IcebergMetadata(location)
	if err != nil {
		return nil, err
	}
	if s, ok := icebergTables.Load(meta); ok {
		return s.(*icebergSnapshot), nil
	}
	tbl, err := table.NewFromLocation(ctx, table.Identifier{"t"}, meta, icebergio.LoadFSFunc(nil, meta), nil)
	if err != nil {
		return nil, sqlerr.New(sqlerr.DataCorrupted, "could not read Iceberg metadata \"%s\": %v", meta, err)
	}
	snap := &icebergSnapshot{id: "empty"}
	for _, f := range tbl.Schema().Fields() {
		t, err := icebergType(f)
		if err != nil {
			return nil, err
		}
		snap.cols = append(snap.cols, connectors.Column{Name: f.Name, Type: t})
	}
	if cur := tbl.CurrentSnapshot(); cur != nil {
		snap.id = strconv.FormatInt(cur.SnapshotID, 10)
		tasks, err := tbl.Scan().PlanFiles(ctx)
		if err != nil {
			return nil, sqlerr.New(sqlerr.DataCorrupted, "could not plan the Iceberg table at \"%s\": %v", location, err)
		}
		for _, task := range tasks {
			if len(task.DeleteFiles) > 0 || len(task.EqualityDeleteFiles) > 0 || len(task.DeletionVectorFiles) > 0 {
				return nil, sqlerr.Unsupported("the Iceberg table at \"%s\" has delete files, which are not supported yet", location)
			}
			df := task.File
			if df.FileFormat() != iceberg.ParquetFile {
				return nil, sqlerr.Unsupported("Iceberg data files in %s format are not supported", df.FileFormat())
			}
			p, err := LocalPath(df.FilePath())
			if err != nil {
				return nil, err
			}
			snap.files = append(snap.files, &DataFile{Path: p, Size: df.FileSizeBytes(), Rows: df.Count()})
		}
	}
	icebergTables.Store(meta, snap)
	return snap, nil
}

// InferIceberg returns an Iceberg table's columns.
func InferIceberg(ctx context.Context, location string) ([]connectors.Column, error) {
	s, err := openIceberg(ctx, location)
	if err != nil {
		return nil, err
	}
	return s.cols, nil
}

// OpenIceberg returns the current snapshot of an Iceberg table with the
// given columns (checked by name and type family).
func OpenIceberg(ctx context.Context, location string, cols []connectors.Column) (*Table, error) {
	s, err := openIceberg(ctx, location)
	if err != nil {
		return nil, err
	}
	lcols := make([]Column, len(cols))
	for i, c := range cols {
		lcols[i] = Column{Column: c}
	}
	return NewTable(lcols, 0, s.files, "iceberg:"+s.id), nil
}

// icebergType maps an Iceberg column type to PostgreSQL's.
func icebergType(f iceberg.NestedField) (types.Type, error) {
	switch t := f.Type.(type) {
	case iceberg.BooleanType:
		return types.Bool, nil
	case iceberg.Int32Type:
		return types.Int4, nil
	case iceberg.Int64Type:
		return types.Int8, nil
	case iceberg.Float32Type:
		return types.Float4, nil
	case iceberg.Float64Type:
		return types.Float8, nil
	case iceberg.StringType:
		return types.Text, nil
	case iceberg.BinaryType, iceberg.FixedType:
		return types.Bytea, nil
	case iceberg.DateType:
		return types.DateT, nil
	case iceberg.TimestampType, iceberg.TimestampNsType:
		return types.TimestampT, nil
	case iceberg.TimestampTzType, iceberg.TimestampTzNsType:
		return types.TimestamptzT, nil
	case iceberg.UUIDType:
		return types.Type{OID: types.OIDUUID, Typmod: -1}, nil
	case iceberg.DecimalType:
		return types.Type{OID: types.OIDNumeric, Typmod: int32(t.Precision()<<16|t.Scale()) + 4}, nil
	}
	return types.Type{}, sqlerr.Unsupported("Iceberg column \"%s\" has type %s, which is not supported yet", f.Name, f.Type)
}
