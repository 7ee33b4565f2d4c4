package bind

import (
	"reflect"
	"testing"

	"github.com/sluicedb/sluice/planner/exec"
	"github.com/sluicedb/sluice/planner/plan"
	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/parse"
)

// planHolds reports whether any value reachable from v has type T.
func planHolds[T any](v any) bool {
	want := reflect.TypeFor[T]()
	seen := map[uintptr]bool{}
	var walk func(reflect.Value) bool
	walk = func(x reflect.Value) bool {
		if !x.IsValid() {
			return false
		}
		if x.Type() == want {
			return true
		}
		switch x.Kind() {
		case reflect.Pointer:
			if x.IsNil() || seen[x.Pointer()] {
				return false
			}
			seen[x.Pointer()] = true
			return walk(x.Elem())
		case reflect.Interface:
			return walk(x.Elem())
		case reflect.Struct:
			for i := 0; i < x.NumField(); i++ {
				if walk(x.Field(i)) {
					return true
				}
			}
		case reflect.Slice, reflect.Array:
			for i := 0; i < x.Len(); i++ {
				if walk(x.Index(i)) {
					return true
				}
			}
		}
		return false
	}
	return walk(reflect.ValueOf(v))
}

// bindForTest binds sql and returns its plan's root.
func bindForTest(t *testing.T, sql string, tables plan.Tables) plan.Node {
	t.Helper()
	stmts, err := parse.Parse(sql)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := BindQuery(stmts[0].AST.(*ast.Select), nil, tables)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return plan.Root
}

// TestDecorrelateOuterExpressions: EXISTS correlated through inner = f(outer)
// becomes a hash probe when f reads only the outer row, and stays a
// per-row sub-query when a name inside could mean an inner column or f
// calls a function (which may be volatile). The corpus proves results.
func TestDecorrelateOuterExpressions(t *testing.T) {
	tables := benchTables{"t": intTable(100, 4), "u": intTable(50, 4)}
	for _, c := range []struct {
		sql    string
		hashed bool
	}{
		{"SELECT count(*) FROM t a WHERE EXISTS (SELECT 1 FROM u b WHERE b.v = a.v)", true},
		{"SELECT count(*) FROM t a WHERE NOT EXISTS (SELECT 1 FROM u b WHERE b.v = a.v + 1)", true},
		{"SELECT count(*) FROM t a WHERE EXISTS (SELECT 1 FROM u b WHERE (a.k * 2)::int8 = b.v AND b.k > 1)", true},
		{"SELECT count(*) FROM t a WHERE EXISTS (SELECT 1 FROM u b WHERE b.v = a.v + b.k)", false},
		{"SELECT count(*) FROM t a WHERE EXISTS (SELECT 1 FROM u b WHERE b.v = a.v + k)", false}, // k is b.k
		{"SELECT count(*) FROM t a WHERE EXISTS (SELECT 1 FROM u b WHERE b.v = abs(a.v))", false},
		{"SELECT count(*) FROM t a WHERE EXISTS (SELECT 1 FROM u b WHERE b.v = 1)", false},
	} {
		if got := planHolds[*exec.ExistsHashExpr](bindForTest(t, c.sql, tables)); got != c.hashed {
			t.Errorf("%s: hashed = %v, want %v", c.sql, got, c.hashed)
		}
	}
}

// TestDecorrelateScalarAggregates: a correlated scalar aggregate becomes a
// grouped hash lookup; other shapes (no aggregate, LIMIT, volatile calls,
// a correlated aggregate argument) stay per row.
func TestDecorrelateScalarAggregates(t *testing.T) {
	tables := benchTables{"t": intTable(100, 4), "u": intTable(50, 4)}
	for _, c := range []struct {
		sql    string
		hashed bool
	}{
		{"SELECT count(*) FROM t a WHERE a.v > (SELECT avg(b.v) FROM u b WHERE b.k = a.k)", true},
		{"SELECT a.k, (SELECT 0.2 * count(*) FROM u b WHERE b.k = a.k + 1 AND b.v > 3) FROM t a", true},
		{"SELECT (SELECT max(b.s) FROM u b WHERE b.k = a.k AND b.v = a.v) FROM t a", true},
		{"SELECT (SELECT b.v FROM u b WHERE b.k = a.k LIMIT 1) FROM t a", false},
		{"SELECT (SELECT max(b.v) FROM u b WHERE b.k = a.k LIMIT 1) FROM t a", false},
		{"SELECT (SELECT max(b.v + a.v) FROM u b WHERE b.k = a.k) FROM t a", false},
		{"SELECT (SELECT max(b.v) FROM u b WHERE b.k = a.k AND random() < 0.5) FROM t a", false},
		{"SELECT (SELECT max(b.v) FROM u b WHERE b.k = a.k GROUP BY b.s LIMIT 1) FROM t a", false},
	} {
		if got := planHolds[*exec.ScalarAggHashExpr](bindForTest(t, c.sql, tables)); got != c.hashed {
			t.Errorf("%s: hashed = %v, want %v", c.sql, got, c.hashed)
		}
	}
}
