// Package main is the bench command: it runs sluice's side-by-side benchmark against DuckDB and
// PostgreSQL on the same data (see README.md):
//
//	cd bench && go run . -rows 10000000 -threads 1,2
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"

	"github.com/sluicedb/sluice/bench/suite"
)

func main() {
	rows := flag.Int64("rows", 10_000_000, "rows of the fact table")
	threads := flag.String("threads", "1", "cores each system may use; a list (1,2) runs the suite once per count and prints the speedups")
	runs := flag.Int("runs", 5, "timed runs per query and system (after one warm-up)")
	data := flag.String("data", "bench-data", "directory for the generated Parquet files")
	pg := flag.String("postgres", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "PostgreSQL URL (empty: skip)")
	out := flag.String("json", "bench-results.json", "where to write the figures as JSON")
	only := flag.String("only", "", "run only queries whose name contains this")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run (sluice runs in this process)")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	// Lake table locations are absolute file URLs.
	dataDir, err := filepath.Abs(*data)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	counts, err := threadCounts(*threads)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	var reps []*suite.Report
	for i, n := range counts {
		if len(counts) > 1 {
			fmt.Printf("— %d thread(s)\n", n)
		}
		json := *out
		if len(counts) > 1 {
			json = "" // one file for all runs, below
		}
		rep, err := suite.Run(context.Background(), suite.Config{Rows: *rows, Threads: n, Runs: *runs, DataDir: dataDir,
			Postgres: *pg, JSONOut: json, QueryName: *only})
		if err != nil {
			pprof.StopCPUProfile()
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		reps = append(reps, rep)
		if i > 0 {
			fmt.Println()
		}
	}
	if len(reps) > 1 {
		var sps []*suite.Speedups
		for _, r := range reps[1:] {
			sps = append(sps, suite.Speedup(os.Stdout, reps[0], r))
		}
		if *out != "" {
			b, _ := json.MarshalIndent(map[string]any{"runs": reps, "speedups": sps}, "", "  ")
			if err := os.WriteFile(*out, b, 0o644); err != nil {
				fmt.Fprintln(os.Stderr, "bench:", err)
				os.Exit(1)
			}
		}
	}
}

// threadCounts parses "1" or "1,2,4" (ascending).
func threadCounts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || len(out) > 0 && n <= out[len(out)-1] {
			return nil, fmt.Errorf("-threads %q: want ascending counts such as 1 or 1,2", s)
		}
		out = append(out, n)
	}
	return out, nil
}
