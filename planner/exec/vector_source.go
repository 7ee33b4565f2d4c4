package exec

import (
	"context"
	"io"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/sluicedb/sluice/connectors"
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/types"
)

// The vectorized path over a provider's scan: each Arrow batch becomes
// column vectors without boxing a value per row (int64 and float64 arrays
// are used in place), filters and aggregates run on them with the same
// kernels as over in-memory tables, and only selected rows are
// materialized. Splits are processed in parallel, one worker per core;
// what depends on order — float sums, rows returned — is put back in split
// order, so results do not depend on timing (accumulateInSplitOrder).

// batchCols turns a batch (one column per used table column, in
// req.Columns order) into vectors indexed by table column; columns of
// kinds the kernels lack stay nil. The last vector is a row counter (all
// false) so a chunk's length is known when no column is read.
func batchCols(rb arrow.RecordBatch, req connectors.ScanRequest, tcols []plan.Column) []*expr.Vcol {
	n := int(rb.NumRows())
	out := make([]*expr.Vcol, len(tcols)+1)
	for i, c := range req.Columns {
		kind, ok := expr.VkindOf(tcols[c].Type)
		if !ok {
			continue
		}
		if v := arrowVec(rb.Column(i), kind, n); v != nil {
			out[c] = v
		}
	}
	out[len(tcols)] = &expr.Vcol{Kind: expr.VBool, B: make([]bool, n)}
	return out
}

func arrowVec(a arrow.Array, kind expr.Vkind, n int) *expr.Vcol {
	v := &expr.Vcol{Kind: kind}
	if a.NullN() > 0 {
		v.Null = make([]bool, n)
		for k := 0; k < n; k++ {
			v.Null[k] = a.IsNull(k)
		}
	}
	switch x := a.(type) {
	case *array.Int64:
		v.I = x.Int64Values()[:n]
	case *array.Int32:
		v.I = make([]int64, n)
		for k, w := range x.Int32Values()[:n] {
			v.I[k] = int64(w)
		}
	case *array.Int16:
		v.I = make([]int64, n)
		for k, w := range x.Int16Values()[:n] {
			v.I[k] = int64(w)
		}
	case *array.Float64:
		v.F = x.Float64Values()[:n]
	case *array.Timestamp:
		if kind != expr.VTS || x.DataType().(*arrow.TimestampType).Unit != arrow.Microsecond {
			return nil
		}
		ts := x.TimestampValues()[:n]
		v.I = unsafe.Slice((*int64)(unsafe.Pointer(unsafe.SliceData(ts))), n) // arrow.Timestamp is an int64
	case *array.String:
		v.S = make([]string, n)
		for k := 0; k < n; k++ {
			v.S[k] = x.Value(k)
		}
	case *array.Dictionary:
		d, ok := x.Dictionary().(*array.String)
		if !ok {
			return nil
		}
		v.S = make([]string, n)
		small := d.Len() <= n/8+16 // worth keeping as codes for grouping
		if small {
			v.Dict, v.Codes = make([]string, d.Len()), make([]int32, n)
			for c := range v.Dict {
				v.Dict[c] = d.Value(c)
			}
			if !dictCodes(x.Indices(), v.Codes) {
				for k := 0; k < n; k++ {
					v.Codes[k] = int32(x.GetValueIndex(k))
				}
			}
			for k, c := range v.Codes {
				if !v.IsNull(k) {
					v.S[k] = v.Dict[c]
				}
			}
			break
		}
		for k := 0; k < n; k++ {
			if !x.IsNull(k) {
				v.S[k] = d.Value(x.GetValueIndex(k))
			}
		}
	case *array.Boolean:
		v.B = make([]bool, n)
		for k := 0; k < n; k++ {
			v.B[k] = x.Value(k)
		}
	default:
		return nil
	}
	if (kind == expr.VInt || kind == expr.VTS) && v.I == nil || kind == expr.VFloat && v.F == nil || kind == expr.VStr && v.S == nil || kind == expr.VBool && v.B == nil {
		return nil
	}
	return v
}

// dictCodes copies a dictionary array's indices into codes when they are
// of a signed integer type (as Parquet readers produce); NULL slots may
// hold any index, so callers check validity before using one.
func dictCodes(idx arrow.Array, codes []int32) bool {
	switch ix := idx.(type) {
	case *array.Int32:
		copy(codes, ix.Int32Values())
	case *array.Int16:
		for k, c := range ix.Int16Values() {
			codes[k] = int32(c)
		}
	case *array.Int8:
		for k, c := range ix.Int8Values() {
			codes[k] = int32(c)
		}
	default:
		return false
	}
	return true
}

