package testsql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/lib/pq"
)

// Replays of the SQL that dbt-postgres, Metabase, Superset and Grafana
// send (testdata/replays, each statement with the source it was taken
// from), through the driver each tool uses: psycopg2 (dbt, Superset via
// SQLAlchemy), pgjdbc (Metabase) and lib/pq (Grafana). Each replay runs over
// the same fixture in PostgreSQL and in sluice, and every statement block's
// normalized output (columns with type OIDs, rows, command tags, warnings,
// SQLSTATEs; OIDs, pids and names masked) must be the same — except the
// blocks listed in replayGaps, each with the reason. A listed block that
// starts to agree fails the test too, so the list stays true.

// replayGaps are the blocks known to differ from PostgreSQL, by replay file
// and block number, with why.
var replayGaps = map[string]map[int]string{}

func TestReplays(t *testing.T) {
	clientCheck(t)
	Need(t, postgresReachable(), "PostgreSQL at "+PostgresAddr())
	py := "/usr/bin/python3"
	havePy := exec.Command(py, "-c", "import psycopg2").Run() == nil
	const jar = "/usr/share/java/postgresql.jar"
	_, jarErr := os.Stat(jar)
	srv := Start(t)
	pg, _ := url.Parse(PostgresURL())
	pgDB := strings.TrimPrefix(pg.Path, "/")
	type target struct{ url, jdbc, user, db string }
	targets := []target{
		{PostgresURL(), "jdbc:postgresql://" + pg.Host + pg.Path, pg.User.Username(), pgDB},
		{srv.URL("sluice", ""), "jdbc:postgresql://127.0.0.1:" + itoa(srv.Port) + "/sluice", "sluice", "sluice"},
	}
	for _, tool := range []string{"dbt", "metabase", "superset", "grafana"} {
		t.Run(tool, func(t *testing.T) {
			file := "testdata/replays/" + tool + ".sql"
			switch tool {
			case "dbt", "superset":
				Need(t, havePy, "psycopg2 for /usr/bin/python3 (apt-get install python3-psycopg2)")
			case "metabase":
				Need(t, haveCmd("java") && jarErr == nil, "java and pgjdbc (apt-get install libpostgresql-jdbc-java)")
			}
			schema := fmt.Sprintf("rpl_%d_%s", os.Getpid(), tool)
			var outs [2]string
			for i, tg := range targets {
				fixture(t, tg.url, "fixture.sql", schema)
				runs := 1
				if tool == "dbt" {
					runs = 2 // the second run renames and swaps what the first built
				}
				for r := 0; r < runs; r++ {
					var out string
					switch tool {
					case "dbt", "superset":
						out = runCmd(t, nil, py, "clients/replay.py", tg.url, file, schema, tg.db)
					case "metabase":
						out = runCmd(t, nil, "java", "-cp", jar, "clients/Replay.java", tg.jdbc, tg.user, "", file, schema, tg.db)
					case "grafana":
						out = replayLibPQ(t, tg.url, file, schema, tg.db)
					}
					outs[i] += fmt.Sprintf("# run %d\n%s", r+1, out)
				}
				fixture(t, tg.url, "fixture_drop.sql", schema)
			}
			want, got := replayBlocks(outs[0]), replayBlocks(outs[1])
			gaps := replayGaps[tool]
			equal, known := 0, 0
			for _, k := range sortedKeys(want) {
				n := blockNumber(k)
				same := got[k] == want[k]
				switch why, listed := gaps[n]; {
				case same && listed:
					t.Errorf("%s block %d now equals PostgreSQL's: remove it from replayGaps (%s)", tool, n, why)
				case same:
					equal++
				case listed:
					known++
				default:
					t.Errorf("%s %s differs from PostgreSQL\n--- sluice\n%s\n--- postgres\n%s", tool, k, got[k], want[k])
				}
			}
			t.Logf("%s: %d blocks equal to PostgreSQL's, %d known gaps", tool, equal, known)
		})
	}
}

// fixture runs a fixture script with RPL replaced by schema.
func fixture(t *testing.T, u, name, schema string) {
	t.Helper()
	b, err := os.ReadFile("testdata/replays/" + name)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c, err := pgconn.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, strings.ReplaceAll(string(b), "RPL", schema)).ReadAll(); err != nil {
		t.Fatalf("%s on %s: %v", name, u, err)
	}
}

