package testsql

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/sluicedb/sluice/sql/types"
)

var (
	sltFlag     = flag.String("slt", "", "run one .slt file (FILE or FILE:LINE)")
	rewriteFlag = flag.Bool("rewrite", false, "rewrite expected .slt results")
)

func TestSLT(t *testing.T) {
	files, err := filepath.Glob("testdata/*.slt")
	if err != nil {
		t.Fatal(err)
	}
	onlyLine := 0
	if *sltFlag != "" {
		name, line, _ := strings.Cut(*sltFlag, ":")
		onlyLine, _ = strconv.Atoi(line)
		files = []string{filepath.Join("testdata", filepath.Base(name))}
	}
	for _, f := range files {
		f := f
		t.Run(filepath.Base(f), func(t *testing.T) {
			recs, lines, err := ParseSLT(f)
			if err != nil {
				t.Fatal(err)
			}
			srv := Start(t)
			targets := []struct{ name, url string }{{"sluice", srv.URL("sluice", "")}}
			if strings.HasPrefix(filepath.Base(f), "pg_compat_") {
				ok := postgresReachable()
				Need(t, ok, "PostgreSQL at "+PostgresAddr()+" (the oracle for pg_compat files)")
				pg := struct{ name, url string }{"postgres", PostgresURL()}
				if *rewriteFlag {
					// Expectations of pg_compat files are PostgreSQL's answers.
					targets = targets[:0]
				}
				targets = append(targets, pg)
			}
			actual := map[*Record][]string{}
			for _, tg := range targets {
				runSLT(t, tg.name, tg.url, recs, onlyLine, actual)
			}
			if *rewriteFlag {
				if err := RewriteSLT(f, lines, recs, actual); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func postgresReachable() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	c, err := pgconn.Connect(ctx, PostgresURL())
	if err != nil {
		return false
	}
	c.Close(ctx)
	return true
}

func runSLT(t *testing.T, target, url string, recs []*Record, onlyLine int, actual map[*Record][]string) {
	ctx := context.Background()
	conn, err := pgconn.Connect(ctx, url)
	if err != nil {
		t.Fatalf("%s: connect: %v", target, err)
	}
	defer conn.Close(ctx)
	for _, r := range recs {
		if onlyLine > 0 && r.Line != onlyLine {
			// Statements before the chosen record still run, to set up state.
			if r.Line > onlyLine || r.Kind == "query" {
				continue
			}
		}
		where := fmt.Sprintf("%s line %d [%s]", t.Name(), r.Line, target)
		switch r.Kind {
		case "statement":
			_, err := conn.Exec(ctx, r.SQL).ReadAll()
			checkStatement(t, where, r, err)
		case "query":
			got, err := runQuery(ctx, conn, r.SQL, false)
			if err != nil {
				t.Errorf("%s: query failed: %v\n%s", where, err, r.SQL)
				continue
			}
			got = sortRows(got, r.Sort)
			if *rewriteFlag {
				actual[r] = got
				continue
			}
			if !equal(got, r.Expected) {
				t.Errorf("%s: result mismatch\n%s\n--- expected\n%s\n--- got\n%s", where, r.SQL, strings.Join(r.Expected, "\n"), strings.Join(got, "\n"))
				continue
			}
			// Verification: the same query through the extended protocol with
			// binary results must give the same rows.
			if strings.Contains(r.SQL, ";") || !rerunnable(r.SQL) {
				continue
			}
			bin, err := runQuery(ctx, conn, r.SQL, true)
			if err != nil {
				t.Errorf("%s: extended/binary run failed: %v\n%s", where, err, r.SQL)
				continue
			}
			if bin = sortRows(bin, r.Sort); !equal(bin, got) {
				t.Errorf("%s: extended/binary mismatch\n%s\n--- text\n%s\n--- binary\n%s", where, r.SQL, strings.Join(got, "\n"), strings.Join(bin, "\n"))
			}
			if target == "sluice" {
				// And with every rewrite rule disabled.
				if _, err := conn.Exec(ctx, "SET sluice.disabled_rules = 'all'").ReadAll(); err != nil {
					t.Fatal(err)
				}
				plain, err := runQuery(ctx, conn, r.SQL, false)
				if _, rerr := conn.Exec(ctx, "RESET sluice.disabled_rules").ReadAll(); rerr != nil {
					t.Fatal(rerr)
				}
				if err != nil {
					t.Errorf("%s: failed with rules disabled: %v\n%s", where, err, r.SQL)
				} else if plain = sortRows(plain, r.Sort); !equal(plain, got) {
					t.Errorf("%s: rules-disabled mismatch\n%s\n--- rules on\n%s\n--- rules off\n%s", where, r.SQL, strings.Join(got, "\n"), strings.Join(plain, "\n"))
				}
			}
		}
	}
}

// rerunnable reports whether running a query twice gives the same rows
// (FETCH and EXECUTE move cursors or may write).
func rerunnable(sql string) bool {
	f := strings.Fields(strings.ToLower(sql))
	return len(f) > 0 && (f[0] == "select" || f[0] == "values" || f[0] == "with" || f[0] == "show")
}

func checkStatement(t *testing.T, where string, r *Record, err error) {
	t.Helper()
	if r.OK {
		if err != nil {
			t.Errorf("%s: expected ok, got %v\n%s", where, err, r.SQL)
		}
		return
	}
	if err == nil {
		t.Errorf("%s: expected error, got ok\n%s", where, r.SQL)
		return
	}
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		t.Errorf("%s: expected a PostgreSQL error, got %v", where, err)
		return
	}
	if r.Code != "" && pe.Code != r.Code {
		t.Errorf("%s: expected SQLSTATE %s, got %s (%s)\n%s", where, r.Code, pe.Code, pe.Message, r.SQL)
	}
	if r.Regex != "" {
		if ok, _ := regexp.MatchString(r.Regex, pe.Message); !ok {
			t.Errorf("%s: error %q does not match %q", where, pe.Message, r.Regex)
		}
	}
}

// runQuery returns rows as lines of space-separated values (NULL, (empty)).
// With binary set, it uses the extended protocol with binary results and
// renders the values through sluice's own binary decoder and text encoder.
func runQuery(ctx context.Context, conn *pgconn.PgConn, sql string, binary bool) ([]string, error) {
	var res *pgconn.Result
	if binary {
		res = conn.ExecParams(ctx, sql, nil, nil, nil, []int16{1}).Read()
	} else {
		all, err := conn.Exec(ctx, sql).ReadAll()
		if err != nil {
			return nil, err
		}
		if len(all) == 0 {
			return nil, fmt.Errorf("no result")
		}
		res = all[len(all)-1]
	}
	if res.Err != nil {
		return nil, res.Err
	}
	f := &types.Format{ExtraFloatDigits: 1}
	if binary {
		tz := conn.ParameterStatus("TimeZone")
		if loc, err := types.ParseZone(tz); err == nil {
			f.Loc = loc
		}
		for _, fd := range res.FieldDescriptions {
			if fd.DataTypeOID == types.OIDFloat4 || fd.DataTypeOID == types.OIDFloat8 {
				r, err := conn.Exec(ctx, "SHOW extra_float_digits").ReadAll()
				if err == nil && len(r) == 1 && len(r[0].Rows) == 1 {
					f.ExtraFloatDigits, _ = strconv.Atoi(string(r[0].Rows[0][0]))
				}
				break
			}
		}
	}
	out := make([]string, 0, len(res.Rows))
	for _, row := range res.Rows {
		vals := make([]string, len(row))
		for i, v := range row {
			switch {
			case v == nil:
				vals[i] = "NULL"
			case binary:
				t := types.Type{OID: res.FieldDescriptions[i].DataTypeOID, Typmod: res.FieldDescriptions[i].TypeModifier}
				d, err := types.ParseBinary(t, v)
				if err != nil {
					return nil, fmt.Errorf("column %d: %w", i, err)
				}
				vals[i] = types.TextOf(t, d, f)
			default:
				vals[i] = string(v)
			}
			if vals[i] == "" {
				vals[i] = "(empty)"
			}
		}
		out = append(out, strings.Join(vals, " "))
	}
	return out, nil
}

func sortRows(rows []string, mode string) []string {
	switch mode {
	case "rowsort":
		sort.Strings(rows)
	case "valuesort":
		var vals []string
		for _, r := range rows {
			vals = append(vals, strings.Fields(r)...)
		}
		sort.Strings(vals)
		return vals
	}
	return rows
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

var tempTable = regexp.MustCompile(`(?i)\bCREATE\s+TEMP(ORARY)?\s+TABLE\b`)

// TestSLTLake runs the pg_compat corpus again with every table a managed
// lake table (Parquet files and snapshots in the warehouse) instead of an
// in-memory temporary one: the expectations are still PostgreSQL's.
func TestSLTLake(t *testing.T) {
	if testing.Short() {
		t.Skip("the lake run of the corpus is skipped in -short mode")
	}
	files, err := filepath.Glob("testdata/pg_compat_*.slt")
	if err != nil {
		t.Fatal(err)
	}
	if *sltFlag != "" {
		files = []string{filepath.Join("testdata", filepath.Base(*sltFlag))}
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			recs, _, err := ParseSLT(f)
			if err != nil {
				t.Fatal(err)
			}
			kept := recs[:0]
			for _, r := range recs {
				if strings.Contains(r.SQL, "pg_temp") {
					continue // about temporary tables as such
				}
				r.SQL = tempTable.ReplaceAllString(r.SQL, "CREATE TABLE")
				kept = append(kept, r)
			}
			recs = kept
			srv := Start(t)
			runSLT(t, "sluice-lake", srv.URL("sluice", ""), recs, 0, map[*Record][]string{})
		})
	}
}
