package expr

import (
	"fmt"
	"math/rand"
	"testing"
)

// TestStrSet checks strSet against Go's map through growth, duplicates,
// the empty string, batches and each.
func TestStrSet(t *testing.T) {
	s := NewStrSet()
	want := map[string]bool{}
	rng := rand.New(rand.NewSource(1))
	var batch []string
	for i := 0; i < 200_000; i++ {
		k := fmt.Sprintf("k%d", rng.Intn(50_000))
		if i%997 == 0 {
			k = ""
		}
		if i%2 == 0 {
			if got := s.Add(k); got == want[k] {
				t.Fatalf("add(%q) = %v with the key present: %v", k, got, want[k])
			}
			want[k] = true
			continue
		}
		batch = append(batch, k)
		if len(batch) == 256 {
			fresh := 0
			for _, b := range batch {
				if !want[b] {
					fresh++
					want[b] = true
				}
			}
			if n := s.AddBatch(batch); n != fresh {
				t.Fatalf("addBatch: %d new, want %d", n, fresh)
			}
			batch = batch[:0]
		}
	}
	if s.Len() != len(want) {
		t.Fatalf("len %d, want %d", s.Len(), len(want))
	}
	seen := map[string]bool{}
	s.Each(func(k []byte) { seen[string(k)] = true })
	for k := range want {
		if !seen[k] || s.Add(k) {
			t.Fatalf("%q missing", k)
		}
	}
}
