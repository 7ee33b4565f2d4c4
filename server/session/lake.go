package session

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sluicedb/sluice/catalog"
	"github.com/sluicedb/sluice/connectors"
	"github.com/sluicedb/sluice/connectors/lake"
	"github.com/sluicedb/sluice/planner"
	"github.com/sluicedb/sluice/planner/bind"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// Durable objects (schemas, lake tables, views) live in the catalog store.
// A statement reads one catalog state (taken when it is bound). Changes go
// through catalogChange as operations on a state: outside a transaction
// block an operation commits at once; inside one it is applied to the
// session's private copy (so later statements of the block see it) and
// replayed on the store's current state at COMMIT, in one atomic update.
// ROLLBACK forgets the copy; data files the block wrote are then
// unreferenced and VACUUM removes them.

// catOp changes a catalog state.
type catOp func(*catalog.State) error

// catTx is a transaction block's pending catalog changes.
type catTx struct {
	base  *catalog.State // the store's state when the first change was made
	local *catalog.State
	ops   []catOp
	done  []func() // release written files' pins once committed or abandoned
	// touched are the managed tables the block wrote (published at COMMIT).
	touched []uint32
	// after runs once the block's changes are committed (removing the
	// files of dropped tables).
	after []func()
	// rewrites are the tables the block rewrote (DELETE, UPDATE, TRUNCATE):
	// if another transaction committed to one of them meanwhile, COMMIT
	// fails with 40001 instead of replaying over that commit.
	rewrites []uint32
}

// catState is the catalog state this session's statements see.
func (s *Session) catState() *catalog.State {
	if s.catTx != nil {
		return s.catTx.local
	}
	return s.m.Catalog.Snapshot()
}

// catalogChange applies op now or, in a transaction block (or a
// multi-statement simple query, which PostgreSQL runs as one implicit
// transaction), at its end.
func (s *Session) catalogChange(op catOp) error {
	if !s.deferCatalog() {
		_, err := s.m.Catalog.Update(op)
		return err
	}
	if s.catTx == nil {
		base := s.m.Catalog.Snapshot()
		s.catTx = &catTx{base: base, local: base}
	}
	next := s.catTx.local.Clone()
	if err := op(next); err != nil {
		return err
	}
	next.Version++
	s.catTx.local = next
	s.catTx.ops = append(s.catTx.ops, op)
	return nil
}

// commitCatalog replays a transaction block's changes on the current state.
func (s *Session) commitCatalog() error {
	ct := s.catTx
	if ct == nil {
		return nil
	}
	s.catTx = nil
	defer releaseAll(ct.done)
	var err error
	defer func() {
		if err == nil {
			releaseAll(ct.after)
		}
	}()
	defer func() { s.publish(append(ct.touched, ct.rewrites...)...) }()
	_, err = s.m.Catalog.Update(func(st *catalog.State) error {
		if st.Version == ct.base.Version {
			// Nothing committed meanwhile: the private copy is the result
			// (its operations already wrote their metadata files).
			*st = *ct.local.Clone()
			st.Version = ct.base.Version
			return nil
		}
		for _, id := range ct.rewrites {
			now, then := st.ByID(id), ct.base.ByID(id)
			if now == nil || then == nil || now.Version != then.Version || now.Metadata != then.Metadata {
				return sqlerr.New(sqlerr.SerializationFailure, "could not serialize access due to concurrent update")
			}
		}
		s.replaying = true
		defer func() { s.replaying = false }()
		for _, op := range ct.ops {
			if err := op(st); err != nil {
				return err
			}
		}
		return nil
	})
	return err
}

// afterCommit runs fn once the current change is committed: now outside
// a transaction block, at COMMIT inside one (never if it rolls back).
func (s *Session) afterCommit(fn func()) {
	if s.deferCatalog() && s.catTx != nil {
		s.catTx.after = append(s.catTx.after, fn)
		return
	}
	fn()
}

// abandonCatalog forgets a transaction block's changes.
func (s *Session) abandonCatalog() {
	if s.catTx != nil {
		releaseAll(s.catTx.done)
		s.catTx = nil
	}
}

