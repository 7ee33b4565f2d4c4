package exec

import (
	"math"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/sql/types"
)

// TestSortPerm checks the normalized-key sort against a stable sort that
// compares datums, over every encoded type, NULLs, DESC, NULLS FIRST/LAST,
// several keys, text sharing long prefixes, and runs long enough for the
// radix path.
func TestSortPerm(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	words := []string{"", "a", "ab", "abc", "abcdefg", "abcdefgh", "abcdefghijklmno", "abcdefghijklmnop", "b", "ba", "\xff", "z"}
	gens := []func() types.Datum{
		func() types.Datum { return rng.Int63n(50) - 25 },
		func() types.Datum { return rng.Int63() - rng.Int63() },
		func() types.Datum {
			fs := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 1.5, -1.5, 1e300, -1e-300}
			return fs[rng.Intn(len(fs))]
		},
		func() types.Datum { return rng.Intn(2) == 0 },
		func() types.Datum { return types.Date(rng.Int31n(100) - 50) },
		func() types.Datum { return types.Timestamp(rng.Int63n(1000) - 500) },
		func() types.Datum {
			return words[rng.Intn(len(words))] + strings.Repeat("x", rng.Intn(3))
		},
		func() types.Datum { return []byte(words[rng.Intn(len(words))] + strings.Repeat("\x00", rng.Intn(3))) },
		func() types.Datum { return types.UUID{byte(rng.Intn(3)), 9: byte(rng.Intn(3))} },
		func() types.Datum { return types.Interval{Days: int32(rng.Intn(5))} }, // compared as datums
	}
	for trial := 0; trial < 300; trial++ {
		n := rng.Intn(40)
		if trial%10 == 0 {
			n = 500 + rng.Intn(3000)
		}
		nk := 1 + rng.Intn(3)
		var keys []expr.SortKey
		var cols []func() types.Datum
		for k := 0; k < nk; k++ {
			keys = append(keys, expr.SortKey{Idx: k, Desc: rng.Intn(2) == 0, NullsFirst: rng.Intn(2) == 0})
			cols = append(cols, gens[rng.Intn(len(gens))])
		}
		nullRate := rng.Intn(4)
		rows := make([][]types.Datum, n)
		for i := range rows {
			r := make([]types.Datum, nk+1)
			for k := range nk {
				if nullRate > 0 && rng.Intn(8) < nullRate {
					continue
				}
				r[k] = cols[k]()
			}
			r[nk] = int64(i)
			rows[i] = r
		}
		want := slices.Clone(rows)
		slices.SortStableFunc(want, func(a, b []types.Datum) int { return compareRows(a, b, keys) })
		got := slices.Clone(rows)
		sortRows(got, keys)
		for i := range want {
			if want[i][nk] != got[i][nk] {
				t.Fatalf("trial %d (n=%d keys=%+v): row %d is input %v, want %v\nwant %v\ngot  %v", trial, n, keys, i, got[i][nk], want[i][nk], want[max(0, i-2):min(n, i+3)], got[max(0, i-2):min(n, i+3)])
			}
		}
	}
}
