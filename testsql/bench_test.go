package testsql

import (
	"context"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// BenchmarkSelect1 measures the SELECT 1 round trip over TCP loopback for
// sluice and for the local PostgreSQL in the same run, in the simple and the
// extended (prepared) protocol. Besides ns/op it reports the median (p50-µs)
// and p99-µs latency. Compare the two with:
//
//	go test ./testsql -run '^$' -bench Select1 -benchtime 20000x -count 5
func BenchmarkSelect1(b *testing.B) {
	srv := Start(b)
	targets := []struct{ name, url string }{{"sluice", srv.URL("sluice", "")}}
	if postgresReachable() {
		targets = append(targets, struct{ name, url string }{"postgres", PostgresURL()})
	}
	for _, tg := range targets {
		for _, mode := range []string{"simple", "prepared"} {
			b.Run(tg.name+"/"+mode, func(b *testing.B) {
				ctx := context.Background()
				c, err := pgconn.Connect(ctx, tg.url)
				if err != nil {
					b.Fatal(err)
				}
				defer c.Close(ctx)
				if mode == "prepared" {
					if _, err := c.Prepare(ctx, "s1", "SELECT 1", nil); err != nil {
						b.Fatal(err)
					}
				}
				run := func() {
					if mode == "simple" {
						if _, err := c.Exec(ctx, "SELECT 1").ReadAll(); err != nil {
							b.Fatal(err)
						}
						return
					}
					if r := c.ExecPrepared(ctx, "s1", nil, nil, nil).Read(); r.Err != nil {
						b.Fatal(r.Err)
					}
				}
				for i := 0; i < 200; i++ { // warm up
					run()
				}
				lat := make([]time.Duration, b.N)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					t0 := time.Now()
					run()
					lat[i] = time.Since(t0)
				}
				b.StopTimer()
				sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
				b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1e3, "p50-µs")
				b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds())/1e3, "p99-µs")
			})
		}
	}
}

// BenchmarkLargeResult fetches 1M rows of (int, text, float) through the
// extended protocol in binary and text, for sluice and PostgreSQL.
func BenchmarkLargeResult(b *testing.B) {
	srv := Start(b)
	targets := []struct{ name, url string }{{"sluice", srv.URL("sluice", "")}}
	if postgresReachable() {
		targets = append(targets, struct{ name, url string }{"postgres", PostgresURL()})
	}
	const q = "SELECT g, 'row' || g::text, g * 0.5::float8 FROM generate_series(1, 1000000) g"
	for _, tg := range targets {
		for _, format := range []int16{0, 1} {
			b.Run(fmt.Sprintf("%s/format%d", tg.name, format), func(b *testing.B) {
				ctx := context.Background()
				c, err := pgconn.Connect(ctx, tg.url)
				if err != nil {
					b.Fatal(err)
				}
				defer c.Close(ctx)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					rr := c.ExecParams(ctx, q, nil, nil, nil, []int16{format})
					n := 0
					for rr.NextRow() {
						n++
					}
					if _, err := rr.Close(); err != nil || n != 1000000 {
						b.Fatal(err, n)
					}
				}
				b.ReportMetric(1e6*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			})
		}
	}
}

// BenchmarkResultCacheHit compares, in one run, a SELECT 1 round trip with
// a result-cache hit of an aggregate over a 1M-row lake table (and the
// same query with the cache off), all in the simple protocol:
//
//	go test ./testsql -run '^$' -bench ResultCacheHit -benchtime 2000x -count 5
func BenchmarkResultCacheHit(b *testing.B) {
	srv := Start(b)
	ctx := context.Background()
	c, err := pgconn.Connect(ctx, srv.URL("sluice", ""))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close(ctx)
	exec := func(q string) {
		if _, err := c.Exec(ctx, q).ReadAll(); err != nil {
			b.Fatal(err)
		}
	}
	exec("CREATE TABLE hits AS SELECT i AS id, i % 16 AS region, i * 0.25::float8 AS price FROM generate_series(1, 1000000) g(i)")
	const q = "SELECT region, count(*), avg(price) FROM hits GROUP BY region ORDER BY region"
	for _, tc := range []struct{ name, setup, query string }{
		{"select1", "", "SELECT 1"},
		{"cache-hit", "SET sluice.result_cache = on", q},
		{"cache-off", "SET sluice.result_cache = off", q},
	} {
		b.Run(tc.name, func(b *testing.B) {
			if tc.setup != "" {
				exec(tc.setup)
			}
			exec(tc.query)
			srv.Manager.Results.Wait()
			lat := make([]time.Duration, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				exec(tc.query)
				lat[i] = time.Since(t0)
			}
			b.StopTimer()
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1e3, "p50-µs")
		})
	}
}
