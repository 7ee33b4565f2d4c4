package expr

import (
	"math/rand/v2"
	"testing"
)

// TestI64Map checks the open-addressing map against Go's map over random
// puts and gets, through several growths, with keys that collide in the
// low bits and the extremes of int64.
func TestI64Map(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	m := NewI64Map(0)
	want := map[int64]int32{}
	for i := 0; i < 200_000; i++ {
		var k int64
		switch i % 4 {
		case 0:
			k = r.Int64N(1000) << 20 // same low bits
		case 1:
			k = -r.Int64N(5000)
		case 2:
			k = []int64{-1 << 63, 1<<63 - 1, 0}[r.IntN(3)]
		default:
			k = r.Int64()
		}
		v := int32(r.IntN(1 << 30))
		old, had := want[k]
		if !had {
			old = -1
		}
		if got := m.Put(k, v); got != old {
			t.Fatalf("put(%d): previous %d, want %d", k, got, old)
		}
		want[k] = v
		probe := r.Int64N(1000) << 20
		gv, ok := m.Get(probe)
		wv, wok := want[probe]
		if ok != wok || ok && gv != wv {
			t.Fatalf("get(%d) = %d, %v; want %d, %v", probe, gv, ok, wv, wok)
		}
	}
	if m.Len() != len(want) {
		t.Fatalf("len %d, want %d", m.Len(), len(want))
	}
	n := 0
	m.Each(func(k int64, v int32) {
		n++
		if want[k] != v {
			t.Fatalf("each: %d → %d, want %d", k, v, want[k])
		}
	})
	if n != len(want) {
		t.Fatalf("each visited %d keys, want %d", n, len(want))
	}
}