// eachSourceBatch reads every split of a source scan with the given number
// of workers (splits go to whichever is free) and hands each batch's vectors to
// fn with the worker's number; splitDone, if set, is called by the worker
// that finished a split, after its last batch.
func eachSourceBatch(ec *expr.EvalCtx, shown plan.Node, s *plan.SourceScan, workers int,
	fn func(w, split int, rb arrow.RecordBatch, cols []*expr.Vcol) error, splitDone func(split int) error) error {
	req := connectors.ScanRequest{Columns: (*sourceScanExec)(s).columns(), Preds: s.Preds, Limit: -1}
	prov, splits, ps, release, err := (*sourceScanExec)(s).splits(ec, req)
	if err != nil {
		return err
	}
	defer release()
	var scanned atomic.Int64
	if ec.Stats != nil {
		// EXPLAIN ANALYZE: the vectorized scan node reports the rows it
		// read and what pruning skipped.
		st := ec.Stats[shown]
		if st == nil {
			st = &expr.NodeStats{Loops: 1}
			ec.Stats[shown] = st
		}
		st.Extra = []string{pruneLine(ps)}
		defer func() { st.Rows += scanned.Load() }()
	}
	workers = max(workers, 1)
	ctx, cancel := context.WithCancel(ec.Ctx)
	defer cancel()
	type job struct {
		i  int
		sp connectors.Split
	}
	next := make(chan job)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					errs[w] = recovered(r)
					cancel()
				}
			}()
			for j := range next {
				err := readBatches(ctx, prov, j.sp, req, func(rb arrow.RecordBatch) error {
					scanned.Add(rb.NumRows())
					return fn(w, j.i, rb, batchCols(rb, req, s.T.Cols))
				})
				if err == nil && splitDone != nil {
					err = splitDone(j.i)
				}
				if err != nil {
					errs[w] = err
					cancel()
					return
				}
			}
		}(w)
	}
