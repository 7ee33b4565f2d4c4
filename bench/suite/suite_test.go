package suite

import (
	"context"
	"io"
	"math"
	"os"
	"testing"
	"time"
)

// TestSuiteAnswersAgree runs the whole suite on a small fact table: every
// query must give the same answer in sluice, DuckDB and PostgreSQL (when
// reachable; under CI=true it must be). Timings are printed, not checked.
func TestSuiteAnswersAgree(t *testing.T) {
	pg := "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	cfg := Config{Rows: 100_000, Threads: 2, Runs: 1, DataDir: t.TempDir(), Postgres: pg, PGSchema: "sluice_bench_test", Out: io.Discard,
		PointReads: 300 * time.Millisecond}
	if testing.Verbose() {
		cfg.Out = os.Stdout
	}
	rep, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	systems := map[string]bool{}
	for _, r := range rep.Results {
		for s := range r.Medians {
			systems[s] = true
		}
		if !r.Agree {
			t.Errorf("%s: %s", r.Query, r.Mismatch)
		}
	}
	if !systems["postgres"] && os.Getenv("CI") != "" {
		t.Fatal("PostgreSQL was not reachable: the suite ran without its oracle")
	}
	if rep.QPS["sluice"] <= 0 || systems["postgres"] && rep.QPS["postgres"] <= 0 {
		t.Errorf("point reads: %v", rep.QPS)
	}
	if len(rep.Results) != 14 || !systems["duckdb"] || !systems["sluice"] {
		t.Fatalf("ran %d queries on %v", len(rep.Results), systems)
	}
}

// TestSpeedup checks the speedup arithmetic on two made-up runs.
func TestSpeedup(t *testing.T) {
	base := &Report{Threads: 1, Results: []Result{
		{Query: "a", Medians: map[string]float64{"sluice": 400, "duckdb": 100}},
		{Query: "b", Medians: map[string]float64{"sluice": 2, "duckdb": 2}},
		{Query: "c", Medians: map[string]float64{"sluice": 90}}, // missing in the second run
	}}
	more := &Report{Threads: 2, Results: []Result{
		{Query: "b", Medians: map[string]float64{"sluice": 2, "duckdb": 1}},
		{Query: "a", Medians: map[string]float64{"sluice": 100, "duckdb": 100}},
	}}
	sp := Speedup(io.Discard, base, more)
	near := func(x, want float64) bool { return x > want-1e-9 && x < want+1e-9 }
	if !near(sp.PerQuery["a"]["sluice"], 4) || !near(sp.Geomean["sluice"], 2) || !near(sp.Splittable["sluice"], 4) {
		t.Fatalf("sluice: %+v", sp)
	}
	if !near(sp.Geomean["duckdb"], math.Sqrt2) || !near(sp.Splittable["duckdb"], 1) || len(sp.PerQuery) != 2 {
		t.Fatalf("duckdb: %+v", sp)
	}
}
