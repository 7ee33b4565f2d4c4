package testsql

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

var (
	randQueries = flag.Int("randsql", 1000, "number of random queries TestRandomQueriesMatchPostgres generates")
	randSeed    = flag.Uint64("randseed", 1, "seed of the random query generator")
)

// The schema both servers get for random queries: small tables with NULLs,
// duplicates and negative numbers.
var randSchema = []string{
	"CREATE TEMP TABLE t1 (a int, b int, c text, d numeric(6,2), e float8, f bool, g date)",
	"CREATE TEMP TABLE t2 (a int, b int8, c text, d numeric(8,3), f bool)",
	`INSERT INTO t1 VALUES (1, 10, 'apple', 1.50, 0.5, true, '2024-01-01'), (2, NULL, 'banana', -2.25, 1.5, false, '2024-02-29'),
	 (3, 30, NULL, 3.00, NULL, NULL, '2023-12-31'), (NULL, 40, 'cherry', NULL, -1.25, true, NULL), (5, 10, 'apple', 0.00, 2.0, false, '2024-01-01'),
	 (-6, -60, 'Date', 99.99, 3.75, true, '2000-06-15'), (7, 70, '', 7.77, 0, NULL, '1999-12-31'), (2, 20, 'banana', 1.50, 0.5, true, '2024-03-01')`,
	`INSERT INTO t2 VALUES (1, 100, 'apple', 1.5, true), (2, 200, 'kiwi', NULL, false), (2, 210, 'banana', 2.25, NULL),
	 (NULL, 300, NULL, 3.125, true), (8, NULL, 'fig', -8.0, false), (5, 500, 'apple', 0.001, true)`,
}

type gen struct {
	r      *rand.Rand
	tables []string // aliases in scope
	cols   map[string][]string
}

var colTypes = map[string]string{"a": "int", "b": "int", "c": "text", "d": "num", "e": "float", "f": "bool", "g": "date"}

func (g *gen) pick(xs ...string) string { return xs[g.r.IntN(len(xs))] }

func (g *gen) col(typ string) string {
	var cands []string
	for _, t := range g.tables {
		for _, c := range g.cols[t] {
			if colTypes[c] == typ {
				cands = append(cands, t+"."+c)
			}
		}
	}
	if len(cands) == 0 {
		return g.lit(typ)
	}
	return cands[g.r.IntN(len(cands))]
}

func (g *gen) lit(typ string) string {
	switch typ {
	case "int":
		return g.pick("0", "1", "2", "-3", "10", "NULL::int")
	case "text":
		return g.pick("'apple'", "'a'", "''", "'banana'", "NULL::text", "'Date'")
	case "num":
		return g.pick("1.5", "0.25", "-2", "100.125", "NULL::numeric")
	case "float":
		return g.pick("0.5::float8", "-1.25::float8", "2::float8")
	case "bool":
		return g.pick("true", "false", "NULL::bool")
	case "date":
		return g.pick("'2024-01-01'::date", "'2000-01-01'::date")
	}
	return "NULL"
}

