package catalog

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestFileStoreCommitsAtomically(t *testing.T) {
	dir := t.TempDir()
	st, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	before := st.Snapshot()
	if before.Schemas["public"] == nil {
		t.Fatal("a new catalog has schema public")
	}
	_, err = st.Update(func(s *State) error {
		s.Schemas["a"] = &Namespace{ID: s.NewID(), Name: "a"}
		s.Relations[Key("a", "t")] = &Relation{ID: s.NewID(), Schema: "a", Name: "t", Kind: Managed,
			Columns: []Column{{Name: "x", TypeOID: 23, Typmod: -1}}}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Snapshots are immutable: the old one did not change.
	if before.Schemas["a"] != nil || before.Lookup("a", "t") != nil {
		t.Fatal("an update changed an earlier snapshot")
	}
	// A failing update changes nothing, on disk or in memory.
	cur := st.Snapshot()
	if _, err := st.Update(func(s *State) error {
		delete(s.Relations, Key("a", "t"))
		return errors.New("no")
	}); err == nil {
		t.Fatal("expected the error")
	}
	if st.Snapshot() != cur {
		t.Fatal("a failed update replaced the state")
	}
	// Reopening reads the last committed state; no temp files remain.
	again, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := again.Snapshot().Lookup("a", "t")
	if r == nil || r.Columns[0].Name != "x" || again.Snapshot().Version != cur.Version {
		t.Fatalf("reopened: %+v", again.Snapshot())
	}
	if r.ID < firstID {
		t.Fatalf("object ID %d below %d", r.ID, firstID)
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if filepath.Ext(e.Name()) != ".json" {
			t.Errorf("leftover file %s", e.Name())
		}
	}
}

func TestFileStoreRejectsCorruptFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "catalog.json"), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenStore(dir); err == nil {
		t.Fatal("a corrupt catalog opened")
	}
}