// replayBlocks splits a runner's output into its blocks, keyed "run r
// block n".
func replayBlocks(out string) map[string]string {
	blocks := map[string]string{}
	run, key := "", ""
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "# run "):
			run = strings.TrimPrefix(line, "# ")
		case strings.HasPrefix(line, "## "):
			key = fmt.Sprintf("%s block %s", run, strings.TrimPrefix(line, "## "))
			blocks[key] = ""
		case key != "":
			blocks[key] += line + "\n"
		}
	}
	return blocks
}

func blockNumber(key string) int {
	var r, n int
	fmt.Sscanf(key, "run %d block %d", &r, &n)
	return n
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		var ri, ni, rj, nj int
		fmt.Sscanf(keys[i], "run %d block %d", &ri, &ni)
		fmt.Sscanf(keys[j], "run %d block %d", &rj, &nj)
		return ri < rj || ri == rj && ni < nj
	})
	return keys
}

var (
	replayDirective = regexp.MustCompile(`^-- (source|via|note|reconnect|driver|only|save|params|expect|mode)\b:?\s*(.*)$`)
	replayMasked    = map[string]bool{"oid": true, "pid": true, "relid": true, "version": true}
	topOrderBy      = regexp.MustCompile(`(?is)\border\s+by\b[^()]*$`)
)

// replayLibPQ runs a replay file through lib/pq as Grafana's backend does
// (database/sql, no arguments: the simple query protocol, autocommit),
// printing blocks in clients/replay.py's format.
func replayLibPQ(t *testing.T, u, file, schema, dbname string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("postgres", u)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	parts := strings.Split(string(b), "\n-- @@\n")
	var out strings.Builder
	for n, block := range parts[1:] {
		fmt.Fprintf(&out, "## %d\n", n+1)
		lines := strings.Split(block, "\n")
		only := ""
		for len(lines) > 0 {
			m := replayDirective.FindStringSubmatch(lines[0])
			if m == nil {
				break
			}
			if m[1] == "only" {
				only = m[2]
			}
			lines = lines[1:]
		}
		for len(lines) > 0 && (strings.TrimSpace(lines[len(lines)-1]) == "" || strings.HasPrefix(lines[len(lines)-1], "--")) {
			lines = lines[:len(lines)-1]
		}
		q := strings.NewReplacer("RPLDB", dbname, "RPL", schema).Replace(strings.Join(lines, "\n"))
		rows, err := db.Query(q)
		if err != nil {
			var pe *pq.Error
			if errors.As(err, &pe) {
				fmt.Fprintf(&out, "error: %s\n", pe.Code)
			} else {
				fmt.Fprintf(&out, "error: %v\n", err)
			}
			continue
		}
		for set := true; set; set = rows.NextResultSet() {
			cols, _ := rows.ColumnTypes()
			var names []string
			for _, c := range cols {
				names = append(names, fmt.Sprintf("%s:%s", c.Name(), c.DatabaseTypeName()))
			}
			fmt.Fprintf(&out, "columns: %s\n", strings.Join(names, ","))
			var got []string
			for rows.Next() {
				vals := make([]sql.NullString, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				keep := only == ""
				fields := make([]string, len(vals))
				for i, v := range vals {
					s := "NULL"
					if v.Valid {
						s = strings.ReplaceAll(v.String, schema, "RPL")
					}
					if replayMasked[strings.ToLower(cols[i].Name())] {
						s = "<masked>"
					}
					if prefix, ok := strings.CutPrefix(only, cols[i].Name()+"^="); ok {
						keep = keep || strings.HasPrefix(s, prefix)
					} else if value, ok := strings.CutPrefix(only, cols[i].Name()+"="); ok {
						keep = keep || s == value
					}
					fields[i] = s
				}
				if keep {
					got = append(got, strings.Join(fields, "|"))
				}
			}
			if !topOrderBy.MatchString(q) {
				sort.Strings(got)
			}
			for _, r := range got {
				out.WriteString(r + "\n")
			}
		}
		if err := rows.Err(); err != nil {
			var pe *pq.Error
			if errors.As(err, &pe) {
				fmt.Fprintf(&out, "error: %s\n", pe.Code)
			} else {
				fmt.Fprintf(&out, "error: %v\n", err)
			}
		}
		rows.Close()
	}
	return out.String()
}
