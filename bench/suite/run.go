package suite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // DuckDB, in this module only
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/sluicedb/sluice/server/session"
	"github.com/sluicedb/sluice/testsql"
)

// Query is one benchmark query; the SQL is the same for every system.
type Query struct{ Name, SQL string }

// Queries are the suite (see bench/README.md for what each stresses).
func Queries(n int64) []Query {
	return []Query{
		{"q01 count(*)", "SELECT count(*) FROM t10m"},
		{"q02 sum int64", "SELECT sum(user_id) FROM t10m"},
		{"q03 2% filter, 2 aggs", "SELECT count(*), avg(price) FROM t10m WHERE qty = 7"},
		{"q04 0.01% range", "SELECT count(*), sum(price) FROM t10m WHERE user_id BETWEEN 500000 AND 500100"},
		{"q05 1-week ts range", "SELECT count(*), sum(qty) FROM t10m WHERE ts >= TIMESTAMP '2024-01-08 00:00:00' AND ts < TIMESTAMP '2024-01-15 00:00:00'"},
		{"q06 group by 16 strings", "SELECT region, avg(price) FROM t10m GROUP BY region ORDER BY region"},
		{"q07 group by 1M keys top-10", "SELECT user_id, count(*) FROM t10m GROUP BY user_id ORDER BY count(*) DESC, user_id LIMIT 10"},
		{"q08 count distinct int", "SELECT count(DISTINCT user_id) FROM t10m"},
		{"q09 count distinct string", "SELECT count(DISTINCT url) FROM t10m"},
		{"q10 order by limit 10", "SELECT id, price FROM t10m ORDER BY price DESC, id LIMIT 10"},
		{"q11 LIKE %…%", "SELECT count(*) FROM t10m WHERE url LIKE '%/p/4242%'"},
		{"q12 join dim + group by", "SELECT d.segment, count(*), avg(t.price) FROM t10m t JOIN dim_user d ON t.user_id = d.user_id GROUP BY d.segment ORDER BY d.segment"},
		{"q13 group by region, day", "SELECT region, date_trunc('day', ts) AS day, count(*) FROM t10m GROUP BY region, date_trunc('day', ts) ORDER BY region, day"},
		{"q14 point lookup", fmt.Sprintf("SELECT id, user_id, region, price, qty, url FROM t10m WHERE id = %d", n/2+7)},
	}
}

// system runs SQL and returns rows as text cells.
type system interface {
	name() string
	query(ctx context.Context, sql string) ([][]string, error)
	close()
}

type pgSystem struct {
	n string
	c *pgconn.PgConn
}

func (p *pgSystem) name() string { return p.n }
func (p *pgSystem) close()       { p.c.Close(context.Background()) }
func (p *pgSystem) query(ctx context.Context, q string) ([][]string, error) {
	res, err := p.c.Exec(ctx, q).ReadAll()
	if err != nil {
		return nil, err
	}
	var out [][]string
	for _, r := range res[len(res)-1].Rows {
		row := make([]string, len(r))
		for i, v := range r {
			if v == nil {
				row[i] = "NULL"
			} else {
				row[i] = string(v)
			}
		}
		out = append(out, row)
	}
	return out, nil
}

type duckSystem struct{ db *sql.DB }

func (d *duckSystem) name() string { return "duckdb" }
func (d *duckSystem) close()       { d.db.Close() }
func (d *duckSystem) query(ctx context.Context, q string) ([][]string, error) {
	rows, err := d.db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			switch x := v.(type) {
			case nil:
				row[i] = "NULL"
			case time.Time:
				row[i] = x.UTC().Format("2006-01-02 15:04:05")
			case float64:
				row[i] = strconv.FormatFloat(x, 'g', -1, 64)
			default:
				row[i] = fmt.Sprint(x)
			}
		}
		out = append(out, row)
	}
	return out, rows.Err()
}

