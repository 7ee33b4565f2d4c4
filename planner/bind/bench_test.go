package bind

import (
	"context"
	"fmt"
	"testing"

	"github.com/sluicedb/sluice/planner"
	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/parse"
	"github.com/sluicedb/sluice/sql/types"
)

// Operator benchmarks: each runs a query over an in-memory table and reports
// rows/s of input. Run with
//
//	go test ./planner -run '^$' -bench . -benchtime 3x
type benchTables map[string]*plan.MemTable

func (b benchTables) Relation(_, name string) (plan.Relation, error) {
	if t, ok := b[name]; ok {
		return t, nil
	}
	return nil, nil
}

var benchCache = map[string]*plan.MemTable{}

// intTable has n rows (k int8 = i % groups, v int8 = i, s text = "s" || i%groups).
func intTable(n, groups int) *plan.MemTable {
	key := fmt.Sprintf("%d/%d", n, groups)
	if t, ok := benchCache[key]; ok {
		return t
	}
	t := plan.NewMemTable("bench", "t", []plan.Column{{Name: "k", Type: types.Int8}, {Name: "v", Type: types.Int8}, {Name: "s", Type: types.Text}})
	rows := make([][]types.Datum, n)
	strs := make([]string, groups)
	for i := range strs {
		strs[i] = fmt.Sprintf("s%d", i)
	}
	for i := range rows {
		rows[i] = []types.Datum{int64(i % groups), int64((i * 7919) % n), strs[i%groups]}
	}
	t.Append(rows)
	benchCache[key] = t
	return t
}

