package lake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sluicedb/sluice/connectors"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// hiveNull is the folder value Hive and Spark write for a NULL partition.
const hiveNull = "__HIVE_DEFAULT_PARTITION__"

// listing is the files found under a location, with their hive keys.
type listing struct {
	fs    objectFS
	files []listedFile
	keys  []string // partition keys in folder order
	at    time.Time
}

type listedFile struct {
	objInfo
	vals []*string // one per key; nil is NULL
}

// listings caches each location's listing briefly, so that files added to
// a location show up within listTTL without listing on every statement.
var listings = struct {
	sync.Mutex
	m map[listKey]*listing
}{m: map[listKey]*listing{}}

// listKey includes the access options: a listing (and its client) is
// never shared between tables with different credentials.
type listKey struct {
	location string
	opts     S3Options
}

const listTTL = 2 * time.Second

// ForgetListing drops a location's cached listing (a new table over it).
func ForgetListing(location string, opts S3Options) {
	listings.Lock()
	delete(listings.m, listKey{location, opts})
	listings.Unlock()
}

func list(location string, opts S3Options) (*listing, error) {
	key := listKey{location, opts}
	listings.Lock()
	l := listings.m[key]
	listings.Unlock()
	if l != nil && time.Since(l.at) < listTTL {
		return l, nil
	}
	fsys, root, err := fsFor(location, opts)
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	var objs []objInfo
	base := root
	if strings.ContainsAny(root, "*?[") {
		base = globBase(root)
		all, err := fsys.list(ctx, base)
		if err != nil {
			return nil, err
		}
		for _, o := range all {
			if ok, err := path.Match(root, o.path); err != nil {
				return nil, sqlerr.New(sqlerr.InvalidParameterValue, "invalid location pattern \"%s\": %v", location, err)
			} else if ok {
				objs = append(objs, o)
			}
		}
	} else {
		if objs, err = fsys.list(ctx, root); err != nil {
			return nil, err
		}
		if len(objs) == 1 && objs[0].path == strings.TrimSuffix(root, "/") {
			base = dirOf(root) // a single file
		}
	}
	l = &listing{fs: fsys, at: time.Now()}
	first := true
	for _, o := range objs {
		if !strings.HasSuffix(o.path, ".parquet") && len(objs) > 1 {
			continue
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(dirOf(o.path), strings.TrimSuffix(base, "/")), "/")
		var keys []string
		var vals []*string
		if rel != "" && rel != "." {
			for _, part := range strings.Split(rel, "/") {
				k, v, ok := strings.Cut(part, "=")
				if !ok {
					continue
				}
				keys = append(keys, k)
				if v == hiveNull {
					vals = append(vals, nil)
				} else {
					v := v
					vals = append(vals, &v)
				}
			}
		}
		if first {
			l.keys, first = keys, false
		} else if strings.Join(keys, "/") != strings.Join(l.keys, "/") {
			return nil, sqlerr.New(sqlerr.InvalidParameterValue,
				"files under \"%s\" have different partition folders (%s and %s)", location,
				strings.Join(l.keys, "/"), strings.Join(keys, "/"))
		}
		l.files = append(l.files, listedFile{objInfo: o, vals: vals})
	}
	listings.Lock()
	listings.m[key] = l
	listings.Unlock()
	return l, nil
}

// globBase is the directory part of a pattern before its first wildcard.
func globBase(pattern string) string {
	i := strings.IndexAny(pattern, "*?[")
	return dirOf(pattern[:i] + "x")
}

// InferColumns reads a location's schema: the first file's columns, then
// one column per hive partition key (bigint when every value is an
// integer, else text).
func InferColumns(location string, opts S3Options) ([]connectors.Column, int, error) {
	l, err := list(location, opts)
	if err != nil {
		return nil, 0, err
	}
	if len(l.files) == 0 {
		return nil, 0, sqlerr.New(sqlerr.UndefinedFile, "no Parquet files found at \"%s\"", location).
			WithHint("Give the column list explicitly to create a table over an empty location.")
	}
	ft, err := readFooter(l.files[0].dataFile(l.fs, 0))
	if err != nil {
		return nil, 0, err
	}
	var cols []connectors.Column
	for _, f := range ft.schema.Fields() {
		t, err := pgTypeOf(f)
		if err != nil {
			return nil, 0, err
		}
		cols = append(cols, connectors.Column{Name: f.Name, Type: t})
	}
	for k, key := range l.keys {
		t := types.Int8
		for _, f := range l.files {
			if v := f.vals[k]; v != nil {
				if _, err := strconv.ParseInt(*v, 10, 64); err != nil {
					t = types.Text
					break
				}
			}
		}
		cols = append(cols, connectors.Column{Name: key, Type: t})
	}
	return cols, len(l.keys), nil
}

