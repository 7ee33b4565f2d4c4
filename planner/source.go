package planner

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/sluicedb/sluice/connectors"
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

// Relation is what a table name resolves to: a session's in-memory table
// (*MemTable), a table served by a connectors.Provider (*SourceTable) or a
// view (*ViewDef).
type Relation interface {
	Columns() []Column
	// Ident is the relation's schema and name.
	Ident() (schema, name string)
}

// Columns implements Relation.
func (t *MemTable) Columns() []Column { return t.Cols }

// Ident implements Relation.
func (t *MemTable) Ident() (string, string) { return t.Schema, t.Name }

// SourceTable is a table whose rows come from a provider (a lake table, a
// stream, a remote table).
type SourceTable struct {
	Schema   string
	Name     string
	OID      types.OID
	Cols     []Column
	Provider connectors.Provider
	// Current, when set, returns a provider of the table's data as it is
	// now; each execution calls it once (see Pin) and reads only what it
	// returned. Nil when Provider's data can only change through a catalog
	// commit, which re-binds the plans that read it.
	Current func(ctx context.Context) (connectors.Provider, error)
	// Volatile marks data that changes without a new version (system
	// views computed when scanned): never cached.
	Volatile bool
	// DefVersion changes whenever the table's definition does (columns
	// added, dropped or renamed): with Provider.Version() it identifies
	// what a scan returns.
	DefVersion int64
}

// Columns implements Relation.
func (t *SourceTable) Columns() []Column { return t.Cols }

// Ident implements Relation.
func (t *SourceTable) Ident() (string, string) { return t.Schema, t.Name }

// ViewDef is a stored query, bound afresh wherever the view is used. Refs
// are the relations its query named when it was created: those names
// resolve to the same relations (by OID) whatever they are called now.
type ViewDef struct {
	Schema string
	Name   string
	OID    types.OID
	Cols   []Column // the names (and types at creation) of its columns
	Query  *ast.Select
	Refs   []ViewRef
}

// ViewRef is a relation a view's query names, as written, and its OID.
type ViewRef struct {
	Schema, Name string
	OID          types.OID
}

// TablesByOID is implemented by Tables that can resolve a relation by OID
// (nil when it no longer exists), which views need to follow renames.
type TablesByOID interface {
	RelationByOID(oid types.OID) (Relation, error)
}

// ViewTables resolves the names inside a view's query: those it named at
// creation by their OIDs, the rest through base.
type ViewTables struct {
	Base Tables
	Refs []ViewRef
}

func (v ViewTables) Unwrap() Tables { return v.Base }

func (v ViewTables) Relation(schema, name string) (Relation, error) {
	if byOID, ok := v.Base.(TablesByOID); ok {
		for _, r := range v.Refs {
			if r.Schema == schema && r.Name == name {
				rel, err := byOID.RelationByOID(r.OID)
				if err != nil || rel != nil {
					return rel, err
				}
			}
		}
	}
	return v.Base.Relation(schema, name)
}

// RecordingTables remembers the relations (with OIDs) a view's query names.
type RecordingTables struct {
	Base Tables
	Refs *[]ViewRef
}

func (r RecordingTables) Unwrap() Tables { return r.Base }

func (r RecordingTables) Relation(schema, name string) (Relation, error) {
	rel, err := r.Base.Relation(schema, name)
	var oid types.OID
	switch x := rel.(type) {
	case *SourceTable:
		oid = x.OID
	case *ViewDef:
		oid = x.OID
	}
	if oid != 0 {
		if s, _ := rel.Ident(); s != "pg_catalog" && s != "information_schema" && s != "sluice_catalog" {
			*r.Refs = append(*r.Refs, ViewRef{Schema: schema, Name: name, OID: oid})
		}
	}
	return rel, err
}

// Columns implements Relation.
func (v *ViewDef) Columns() []Column { return v.Cols }

// Ident implements Relation.
func (v *ViewDef) Ident() (string, string) { return v.Schema, v.Name }

// SourceScan reads a provider. used marks the columns the query reads (set
// while binding); the others stay NULL in its rows and are never read.
// preds are the pushed-down predicates (the filters above stay unless the
// provider answered Exact, in which case the rule removed them). limit,
// when set (rule scan_limit), is how many rows the query can take from the
// scan (a LIMIT's count plus its offset, evaluated at open): only the
// splits that cover that many rows are read.
type SourceScan struct {
	T      *SourceTable
	Used   []bool
	Preds  []connectors.Predicate
	Limit  expr.Expr
	Offset expr.Expr
}

func (s *SourceScan) columns() []int {
	var out []int
	for i, u := range s.Used {
		if u {
			out = append(out, i)
		}
	}
	return out
}

