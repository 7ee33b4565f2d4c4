package bind

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/sluicedb/sluice/planner"
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/planner/rules"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/parse"
	"github.com/sluicedb/sluice/sql/types"
)

// bigTable has enough rows for the vectorized operators to split the work
// across cores, with NULLs in every column.
func bigTable(n int) *plan.MemTable {
	t := plan.NewMemTable("test", "big", []plan.Column{{Name: "k", Type: types.Int4}, {Name: "s", Type: types.Text},
		{Name: "v", Type: types.Int8}, {Name: "b", Type: types.Bool}, {Name: "f", Type: types.Float8}})
	rows := make([][]types.Datum, n)
	for i := range rows {
		r := []types.Datum{int64(i % 97), fmt.Sprintf("s%d", i%13), int64(i) * 1_000_000_007, i%3 == 0, float64(i%1000) / 8}
		if i%17 == 0 {
			r[0] = nil
		}
		if i%19 == 0 {
			r[1] = nil
		}
		if i%23 == 0 {
			r[2] = nil
		}
		rows[i] = r
	}
	t.Append(rows)
	return t
}

func runAll(t *testing.T, tables plan.Tables, sql string, disabled map[string]bool) ([]string, string) {
	t.Helper()
	stmts, err := parse.Parse(sql)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := BindQueryOpts(stmts[0].AST.(*ast.Select), nil, tables, disabled)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := planner.CollectRows(context.Background(), plan, &expr.Env{Format: &types.Format{}}, nil)
	if err != nil {
		return nil, err.Error()
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		parts := make([]string, len(r))
		for j, d := range r {
			if d == nil {
				parts[j] = "NULL"
			} else {
				parts[j] = types.TextOf(plan.Columns[j].Type, d, nil)
			}
		}
		out[i] = strings.Join(parts, "|")
	}
	sort.Strings(out)
	return out, ""
}

// TestVectorizedMatchesRowEngine compares the vectorized (parallel) path
// with the row engine on a table large enough to be split.
func TestVectorizedMatchesRowEngine(t *testing.T) {
	tables := benchTables{"big": bigTable(600_000)}
	queries := []string{
		"SELECT k, count(*), count(s), sum(v), avg(v), min(s), max(v) FROM big GROUP BY k",
		"SELECT s, b, count(*), sum(k), avg(k), min(k) FROM big WHERE v > 5000000000 AND (b OR k < 10) GROUP BY s, b",
		"SELECT count(*), sum(k), max(s) FROM big WHERE s <> 's3' AND v IS NOT NULL",
		"SELECT b, sum(f), avg(f) FROM big GROUP BY b",
		"SELECT k % 7, count(*) FROM big WHERE k * 2 > 50 GROUP BY k % 7",
		"SELECT count(*) FROM big WHERE v * 10 > 0",
		"SELECT k, s FROM big WHERE k = 5 AND s = 's5'",
		"SELECT b, count(DISTINCT k), count(DISTINCT s), count(*) FROM big GROUP BY b",
		"SELECT count(DISTINCT v % 1000) FROM big WHERE s LIKE '%1%'",
		// Enough groups for the workers' states to be merged in parallel
		// hash partitions (parallelMergeMin), keyed by one integer (with a
		// NULL group) and by several columns.
		"SELECT v, count(*), sum(k), min(s), max(f), count(DISTINCT k), avg(v) FROM big GROUP BY v",
		"SELECT s, v % 100000, count(*), sum(v), max(k) FROM big GROUP BY s, v % 100000",
		"SELECT v % 300000, sum(f), count(*) FROM big GROUP BY 1",
	}
	for _, q := range queries {
		vec, verr := runAll(t, tables, q, nil)
		row, rerr := runAll(t, tables, q, rules.Disabled("all"))
		if verr != rerr {
			t.Fatalf("%s: errors differ: vectorized %q, rows %q", q, verr, rerr)
		}
		if strings.Join(vec, "\n") != strings.Join(row, "\n") {
			t.Fatalf("%s: results differ (%d vs %d rows)", q, len(vec), len(row))
		}
	}
	// The plan really is vectorized.
	stmts, _ := parse.Parse(queries[0])
	plan, err := BindQuery(stmts[0].AST.(*ast.Select), nil, tables)
	if err != nil {
		t.Fatal(err)
	}
	if ex := strings.Join(plan.Explain(), "\n"); !strings.Contains(ex, "Vector HashAggregate") {
		t.Fatalf("not vectorized:\n%s", ex)
	}
}

func TestDisabledRules(t *testing.T) {
	d := rules.Disabled(" TopN, hash_join ,")
	if !d["topn"] || !d["hash_join"] || d["vectorize"] {
		t.Fatalf("%v", d)
	}
	if all := rules.Disabled("all"); len(all) != len(rules.RuleNames()) {
		t.Fatalf("all = %v", all)
	}
}

func TestScaleIntervalMatchesPostgres(t *testing.T) {
	// Values PostgreSQL 15 prints for interval * factor.
	cases := []struct {
		iv   types.Interval
		f    float64
		want string
	}{
		{types.Interval{Months: 1}, 1.5, "1 mon 15 days"},
		{types.Interval{Days: 1}, 0.5, "12:00:00"},
		{types.Interval{Months: 1, Days: 1, Micros: 3600e6}, 2, "2 mons 2 days 02:00:00"},
		{types.Interval{Months: 13}, -1, "-1 years -1 mons"},
	}
	for _, c := range cases {
		if got := string(types.AppendInterval(nil, expr.ScaleInterval(c.iv, c.f, false))); got != c.want {
			t.Errorf("%v * %v = %q, want %q", c.iv, c.f, got, c.want)
		}
	}
}

// TestCustomPlanSeesParameters: a parameterized filter binds as a
// constant in a custom plan (BindQueryCustom), so it vectorizes — the
// generic plan cannot — and both give the same rows.
func TestCustomPlanSeesParameters(t *testing.T) {
	tables := benchTables{"big": bigTable(50_000)}
	stmts, err := parse.Parse("SELECT count(*), sum(v) FROM big WHERE k = $1 AND s <> $2")
	if err != nil {
		t.Fatal(err)
	}
	sel := stmts[0].AST.(*ast.Select)
	generic, err := BindQuery(sel, nil, tables)
	if err != nil {
		t.Fatal(err)
	}
	vals := []types.Datum{int64(5), "s5"}
	custom, err := BindQueryCustom(sel, generic.Params, vals, tables, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ex := strings.Join(custom.Explain(), "\n"); !strings.Contains(ex, "Vector") {
		t.Errorf("custom plan not vectorized:\n%s", ex)
	}
	if ex := strings.Join(generic.Explain(), "\n"); strings.Contains(ex, "Vector Filter") {
		t.Logf("generic plan vectorized too (kernels for parameters?):\n%s", ex)
	}
	ctx := context.Background()
	env := &expr.Env{Format: &types.Format{}}
	a, err := planner.CollectRows(ctx, generic, env, vals)
	if err != nil {
		t.Fatal(err)
	}
	b, err := planner.CollectRows(ctx, custom, env, vals)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(a) != fmt.Sprint(b) || a[0][0].(int64) == 0 {
		t.Fatalf("generic %v, custom %v", a, b)
	}
}