// OpenExternal lists a location and returns a table over its files with
// the given columns (the last partCols of which are hive partition keys).
func OpenExternal(location string, opts S3Options, cols []connectors.Column, partCols int) (*Table, error) {
	l, err := list(location, opts)
	if err != nil {
		return nil, err
	}
	if len(l.files) > 0 && partCols != len(l.keys) {
		return nil, sqlerr.New(sqlerr.InvalidParameterValue, "table at \"%s\" declares %d partition columns but its folders have %d", location, partCols, len(l.keys))
	}
	h := sha256.New()
	files := make([]*DataFile, len(l.files))
	lcols := make([]Column, len(cols))
	for i, c := range cols {
		lcols[i] = Column{Column: c}
	}
	fileCols := len(cols) - partCols
	for i, f := range l.files {
		fmt.Fprintf(h, "%s\x00%d\x00%d\n", f.path, f.size, f.mtime)
		df := f.dataFile(l.fs, partCols)
		for k := 0; k < partCols; k++ {
			if v := f.vals[k]; v != nil {
				d, err := types.ParseText(cols[fileCols+k].Type, *v, &types.Format{})
				if err != nil {
					return nil, sqlerr.New(sqlerr.InvalidTextRepresentation, "partition folder %s=%s of \"%s\": %v", cols[fileCols+k].Name, *v, f.path, sqlerr.From(err).Message)
				}
				df.Part[k] = d
			}
		}
		files[i] = df
	}
	return NewTable(lcols, partCols, files, hex.EncodeToString(h.Sum(nil))[:16]), nil
}

// CheckColumns verifies declared columns against a location's files: every
// file column must exist in the first file with a compatible type.
func CheckColumns(location string, opts S3Options, declared []connectors.Column, partCols int) error {
	inferred, ip, err := InferColumns(location, opts)
	if err != nil {
		if sqlerr.From(err).Code == sqlerr.UndefinedFile {
			return nil // empty location: the declared columns stand
		}
		return err
	}
	if ip != partCols {
		return sqlerr.New(sqlerr.InvalidTableDefinition, "the files at \"%s\" have %d partition folder levels, but %d partition columns were declared", location, ip, partCols)
	}
	byName := map[string]connectors.Column{}
	for _, c := range inferred[:len(inferred)-ip] {
		byName[c.Name] = c
	}
	for _, c := range declared[:len(declared)-partCols] {
		f, ok := byName[c.Name]
		if !ok {
			return sqlerr.New(sqlerr.UndefinedColumn, "column \"%s\" does not exist in the files at \"%s\"", c.Name, location)
		}
		if family(f.Type) != family(c.Type) {
			return sqlerr.New(sqlerr.DatatypeMismatch, "column \"%s\" is declared %s but the files hold %s", c.Name, c.Type, f.Type)
		}
	}
	return nil
}

// family groups types whose Datums share a Go representation.
func family(t types.Type) string {
	if t.IsInteger() {
		return "int"
	}
	switch t.OID {
	case types.OIDFloat4, types.OIDFloat8:
		return "float"
	case types.OIDText, types.OIDVarchar, types.OIDBpchar:
		return "text"
	case types.OIDTimestamp, types.OIDTimestamptz:
		return "timestamp"
	}
	return strconv.Itoa(int(t.OID))
}

func (f listedFile) dataFile(fsys objectFS, partCols int) *DataFile {
	return &DataFile{Path: f.path, Size: f.size, MTime: f.mtime, Rows: -1, Part: make([]types.Datum, partCols), fs: fsys}
}