// rowLimit evaluates the scan's limit: -1 when it reads everything (no
// limit, or a count that is NULL or fails: the limit operator above
// reports the error).
func (s *SourceScan) rowLimit(ec *expr.EvalCtx) int64 {
	if s.Limit == nil {
		return -1
	}
	n, ok1 := evalCount(ec, s.Limit)
	off, ok2 := evalCount(ec, s.Offset)
	if !ok1 || !ok2 || n < 0 || off < 0 {
		return -1
	}
	return n + off
}

// splits pins the scan's provider for this execution and lists the
// splits a request reads; release (never nil) lets go of the files they
// name once the scan is done (VACUUM keeps them until then).
func (s *SourceScan) splits(ec *expr.EvalCtx, req connectors.ScanRequest) (connectors.Provider, []connectors.Split, connectors.PruneStats, func(), error) {
	prov, err := providerOf(ec, s.T)
	if err != nil {
		return nil, nil, connectors.PruneStats{}, nil, err
	}
	release := func() {}
	if p, ok := prov.(interface{ Pin() func() }); ok {
		release = p.Pin()
	}
	splits, ps, err := prov.Splits(ec.Ctx, req)
	if err != nil {
		release()
		return nil, nil, ps, nil, err
	}
	return prov, splits, ps, release, nil
}

func (s *SourceScan) open(ec *expr.EvalCtx) (rowIter, error) {
	limit := s.rowLimit(ec)
	req := connectors.ScanRequest{Columns: s.columns(), Preds: s.Preds, Limit: limit}
	prov, splits, ps, release, err := s.splits(ec, req)
	if err != nil {
		return nil, err
	}
	if limit >= 0 {
		splits = coveringSplits(splits, limit)
	}
	width := len(s.T.Cols)
	read := func(ctx context.Context, sp connectors.Split) ([][]types.Datum, error) {
		return readSplitRows(ctx, prov, sp, req, s.T.Cols, width)
	}
	it := newScanIter(ec, splits, read, scanWorkers(), release)
	if st := ec.Stats[s]; st != nil {
		st.Extra = []string{pruneLine(ps)}
		it.st = st
	}
	return it, nil
}

// coveringSplits keeps the first splits whose rows add up to limit; a
// split of unknown size (Rows() <= 0) may hold them all.
func coveringSplits(splits []connectors.Split, limit int64) []connectors.Split {
	var rows int64
	for i, sp := range splits {
		if rows >= limit {
			return splits[:i]
		}
		n := sp.Rows()
		if n <= 0 {
			return splits
		}
		rows += n
	}
	return splits
}

// scanIter hands out the rows of a provider's splits, in split order,
// while up to window splits are read and converted ahead by goroutines
// (row groups decode in parallel on all cores), so a scan's row order does
// not depend on timing. With ramp, the window starts at one split and
// doubles with every split consumed: a consumer that stops early (LIMIT, an
// EXISTS) reads little, a full scan soon runs on every core. A split's
// rows are charged to the query's memory budget while they wait.
type scanIter struct {
	ec      *expr.EvalCtx
	splits  []connectors.Split
	read    func(ctx context.Context, sp connectors.Split) ([][]types.Datum, error)
	workers int  // the widest window
	ramp    bool // start with a window of one split
	st      *expr.NodeStats
	release func()

	results []chan splitRows // one per split, in order
	next_   int              // the split being consumed
	rows    [][]types.Datum
	held    int64 // bytes of rows charged
	pos     int
	window  int
	credits chan struct{} // one per split that may start
	opened  atomic.Int64  // splits whose reading began
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	started bool
}

func newScanIter(ec *expr.EvalCtx, splits []connectors.Split, read func(context.Context, connectors.Split) ([][]types.Datum, error), workers int, release func()) *scanIter {
	return &scanIter{ec: ec, splits: splits, read: read, workers: max(1, workers), release: release}
}

// splitRows is one split's rows (or the error that stopped it) and the
// bytes charged for them.
type splitRows struct {
	rows  [][]types.Datum
	bytes int64
	err   error
}

// scanWorkers is how many splits are decoded at once: one per core the
// process may use (read at each scan, so GOMAXPROCS changes apply).
func scanWorkers() int { return runtime.GOMAXPROCS(0) }

