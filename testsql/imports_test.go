package testsql

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/sluicedb/sluice"

// allowed lists, per package, the sluice packages (prefixes) it may import:
// the table of ../shared/ARCHITECTURE.md §1, enforced.
var allowed = map[string][]string{
	"sql/sqlerr":    {},
	"sql/ast":       {},
	"sql/types":     {"sql/sqlerr"},
	"sql/parse":     {"sql/"},
	"durable":       {},
	"catalog":       {"sql/", "durable"},
	"connectors":    {"sql/", "durable"},
	"planner":       {"sql/", "catalog", "connectors"},
	"server/pgwire": {"sql/sqlerr", "sql/types"},
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
	for pkg, allow := range allowed {
		for _, dep := range goList(t, "-deps", "-f", "{{.ImportPath}}", module+"/"+pkg) {
			if !strings.HasPrefix(dep, module+"/") || dep == module+"/"+pkg {
				continue
			}
			rel := strings.TrimPrefix(dep, module+"/")
			ok := false
			for _, a := range allow {
				if rel == a || strings.HasPrefix(rel, a) {
					ok = true
				}
			}
			if !ok {
				t.Errorf("%s must not import %s", pkg, rel)
			}
		}
	}
	// cgo stops at sql/parse: nobody else imports pg_query directly.
	for _, line := range goList(t, "-f", "{{.ImportPath}}:{{join .Imports \",\"}}", "./...") {
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
	for _, p := range goList(t, "./...") {
		if strings.HasSuffix(p, "/util") || strings.HasSuffix(p, "/common") || strings.HasSuffix(p, "/utils") {
			t.Errorf("package %s: no util or common packages", p)
		}
	}
}