// expr generates an expression of a type, depth-limited.
func (g *gen) expr(typ string, depth int) string {
	if depth <= 0 || g.r.IntN(3) == 0 {
		if g.r.IntN(4) == 0 {
			return g.lit(typ)
		}
		return g.col(typ)
	}
	d := depth - 1
	switch typ {
	case "int":
		switch g.r.IntN(10) {
		case 0:
			return "(" + g.expr("int", d) + " " + g.pick("+", "-", "*") + " " + g.expr("int", d) + ")"
		case 1:
			return "(" + g.expr("int", d) + " / " + g.pick("3", "-2", "7") + ")"
		case 2:
			return "(" + g.expr("int", d) + " % " + g.pick("3", "4") + ")"
		case 3:
			return "abs(" + g.expr("int", d) + ")"
		case 4:
			return "length(" + g.expr("text", d) + ")"
		case 5:
			return "COALESCE(" + g.expr("int", d) + ", " + g.expr("int", d) + ")"
		case 6:
			return "CASE WHEN " + g.expr("bool", d) + " THEN " + g.expr("int", d) + " ELSE " + g.expr("int", d) + " END"
		case 7:
			return "GREATEST(" + g.expr("int", d) + ", " + g.expr("int", d) + ")"
		case 8:
			return g.pick("array_length(ARRAY["+g.expr("int", d)+", "+g.lit("int")+"], 1)",
				"(ARRAY["+g.expr("int", d)+", "+g.expr("int", d)+"])["+g.pick("1", "2", "3")+"]",
				"(jsonb_build_object('k', "+g.expr("int", d)+") ->> 'k')::int",
				"cardinality(string_to_array("+g.expr("text", d)+", 'a'))")
		default:
			return "extract(" + g.pick("year", "month", "day", "dow") + " FROM " + g.expr("date", d) + ")::int"
		}
	case "text":
		switch g.r.IntN(7) {
		case 0:
			return "upper(" + g.expr("text", d) + ")"
		case 1:
			return "(" + g.expr("text", d) + " || " + g.expr("text", d) + ")"
		case 2:
			return "substr(" + g.expr("text", d) + ", " + g.pick("1", "2") + ", " + g.pick("2", "3") + ")"
		case 3:
			return "COALESCE(" + g.expr("text", d) + ", 'none')"
		case 4:
			return g.expr("int", d) + "::text"
		case 5:
			return "replace(" + g.expr("text", d) + ", 'a', 'o')"
		default:
			return "lower(" + g.expr("text", d) + ")"
		}
	case "num":
		switch g.r.IntN(4) {
		case 0:
			return "(" + g.expr("num", d) + " " + g.pick("+", "-", "*") + " " + g.expr("num", d) + ")"
		case 1:
			return "round(" + g.expr("num", d) + ", " + g.pick("0", "1") + ")"
		case 2:
			return "(" + g.expr("int", d) + " + " + g.expr("num", d) + ")"
		default:
			return "abs(" + g.expr("num", d) + ")"
		}
	case "float":
		return "(" + g.expr("float", d) + " " + g.pick("+", "*") + " " + g.expr("float", d) + ")"
	case "date":
		return "(" + g.expr("date", d) + " + " + g.pick("1", "30", "-1") + ")"
	case "bool":
		switch g.r.IntN(10) {
		case 0, 1:
			t := g.pick("int", "text", "num", "float", "date")
			return "(" + g.expr(t, d) + " " + g.pick("=", "<>", "<", "<=", ">", ">=") + " " + g.expr(t, d) + ")"
		case 2:
			return "(" + g.expr("bool", d) + " " + g.pick("AND", "OR") + " " + g.expr("bool", d) + ")"
		case 3:
			return "(NOT " + g.expr("bool", d) + ")"
		case 4:
			t := g.pick("int", "text", "bool", "num")
			return "(" + g.expr(t, d) + " IS " + g.pick("", "NOT ") + "NULL)"
		case 5:
			return "(" + g.expr("int", d) + " " + g.pick("", "NOT ") + "IN (" + g.lit("int") + ", " + g.lit("int") + ", " + g.expr("int", d) + "))"
		case 6:
			return "(" + g.expr("int", d) + " BETWEEN " + g.expr("int", d) + " AND " + g.expr("int", d) + ")"
		case 7:
			return "(" + g.expr("text", d) + " " + g.pick("LIKE", "ILIKE", "NOT LIKE") + " " + g.pick("'a%'", "'%an%'", "'_pple'", "'%'") + ")"
		case 8:
			return g.pick("("+g.expr("int", d)+" IS DISTINCT FROM "+g.expr("int", d)+")",
				"("+g.expr("int", d)+" = ANY(ARRAY["+g.lit("int")+", "+g.expr("int", d)+"]))",
				"("+g.expr("text", d)+" <> ALL('{apple,kiwi}'::text[]))",
				"(COALESCE("+g.expr("num", d)+", "+g.expr("int", d)+") > 1)",
				// Row constructors: pairwise comparisons, IN lists, IS NULL, and
				// against a correlated sub-query.
				"(("+g.expr("int", d)+", "+g.expr("text", d)+") "+g.pick("=", "<>", "<", "<=", ">", ">=")+" ("+g.lit("int")+", "+g.expr("text", d)+"))",
				"(("+g.expr("int", d)+", "+g.expr("int", d)+") "+g.pick("", "NOT ")+"IN (("+g.lit("int")+", "+g.lit("int")+"), ("+g.expr("int", d)+", "+g.lit("int")+")))",
				"(ROW("+g.expr("int", d)+", "+g.expr("text", d)+") IS "+g.pick("", "NOT ")+"NULL)",
				"(("+g.col("int")+", "+g.lit("int")+") "+g.pick("", "NOT ")+"IN (SELECT x.a, x.b FROM t2 x WHERE x.f IS NOT FALSE))")
		default:
			return g.pick("EXISTS (SELECT 1 FROM t2 x WHERE x.a = "+g.col("int")+")", g.col("int")+" IN (SELECT x.a FROM t2 x WHERE x.f)",
				"NOT EXISTS (SELECT 1 FROM t2 x WHERE x.a = "+g.col("int")+" + "+g.lit("int")+")",
				"EXISTS (SELECT 1 FROM t2 x WHERE "+g.col("int")+" * 2 = x.a AND x.f)",
				"(SELECT "+g.pick("count(*)", "sum(x.a)", "coalesce(max(x.a), -1)", "count(x.a) + 1")+" FROM t2 x WHERE x.a = "+g.col("int")+") > "+g.lit("int"))
		}
	}
	return "NULL"
}