func (it *scanIter) start() {
	it.started = true
	ctx, cancel := context.WithCancel(it.ec.Ctx)
	it.cancel = cancel
	it.results = make([]chan splitRows, len(it.splits))
	for i := range it.results {
		it.results[i] = make(chan splitRows, 1)
	}
	// A credit per split that may be read ahead of the consumer; the
	// channel holds every credit ever given, so giving never blocks.
	it.credits = make(chan struct{}, len(it.splits)+it.workers)
	it.window = it.workers
	if it.ramp {
		it.window = 1
	}
	for range it.window {
		it.credits <- struct{}{}
	}
	it.wg.Add(1)
	go func() {
		defer it.wg.Done()
		for i, sp := range it.splits {
			select {
			case <-it.credits:
			case <-ctx.Done():
				return
			}
			if ctx.Err() != nil {
				return
			}
			it.opened.Add(1)
			it.wg.Add(1)
			go func(i int, sp connectors.Split) {
				defer it.wg.Done()
				var r splitRows
				r.err = func() (err error) {
					// A panic in a provider or a kernel fails this query
					// (XX000), not the process.
					defer func() {
						if rec := recover(); rec != nil {
							err = recovered(rec)
						}
					}()
					r.rows, err = it.read(ctx, sp)
					return err
				}()
				if r.err == nil {
					for _, row := range r.rows {
						r.bytes += expr.RowBytes(row)
					}
					r.err = it.ec.Mem.Charge(r.bytes)
				}
				it.results[i] <- r
			}(i, sp)
		}
	}()
}

func (it *scanIter) next() ([]types.Datum, error) {
	if !it.started {
		it.start()
	}
	for it.pos >= len(it.rows) {
		it.drop()
		if it.next_ >= len(it.splits) {
			return nil, nil
		}
		var r splitRows
		select {
		case r = <-it.results[it.next_]:
		case <-it.ec.Ctx.Done():
			return nil, it.ec.Ctx.Err()
		}
		it.next_++
		// The received split frees its place; a ramping window grows.
		give := 1
		if it.window < it.workers {
			grow := min(it.window, it.workers-it.window)
			it.window += grow
			give += grow
		}
		for range give {
			it.credits <- struct{}{}
		}
		if r.err != nil {
			_ = it.ec.Mem.Charge(-r.bytes)
			return nil, r.err
		}
		it.rows, it.pos, it.held = r.rows, 0, r.bytes
	}
	r := it.rows[it.pos]
	it.rows[it.pos] = nil
	it.pos++
	return r, nil
}

// drop gives back the charge of the rows handed out.
func (it *scanIter) drop() {
	if it.held != 0 {
		_ = it.ec.Mem.Charge(-it.held)
		it.held = 0
	}
	it.rows = nil
}

// readSplitRows reads one split and converts its batches to rows of the
// table's width (unread columns stay NULL).
func readSplitRows(ctx context.Context, prov connectors.Provider, sp connectors.Split, req connectors.ScanRequest, cols []Column, width int) ([][]types.Datum, error) {
	st, err := prov.Open(ctx, sp, req)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	var out [][]types.Datum
	if n := sp.Rows(); n > 0 {
		out = make([][]types.Datum, 0, n)
	}
	for {
		rb, err := st.Next(ctx)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		n := int(rb.NumRows())
		// One backing array for the batch's rows: fewer allocations.
		cells := make([]types.Datum, n*width)
		base := len(out)
		for r := 0; r < n; r++ {
			out = append(out, cells[r*width:(r+1)*width:(r+1)*width])
		}
		for c, col := range req.Columns {
			arr := rb.Column(c)
			t := cols[col].Type
			for r := 0; r < n; r++ {
				out[base+r][col] = types.DatumAt(arr, t, r)
			}
		}
		rb.Release()
	}
}

func (it *scanIter) close() {
	if it.cancel != nil {
		it.cancel()
		it.wg.Wait()
		it.cancel = nil
		// Splits read ahead and never consumed give their charge back.
		for i := it.next_; i < len(it.results); i++ {
			select {
			case r := <-it.results[i]:
				_ = it.ec.Mem.Charge(-r.bytes)
			default:
			}
		}
	}
	it.drop()
	if it.st != nil {
		it.st.SplitsRead += it.opened.Swap(0)
	}
	if it.release != nil {
		it.release()
		it.release = nil // close may run twice
	}
}

