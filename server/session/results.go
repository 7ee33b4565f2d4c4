package session

import (
	"context"
	"io"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/sluicedb/sluice/cache"
	"github.com/sluicedb/sluice/connectors"
	"github.com/sluicedb/sluice/planner"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/types"
)

// execute starts a query portal's rows: from the result cache when an
// equal result is there, else from the plan (recording the result for the
// cache when it is cacheable).
func (s *Session) execute(ctx context.Context, p *portal) (connectors.RecordStream, error) {
	plan := p.plan
	if plan == nil {
		plan = p.prep.plan
	}
	// Every source is pinned once for this execution: the cache key names
	// the versions pinned, and a miss computes from exactly those.
	pinned, err := plan.Pin(ctx)
	if err != nil {
		return nil, err
	}
	key, ok := s.resultKey(p, pinned)
	if !ok {
		return pinned.Execute(ctx, s.env(), p.params)
	}
	if e, hit := s.m.Results.Get(key); hit {
		return &replayStream{e: e}, nil
	}
	st, err := pinned.Execute(ctx, s.env(), p.params)
	if err != nil {
		return nil, err
	}
	return &recordStream{RecordStream: st, key: key, c: s.m.Results}, nil
}

// resultKey is the cache key of a portal's result, if it may be cached:
// the statement, parameters, role, the settings that change evaluation,
// and the version pinned for every table read.
func (s *Session) resultKey(p *portal, pinned *planner.Pinned) (string, bool) {
	if v, _ := s.set.get("sluice.result_cache"); v != "on" || s.m.Results == nil {
		return "", false
	}
	if _, ok := p.prep.plan.CacheInputs(); !ok {
		return "", false
	}
	var b strings.Builder
	b.WriteString(p.prep.sql)
	b.WriteString("\x00role=")
	b.WriteString(s.user)
	for _, name := range []string{"TimeZone", "DateStyle", "IntervalStyle"} {
		v, _ := s.set.get(name)
		b.WriteString("\x00")
		b.WriteString(v)
	}
	f := &types.Format{}
	for i, v := range p.params {
		b.WriteString("\x00$")
		if v == nil {
			b.WriteString("\x01")
			continue
		}
		b.WriteString(types.TextOf(p.prep.paramTypes[i], v, f))
	}
	for _, src := range pinned.Sources() {
		b.WriteString("\x00@")
		b.WriteString(strconv.FormatUint(uint64(src.Table.OID), 10))
		b.WriteString(".")
		b.WriteString(strconv.FormatInt(src.Table.DefVersion, 10))
		b.WriteString(":")
		b.WriteString(src.Provider.Version())
	}
	for _, c := range p.prep.plan.Columns {
		b.WriteString("\x00#")
		b.WriteString(c.Name)
		b.WriteString(strconv.FormatUint(uint64(c.Type.OID), 10))
	}
	return b.String(), true
}

// replayStream serves a cached result.
type replayStream struct {
	e *cache.Entry
	i int
}

func (r *replayStream) Schema() *arrow.Schema {
	if len(r.e.Batches) == 0 {
		return arrow.NewSchema(nil, nil)
	}
	return r.e.Batches[0].Schema()
}

func (r *replayStream) Next(ctx context.Context) (arrow.RecordBatch, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if r.i >= len(r.e.Batches) {
		return nil, io.EOF
	}
	rb := r.e.Batches[r.i]
	r.i++
	rb.Retain()
	return rb, nil
}

func (r *replayStream) Close() {}

// recordStream passes a plan's batches through and, if the result is read
// to the end and is small enough, stores it in the cache.
type recordStream struct {
	connectors.RecordStream
	key     string
	c       *cache.Results
	batches []arrow.RecordBatch
	rows    int64
	bytes   int64
	give    bool // too large: stop recording
}

func (r *recordStream) Next(ctx context.Context) (arrow.RecordBatch, error) {
	rb, err := r.RecordStream.Next(ctx)
	if err == io.EOF && !r.give {
		r.c.Put(r.key, &cache.Entry{Batches: r.batches, Rows: r.rows, Bytes: r.bytes})
		r.batches, r.give = nil, true
	}
	if err != nil || r.give {
		return rb, err
	}
	r.bytes += batchBytes(rb)
	if r.bytes > r.c.MaxEntry() {
		r.batches, r.give = nil, true
		return rb, nil
	}
	rb.Retain()
	r.batches = append(r.batches, rb)
	r.rows += rb.NumRows()
	return rb, nil
}