feed:
	for i, sp := range splits {
		select {
		case next <- job{i, sp}:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return ec.Ctx.Err()
}

func readBatches(ctx context.Context, prov connectors.Provider, sp connectors.Split, req connectors.ScanRequest, fn func(arrow.RecordBatch) error) error {
	st, err := prov.Open(ctx, sp, req)
	if err != nil {
		return err
	}
	defer st.Close()
	for {
		rb, err := st.Next(ctx)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		err = fn(rb)
		rb.Release()
		if err != nil {
			return err
		}
	}
}

// materialize builds the table-width rows of the selected positions of a
// batch (unused columns stay NULL).
func materialize(rb arrow.RecordBatch, req connectors.ScanRequest, tcols []plan.Column, sel []int32) [][]types.Datum {
	width := len(tcols)
	cells := make([]types.Datum, len(sel)*width)
	rows := make([][]types.Datum, len(sel))
	for r := range rows {
		rows[r] = cells[r*width : (r+1)*width : (r+1)*width]
	}
	for i, c := range req.Columns {
		arr := rb.Column(i)
		t := tcols[c].Type
		for r, k := range sel {
			rows[r][c] = types.DatumAt(arr, t, int(k))
		}
	}
	return rows
}

// openSource runs a vectorized filter over a provider's scan. Splits are
// filtered ahead of the consumer on up to one worker per core and their
// passing rows handed out in split order as they come (scanIter): a LIMIT
// or an EXISTS above stops the scan after the splits it needed, and the
// rows waiting are charged to the query's memory budget.
func (v *vecFilterScanExec) openSource(ec *expr.EvalCtx) (rowIter, error) {
	s := v.Src
	req := connectors.ScanRequest{Columns: (*sourceScanExec)(s).columns(), Preds: s.Preds, Limit: -1}
	prov, splits, ps, release, err := (*sourceScanExec)(s).splits(ec, req)
	if err != nil {
		return nil, err
	}
	read := func(ctx context.Context, sp connectors.Split) ([][]types.Datum, error) {
		var out [][]types.Datum
		err := readBatches(ctx, prov, sp, req, func(rb arrow.RecordBatch) error {
			n := int(rb.NumRows())
			return v.selected(ec, nil, batchCols(rb, req, s.T.Cols), 0, n, nil, func(base int, _ [][]types.Datum, _ []*expr.Vcol, sel []int32) error {
				// selected works in vecChunk slices of the batch; its
				// positions are relative to the slice, which starts at base.
				if len(sel) == 0 {
					return nil
				}
				abs := make([]int32, len(sel))
				for i, k := range sel {
					abs[i] = k + int32(base)
				}
				out = append(out, materialize(rb, req, s.T.Cols, abs)...)
				return nil
			})
		})
		return out, err
	}
	it := newScanIter(ec, splits, read, scanWorkers(), release)
	it.ramp = true
	if st := ec.Stats[(*plan.VecFilterScan)(v)]; st != nil {
		st.Extra = []string{pruneLine(ps)}
		it.st = st
	}
	return it, nil
}

// accumulateSource folds a provider's batches into accumulators, one set
// per worker, merged at the end. Float sums are the exception: rounding
// makes their last digits depend on the order of additions, and they must
// be PostgreSQL's (a sequential scan adds in table order). Each split then
// gets its own accumulators, which record the float values instead of
// adding them; splits are folded into the total in split order as they
// finish, adding the recorded values one by one. Decoding, filters, group
// keys and every other aggregate run in parallel; only the additions are
// sequential.
func (a *vecAggNodeExec) accumulateSource(ec *expr.EvalCtx, tabs []*joinTable) ([]*vstate, error) {
	na := len(a.Aggs)
	if n, ok := a.countFromStats(ec); ok {
		st := a.newState()
		g := st.acc.Add(nil)
		for i := range a.Aggs {
			st.acc.cnt[g*na+i] = n
		}
		return []*vstate{st}, nil
	}
	floatSum := false
	for _, ag := range a.Aggs {
		floatSum = floatSum || (ag.Name == "sum" || ag.Name == "avg") && ag.In.OID == types.OIDFloat8
	}
	workers := scanWorkers()
	if floatSum && workers > 1 {
		// (One worker reads the splits in order: its sums add in scan
		// order already, with nothing to record and replay.)
		st, err := a.accumulateInSplitOrder(ec, tabs, workers)
		return []*vstate{st}, err
	}
	states := make([]*vstate, workers)
	for i := range states {
		states[i] = a.newState()
	}
	err := eachSourceBatch(ec, a.Scan, a.Scan.Src, workers, func(w, _ int, rb arrow.RecordBatch, cols []*expr.Vcol) error {
		return a.accumulate(ec, states[w], nil, cols, 0, int(rb.NumRows()), tabs)
	}, nil)
	if err != nil {
		return nil, err
	}
	return a.mergeAll(states)
}

// accumulateInSplitOrder gives every split its own accumulators and folds
// them into the total in split order: a finished split waits until those
// before it are folded.
func (a *vecAggNodeExec) accumulateInSplitOrder(ec *expr.EvalCtx, tabs []*joinTable, workers int) (*vstate, error) {
	na := len(a.Aggs)
	total := a.newState()
	var mu sync.Mutex
	states := map[int]*vstate{} // by split, until folded
	finished := map[int]bool{}
	next := 0
	stateOf := func(split int) *vstate {
		mu.Lock()
		defer mu.Unlock()
		st := states[split]
		if st == nil {
			st = a.newState()
			st.replay = true
			states[split] = st
		}
		return st
	}
	err := eachSourceBatch(ec, a.Scan, a.Scan.Src, workers, func(_, split int, rb arrow.RecordBatch, cols []*expr.Vcol) error {
		return a.accumulate(ec, stateOf(split), nil, cols, 0, int(rb.NumRows()), tabs)
	}, func(split int) error {
		mu.Lock()
		defer mu.Unlock()
		finished[split] = true
		for finished[next] {
			if st := states[next]; st != nil {
				where := a.merge(total, st)
				var n int64
				for i, chunks := range st.floats {
					for _, fc := range chunks {
						for x, g := range fc.g {
							total.acc.fsum[where[g]*na+i] += fc.v[x]
						}
						n += int64(cap(fc.g))
					}
				}
				if err := ec.Mem.Charge(-12 * n); err != nil {
					return err
				}
			}
			delete(states, next)
			delete(finished, next)
			next++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return total, nil
}

// countFromStats answers SELECT count(*) with no filter and no grouping
// from the provider's exact row count (Parquet footers): nothing is read.
func (a *vecAggNodeExec) countFromStats(ec *expr.EvalCtx) (int64, bool) {
	src := a.Scan.Src
	if len(a.Keys) > 0 || len(a.Scan.Preds) > 0 || len(a.Scan.Joins) > 0 || len(src.Preds) > 0 || ec.Stats != nil {
		return 0, false
	}
	for _, ag := range a.Aggs {
		if ag.Name != "count_star" {
			return 0, false
		}
	}
	prov, err := providerOf(ec, src.T)
	if err != nil {
		return 0, false
	}
	st, err := prov.Stats(ec.Ctx)
	if err != nil || !st.Exact || st.Rows < 0 {
		return 0, false
	}
	return st.Rows, true
}
