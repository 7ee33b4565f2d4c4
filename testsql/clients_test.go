package testsql

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	_ "github.com/lib/pq"

	"github.com/sluicedb/sluice/server/pgwire"
)

func haveCmd(name string) bool {
	_, err := exec.LookPath(name)
	return err == nil
}

func runCmd(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\nstdout:\n%s\nstderr:\n%s", name, args, err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// TestPgxExecModes runs a parameterized query in every pgx execution mode.
func TestPgxExecModes(t *testing.T) {
	clientCheck(t)
	srv := Start(t)
	modes := map[string]pgx.QueryExecMode{
		"cache_statement": pgx.QueryExecModeCacheStatement,
		"cache_describe":  pgx.QueryExecModeCacheDescribe,
		"describe_exec":   pgx.QueryExecModeDescribeExec,
		"exec":            pgx.QueryExecModeExec,
		"simple_protocol": pgx.QueryExecModeSimpleProtocol,
	}
	for name, mode := range modes {
		t.Run(name, func(t *testing.T) {
			cfg, err := pgx.ParseConfig(srv.URL("sluice", ""))
			if err != nil {
				t.Fatal(err)
			}
			cfg.DefaultQueryExecMode = mode
			ctx := context.Background()
			c, err := pgx.ConnectConfig(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close(ctx)
			for i := 0; i < 3; i++ { // repeated, so cached statements are reused
				var n int32
				var s string
				var ts time.Time
				var f float64
				var b bool
				err := c.QueryRow(ctx, "SELECT $1::int4 + 1, $2::text || '!', $3::timestamptz, $4::float8 * 2, $5::bool",
					int32(41+i), "hé", time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC), 1.25, true).Scan(&n, &s, &ts, &f, &b)
				if err != nil {
					t.Fatal(err)
				}
				if n != int32(42+i) || s != "hé!" || !ts.Equal(time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)) || f != 2.5 || !b {
					t.Fatalf("got %v %q %v %v %v", n, s, ts, f, b)
				}
			}
			rows, err := c.Query(ctx, "SELECT g, g::text FROM generate_series(1, $1::int4) AS g", int32(2500))
			if err != nil {
				t.Fatal(err)
			}
			var count, sum int
			for rows.Next() {
				var g int32
				var gs string
				if err := rows.Scan(&g, &gs); err != nil {
					t.Fatal(err)
				}
				count++
				sum += int(g)
			}
			if rows.Err() != nil || count != 2500 || sum != 2500*2501/2 {
				t.Fatalf("rows: %d sum %d err %v", count, sum, rows.Err())
			}
		})
	}
}

