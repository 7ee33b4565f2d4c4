package exec

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/sluicedb/sluice/connectors"
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/sqlerr"
	"github.com/sluicedb/sluice/sql/types"
)

func (s *sourceScanExec) columns() []int {
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
func (s *sourceScanExec) rowLimit(ec *expr.EvalCtx) int64 {
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
func (s *sourceScanExec) splits(ec *expr.EvalCtx, req connectors.ScanRequest) (connectors.Provider, []connectors.Split, connectors.PruneStats, func(), error) {
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

// sourceScanExec runs a SourceScan (its plan node, with execution methods).
type sourceScanExec plan.SourceScan

func (s *sourceScanExec) open(ec *expr.EvalCtx) (rowIter, error) {
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
	if st := ec.Stats[(*plan.SourceScan)(s)]; st != nil {
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

func (it *scanIter) Next() ([]types.Datum, error) {
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
func readSplitRows(ctx context.Context, prov connectors.Provider, sp connectors.Split, req connectors.ScanRequest, cols []plan.Column, width int) ([][]types.Datum, error) {
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

func (it *scanIter) Close() {
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

// pruneLine is EXPLAIN ANALYZE's line about what a scan skipped.
func pruneLine(ps connectors.PruneStats) string {
	return fmt.Sprintf("Files: %d (skipped %d), Row Groups: %d (skipped %d)", ps.Files, ps.FilesSkipped, ps.RowGroups, ps.RowGroupsSkipped)
}

// recovered turns a worker's panic into an internal error.
func recovered(r any) error { return sqlerr.Internal("internal error in scan worker: %v", r) }