// Config is one run of the suite.
type Config struct {
	Rows      int64
	Threads   int
	Runs      int
	DataDir   string
	Postgres  string // URL; "" skips PostgreSQL
	PGSchema  string // schema holding the loaded tables (default sluice_bench)
	JSONOut   string
	Out       io.Writer
	SkipDuck  bool
	QueryName string // only queries whose name contains it
	// PointReads is how long each system runs the point-read workload
	// (default 2 s; negative: skipped).
	PointReads time.Duration
}

// Result is a query's figures.
type Result struct {
	Query    string             `json:"query"`
	Medians  map[string]float64 `json:"median_ms"`
	Agree    bool               `json:"answers_agree"`
	Mismatch string             `json:"mismatch,omitempty"`
}

// Report is a whole run.
type Report struct {
	Rows     int64              `json:"rows"`
	Threads  int                `json:"threads"`
	Results  []Result           `json:"results"`
	Geomeans map[string]float64 `json:"geomean_ratio"` // sluice/duckdb, sluice/postgres
	Extras   map[string]float64 `json:"extras_ms"`
	// QPS is point reads per second by system (pgbench-style: 4
	// connections, a prepared lookup of a random dim_user key).
	QPS       map[string]float64 `json:"point_read_qps"`
	Machine   string             `json:"machine"`
	StartedAt time.Time          `json:"started_at"`
}

