// Package main is the bench command: it runs sluice's side-by-side benchmark against DuckDB and
// PostgreSQL on the same data (see README.md):
//
//	cd bench && go run . -rows 10000000 -threads 1
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"

	"github.com/sluicedb/sluice/bench/suite"
)

func main() {
	rows := flag.Int64("rows", 10_000_000, "rows of the fact table")
	threads := flag.Int("threads", 1, "cores each system may use")
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
	_, err = suite.Run(context.Background(), suite.Config{Rows: *rows, Threads: *threads, Runs: *runs, DataDir: dataDir,
		Postgres: *pg, JSONOut: *out, QueryName: *only})
	if err != nil {
		pprof.StopCPUProfile()
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
