package suite

import (
	"context"
	"io"
	"os"
	"testing"
)

// TestSuiteAnswersAgree runs the whole suite on a small fact table: every
// query must give the same answer in sluice, DuckDB and PostgreSQL (when
// reachable; under CI=true it must be). Timings are printed, not checked.
func TestSuiteAnswersAgree(t *testing.T) {
	pg := "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	cfg := Config{Rows: 100_000, Threads: 2, Runs: 1, DataDir: t.TempDir(), Postgres: pg, PGSchema: "sluice_bench_test", Out: io.Discard}
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
	if len(rep.Results) != 14 || !systems["duckdb"] || !systems["sluice"] {
		t.Fatalf("ran %d queries on %v", len(rep.Results), systems)
	}
}
