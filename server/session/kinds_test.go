package session

import (
	"testing"

	"github.com/sluicedb/sluice/catalog"
	"github.com/sluicedb/sluice/sql/ast"
)

// TestRelKinds checks the registry's invariants, which a new kind must
// keep: one entry per catalog kind, each scannable, a PostgreSQL relkind,
// an error for writes when not writable; and which kind a CREATE TABLE
// creates.
func TestRelKinds(t *testing.T) {
	seen := map[catalog.Kind]bool{}
	for _, k := range relKinds {
		if seen[k.kind] {
			t.Errorf("kind %q registered twice", k.kind)
		}
		seen[k.kind] = true
		if k.open == nil {
			t.Errorf("kind %q: no open", k.kind)
		}
		switch k.relkind {
		case "r", "v", "m", "f":
		default:
			t.Errorf("kind %q: relkind %q is not PostgreSQL's", k.kind, k.relkind)
		}
		if !k.writable && k.notWritable == nil {
			t.Errorf("kind %q: not writable but no error for writes", k.kind)
		}
		if k.claims != nil && k.create == nil {
			t.Errorf("kind %q: claims CREATE TABLE but cannot create", k.kind)
		}
	}
	for _, want := range []catalog.Kind{catalog.Managed, catalog.External, catalog.View} {
		if !seen[want] {
			t.Errorf("kind %q not registered", want)
		}
	}
	for opts, want := range map[string]catalog.Kind{"": catalog.Managed, "location": catalog.External, "partitioned_by": catalog.Managed} {
		x := &ast.CreateTable{Options: map[string]string{}}
		if opts != "" {
			x.Options[opts] = "x"
		}
		if got := createKind(x).kind; got != want {
			t.Errorf("CREATE TABLE WITH (%s): kind %q, want %q", opts, got, want)
		}
	}
	if relkind(&catalog.Relation{Kind: catalog.View}) != "v" || hasStorage(&catalog.Relation{Kind: catalog.View}) {
		t.Error("a view is relkind v without storage")
	}
}
