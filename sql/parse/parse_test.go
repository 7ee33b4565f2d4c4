package parse

import (
	"testing"

	"github.com/sluicedb/sluice/sql/ast"
	"github.com/sluicedb/sluice/sql/sqlerr"
)

func TestSplitAndTags(t *testing.T) {
	stmts, err := Parse("BEGIN; SELECT 1; SET search_path = a, b; SHOW TimeZone; DECLARE c CURSOR WITH HOLD FOR SELECT 2; FETCH ALL FROM c; COMMIT")
	if err != nil {
		t.Fatal(err)
	}
	var tags []string
	for _, s := range stmts {
		tags = append(tags, s.Tag)
	}
	want := []string{"BEGIN", "SELECT", "SET", "SHOW", "DECLARE CURSOR", "FETCH", "COMMIT"}
	if len(tags) != len(want) {
		t.Fatalf("tags %v", tags)
	}
	for i := range want {
		if tags[i] != want[i] {
			t.Fatalf("tags %v, want %v", tags, want)
		}
	}
	if sv := stmts[2].AST.(*ast.SetVar); sv.Name != "search_path" || len(sv.Values) != 2 {
		t.Fatalf("set %+v", sv)
	}
	if d := stmts[4].AST.(*ast.Declare); !d.Hold || d.Name != "c" {
		t.Fatalf("declare %+v", d)
	}
	if f := stmts[5].AST.(*ast.Fetch); f.Count != ast.FetchAll {
		t.Fatalf("fetch %+v", f)
	}
	if stmts[1].SQL != "SELECT 1" {
		t.Fatalf("statement text %q", stmts[1].SQL)
	}
}

func TestEmpty(t *testing.T) {
	for _, q := range []string{"", ";", "-- ping", " ; ; "} {
		stmts, err := Parse(q)
		if err != nil || len(stmts) != 0 {
			t.Fatalf("%q: %v %v", q, stmts, err)
		}
	}
}

func TestSyntaxErrorPosition(t *testing.T) {
	_, err := Parse("SELECT 1 FROM WHERE x")
	e := sqlerr.From(err)
	if e.Code != sqlerr.SyntaxError || e.Message != `syntax error at or near "WHERE"` || e.Position != 15 {
		t.Fatalf("%+v", e)
	}
	_, err = Parse("SELECT 'é' FRM t")
	if e := sqlerr.From(err); e.Position != 16 { // PostgreSQL reports 16
		t.Fatalf("position counts characters, not bytes: %+v", e)
	}
}

func TestUnsupportedKeepsTag(t *testing.T) {
	stmts, err := Parse("CREATE SEQUENCE s")
	if err != nil {
		t.Fatal(err)
	}
	if u, ok := stmts[0].AST.(*ast.Unsupported); !ok || u.Tag != "CREATE SEQUENCE" {
		t.Fatalf("%#v", stmts[0].AST)
	}
}

func BenchmarkParseCached(b *testing.B) {
	q := "SELECT a, b, c FROM t WHERE a > $1 AND b LIKE 'x%' ORDER BY c LIMIT 10"
	for i := 0; i < b.N; i++ {
		if _, err := Parse(q); err != nil {
			b.Fatal(err)
		}
	}
}