// batchBytes is the memory a batch's buffers hold.
func batchBytes(rb arrow.RecordBatch) int64 {
	var n int64
	var add func(d arrow.ArrayData)
	add = func(d arrow.ArrayData) {
		for _, b := range d.Buffers() {
			if b != nil {
				n += int64(b.Len())
			}
		}
		for _, c := range d.Children() {
			add(c)
		}
		if d.DataType().ID() == arrow.DICTIONARY {
			add(d.Dictionary())
		}
	}
	for _, c := range rb.Columns() {
		add(c.Data())
	}
	return n
}

// systemRelation serves sluice_catalog's views, computed when scanned.
func (s *Session) systemRelation(name string) plan.Relation {
	switch name {
	case "result_cache":
		cols := []connectors.Column{
			{Name: "hits", Type: types.Int8}, {Name: "misses", Type: types.Int8}, {Name: "hit_ratio", Type: types.Float8},
			{Name: "entries", Type: types.Int8}, {Name: "bytes", Type: types.Int8}, {Name: "evictions", Type: types.Int8},
			{Name: "capacity_bytes", Type: types.Int8}}
		rows := func() [][]types.Datum {
			st := s.m.Results.Stats()
			ratio := 0.0
			if st.Hits+st.Misses > 0 {
				ratio = float64(st.Hits) / float64(st.Hits+st.Misses)
			}
			return [][]types.Datum{{int64(st.Hits), int64(st.Misses), ratio, int64(st.Entries), st.Bytes, int64(st.Evictions), st.Capacity}}
		}
		return systemTable("result_cache", cols, rows)
	case "table_stats":
		cols := []connectors.Column{
			{Name: "schema_name", Type: types.Text}, {Name: "table_name", Type: types.Text}, {Name: "column_name", Type: types.Text},
			{Name: "n_rows", Type: types.Int8}, {Name: "null_count", Type: types.Int8}, {Name: "n_distinct", Type: types.Int8},
			{Name: "min_value", Type: types.Text}, {Name: "max_value", Type: types.Text}, {Name: "analyzed_at", Type: types.TimestamptzT}}
		return systemTable("table_stats", cols, s.tableStatsRows)
	}
	return nil
}

// systemTable is a virtual table whose rows are computed at each scan.
func systemTable(name string, cols []connectors.Column, rows func() [][]types.Datum) *plan.SourceTable {
	pc := make([]plan.Column, len(cols))
	for i, c := range cols {
		pc[i] = plan.Column{Name: c.Name, Type: c.Type}
	}
	return &plan.SourceTable{Schema: "sluice_catalog", Name: name, Cols: pc, Volatile: true,
		Provider: &virtualProvider{cols: cols, rows: rows}}
}

// virtualProvider serves computed rows as one split.
type virtualProvider struct {
	cols []connectors.Column
	rows func() [][]types.Datum
}

type oneSplit struct{}

func (oneSplit) Rows() int64 { return -1 }

func (v *virtualProvider) Columns() []connectors.Column { return v.cols }
func (v *virtualProvider) Stats(context.Context) (connectors.Stats, error) {
	return connectors.Stats{Rows: -1}, nil
}
func (v *virtualProvider) Pushdown(p []connectors.Predicate) []connectors.Support {
	return make([]connectors.Support, len(p))
}
func (v *virtualProvider) Splits(context.Context, connectors.ScanRequest) ([]connectors.Split, connectors.PruneStats, error) {
	return []connectors.Split{oneSplit{}}, connectors.PruneStats{}, nil
}
func (v *virtualProvider) Version() string { return "" }

func (v *virtualProvider) Open(_ context.Context, _ connectors.Split, req connectors.ScanRequest) (connectors.RecordStream, error) {
	all := v.rows()
	cols := make([]plan.Column, len(req.Columns))
	rows := make([][]types.Datum, len(all))
	for i, c := range req.Columns {
		cols[i] = plan.Column{Name: v.cols[c].Name, Type: v.cols[c].Type}
	}
	for r, row := range all {
		rows[r] = make([]types.Datum, len(req.Columns))
		for i, c := range req.Columns {
			rows[r][i] = row[c]
		}
	}
	var rb arrow.RecordBatch
	if len(cols) == 0 { // count(*): rows without columns
		rb = array.NewRecordBatch(arrow.NewSchema(nil, nil), nil, int64(len(rows)))
	} else {
		var err error
		if rb, err = planner.BuildBatch(cols, rows); err != nil {
			return nil, err
		}
	}
	return &replayStream{e: &cache.Entry{Batches: []arrow.RecordBatch{rb}}}, nil
}