var flipOp = map[string]string{"=": "=", "<>": "<>", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

var scanOps = map[string]connectors.Op{"=": connectors.OpEq, "<>": connectors.OpNe, "<": connectors.OpLt,
	"<=": connectors.OpLe, ">": connectors.OpGt, ">=": connectors.OpGe}

// ScanPredicate recognises column op constant (either side) and IS [NOT]
// NULL over a bare column, where the constant compares like the column's
// values (the same type family, no cast on the column).
func ScanPredicate(e expr.Expr, cols []Column) (connectors.Predicate, bool) {
	switch x := e.(type) {
	case *expr.IsNullExpr:
		c, ok := x.X.(*expr.ColExpr)
		if !ok {
			return connectors.Predicate{}, false
		}
		op := connectors.OpIsNull
		if x.Not {
			op = connectors.OpIsNotNull
		}
		return connectors.Predicate{Col: c.Idx, Op: op}, true
	case *expr.FnExpr:
		if len(x.Args) != 2 {
			return connectors.Predicate{}, false
		}
		op, ok := scanOps[x.Op]
		if !ok {
			return connectors.Predicate{}, false
		}
		c, cok := x.Args[0].(*expr.ColExpr)
		k, kok := x.Args[1].(*expr.ConstExpr)
		if !cok || !kok {
			c, cok = x.Args[1].(*expr.ColExpr)
			k, kok = x.Args[0].(*expr.ConstExpr)
			if !cok || !kok {
				return connectors.Predicate{}, false
			}
			op = scanOps[flipOp[x.Op]]
		}
		if k.V == nil || !sameFamily(cols[c.Idx].Type, k.T) {
			return connectors.Predicate{}, false
		}
		return connectors.Predicate{Col: c.Idx, Op: op, Value: k.V}, true
	}
	return connectors.Predicate{}, false
}

// sameFamily reports whether values of a and b compare as their Datums do
// (integers with integers; the same type otherwise). Floats are left out:
// PostgreSQL orders NaN above every number, Parquet statistics omit it.
func sameFamily(a, b types.Type) bool {
	if a.IsInteger() && b.IsInteger() {
		return true
	}
	switch a.OID {
	case types.OIDText, types.OIDVarchar:
		return b.OID == types.OIDText || b.OID == types.OIDVarchar
	case types.OIDDate, types.OIDTimestamp, types.OIDTimestamptz, types.OIDBool:
		return a.OID == b.OID
	}
	return false
}

func describeScan(s *SourceScan) string {
	d := "Seq Scan on " + s.T.Schema + "." + s.T.Name
	if len(s.Preds) > 0 {
		parts := make([]string, len(s.Preds))
		for i, p := range s.Preds {
			parts[i] = s.T.Cols[p.Col].Name + " " + p.Op.String()
			if p.Op != connectors.OpIsNull && p.Op != connectors.OpIsNotNull {
				parts[i] += " " + types.TextOf(s.T.Cols[p.Col].Type, p.Value, &types.Format{})
			}
		}
		sort.Strings(parts)
		d += " (pushed: " + strings.Join(parts, ", ") + ")"
	}
	return d
}

// EstimateSourceRows is the provider's row count after the scan's own
// predicates (-1 if unknown).
func EstimateSourceRows(s *SourceScan) float64 {
	return estimateSourceFilter(s, nil)
}

// estimateSourceFilter estimates the rows of a scan under filter conjuncts
// from the provider's statistics: col = const keeps rows/distinct (when
// ANALYZE measured it), IS NULL keeps the NULLs; any other conjunct keeps
// a third, PostgreSQL's classic default.
func estimateSourceFilter(s *SourceScan, conj []expr.Expr) float64 {
	st, err := s.T.Provider.Stats(context.Background())
	if err != nil || st.Rows < 0 {
		return -1
	}
	rows := float64(st.Rows)
	sel := func(p connectors.Predicate) float64 {
		var cs connectors.ColumnStats
		if p.Col < len(st.Cols) {
			cs = st.Cols[p.Col]
		}
		switch {
		case p.Op == connectors.OpEq && cs.Distinct > 0:
			return 1 / float64(cs.Distinct)
		case p.Op == connectors.OpIsNull && cs.Nulls >= 0 && st.Rows > 0:
			return float64(cs.Nulls) / float64(st.Rows)
		}
		return 1.0 / 3
	}
	for _, p := range s.Preds {
		rows *= sel(p)
	}
	for _, c := range conj {
		if p, ok := ScanPredicate(c, s.T.Cols); ok {
			already := false
			for _, q := range s.Preds {
				already = already || q == p
			}
			if !already {
				rows *= sel(p)
			}
			continue
		}
		rows /= 3
	}
	return rows
}

// pruneLine is EXPLAIN ANALYZE's line about what a scan skipped.
func pruneLine(ps connectors.PruneStats) string {
	return fmt.Sprintf("Files: %d (skipped %d), Row Groups: %d (skipped %d)", ps.Files, ps.FilesSkipped, ps.RowGroups, ps.RowGroupsSkipped)
}

// recovered turns a worker's panic into an internal error.
func recovered(r any) error { return sqlerr.Internal("internal error in scan worker: %v", r) }
