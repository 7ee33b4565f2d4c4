package testsql

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/sluicedb/sluice"

// allowed lists, for every package of the module, the sluice packages it
// may import directly (exact paths): the layering of
// ../shared/ARCHITECTURE.md §1 with the planner split of issue 13. A new
// package must be added here, with what it may see.
var allowed = map[string][]string{
	"sql/sqlerr":      {},
	"sql/ast":         {},
	"sql/types":       {"sql/sqlerr"},
	"sql/parse":       {"sql/ast", "sql/sqlerr", "sql/types"},
	"durable":         {},
	"cache":           {},
	"catalog":         {"durable", "sql/sqlerr", "sql/types"},
	"connectors":      {"sql/sqlerr", "sql/types"},
	"connectors/lake": {"connectors", "durable", "sql/sqlerr", "sql/types"},
	// pg_catalog and information_schema sit with the catalog, below the
	// engine: the session hands them what they need of the planner.
	"catalog/pgcatalog": {"catalog", "connectors", "sql/sqlerr", "sql/types"},
	// The engine, bottom up: expressions know no operators; plan nodes know
	// expressions but not how they run; exec runs plan nodes; the rules
	// rewrite plans (asking exec which operators have vectorized kernels);
	// bind builds plans from syntax trees; planner is the Plan API.
	"planner/expr":  {"connectors", "sql/ast", "sql/sqlerr", "sql/types"},
	"planner/plan":  {"connectors", "planner/expr", "sql/ast", "sql/sqlerr", "sql/types"},
	"planner/exec":  {"connectors", "planner/expr", "planner/plan", "sql/ast", "sql/sqlerr", "sql/types"},
	"planner":       {"connectors", "planner/exec", "planner/expr", "planner/plan", "sql/ast", "sql/parse", "sql/sqlerr", "sql/types"},
	"planner/rules": {"connectors", "planner/exec", "planner/expr", "planner/plan", "sql/ast", "sql/sqlerr", "sql/types"},
	"planner/bind": {"planner", "planner/exec", "planner/expr", "planner/plan", "planner/rules", "sql/ast", "sql/parse",
		"sql/sqlerr", "sql/types"},
	"server/pgwire": {"sql/sqlerr", "sql/types"},
	"server/session": {"cache", "catalog", "catalog/pgcatalog", "connectors", "connectors/lake", "planner", "planner/bind", "planner/expr",
		"planner/plan", "planner/rules", "server/pgwire", "sql/ast", "sql/parse", "sql/sqlerr", "sql/types"},
	"cmd/sluice": {"catalog", "server/pgwire", "server/session"},
	"testsql":    {"catalog", "server/pgwire", "server/session"},
}

func goList(t *testing.T, args ...string) []string {
	t.Helper()
	out, err := exec.Command("go", append([]string{"list"}, args...)...).Output()
	if err != nil {
		t.Fatalf("go list %v: %v", args, err)
	}
	return strings.Fields(string(out))
}

func TestImportGraph(t *testing.T) {
	for _, line := range goList(t, "-f", "{{.ImportPath}}:{{join .Imports \",\"}}", module+"/...") {
		pkg, imports, _ := strings.Cut(line, ":")
		rel := strings.TrimPrefix(pkg, module+"/")
		allow, listed := allowed[rel]
		if !listed {
			t.Errorf("package %s is not in the import table (testsql/imports_test.go): add it with what it may import", rel)
			continue
		}
		for _, imp := range strings.Split(imports, ",") {
			dep, own := strings.CutPrefix(imp, module+"/")
			if !own {
				continue
			}
			if !slices.Contains(allow, dep) {
				t.Errorf("%s must not import %s", rel, dep)
			}
		}
	}
	// cgo stops at sql/parse: nobody else imports pg_query directly.
	for _, line := range goList(t, "-f", "{{.ImportPath}}:{{join .Imports \",\"}}", module+"/...") {
		pkg, imports, _ := strings.Cut(line, ":")
		for _, imp := range strings.Split(imports, ",") {
			if strings.HasPrefix(imp, "github.com/pganalyze/pg_query_go") && pkg != module+"/sql/parse" {
				t.Errorf("%s imports %s; only sql/parse may", pkg, imp)
			}
			if pkg == module+"/server/pgwire" && strings.HasPrefix(imp, "github.com/jackc/pgx/v5") && imp != "github.com/jackc/pgx/v5/pgproto3" {
				t.Errorf("server/pgwire imports %s; it may use pgproto3 only", imp)
			}
		}
	}
	// No util/common grab-bags.
	for _, p := range goList(t, module+"/...") {
		if strings.HasSuffix(p, "/util") || strings.HasSuffix(p, "/common") || strings.HasSuffix(p, "/utils") {
			t.Errorf("package %s: no util or common packages", p)
		}
	}
}