// query generates one SELECT whose rows are comparable as a sorted set.
func (g *gen) query() string {
	g.tables = []string{"t1"}
	g.cols = map[string][]string{"t1": {"a", "b", "c", "d", "e", "f", "g"}, "t2": {"a", "b", "c", "d", "f"}}
	from := "t1"
	switch g.r.IntN(4) {
	case 1:
		g.tables = []string{"t1", "t2"}
		from = "t1 " + g.pick("JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN") + " t2 ON t1.a = t2.a"
	case 2:
		g.tables = []string{"t1", "t2"}
		from = "t1 JOIN t2 ON " + g.expr("bool", 1)
	}
	where := ""
	if g.r.IntN(2) == 0 {
		where = " WHERE " + g.expr("bool", 3)
	}
	if g.r.IntN(3) == 0 {
		// Grouped query.
		key := g.expr(g.pick("int", "text", "bool", "date"), 1)
		aggs := []string{"count(*)", "count(" + g.col("text") + ")", "sum(" + g.col("int") + ")", "min(" + g.expr("text", 1) + ")",
			"max(" + g.col("num") + ")", "avg(" + g.col("int") + ")", "count(DISTINCT " + g.col("int") + ")", "bool_or(" + g.expr("bool", 1) + ")",
			func() string { c := g.col("text"); return "string_agg(" + c + ", ',' ORDER BY " + c + ")" }()}
		agg := aggs[g.r.IntN(len(aggs))]
		having := ""
		if g.r.IntN(3) == 0 {
			having = " HAVING count(*) " + g.pick(">", ">=", "=") + " " + g.pick("1", "2")
		}
		group := "1"
		if g.r.IntN(4) == 0 {
			group = g.pick("ROLLUP (1)", "CUBE (1)", "GROUPING SETS ((1), ())")
		}
		return fmt.Sprintf("SELECT %s AS k, %s AS v FROM %s%s GROUP BY %s%s", key, agg, from, where, group, having)
	}
	if g.r.IntN(8) == 0 {
		g.tables = []string{"t1", "s"}
		g.cols["s"] = []string{"a"}
		return fmt.Sprintf("SELECT t1.a, s.a, %s FROM t1, LATERAL (SELECT generate_series(1, abs(COALESCE(t1.a, 0)) %% 3) AS a) s", g.expr("int", 1))
	}
	n := 1 + g.r.IntN(3)
	var sel []string
	for i := 0; i < n; i++ {
		sel = append(sel, fmt.Sprintf("%s AS x%d", g.expr(g.pick("int", "text", "num", "bool", "date", "float"), 2), i))
	}
	if g.r.IntN(4) == 0 {
		// A window function whose value does not depend on the order of ties.
		part := g.expr(g.pick("int", "text", "bool"), 1)
		ordType := g.pick("int", "text", "date")
		ord := g.col(ordType)
		w := g.pick("rank()", "dense_rank()", "count(*)", "sum("+g.col("int")+")", "max("+g.col("text")+")", "percent_rank()",
			"min("+g.col("int")+")", "avg("+g.col("int")+")", "count("+g.col("text")+")")
		frame := g.pick("", " RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING", " GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW", " GROUPS BETWEEN CURRENT ROW AND 2 FOLLOWING",
			" RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING", " GROUPS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING", " RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW")
		switch { // RANGE with offsets over the key's own kind of distance
		case ordType == "int" && g.r.IntN(3) == 0:
			frame = g.pick(" RANGE BETWEEN 2 PRECEDING AND 1 FOLLOWING", " RANGE BETWEEN CURRENT ROW AND 3 FOLLOWING", " RANGE BETWEEN 5 PRECEDING AND 2 PRECEDING")
			if g.r.IntN(2) == 0 {
				ord += " DESC"
			}
		case ordType == "date" && g.r.IntN(3) == 0:
			frame = g.pick(" RANGE BETWEEN INTERVAL '3 days' PRECEDING AND CURRENT ROW", " RANGE BETWEEN INTERVAL '1 day' PRECEDING AND INTERVAL '2 days' FOLLOWING")
		}
		sel = append(sel, fmt.Sprintf("%s OVER (PARTITION BY %s ORDER BY %s%s) AS w", w, part, ord, frame))
		n++
	}
	distinct := ""
	if g.r.IntN(5) == 0 {
		distinct = "DISTINCT "
	}
	q := fmt.Sprintf("SELECT %s%s FROM %s%s", distinct, strings.Join(sel, ", "), from, where)
	if g.r.IntN(10) == 0 {
		q = "WITH w AS (" + q + ") SELECT * FROM w"
	} else if g.r.IntN(6) == 0 {
		q += " " + g.pick("UNION", "UNION ALL", "INTERSECT", "EXCEPT", "EXCEPT ALL") + " " + fmt.Sprintf("SELECT %s FROM t1", strings.Join(func() []string {
			var s []string
			for i := 0; i < n; i++ {
				s = append(s, "NULL")
			}
			return s
		}(), ", "))
	}
	return q
}