// rollbackCatalogTo undoes catalog changes after the first n (ROLLBACK TO).
func (s *Session) rollbackCatalogTo(n int) error {
	if s.catTx == nil || n >= len(s.catTx.ops) {
		return nil
	}
	ops := s.catTx.ops[:n]
	st := s.m.Catalog.Snapshot()
	for _, op := range ops {
		next := st.Clone()
		if err := op(next); err != nil {
			return err
		}
		next.Version++
		st = next
	}
	s.catTx.local, s.catTx.ops = st, ops
	return nil
}

// deferCatalog reports whether catalog changes wait for the transaction's end.
func (s *Session) deferCatalog() bool {
	return s.tx == txExplicit || (s.tx == txImplicit && s.batch)
}

func (s *Session) catOps() int {
	if s.catTx == nil {
		return 0
	}
	return len(s.catTx.ops)
}

func releaseAll(fs []func()) {
	for _, f := range fs {
		f()
	}
}

// searchPath lists the schemas unqualified names are looked up in.
func (s *Session) searchPath() []string {
	v, _ := s.set.get("search_path")
	var out []string
	for _, p := range strings.Split(v, ",") {
		p = strings.TrimSpace(p)
		if strings.HasPrefix(p, `"`) && strings.HasSuffix(p, `"`) && len(p) >= 2 {
			p = strings.ReplaceAll(p[1:len(p)-1], `""`, `"`)
		}
		if p == "$user" {
			p = s.user
		}
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// creationSchema is where an unqualified CREATE puts an object: the first
// existing schema of the search path (3F000 when there is none).
func (s *Session) creationSchema(st *catalog.State, schema string) (string, error) {
	if schema != "" {
		if schema == "pg_temp" {
			return "", sqlerr.Unsupported("only tables can be temporary")
		}
		if st.Schemas[schema] == nil {
			return "", sqlerr.New(sqlerr.InvalidSchemaName, "schema \"%s\" does not exist", schema)
		}
		return schema, nil
	}
	for _, p := range s.searchPath() {
		if st.Schemas[p] != nil {
			return p, nil
		}
	}
	return "", sqlerr.New(sqlerr.InvalidSchemaName, "no schema has been selected to create in")
}

// lookupRel finds a durable relation by (optional) schema and name.
func (s *Session) lookupRel(st *catalog.State, schema, name string) *catalog.Relation {
	if schema != "" {
		return st.Lookup(schema, name)
	}
	for _, p := range s.searchPath() {
		if r := st.Lookup(p, name); r != nil {
			return r
		}
	}
	return nil
}

func relName(tn *ast.TableName) string {
	if tn.Schema != "" {
		return tn.Schema + "." + tn.Name
	}
	return tn.Name
}

func plannerCols(cs []catalog.Column) []plan.Column {
	out := make([]plan.Column, len(cs))
	for i, c := range cs {
		out[i] = plan.Column{Name: c.Name, Type: types.Type{OID: c.TypeOID, Typmod: c.Typmod}, NotNull: c.NotNull, Default: c.Default}
	}
	return out
}

func connCols(cs []catalog.Column) []connectors.Column {
	out := make([]connectors.Column, len(cs))
	for i, c := range cs {
		out[i] = connectors.Column{Name: c.Name, Type: types.Type{OID: c.TypeOID, Typmod: c.Typmod}, NotNull: c.NotNull}
	}
	return out
}

func lakeCols(cs []catalog.Column) []lake.Column {
	cc := connCols(cs)
	out := make([]lake.Column, len(cs))
	for i, c := range cs {
		out[i] = lake.Column{Column: cc[i], Physical: c.Physical}
	}
	return out
}

func catalogCols(cs []plan.Column) []catalog.Column {
	out := make([]catalog.Column, len(cs))
	for i, c := range cs {
		out[i] = catalog.Column{Name: c.Name, TypeOID: c.Type.OID, Typmod: c.Type.Typmod, NotNull: c.NotNull, Default: c.Default}
	}
	return out
}

// tableDir is a managed table's directory.
func (s *Session) tableDir(r *catalog.Relation) string {
	return filepath.Join(s.m.Warehouse, r.Dir)
}

func (s *Session) needWarehouse() error {
	if s.m.Warehouse == "" {
		return sqlerr.New(sqlerr.ObjectNotInPrerequisiteState, "this server has no warehouse directory for managed tables")
	}
	return nil
}

// commitOp is the catalog operation that makes written files part of the
// table with the given ID (appended, or replacing its rows).
func (s *Session) commitOp(id uint32, files []*lake.DataFile, replace bool, op string, base *string) catOp {
	return func(st *catalog.State) error {
		r := st.ByID(id)
		if r == nil || r.Kind != catalog.Managed {
			return sqlerr.New(sqlerr.SerializationFailure, "could not serialize access: the table was dropped concurrently")
		}
		if base != nil && !s.replaying && r.Metadata != *base {
			return sqlerr.New(sqlerr.SerializationFailure, "could not serialize access due to concurrent update").
				WithDetail("Table \"%s\" was changed by another transaction while it was being rewritten.", r.Name)
		}
		dir := s.tableDir(r)
		base, err := lake.LoadSnapshot(dir, r.Metadata)
		if err != nil {
			return err
		}
		meta, _, err := lake.Commit(dir, r.Metadata, base, files, replace, op)
		if err != nil {
			return err
		}
		r.Metadata = meta
		r.Version++
		return nil
	}
}

// finishSink closes a sink and commits its files to table id.
func (s *Session) finishSink(k *rowSink, id uint32, replace bool, op string) error {
	files, err := k.close()
	if err != nil {
		k.abort()
		return err
	}
	if err := s.catalogChange(s.commitOp(id, files, replace, op, k.base)); err != nil {
		k.done()
		return err
	}
	if k.base != nil && s.catTx != nil && s.deferCatalog() {
		s.catTx.rewrites = append(s.catTx.rewrites, id)
	}
	if s.catTx != nil && s.deferCatalog() {
		s.catTx.done = append(s.catTx.done, k.done)
		s.catTx.touched = append(s.catTx.touched, id)
	} else {
		k.done()
		s.publish(id)
	}
	return nil
}

// managedTarget resolves a write target among durable relations.
func (s *Session) managedTarget(tn *ast.TableName, what string) (*catalog.Relation, error) {
	r := s.lookupRel(s.catState(), tn.Schema, tn.Name)
	if r == nil {
		return nil, sqlerr.New(sqlerr.UndefinedTable, "relation \"%s\" does not exist", relName(tn))
	}
	if err := writeTarget(r, what); err != nil {
		return nil, err
	}
	return r, s.needWarehouse()
}

// insertLake runs a bound INSERT into a managed table.
func (s *Session) insertLake(ctx context.Context, p *portal, t *plan.SourceTable) (int64, [][]types.Datum, error) {
	r, err := s.managedTarget(&ast.TableName{Schema: t.Schema, Name: t.Name}, "insert into")
	if err != nil {
		return 0, nil, err
	}
	if err := s.checkWritable(); err != nil {
		return 0, nil, err
	}
	k, err := s.sinkFor(r)
	if err != nil {
		return 0, nil, err
	}
	var written [][]types.Datum // kept for RETURNING only
	write := k.write
	if p.prep.ret != nil {
		write = func(rows [][]types.Datum) error {
			written = append(written, rows...)
			return k.write(rows)
		}
	}
	if err := p.prep.ins.Each(ctx, s.env(), p.params, write); err != nil {
		k.abort()
		return 0, nil, err
	}
	if err := s.finishSink(k, r.ID, false, "append"); err != nil {
		return 0, nil, err
	}
	return k.n, written, nil
}

// createDurableTable runs CREATE TABLE (managed or external) and CREATE
// TABLE AS.
func (s *Session) createDurableTable(ctx context.Context, x *ast.CreateTable, tag string) (string, error) {
	st := s.catState()
	schema, err := s.creationSchema(st, x.Table.Schema)
	if err != nil {
		return "", err
	}
	if st.Lookup(schema, x.Table.Name) != nil {
		if x.IfNotExists {
			s.notices = append(s.notices, sqlerr.Notice{Severity: sqlerr.SeverityNotice, Code: sqlerr.DuplicateTable,
				Message: fmt.Sprintf("relation \"%s\" already exists, skipping", x.Table.Name)})
			if x.AsQuery != nil {
				return "CREATE TABLE AS", nil
			}
			return tag, nil
		}
		return "", sqlerr.New(sqlerr.DuplicateTable, "relation \"%s\" already exists", x.Table.Name)
	}
	rel := &catalog.Relation{Schema: schema, Name: x.Table.Name, Owner: s.user, Created: time.Now().UTC()}
	var cols []plan.Column
	for _, c := range x.Columns {
		if c.Type == nil {
			continue
		}
		col, err := columnOf(c)
		if err != nil {
			return "", err
		}
		cols = append(cols, col)
	}
	if err := checkDupColumns(cols); err != nil {
		return "", err
	}
	return createKind(x).create(ctx, s, rel, cols, x, tag)
}

// createManaged creates a managed table (CREATE TABLE without a location,
// CREATE TABLE AS).
func (s *Session) createManaged(ctx context.Context, rel *catalog.Relation, cols []plan.Column, x *ast.CreateTable, tag string) (string, error) {
	for k, v := range x.Options {
		if k != "partitioned_by" {
			return "", sqlerr.New(sqlerr.InvalidParameterValue, "unrecognized parameter \"%s\"", k)
		}
		rel.PartitionedBy = v
	}
	if err := s.needWarehouse(); err != nil {
		return "", err
	}
	rel.Kind = catalog.Managed
	create := func(rows int64, k *rowSink) (string, error) {
		var files []*lake.DataFile
		if k != nil {
			var err error
			if files, err = k.close(); err != nil {
				k.abort()
				return "", err
			}
		}
		err := s.catalogChange(func(st *catalog.State) error {
			if st.Schemas[rel.Schema] == nil {
				return sqlerr.New(sqlerr.InvalidSchemaName, "schema \"%s\" does not exist", rel.Schema)
			}
			if st.Lookup(rel.Schema, rel.Name) != nil {
				return sqlerr.New(sqlerr.DuplicateTable, "relation \"%s\" already exists", rel.Name)
			}
			r := *rel
			if r.ID == 0 {
				r.ID = st.NewID()
			}
			st.Relations[catalog.Key(r.Schema, r.Name)] = &r
			if len(files) > 0 {
				return s.commitOp(r.ID, files, false, "create", nil)(st)
			}
			return nil
		})
		if k != nil {
			if err != nil {
				k.done()
			} else if s.deferCatalog() && s.catTx != nil {
				s.catTx.done = append(s.catTx.done, k.done)
				s.catTx.touched = append(s.catTx.touched, rel.ID)
			} else {
				k.done()
				s.publish(rel.ID)
			}
		}
		if err != nil {
			return "", err
		}
		if x.AsQuery != nil {
			return fmt.Sprintf("SELECT %d", rows), nil
		}
		return tag, nil
	}
	// Reserve the ID up front: the directory is named after it.
	id, err := s.reserveID()
	if err != nil {
		return "", err
	}
	rel.ID = id
	rel.Dir = filepath.Join(rel.Schema, fmt.Sprintf("%s_%d", x.Table.Name, id))
	if x.AsQuery == nil {
		if len(cols) == 0 {
			return "", sqlerr.Unsupported("tables without columns are not supported")
		}
		rel.Columns = catalogCols(cols)
		if _, err := partitioning(rel.Columns, rel.PartitionedBy); err != nil {
			return "", err
		}
		return create(0, nil)
	}
	plan, out, err := s.bindCreateAs(x)
	if err != nil {
		return "", err
	}
	rel.Columns = catalogCols(out)
	k, err := s.sinkFor(rel)
	if err != nil {
		return "", err
	}
	if err := planner.EachRow(ctx, plan, s.env(), nil, k.write); err != nil {
		k.abort()
		return "", err
	}
	return create(k.n, k)
}

// reserveID takes an object ID from the store (IDs are never reused).
func (s *Session) reserveID() (uint32, error) {
	var id uint32
	_, err := s.m.Catalog.Update(func(st *catalog.State) error {
		id = st.NewID()
		return nil
	})
	return id, err
}

func checkDupColumns(cols []plan.Column) error {
	seen := map[string]bool{}
	for _, c := range cols {
		if seen[c.Name] {
			return sqlerr.New(sqlerr.DuplicateColumn, "column \"%s\" specified more than once", c.Name)
		}
		seen[c.Name] = true
	}
	return nil
}

// createExternal registers Parquet files as a table.
func (s *Session) createExternal(rel *catalog.Relation, cols []plan.Column, x *ast.CreateTable, loc, tag string) (string, error) {
	if x.AsQuery != nil {
		return "", sqlerr.Unsupported("CREATE TABLE AS with a location is not supported").
			WithHint("Create a managed table (no location) from the query instead.")
	}
	if !s.super {
		return "", sqlerr.New(sqlerr.InsufficientPrivilege, "permission denied to create a table over files").
			WithHint("Only superusers may read arbitrary locations.")
	}
	rel.Options = map[string]string{}
	for k, v := range x.Options {
		switch k {
		case "location", "partitioned_by":
		case "s3_endpoint", "s3_region", "s3_access_key_id", "s3_secret_access_key", "s3_session_token", "s3_url_style":
			rel.Options[k] = v
		case "format":
			if f := strings.ToLower(v); f != "parquet" && f != "iceberg" {
				return "", sqlerr.Unsupported("format \"%s\" is not supported; use 'parquet' or 'iceberg'", v)
			}
		default:
			return "", sqlerr.New(sqlerr.InvalidParameterValue, "unrecognized parameter \"%s\"", k)
		}
	}
	if !strings.HasPrefix(loc, "s3://") {
		if _, err := lake.LocalPath(loc); err != nil {
			return "", err
		}
	}
	s3 := lake.S3OptionsFrom(rel.Options)
	lake.ForgetListing(loc, s3)
	rel.Kind, rel.Location, rel.Format = catalog.External, loc, "parquet"
	if strings.EqualFold(x.Options["format"], "iceberg") {
		rel.Format = "iceberg"
		if strings.HasPrefix(loc, "s3://") {
			return "", sqlerr.Unsupported("Iceberg tables on S3 are not supported yet")
		}
		inferred, err := lake.InferIceberg(context.Background(), loc)
		if err != nil {
			return "", err
		}
		byName := map[string]connectors.Column{}
		for _, c := range inferred {
			byName[c.Name] = c
		}
		if len(cols) == 0 {
			cols = plannerCols(catalogColsOf(inferred))
		}
		for _, c := range cols {
			f, ok := byName[c.Name]
			if !ok {
				return "", sqlerr.New(sqlerr.UndefinedColumn, "column \"%s\" does not exist in the Iceberg table at \"%s\"", c.Name, loc)
			}
			if f.Type.OID != c.Type.OID && !(f.Type.IsInteger() && c.Type.IsInteger()) {
				return "", sqlerr.New(sqlerr.DatatypeMismatch, "column \"%s\" is declared %s but the Iceberg table holds %s", c.Name, c.Type, f.Type)
			}
		}
		rel.Columns = catalogCols(cols)
		return s.registerExternal(rel, tag)
	}
	if len(cols) == 0 {
		inferred, parts, err := lake.InferColumns(loc, s3)
		if err != nil {
			return "", err
		}
		rel.Columns = catalogColsOf(inferred)
		rel.PartCols = parts
	} else {
		// Declared partition columns (partitioned_by) go last, in order.
		var parts []string
		if pb := x.Options["partitioned_by"]; pb != "" {
			for _, p := range strings.Split(pb, ",") {
				parts = append(parts, strings.TrimSpace(p))
			}
		}
		var fileCols, partCols []plan.Column
		for _, c := range cols {
			isPart := false
			for _, p := range parts {
				isPart = isPart || p == c.Name
			}
			if !isPart {
				fileCols = append(fileCols, c)
			}
		}
		for _, p := range parts {
			found := false
			for _, c := range cols {
				if c.Name == p {
					partCols, found = append(partCols, c), true
				}
			}
			if !found {
				return "", sqlerr.New(sqlerr.UndefinedColumn, "partition column \"%s\" is not among the table's columns", p)
			}
		}
		all := append(fileCols, partCols...)
		if err := lake.CheckColumns(loc, s3, connCols(catalogCols(all)), len(partCols)); err != nil {
			return "", err
		}
		rel.Columns, rel.PartCols = catalogCols(all), len(partCols)
	}
	return s.registerExternal(rel, tag)
}

// registerExternal adds an external table to the catalog.
func (s *Session) registerExternal(rel *catalog.Relation, tag string) (string, error) {
	err := s.catalogChange(func(st *catalog.State) error {
		if st.Lookup(rel.Schema, rel.Name) != nil {
			return sqlerr.New(sqlerr.DuplicateTable, "relation \"%s\" already exists", rel.Name)
		}
		r := *rel
		r.ID = st.NewID()
		st.Relations[catalog.Key(r.Schema, r.Name)] = &r
		return nil
	})
	return tag, err
}

func catalogColsOf(cs []connectors.Column) []catalog.Column {
	out := make([]catalog.Column, len(cs))
	for i, c := range cs {
		out[i] = catalog.Column{Name: c.Name, TypeOID: c.Type.OID, Typmod: c.Type.Typmod}
	}
	return out
}

// removeTableFiles deletes a dropped managed table's directory, keeping
// any file a running scan still reads (VACUUM of the warehouse finds it).
func removeTableFiles(dir string) {
	lake.RemoveUnpinned(dir)
	_ = os.Remove(lake.DataDir(dir))
	_ = os.Remove(filepath.Join(dir, "metadata"))
	_ = os.Remove(dir)
}

// bindCreateAs binds CREATE TABLE … AS's query and names its columns (the
// optional column list renames the first ones; untyped literals are text).
func (s *Session) bindCreateAs(x *ast.CreateTable) (*planner.Plan, []plan.Column, error) {
	sel, ok := x.AsQuery.(*ast.Select)
	if !ok {
		return nil, nil, sqlerr.Unsupported("CREATE TABLE AS with this statement is not supported")
	}
	pl, err := bind.BindQuery(sel, nil, s.tables())
	if err != nil {
		return nil, nil, err
	}
	if pl.Err != nil {
		return nil, nil, pl.Err
	}
	out := append([]plan.Column(nil), pl.Columns...)
	if len(x.Columns) > len(out) {
		return nil, nil, sqlerr.New(sqlerr.SyntaxError, "too many column names were specified")
	}
	for i := range out {
		if i < len(x.Columns) {
			out[i].Name = x.Columns[i].Name
		}
		if out[i].Type.OID == types.OIDUnknown {
			out[i].Type = types.Text
		}
	}
	return pl, out, checkDupColumns(out)
}

// physicalNames are the names a managed table's columns have in its files.
func physicalNames(r *catalog.Relation) []string {
	out := make([]string, len(r.Columns))
	for i, c := range r.Columns {
		out[i] = c.Physical
	}
	return out
}

// publish brings the Iceberg metadata of managed tables up to date with
// their committed snapshots. It runs after the commit; a failure is logged
// (the next publish reconciles), never reported as the statement's error.
func (s *Session) publish(ids ...uint32) {
	if s.m.Warehouse == "" {
		return
	}
	st := s.m.Catalog.Snapshot()
	for _, id := range ids {
		r := st.ByID(id)
		if r == nil || r.Kind != catalog.Managed {
			continue
		}
		dir := s.tableDir(r)
		snap, err := lake.LoadSnapshot(dir, r.Metadata)
		if err == nil {
			t := snap.Table(dir, lakeCols(r.Columns))
			err = lake.PublishIceberg(context.Background(), s.m.Warehouse, r.Schema, filepath.Base(r.Dir), lakeCols(r.Columns), t.Files())
		}
		if err != nil {
			s.m.Logger.Warn("iceberg publish failed", "table", r.Schema+"."+r.Name, "err", err)
		}
	}
}