// Run generates the data, starts sluice, loads PostgreSQL, and runs the
// suite. It returns the report (also printed and written as JSON).
func Run(ctx context.Context, cfg Config) (*Report, error) {
	out := cfg.Out
	if out == nil {
		out = os.Stdout
	}
	runtime.GOMAXPROCS(cfg.Threads)
	t0 := time.Now()
	fact, dim, err := Generate(cfg.DataDir, cfg.Rows)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "data: %s (%d rows), %s — ready in %.1fs\n", fact, cfg.Rows, dim, time.Since(t0).Seconds())
	var systems []system
	// sluice, in process, with the collector set as the server sets it.
	session.TuneGC()
	srv, stop, err := testsql.StartDir(mustTemp())
	if err != nil {
		return nil, err
	}
	defer stop()
	sc, err := pgconn.Connect(ctx, srv.URL("sluice", ""))
	if err != nil {
		return nil, err
	}
	sl := &pgSystem{n: "sluice", c: sc}
	for _, q := range []string{
		"SET sluice.result_cache = off",
		fmt.Sprintf("CREATE TABLE t10m WITH (location = 'file://%s', format = 'parquet')", fact),
		fmt.Sprintf("CREATE TABLE dim_user WITH (location = 'file://%s', format = 'parquet')", dim),
	} {
		if _, err := sl.query(ctx, q); err != nil {
			return nil, fmt.Errorf("sluice: %s: %w", q, err)
		}
	}
	systems = append(systems, sl)
	if !cfg.SkipDuck {
		db, err := sql.Open("duckdb", "")
		if err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(1)
		d := &duckSystem{db: db}
		for _, q := range []string{
			"SET autoinstall_known_extensions = false",
			fmt.Sprintf("SET threads = %d", cfg.Threads),
			fmt.Sprintf("CREATE VIEW t10m AS SELECT * FROM read_parquet('%s')", fact),
			fmt.Sprintf("CREATE VIEW dim_user AS SELECT * FROM read_parquet('%s')", dim),
		} {
			if _, err := db.ExecContext(ctx, q); err != nil {
				return nil, fmt.Errorf("duckdb: %s: %w", q, err)
			}
		}
		systems = append(systems, d)
	}
	if cfg.Postgres != "" {
		pc, err := pgconn.Connect(ctx, cfg.Postgres)
		if err != nil {
			fmt.Fprintf(out, "PostgreSQL not reachable (%v): its part is skipped\n", err)
		} else {
			p := &pgSystem{n: "postgres", c: pc}
			t1 := time.Now()
			if cfg.PGSchema == "" {
				cfg.PGSchema = "sluice_bench"
			}
			if err := loadPostgres(ctx, pc, cfg.PGSchema, cfg.Rows); err != nil {
				return nil, fmt.Errorf("postgres load: %w", err)
			}
			fmt.Fprintf(out, "postgres: tables ready in %.1fs\n", time.Since(t1).Seconds())
			for _, q := range []string{"SET search_path = " + cfg.PGSchema, "SET jit = off",
				fmt.Sprintf("SET max_parallel_workers_per_gather = %d", cfg.Threads-1)} {
				if _, err := p.query(ctx, q); err != nil {
					return nil, err
				}
			}
			systems = append(systems, p)
		}
	}
	defer func() {
		for _, s := range systems {
			s.close()
		}
	}()
	rep := &Report{Rows: cfg.Rows, Threads: cfg.Threads, Geomeans: map[string]float64{}, Extras: map[string]float64{}, QPS: map[string]float64{},
		Machine: fmt.Sprintf("%s/%s, %d CPUs", runtime.GOOS, runtime.GOARCH, runtime.NumCPU()), StartedAt: t0}
	for _, q := range Queries(cfg.Rows) {
		if cfg.QueryName != "" && !strings.Contains(q.Name, cfg.QueryName) {
			continue
		}
		res := Result{Query: q.Name, Medians: map[string]float64{}, Agree: true}
		answers := map[string][][]string{}
		for _, s := range systems { // warm-up, and the answers compared
			rows, err := s.query(ctx, q.SQL)
			if err != nil {
				return nil, fmt.Errorf("%s: %s: %w", s.name(), q.Name, err)
			}
			answers[s.name()] = rows
		}
		ref := systems[len(systems)-1].name()
		for name, rows := range answers {
			if why := sameAnswer(rows, answers[ref]); why != "" && name != ref {
				res.Agree = false
				res.Mismatch = fmt.Sprintf("%s vs %s: %s", name, ref, why)
			}
		}
		times := map[string][]float64{}
		for r := 0; r < cfg.Runs; r++ { // interleaved: A B C A B C …
			for _, s := range systems {
				t := time.Now()
				if _, err := s.query(ctx, q.SQL); err != nil {
					return nil, err
				}
				times[s.name()] = append(times[s.name()], float64(time.Since(t).Microseconds())/1000)
			}
		}
		for name, ts := range times {
			res.Medians[name] = median(ts)
		}
		rep.Results = append(rep.Results, res)
		printRow(out, res, systems)
	}
	for _, other := range []string{"duckdb", "postgres"} {
		logSum, n := 0.0, 0
		for _, r := range rep.Results {
			if o, ok := r.Medians[other]; ok && o > 0 && r.Medians["sluice"] > 0 {
				logSum += math.Log(r.Medians["sluice"] / o)
				n++
			}
		}
		if n > 0 {
			rep.Geomeans["sluice/"+other] = math.Exp(logSum / float64(n))
			fmt.Fprintf(out, "geomean sluice/%s: %.2f\n", other, rep.Geomeans["sluice/"+other])
		}
	}
	// SELECT 1 round trips, sluice and PostgreSQL.
	for _, s := range systems {
		if s.name() == "duckdb" {
			continue
		}
		var ts []float64
		for i := 0; i < 2000; i++ {
			t := time.Now()
			if _, err := s.query(ctx, "SELECT 1"); err != nil {
				return nil, err
			}
			ts = append(ts, float64(time.Since(t).Microseconds())/1000)
		}
		rep.Extras["select1_"+s.name()] = median(ts)
	}
	// Point reads, pgbench-style: sluice prunes to one row group of the
	// Parquet file; PostgreSQL reads its index.
	if cfg.PointReads >= 0 {
		d := cfg.PointReads
		if d == 0 {
			d = 2 * time.Second
		}
		targets := []struct{ name, url, table string }{{"sluice", srv.URL("sluice", ""), "dim_user"}}
		for _, s := range systems {
			if s.name() == "postgres" {
				targets = append(targets, struct{ name, url, table string }{"postgres", cfg.Postgres, cfg.PGSchema + ".dim_user"})
			}
		}
		var line []string
		for _, tg := range targets {
			qps, err := pointReads(ctx, tg.url, "SELECT segment, signup FROM "+tg.table+" WHERE user_id = $1", 4, d)
			if err != nil {
				return nil, fmt.Errorf("%s point reads: %w", tg.name, err)
			}
			rep.QPS[tg.name] = qps
			line = append(line, fmt.Sprintf("%s %.0f/s", tg.name, qps))
		}
		fmt.Fprintf(out, "point reads (4 connections, prepared, random key): %s\n", strings.Join(line, ", "))
	}
	// A result-cache hit of q06 on sluice.
	if _, err := sl.query(ctx, "SET sluice.result_cache = on"); err == nil {
		q := Queries(cfg.Rows)[5].SQL
		sl.query(ctx, q)
		srv.Manager.Results.Wait()
		var ts []float64
		for i := 0; i < 500; i++ {
			t := time.Now()
			sl.query(ctx, q)
			ts = append(ts, float64(time.Since(t).Microseconds())/1000)
		}
		rep.Extras["cache_hit_q06_sluice"] = median(ts)
	}
	keys := make([]string, 0, len(rep.Extras))
	for k := range rep.Extras {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(out, "%s: %.3f ms\n", k, rep.Extras[k])
	}
	if cfg.JSONOut != "" {
		b, _ := json.MarshalIndent(rep, "", "  ")
		if err := os.WriteFile(cfg.JSONOut, b, 0o644); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

func mustTemp() string {
	d, err := os.MkdirTemp("", "sluice-bench-")
	if err != nil {
		panic(err)
	}
	return d
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

func printRow(out io.Writer, r Result, systems []system) {
	var b strings.Builder
	fmt.Fprintf(&b, "%-30s", r.Query)
	for _, s := range systems {
		fmt.Fprintf(&b, " %s %9.2f ms", s.name(), r.Medians[s.name()])
	}
	if d, ok := r.Medians["duckdb"]; ok && d > 0 {
		fmt.Fprintf(&b, "  sluice/duckdb %6.2f", r.Medians["sluice"]/d)
	}
	if p, ok := r.Medians["postgres"]; ok && p > 0 {
		fmt.Fprintf(&b, "  sluice/pg %6.2f", r.Medians["sluice"]/p)
	}
	if !r.Agree {
		fmt.Fprintf(&b, "  ANSWERS DIFFER: %s", r.Mismatch)
	}
	fmt.Fprintln(out, b.String())
}

// sameAnswer compares two results: integers and strings exactly, other
// numbers to 1e-9 relative; "" when they agree.
func sameAnswer(a, b [][]string) string {
	if len(a) != len(b) {
		return fmt.Sprintf("%d rows vs %d", len(a), len(b))
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return fmt.Sprintf("row %d: %d columns vs %d", i, len(a[i]), len(b[i]))
		}
		for j := range a[i] {
			if !sameCell(a[i][j], b[i][j]) {
				return fmt.Sprintf("row %d col %d: %q vs %q", i, j, a[i][j], b[i][j])
			}
		}
	}
	return ""
}

func sameCell(x, y string) bool {
	if x == y {
		return true
	}
	fx, e1 := strconv.ParseFloat(x, 64)
	fy, e2 := strconv.ParseFloat(y, 64)
	if e1 != nil || e2 != nil {
		return false
	}
	if !strings.ContainsAny(x+y, ".eE") {
		return false // integers differ
	}
	d := math.Abs(fx - fy)
	return d <= 1e-9*math.Max(math.Abs(fx), math.Abs(fy)) || d < 1e-12
}

// Speedups is how much faster each system ran the suite with more threads.
type Speedups struct {
	From, To int // threads
	// PerQuery[query][system] is the median at From over the median at To.
	PerQuery map[string]map[string]float64 `json:"per_query"`
	// Geomean[system] is over every query both runs measured; Splittable
	// only over those that took at least SplittableMs at From (below that
	// a query is a footer read or one row group, with nothing to split).
	Geomean      map[string]float64 `json:"geomean"`
	Splittable   map[string]float64 `json:"geomean_splittable"`
	SplittableMs float64            `json:"splittable_ms"`
}

// Speedup compares two runs of the suite (fewer threads first) and prints
// the per-query speedups and their geometric means.
func Speedup(out io.Writer, base, more *Report) *Speedups {
	sp := &Speedups{From: base.Threads, To: more.Threads, PerQuery: map[string]map[string]float64{},
		Geomean: map[string]float64{}, Splittable: map[string]float64{}, SplittableMs: 50}
	at := map[string]Result{}
	for _, r := range more.Results {
		at[r.Query] = r
	}
	var systems []string
	type acc struct{ all, split []float64 }
	logs := map[string]*acc{}
	fmt.Fprintf(out, "speedup %d → %d threads:\n", base.Threads, more.Threads)
	for _, r := range base.Results {
		m, ok := at[r.Query]
		if !ok {
			continue
		}
		sp.PerQuery[r.Query] = map[string]float64{}
		line := fmt.Sprintf("%-30s", r.Query)
		for _, s := range []string{"sluice", "duckdb", "postgres"} {
			a, b := r.Medians[s], m.Medians[s]
			if a <= 0 || b <= 0 {
				continue
			}
			if logs[s] == nil {
				logs[s] = &acc{}
				systems = append(systems, s)
			}
			x := a / b
			sp.PerQuery[r.Query][s] = x
			logs[s].all = append(logs[s].all, math.Log(x))
			if a >= sp.SplittableMs {
				logs[s].split = append(logs[s].split, math.Log(x))
			}
			line += fmt.Sprintf(" %s %5.2f", s, x)
		}
		fmt.Fprintln(out, line)
	}
	mean := func(l []float64) float64 {
		s := 0.0
		for _, x := range l {
			s += x
		}
		return math.Exp(s / float64(len(l)))
	}
	for _, s := range systems {
		sp.Geomean[s] = mean(logs[s].all)
		line := fmt.Sprintf("geomean speedup %s: %.2f (all %d queries)", s, sp.Geomean[s], len(logs[s].all))
		if n := len(logs[s].split); n > 0 {
			sp.Splittable[s] = mean(logs[s].split)
			line += fmt.Sprintf(", %.2f (%d queries of ≥ %.0f ms)", sp.Splittable[s], n, sp.SplittableMs)
		}
		fmt.Fprintln(out, line)
	}
	return sp
}

// pointReads runs a pgbench-style workload: clients connections, each
// executing a prepared statement with a random key in [0, DimRows) for d;
// it returns the queries completed per second.
func pointReads(ctx context.Context, url, sql string, clients int, d time.Duration) (float64, error) {
	var done atomic.Int64
	errs := make(chan error, clients)
	deadline := time.Now().Add(d)
	for c := 0; c < clients; c++ {
		go func(c int) {
			conn, err := pgconn.Connect(ctx, url)
			if err != nil {
				errs <- err
				return
			}
			defer conn.Close(ctx)
			if _, err := conn.Prepare(ctx, "pr", sql, nil); err != nil {
				errs <- err
				return
			}
			rng := rand.New(rand.NewPCG(uint64(c), 7))
			for time.Now().Before(deadline) {
				key := []byte(strconv.Itoa(rng.IntN(DimRows)))
				res := conn.ExecPrepared(ctx, "pr", [][]byte{key}, nil, nil).Read()
				if res.Err != nil {
					errs <- res.Err
					return
				}
				if len(res.Rows) != 1 {
					errs <- fmt.Errorf("key %s: %d rows", key, len(res.Rows))
					return
				}
				done.Add(1)
			}
			errs <- nil
		}(c)
	}
	for c := 0; c < clients; c++ {
		if err := <-errs; err != nil {
			return 0, err
		}
	}
	return float64(done.Load()) / d.Seconds(), nil
}