func TestLibPQ(t *testing.T) {
	clientCheck(t)
	srv := Start(t, WithAuth(pgwire.AuthSCRAM))
	srv.SetPassword(t, "sluice", "pq-secret")
	db, err := sql.Open("postgres", srv.URL("sluice", "pq-secret"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ping(); err != nil {
		t.Fatal(err)
	}
	var n int
	var s string
	if err := db.QueryRow("SELECT $1::int + 1, $2::text", 41, "x").Scan(&n, &s); err != nil || n != 42 || s != "x" {
		t.Fatalf("%d %q %v", n, s, err)
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("CREATE TEMP TABLE t (a int)"); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("INSERT INTO t VALUES ($1)", 7); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

func TestPsql(t *testing.T) {
	clientCheck(t)
	Need(t, haveCmd("psql"), "psql (postgresql-client-15)")
	srv := Start(t, WithAuth(pgwire.AuthSCRAM))
	srv.SetPassword(t, "sluice", "psql-secret")
	env := []string{"PGPASSWORD=psql-secret", "PGSSLMODE=prefer", "PGCONNECT_TIMEOUT=5"}
	base := []string{"-X", "-h", "127.0.0.1", "-p", itoa(srv.Port), "-U", "sluice", "-v", "ON_ERROR_STOP=1"}
	out := runCmd(t, env, "psql", append(base, "-Atc", "select version()")...)
	if !strings.HasPrefix(out, "PostgreSQL 15.") || !strings.Contains(out, "sluice") {
		t.Fatalf("version: %q", out)
	}
	script := `PREPARE q(int) AS SELECT $1 * 2 AS doubled;
EXECUTE q(21);
CREATE TEMP TABLE t (id int, name text);
\copy t FROM stdin WITH (FORMAT csv)
1,one
2,two
\.
SELECT id, name FROM t ORDER BY id;
\copy (SELECT name FROM t ORDER BY id DESC) TO stdout
`
	f := filepath.Join(t.TempDir(), "s.sql")
	os.WriteFile(f, []byte(script), 0o644)
	out = runCmd(t, env, "psql", append(base, "-At", "-f", f)...)
	Need(t, postgresReachable(), "PostgreSQL at "+PostgresAddr()+" (the oracle)")
	want := runCmd(t, nil, "psql", "-X", "-v", "ON_ERROR_STOP=1", "-At", "-f", f, PostgresURL())
	if out != want || !strings.Contains(out, "42\nCREATE TABLE\nCOPY 2\n1|one\n2|two\ntwo\none\n") {
		t.Fatalf("psql script output:\n%s\nPostgreSQL printed:\n%s", out, want)
	}
	// A wrong password is 28P01.
	cmd := exec.Command("psql", append(base, "-c", "select 1")...)
	cmd.Env = append(os.Environ(), "PGPASSWORD=wrong", "PGCONNECT_TIMEOUT=5")
	b, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(b), `password authentication failed for user "sluice"`) {
		t.Fatalf("wrong password: %v %s", err, b)
	}
}

// TestPsqlCtrlC cancels a running statement the way a user does: SIGINT to
// psql, which sends a CancelRequest on a new connection.
func TestPsqlCtrlC(t *testing.T) {
	clientCheck(t)
	Need(t, haveCmd("psql"), "psql (postgresql-client-15)")
	srv := Start(t)
	cmd := exec.Command("psql", "-X", "-h", "127.0.0.1", "-p", itoa(srv.Port), "-U", "sluice",
		"-c", "select pg_sleep(30)", "-c", "select 'still alive'")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	srv.WaitBusy(t, 1)
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	cmd.Process.Signal(syscall.SIGINT)
	_ = cmd.Wait()
	if time.Since(start) > 10*time.Second {
		t.Fatal("Ctrl-C did not cancel the statement")
	}
	if !strings.Contains(out.String(), "canceling statement due to user request") {
		t.Fatalf("psql output: %s", out.String())
	}
}

func TestNodePg(t *testing.T) {
	clientCheck(t)
	Need(t, haveCmd("node"), "node")
	_, err := os.Stat("clients/node_modules/pg")
	Need(t, err == nil, "npm package pg (cd testsql/clients && npm ci)")
	srv := Start(t)
	out := runCmd(t, []string{"DATABASE_URL=" + srv.URL("sluice", "")}, "node", "clients/pg_smoke.js")
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	b, _ := json.Marshal(got)
	Need(t, postgresReachable(), "PostgreSQL at "+PostgresAddr()+" (the oracle)")
	// node-pg decodes binary float8 wrongly (1.5 reads as 0.99…) against
	// PostgreSQL too, so the oracle is PostgreSQL's answer through the same script.
	want := oracleJSON(t, "node", "clients/pg_smoke.js")
	if string(b) != want || !strings.Contains(want, `"params":{"d":"12.50","n":42,"s":"héllo"}`) {
		t.Fatalf("node pg:\n got %s\nwant %s", b, want)
	}
}

func TestPgJDBC(t *testing.T) {
	clientCheck(t)
	const jar = "/usr/share/java/postgresql.jar"
	_, err := os.Stat(jar)
	Need(t, haveCmd("java") && err == nil, "java and pgjdbc (apt-get install libpostgresql-jdbc-java)")
	srv := Start(t, WithAuth(pgwire.AuthSCRAM))
	srv.SetPassword(t, "jdbc", "jdbc-secret")
	url := "jdbc:postgresql://127.0.0.1:" + itoa(srv.Port) + "/sluice"
	out := runCmd(t, nil, "java", "-cp", jar, "clients/Smoke.java", url, "jdbc", "jdbc-secret")
	want := []string{
		"product=PostgreSQL 15",
		"row0=42,hi!,2.50,true", "row1=43,hi!,2.50,true", "row2=44,hi!,2.50,true",
		"fetched=10,sum=55", "after_savepoint=1", "error=22012", "timeout=57014", "valid=true",
	}
	got := strings.Split(strings.TrimSpace(out), "\n")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("pgjdbc:\n%s\nwant:\n%s", out, strings.Join(want, "\n"))
	}
}

func TestPsycopg2(t *testing.T) {
	clientCheck(t)
	py := "/usr/bin/python3"
	ok := exec.Command(py, "-c", "import psycopg2").Run() == nil
	Need(t, ok, "psycopg2 for /usr/bin/python3 (apt-get install python3-psycopg2)")
	srv := Start(t, WithAuth(pgwire.AuthSCRAM))
	srv.SetPassword(t, "py", "py-secret")
	out := runCmd(t, []string{"DATABASE_URL=" + srv.URL("py", "py-secret")}, py, "clients/psycopg2_smoke.py")
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	b, _ := json.Marshal(got)
	want := `{"after_copy":[1,2,3,4],"cancel":"57014","copy_out":"id,name\n1,a\n2,\n","error":"22012","isolation":"read committed","named":[1,2,3,4,5],"params":[42,"it's","12.50"]}`
	if postgresReachable() {
		if pg := oracleJSON(t, py, "clients/psycopg2_smoke.py"); pg != want {
			t.Fatalf("PostgreSQL itself answers %s", pg)
		}
	}
	if string(b) != want {
		t.Fatalf("psycopg2:\n got %s\nwant %s", b, want)
	}
}

// oracleJSON runs a client script against PostgreSQL and returns its JSON, normalized.
func oracleJSON(t *testing.T, prog, script string) string {
	t.Helper()
	out := runCmd(t, []string{"DATABASE_URL=" + PostgresURL()}, prog, script)
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestPsqlDbtDDL runs the DDL dbt sends (schemas, CREATE TABLE AS in a
// transaction, renames, comments, views, DROP … CASCADE) through psql
// against sluice and against PostgreSQL; the outputs, notices and errors
// included, must be the same.
func TestPsqlDbtDDL(t *testing.T) {
	clientCheck(t)
	Need(t, haveCmd("psql"), "psql (postgresql-client-15)")
	Need(t, postgresReachable(), "PostgreSQL at "+PostgresAddr())
	srv := Start(t)
	script, err := os.ReadFile("testdata/dbt_ddl.sql")
	if err != nil {
		t.Fatal(err)
	}
	schema := fmt.Sprintf("dbt_%d", os.Getpid())
	run := func(url, db string) string {
		f := filepath.Join(t.TempDir(), "dbt.sql")
		text := strings.NewReplacer("SCHEMA", schema, "DB", db).Replace(string(script))
		if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("psql", "-X", "-f", f, url)
		out, _ := cmd.CombinedOutput()
		return strings.ReplaceAll(string(out), f, "dbt.sql")
	}
	pgURL, _ := url.Parse(PostgresURL())
	want := run(PostgresURL(), strings.TrimPrefix(pgURL.Path, "/"))
	got := run(srv.URL("sluice", ""), "sluice")
	if got != want {
		t.Errorf("psql output differs\n--- sluice\n%s\n--- postgres\n%s", got, want)
	}
}

// TestPsqlDescribe runs psql's describe commands (\dn \dt \dv \d \d+ \dt+)
// over the same fixture in sluice and in PostgreSQL: the output must be
// the same but for the owner's name and the table size (so the output is
// unaligned: the same values align the same way).
func TestPsqlDescribe(t *testing.T) {
	clientCheck(t)
	Need(t, haveCmd("psql"), "psql (postgresql-client-15)")
	Need(t, postgresReachable(), "PostgreSQL at "+PostgresAddr())
	srv := Start(t)
	script, err := os.ReadFile("testdata/psql_describe.sql")
	if err != nil {
		t.Fatal(err)
	}
	schema := fmt.Sprintf("fx_%d", os.Getpid())
	mask := regexp.MustCompile(`\b(postgres|sluice|root)\b|\d+ (bytes|kB)`)
	run := func(url string) string {
		f := filepath.Join(t.TempDir(), "describe.sql")
		if err := os.WriteFile(f, []byte(strings.ReplaceAll(string(script), "FX", schema)), 0o644); err != nil {
			t.Fatal(err)
		}
		// Unaligned (-A): the masked owner and size would change column widths.
		out, _ := exec.Command("psql", "-X", "-A", "-f", f, url).CombinedOutput()
		return mask.ReplaceAllString(strings.ReplaceAll(string(out), f, "describe.sql"), "X")
	}
	want := run(PostgresURL())
	if got := run(srv.URL("sluice", "")); got != want {
		t.Errorf("psql output differs\n--- sluice\n%s\n--- postgres\n%s", got, want)
	}
}

// TestPgJDBCMetadata runs pgjdbc's DatabaseMetaData (schemas, tables with
// remarks, columns with JDBC types, sizes and remarks, primary keys and
// indexes — read through information_schema._pg_expandarray and (…).n —
// and type info) over the same fixture in sluice and PostgreSQL.
func TestPgJDBCMetadata(t *testing.T) {
	clientCheck(t)
	const jar = "/usr/share/java/postgresql.jar"
	_, err := os.Stat(jar)
	Need(t, haveCmd("java") && err == nil, "java and pgjdbc (apt-get install libpostgresql-jdbc-java)")
	Need(t, postgresReachable(), "PostgreSQL at "+PostgresAddr())
	srv := Start(t)
	schema := fmt.Sprintf("jdbc_%d", os.Getpid())
	pg, _ := url.Parse(PostgresURL())
	pgURL := "jdbc:postgresql://" + pg.Host + pg.Path
	pgUser := pg.User.Username()
	want := runCmd(t, nil, "java", "-cp", jar, "clients/Meta.java", pgURL, pgUser, "", schema)
	got := runCmd(t, nil, "java", "-cp", jar, "clients/Meta.java", "jdbc:postgresql://127.0.0.1:"+itoa(srv.Port)+"/sluice", "sluice", "", schema)
	if strings.TrimSpace(got) != strings.TrimSpace(want) {
		t.Errorf("DatabaseMetaData differs\n--- sluice\n%s\n--- postgres\n%s", got, want)
	}
	t.Logf("%d metadata rows equal to PostgreSQL's", strings.Count(strings.TrimSpace(got), "\n")+1)
}

// TestSQLAlchemyInspector reflects a fixture with SQLAlchemy 1.4's
// Inspector (schemas, tables, views, columns with types, nullability and
// comments, keys, indexes, table comment, autoload) over psycopg2, in
// sluice and in PostgreSQL: the printed facts must be equal.
func TestSQLAlchemyInspector(t *testing.T) {
	clientCheck(t)
	py := "/usr/bin/python3"
	ok := exec.Command(py, "-c", "import sqlalchemy, psycopg2, pandas").Run() == nil
	Need(t, ok, "SQLAlchemy, psycopg2 and pandas for /usr/bin/python3 (apt-get install python3-sqlalchemy python3-psycopg2 python3-pandas)")
	Need(t, postgresReachable(), "PostgreSQL at "+PostgresAddr())
	srv := Start(t)
	schema := fmt.Sprintf("sa_%d", os.Getpid())
	pg, _ := url.Parse(PostgresURL())
	pg.RawQuery = ""
	want := runCmd(t, nil, py, "clients/sqlalchemy_inspect.py", "postgresql://"+pg.User.Username()+"@"+pg.Host+pg.Path, schema)
	got := runCmd(t, nil, py, "clients/sqlalchemy_inspect.py", "postgresql://sluice@127.0.0.1:"+itoa(srv.Port)+"/sluice", schema)
	if got != want {
		t.Errorf("SQLAlchemy Inspector differs\n--- sluice\n%s\n--- postgres\n%s", got, want)
	}
}

// TestPsycopg3 runs psycopg 3 (server-side binds, binary results, prepared
// statements, COPY both ways, a named cursor, pipeline mode, an error)
// against sluice and PostgreSQL: the printed results must be equal.
func TestPsycopg3(t *testing.T) {
	clientCheck(t)
	py := "/usr/bin/python3"
	ok := exec.Command(py, "-c", "import psycopg").Run() == nil
	Need(t, ok, "psycopg 3 for /usr/bin/python3 (apt-get install python3-psycopg)")
	Need(t, postgresReachable(), "PostgreSQL at "+PostgresAddr())
	srv := Start(t)
	pg, _ := url.Parse(PostgresURL())
	pg.RawQuery = ""
	want := runCmd(t, []string{"DATABASE_URL=postgresql://" + pg.User.Username() + "@" + pg.Host + pg.Path}, py, "clients/psycopg3_smoke.py")
	got := runCmd(t, []string{"DATABASE_URL=postgresql://sluice@127.0.0.1:" + itoa(srv.Port) + "/sluice"}, py, "clients/psycopg3_smoke.py")
	if got != want {
		t.Errorf("psycopg 3:\n got %s\nwant %s", got, want)
	}
}

// TestPostgresJS runs postgres.js (tagged templates: Parse, Describe,
// Flush, then Bind/Execute; a transaction; a multi-statement unsafe query;
// an error) against sluice and PostgreSQL: the printed results must match.
func TestPostgresJS(t *testing.T) {
	clientCheck(t)
	Need(t, haveCmd("node"), "node")
	_, err := os.Stat("clients/node_modules/postgres")
	Need(t, err == nil, "npm package postgres (cd testsql/clients && npm ci)")
	Need(t, postgresReachable(), "PostgreSQL at "+PostgresAddr()+" (the oracle)")
	srv := Start(t)
	out := runCmd(t, []string{"DATABASE_URL=" + srv.URL("sluice", "")}, "node", "clients/postgresjs_smoke.mjs")
	var v map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	b, _ := json.Marshal(v)
	got := string(b)
	want := oracleJSON(t, "node", "clients/postgresjs_smoke.mjs")
	if got != want || !strings.Contains(want, `"error":"22012"`) {
		t.Fatalf("postgres.js:\n got %s\nwant %s", got, want)
	}
}

// TestODBC drives psqlODBC through unixODBC with pyodbc (SQLTables,
// SQLColumns, parameterized statements, manual commit and rollback) over
// the same fixture in sluice and PostgreSQL: the results must be equal.
func TestODBC(t *testing.T) {
	clientCheck(t)
	py := "/usr/bin/python3"
	ok := exec.Command(py, "-c", "import pyodbc").Run() == nil
	_, err := os.Stat("/usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so")
	Need(t, ok && err == nil, "pyodbc and psqlODBC (apt-get install python3-pyodbc odbc-postgresql unixodbc)")
	Need(t, postgresReachable(), "PostgreSQL at "+PostgresAddr())
	srv := Start(t)
	schema := fmt.Sprintf("odbc_%d", os.Getpid())
	pg, _ := url.Parse(PostgresURL())
	want := runCmd(t, nil, py, "clients/odbc_smoke.py", pg.Hostname(), pg.Port(), strings.TrimPrefix(pg.Path, "/"), pg.User.Username(), schema)
	got := runCmd(t, nil, py, "clients/odbc_smoke.py", "127.0.0.1", itoa(srv.Port), "sluice", "sluice", schema)
	if got != want {
		t.Errorf("psqlODBC:\n got %s\nwant %s", got, want)
	}
}

// TestPsqlTabCompletion drives an interactive psql in tmux: completing a
// table name runs psql's completion queries against the catalog, and the
// candidates it lists must be what PostgreSQL lists for the same tables.
func TestPsqlTabCompletion(t *testing.T) {
	clientCheck(t)
	Need(t, haveCmd("psql") && haveCmd("tmux"), "psql and tmux (apt-get install postgresql-client-15 tmux)")
	Need(t, postgresReachable(), "PostgreSQL at "+PostgresAddr())
	srv := Start(t)
	prefix := fmt.Sprintf("tabc%d_", os.Getpid())
	setup := fmt.Sprintf("CREATE TABLE %[1]sorders (id int); CREATE TABLE %[1]sorders_old (id int); CREATE VIEW %[1]sview AS SELECT 1 AS x", prefix)
	teardown := fmt.Sprintf("DROP VIEW %[1]sview; DROP TABLE %[1]sorders, %[1]sorders_old", prefix)
	complete := func(url string) string {
		if out, err := exec.Command("psql", "-X", "-c", setup, url).CombinedOutput(); err != nil {
			t.Fatalf("setup: %v %s", err, out)
		}
		defer exec.Command("psql", "-X", "-c", teardown, url).Run()
		session := "sluice-" + prefix + itoa(len(url))
		if out, err := exec.Command("tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "20", "psql -X '"+url+"'").CombinedOutput(); err != nil {
			t.Fatalf("tmux: %v %s", err, out)
		}
		defer exec.Command("tmux", "kill-session", "-t", session).Run()
		capture := func() string {
			out, err := exec.Command("tmux", "capture-pane", "-t", session, "-p").Output()
			if err != nil {
				t.Fatal(err)
			}
			return string(out)
		}
		// Wait for the prompt, type, then press Tab until psql lists the
		// candidates (a loaded machine may need a few tries).
		for i := 0; i < 50 && !strings.Contains(capture(), "=#"); i++ {
			time.Sleep(100 * time.Millisecond)
		}
		exec.Command("tmux", "send-keys", "-t", session, "SELECT * FROM "+prefix).Run()
		out := ""
		for i := 0; i < 20 && !strings.Contains(out, prefix+"orders_old"); i++ {
			exec.Command("tmux", "send-keys", "-t", session, "Tab").Run()
			time.Sleep(300 * time.Millisecond)
			out = capture()
		}
		// The distinct candidates shown (Tab may list them more than once).
		seen := map[string]bool{}
		var cands []string
		for _, f := range strings.Fields(out) {
			if strings.HasPrefix(f, prefix) && !seen[f] {
				seen[f] = true
				cands = append(cands, f)
			}
		}
		sort.Strings(cands)
		return strings.Join(cands, " ")
	}
	want := complete(PostgresURL())
	got := complete(srv.URL("sluice", ""))
	if got != want || !strings.Contains(got, prefix+"orders_old") {
		t.Errorf("completions differ\n sluice   %s\n postgres %s", got, want)
	}
	t.Logf("psql completed %q to: %s", "SELECT * FROM "+prefix, got)
}

// Client checks report into one tally, printed by TestMain as
// "client checks: N passed, M failed, K skipped".
var clientTally struct {
	sync.Mutex
	passed, failed, skipped []string
}

// clientCheck counts a client test's outcome when it ends.
func clientCheck(t *testing.T) {
	t.Cleanup(func() {
		clientTally.Lock()
		defer clientTally.Unlock()
		switch {
		case t.Failed():
			clientTally.failed = append(clientTally.failed, t.Name())
		case t.Skipped():
			clientTally.skipped = append(clientTally.skipped, t.Name())
		default:
			clientTally.passed = append(clientTally.passed, t.Name())
		}
	})
}

// TestMain prints how the real-client checks went once every test has run
// (replays included), and fails the run if, under CI, any of them skipped.
func TestMain(m *testing.M) {
	code := m.Run()
	clientTally.Lock()
	p, f, k := len(clientTally.passed), len(clientTally.failed), len(clientTally.skipped)
	if p+f+k > 0 {
		fmt.Printf("client checks: %d passed, %d failed, %d skipped\n", p, f, k)
	}
	if f > 0 {
		fmt.Printf("failed client checks: %v\n", clientTally.failed)
	}
	if k > 0 && os.Getenv("CI") != "" {
		fmt.Printf("skipped client checks under CI: %v\n", clientTally.skipped)
		code = max(code, 1)
	}
	clientTally.Unlock()
	os.Exit(code)
}