type outcome struct {
	rows []string
	code string
	msg  string
}

func runOutcome(ctx context.Context, c *pgconn.PgConn, q string) outcome {
	res, err := c.Exec(ctx, q).ReadAll()
	if err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) {
			return outcome{code: pe.Code, msg: pe.Message}
		}
		return outcome{code: "conn", msg: err.Error()}
	}
	var rows []string
	for _, r := range res[len(res)-1].Rows {
		vals := make([]string, len(r))
		for i, v := range r {
			if v == nil {
				vals[i] = "NULL"
			} else {
				vals[i] = "'" + string(v) + "'"
			}
		}
		rows = append(rows, strings.Join(vals, " "))
	}
	sort.Strings(rows)
	return outcome{rows: rows}
}

// TestRandomQueriesMatchPostgres generates random queries over a small schema
// and runs each on sluice and on PostgreSQL: sluice must never answer XX000
// or crash, every result it returns must equal PostgreSQL's, and where it
// declines it must say 0A000.
func TestRandomQueriesMatchPostgres(t *testing.T) {
	Need(t, postgresReachable(), "PostgreSQL at "+PostgresAddr())
	ctx := context.Background()
	srv := Start(t)
	sc, err := pgconn.Connect(ctx, srv.URL("sluice", ""))
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close(ctx)
	pc, err := pgconn.Connect(ctx, PostgresURL())
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close(ctx)
	for _, s := range randSchema {
		for _, c := range []*pgconn.PgConn{sc, pc} {
			if _, err := c.Exec(ctx, s).ReadAll(); err != nil {
				t.Fatalf("schema: %v\n%s", err, s)
			}
		}
	}
	g := &gen{r: rand.New(rand.NewPCG(*randSeed, 7))}
	var equal, bothErr, unsupported, mismatch int
	for i := 0; i < *randQueries; i++ {
		q := g.query()
		so, po := runOutcome(ctx, sc, q), runOutcome(ctx, pc, q)
		switch {
		case so.code == "XX000" || so.code == "conn":
			t.Fatalf("query %d: sluice failed internally: %s\n%s", i, so.msg, q)
		case so.code == "0A000":
			unsupported++
		case so.code != "" && po.code != "":
			bothErr++
			if so.code != po.code {
				t.Errorf("query %d: sluice %s (%s), PostgreSQL %s (%s)\n%s", i, so.code, so.msg, po.code, po.msg, q)
				mismatch++
			}
		case so.code != "" || po.code != "":
			t.Errorf("query %d: sluice [%s %s] vs PostgreSQL [%s %s]\n%s", i, so.code, so.msg, po.code, po.msg, q)
			mismatch++
		case strings.Join(so.rows, "\n") != strings.Join(po.rows, "\n"):
			t.Errorf("query %d: results differ\n%s\n--- sluice\n%s\n--- postgres\n%s", i, q, strings.Join(so.rows, "\n"), strings.Join(po.rows, "\n"))
			mismatch++
		default:
			equal++
		}
		if mismatch > 10 {
			t.Fatal("too many mismatches")
		}
	}
	t.Logf("random queries: %d equal, %d errors on both (same SQLSTATE), %d unsupported (0A000), %d mismatched", equal, bothErr, unsupported, mismatch)
}
