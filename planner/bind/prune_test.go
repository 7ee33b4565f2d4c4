package bind

import (
	"strings"
	"testing"
)

// TestPruneOutputs: a column of a sub-query that the aggregation above does
// not read is not computed when it is immutable (here it would divide by
// zero), with the prune_outputs rule on; a volatile one still is, and with
// the rule off everything is.
func TestPruneOutputs(t *testing.T) {
	tables := benchTables{"t": intTable(100, 10)}
	divides := func(errText string) bool { return strings.Contains(errText, "division by zero") }
	pruned := "SELECT count(*) FROM (SELECT k, 1 / (k - k) AS z, md5(s) AS m FROM t) x"
	if rows, errText := runAll(t, tables, pruned, nil); errText != "" || len(rows) != 1 || rows[0] != "100" {
		t.Fatalf("%s: got %v %q; want 100", pruned, rows, errText)
	}
	filtered := "SELECT count(*), sum(k) FROM (SELECT k, 1 / (k - k) AS z FROM t) x WHERE k > 4"
	if rows, errText := runAll(t, tables, filtered, nil); errText != "" || len(rows) != 1 || rows[0] != "50|350" {
		t.Fatalf("%s: got %q %q; want 50, 350", filtered, rows, errText)
	}
	if _, errText := runAll(t, tables, pruned, map[string]bool{"prune_outputs": true}); !divides(errText) {
		t.Fatalf("rule off: want division by zero, got %q", errText)
	}
	for _, q := range []string{
		"SELECT count(*) FROM (SELECT k, random() + 1 / (k - k) AS z FROM t) x",  // volatile
		"SELECT count(z) FROM (SELECT k, 1 / (k - k) AS z FROM t) x",             // read
		"SELECT count(*) FROM (SELECT k, 1 / (k - k) AS z FROM t) x WHERE z > 0", // read by the filter
	} {
		if _, errText := runAll(t, tables, q, nil); !divides(errText) {
			t.Fatalf("%s: want division by zero, got %q", q, errText)
		}
	}
}
