package session

import (
	"context"
	"math"
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

// ANALYZE reads every row of a lake table once and keeps, per column, a
// distinct-count estimate (HyperLogLog) for the data version it read. Row
// counts, NULL counts and min/max come from the files' statistics without
// ANALYZE; the planner uses all of them for row estimates (join build
// side, equality selectivity), and sluice_catalog.table_stats shows them.

// analyzedDistinct returns a relation's distinct estimates per column if
// they were measured on this data version.
func analyzedDistinct(r *catalog.Relation, version string) []int64 {
	a := r.Analyzed
	if a == nil || a.DataVersion != version {
		return nil
	}
	out := make([]int64, len(r.Columns))
	for i, c := range r.Columns {
		out[i] = a.Distinct[c.Name]
	}
	return out
}

// hashDatum hashes a value for a distinct-count sketch.
func hashDatum(t types.Type, d types.Datum, buf []byte) (uint64, []byte) {
	switch v := d.(type) {
	case int64:
		return mix64(uint64(v)), buf
	case float64:
		return mix64(math.Float64bits(v)), buf
	case string:
		return hashString(v), buf
	}
	buf = types.AppendText(buf[:0], t, d, &types.Format{})
	return hashString(string(buf)), buf
}

// hashString is FNV-1a with a final mix: deterministic, so an estimate is
// the same on every run.
func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return mix64(h)
}

// mix64 is splitmix64's finalizer: integers spread over all 64 bits.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func (s *Session) analyze(ctx context.Context, x *ast.Analyze) error {
	st := s.catState()
	var targets []*catalog.Relation
	if len(x.Tables) == 0 {
		for _, r := range st.Sorted() {
			if r.Kind != catalog.View {
				targets = append(targets, r)
			}
		}
	}
	for _, tn := range x.Tables {
		r := s.lookupRel(st, tn.Schema, tn.Name)
		if r == nil {
			return sqlerr.New(sqlerr.UndefinedTable, "relation \"%s\" does not exist", relName(tn))
		}
		if r.Kind == catalog.View {
			s.notices = append(s.notices, sqlerr.Notice{Severity: sqlerr.SeverityWarning, Code: sqlerr.Warning,
				Message: "skipping \"" + r.Name + "\" --- cannot analyze non-tables or special system tables"})
			continue
		}
		targets = append(targets, r)
	}
	for _, r := range targets {
		if err := s.analyzeOne(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

func (s *Session) analyzeOne(ctx context.Context, r *catalog.Relation) error {
	rel, err := s.relation(r)
	if err != nil {
		return err
	}
	src := rel.(*plan.SourceTable)
	version := src.Provider.Version()
	plan, err := bind.BindQuery(&ast.Select{From: []ast.TableRef{&ast.TableName{Schema: r.Schema, Name: r.Name, Pos: -1}},
		Targets: []*ast.Target{{Expr: &ast.ColumnRef{Star: true}}}}, nil, s.tables())
	if err != nil {
		return err
	}
	sketches := make([]lake.Sketch, len(src.Cols))
	var rows int64
	var buf []byte
	err = planner.EachRow(ctx, plan, s.env(), nil, func(chunk [][]types.Datum) error {
		for _, row := range chunk {
			for c, d := range row {
				if d == nil {
					continue
				}
				var h uint64
				h, buf = hashDatum(src.Cols[c].Type, d, buf)
				sketches[c].Add(h)
			}
		}
		rows += int64(len(chunk))
		return nil
	})
	if err != nil {
		return err
	}
	stats := &catalog.TableStats{DataVersion: version, At: time.Now().UTC(), Rows: rows, Distinct: map[string]int64{}}
	for c, col := range src.Cols {
		stats.Distinct[col.Name] = min(sketches[c].Estimate(), rows)
	}
	id := r.ID
	return s.catalogChange(func(st *catalog.State) error {
		if x := st.ByID(id); x != nil {
			x.Analyzed = stats
		}
		return nil
	})
}

// tableStatsRows lists every lake table's columns with their statistics.
func (s *Session) tableStatsRows() [][]types.Datum {
	var out [][]types.Datum
	st := s.catState()
	for _, r := range st.Sorted() {
		if r.Kind == catalog.View {
			continue
		}
		rel, err := s.relation(r)
		if err != nil {
			continue
		}
		src := rel.(*plan.SourceTable)
		ps, err := src.Provider.Stats(context.Background())
		if err != nil {
			continue
		}
		var analyzed types.Datum
		if r.Analyzed != nil && r.Analyzed.DataVersion == src.Provider.Version() {
			analyzed = types.Timestamp(r.Analyzed.At.UnixMicro())
		}
		for i, c := range src.Cols {
			cs := connectors.ColumnStats{Nulls: -1, Distinct: -1}
			if i < len(ps.Cols) {
				cs = ps.Cols[i]
			}
			row := []types.Datum{r.Schema, r.Name, c.Name, ps.Rows, nilIfNeg(cs.Nulls), nilIfNeg(cs.Distinct), nil, nil, analyzed}
			if cs.Min != nil {
				row[6] = types.TextOf(c.Type, cs.Min, s.format())
				row[7] = types.TextOf(c.Type, cs.Max, s.format())
			}
			out = append(out, row)
		}
	}
	return out
}

func nilIfNeg(v int64) types.Datum {
	if v < 0 {
		return nil
	}
	return v
}
