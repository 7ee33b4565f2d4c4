package lake

import (
	"context"
	"errors"
	"path/filepath"
	"sync"

	"github.com/apache/iceberg-go"
	"github.com/apache/iceberg-go/catalog"
	"github.com/apache/iceberg-go/catalog/hadoop"
	"github.com/apache/iceberg-go/table"

	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// Publishing managed tables as Iceberg: after a commit, the table's
// directory also holds Iceberg metadata (the hadoop layout:
// metadata/vN.metadata.json, version-hint.text, Avro manifests) whose
// current snapshot lists exactly the data files of sluice's current
// snapshot, so Spark, Trino, DuckDB (iceberg_scan) or iceberg-go can read
// the table. sluice's own snapshot stays the commit point: the Iceberg
// metadata follows it, and each publish reconciles the whole file set, so
// a publish lost to a crash is made good by the next one (or by VACUUM).

var hadoopCatalogs sync.Map // warehouse → *hadoop.Catalog

func hadoopCatalog(warehouse string) (*hadoop.Catalog, error) {
	if c, ok := hadoopCatalogs.Load(warehouse); ok {
		return c.(*hadoop.Catalog), nil
	}
	c, err := hadoop.NewCatalog("sluice", "file://"+warehouse, nil)
	if err != nil {
		return nil, err
	}
	hadoopCatalogs.Store(warehouse, c)
	return c, nil
}

// publishMu serialises publishes (the hadoop layout's version-hint is
// not safe for concurrent committers).
var publishMu sync.Mutex

// PublishIceberg brings the Iceberg metadata of the managed table in
// warehouse/schema/dirName up to date with files. Columns of types Iceberg
// cannot describe (arrays) leave the table unpublished (an error says so).
func PublishIceberg(ctx context.Context, warehouse, schema, dirName string, cols []Column, files []*DataFile) error {
	sch, err := icebergSchema(cols)
	if err != nil {
		return err
	}
	cat, err := hadoopCatalog(warehouse)
	if err != nil {
		return err
	}
	publishMu.Lock()
	defer publishMu.Unlock()
	ident := table.Identifier{schema, dirName}
	if err := cat.CreateNamespace(ctx, table.Identifier{schema}, nil); err != nil && !errors.Is(err, catalog.ErrNamespaceAlreadyExists) {
		return err
	}
	tbl, err := cat.LoadTable(ctx, ident)
	if errors.Is(err, catalog.ErrNoSuchTable) {
		tbl, err = cat.CreateTable(ctx, ident, sch)
	}
	if err != nil {
		return err
	}
	if !tbl.Schema().Equals(sch) {
		return sqlerr.Unsupported("the Iceberg schema of %s.%s differs from the table's columns; publishing after ALTER TABLE is not supported yet", schema, dirName)
	}
	have := map[string]bool{}
	if tbl.CurrentSnapshot() != nil {
		tasks, err := tbl.Scan().PlanFiles(ctx)
		if err != nil {
			return err
		}
		for _, t := range tasks {
			have[t.File.FilePath()] = true
		}
	}
	want := map[string]bool{}
	var add, del []string
	for _, f := range files {
		p := "file://" + filepath.ToSlash(f.Path)
		want[p] = true
		if !have[p] {
			add = append(add, p)
		}
	}
	for p := range have {
		if !want[p] {
			del = append(del, p)
		}
	}
	if len(add) == 0 && len(del) == 0 {
		return nil
	}
	tx := tbl.NewTransaction()
	if len(del) == 0 {
		err = tx.AddFiles(ctx, add, iceberg.Properties{"sluice.operation": "append"}, false)
	} else {
		err = tx.ReplaceDataFiles(ctx, del, add, iceberg.Properties{"sluice.operation": "replace"})
	}
	if err != nil {
		return err
	}
	_, err = tx.Commit(ctx)
	return err
}

// icebergSchema describes a managed table's columns as Iceberg sees its
// files: text-stored types (numeric, interval, json) are strings.
func icebergSchema(cols []Column) (*iceberg.Schema, error) {
	fields := make([]iceberg.NestedField, len(cols))
	for i, c := range cols {
		var t iceberg.Type
		switch c.Type.OID {
		case types.OIDBool:
			t = iceberg.PrimitiveTypes.Bool
		case types.OIDInt2, types.OIDInt4:
			t = iceberg.PrimitiveTypes.Int32
		case types.OIDInt8:
			t = iceberg.PrimitiveTypes.Int64
		case types.OIDFloat4:
			t = iceberg.PrimitiveTypes.Float32
		case types.OIDFloat8:
			t = iceberg.PrimitiveTypes.Float64
		case types.OIDDate:
			t = iceberg.PrimitiveTypes.Date
		case types.OIDTimestamp:
			t = iceberg.PrimitiveTypes.Timestamp
		case types.OIDTimestamptz:
			t = iceberg.PrimitiveTypes.TimestampTz
		case types.OIDBytea:
			t = iceberg.PrimitiveTypes.Binary
		case types.OIDUUID:
			t = iceberg.PrimitiveTypes.UUID
		default:
			if _, isArray := types.ElemOf(c.Type); isArray {
				return nil, sqlerr.Unsupported("array column \"%s\" cannot be published to Iceberg yet", c.Name)
			}
			t = iceberg.PrimitiveTypes.String
		}
		name := c.Physical
		if name == "" {
			name = c.Name
		}
		fields[i] = iceberg.NestedField{ID: i + 1, Name: name, Type: t}
	}
	return iceberg.NewSchema(0, fields...), nil
}