func runBench(b *testing.B, sql string, tables benchTables, inputRows int) {
	stmts, err := parse.Parse(sql)
	if err != nil {
		b.Fatal(err)
	}
	plan, err := BindQuery(stmts[0].AST.(*ast.Select), nil, tables)
	if err != nil {
		b.Fatal(err)
	}
	env := &expr.Env{Format: &types.Format{}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := planner.Drain(context.Background(), plan, env, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(inputRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkHashAggregate16Groups(b *testing.B) {
	const n = 1_000_000
	runBench(b, "SELECT k, count(*), sum(v) FROM t GROUP BY k", benchTables{"t": intTable(n, 16)}, n)
}

func BenchmarkHashAggregate1MGroups(b *testing.B) {
	const n = 1_000_000
	runBench(b, "SELECT k, count(*), sum(v) FROM t GROUP BY k", benchTables{"t": intTable(n, n)}, n)
}

func BenchmarkHashJoin1MBuild(b *testing.B) {
	const n = 1_000_000
	t := intTable(n, n)
	runBench(b, "SELECT count(*) FROM t a JOIN t b ON a.k = b.v", benchTables{"t": t}, 2*n)
}

func BenchmarkSort1M(b *testing.B) {
	const n = 1_000_000
	runBench(b, "SELECT v FROM t ORDER BY v DESC", benchTables{"t": intTable(n, 16)}, n)
}

func BenchmarkTopN1M(b *testing.B) {
	const n = 1_000_000
	runBench(b, "SELECT v FROM t ORDER BY v DESC LIMIT 10", benchTables{"t": intTable(n, 16)}, n)
}

func BenchmarkFilterProject1M(b *testing.B) {
	const n = 1_000_000
	runBench(b, "SELECT v + 1, s FROM t WHERE k < 8 AND v % 3 = 0", benchTables{"t": intTable(n, 16)}, n)
}

func BenchmarkSort10M(b *testing.B) {
	const n = 10_000_000
	runBench(b, "SELECT v FROM t ORDER BY v DESC", benchTables{"t": intTable(n, 16)}, n)
}

func BenchmarkTopN10M(b *testing.B) {
	const n = 10_000_000
	runBench(b, "SELECT v FROM t ORDER BY v DESC LIMIT 10", benchTables{"t": intTable(n, 16)}, n)
}

func BenchmarkInSubquery1M(b *testing.B) {
	const n = 1_000_000
	runBench(b, "SELECT count(*) FROM t WHERE v IN (SELECT k FROM t WHERE k < 8)", benchTables{"t": intTable(n, 16)}, 2*n)
}

func BenchmarkCorrelatedExists100K(b *testing.B) {
	const n = 100_000
	runBench(b, "SELECT count(*) FROM t a WHERE EXISTS (SELECT 1 FROM t b WHERE b.v = a.k)", benchTables{"t": intTable(n, n)}, 2*n)
}

func BenchmarkHashJoinSmallLeft(b *testing.B) {
	const n = 1_000_000
	small := intTable(1000, 1000)
	runBench(b, "SELECT count(*) FROM s JOIN t ON s.v = t.k", benchTables{"t": intTable(n, n), "s": small}, n+1000)
}

func BenchmarkFilterLike1M(b *testing.B) {
	const n = 1_000_000
	runBench(b, "SELECT count(*) FROM t WHERE s LIKE '%1%'", benchTables{"t": intTable(n, 1000)}, n)
}

func BenchmarkCountDistinct1M(b *testing.B) {
	const n = 1_000_000
	runBench(b, "SELECT k, count(DISTINCT v % 1000) FROM t GROUP BY k", benchTables{"t": intTable(n, 16)}, n)
}

// BenchmarkRunningSum100K is a running total per partition (the default
// frame with ORDER BY): an aggregate state carried from row to row, not
// re-aggregated for each row (which would be 10^10/32 additions here).
func BenchmarkRunningSum100K(b *testing.B) {
	const n = 100_000
	runBench(b, "SELECT k, v, sum(v) OVER (PARTITION BY k ORDER BY v), count(*) OVER (PARTITION BY k) FROM t", benchTables{"t": intTable(n, 16)}, n)
}

// BenchmarkSuffixSum100K: a frame from the current row to the partition's
// end, walked backwards for order-independent aggregates.
func BenchmarkSuffixSum100K(b *testing.B) {
	const n = 100_000
	runBench(b, "SELECT k, v, sum(v) OVER (PARTITION BY k ORDER BY v ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM t", benchTables{"t": intTable(n, 16)}, n)
}

// BenchmarkNotExistsExpr100K: an anti join whose outer key is an
// expression (b.v = a.v + 1), hashed by the decorrelate rule.
func BenchmarkNotExistsExpr100K(b *testing.B) {
	const n = 100_000
	runBench(b, "SELECT count(*) FROM t a WHERE NOT EXISTS (SELECT 1 FROM t b WHERE b.v = a.v + 1)", benchTables{"t": intTable(n, 16)}, 2*n)
}

// BenchmarkCorrelatedAvg100K: WHERE v > (SELECT avg(v) … WHERE b.k = a.k),
// answered from one grouped run of the sub-query.
func BenchmarkCorrelatedAvg100K(b *testing.B) {
	const n = 100_000
	runBench(b, "SELECT count(*) FROM t a WHERE v > (SELECT avg(v) FROM t b WHERE b.k = a.k)", benchTables{"t": intTable(n, 16)}, 2*n)
}

// BenchmarkCorrelatedIn100K: v IN (SELECT … WHERE b.k = a.k), answered from
// one run of the sub-query hashed into a set per key.
func BenchmarkCorrelatedIn100K(b *testing.B) {
	const n = 100_000
	runBench(b, "SELECT count(*) FROM t a WHERE v + 1 IN (SELECT v FROM t b WHERE b.k = a.k)", benchTables{"t": intTable(n, 16)}, 2*n)
}

// BenchmarkRowHashJoin1MBuild: a join feeding a sort (the row engine's
// hash join, one integer key, 1 M build rows).
func BenchmarkRowHashJoin1MBuild(b *testing.B) {
	const n = 1_000_000
	t := intTable(n, n)
	runBench(b, "SELECT a.v, b.k FROM t a JOIN t b ON a.k = b.v ORDER BY 1 DESC LIMIT 5", benchTables{"t": t}, 2*n)
}
