package exec

import (
	"math"
	"slices"

	"github.com/sluicedb/sluice/planner/expr"
	"github.com/sluicedb/sluice/sql/types"
)

// Sorting by normalized keys.
//
// sortPerm orders rows most significant key first. Each run of rows that
// still tie is split by the next level: eight bytes of one key in an
// unsigned encoding that orders as the key does (sign bit flipped for
// integers, PostgreSQL's float order with NaN last and -0 = 0, text and
// bytea seven bytes at a time plus a length byte, all inverted for DESC).
// A long run is sorted by an LSD radix sort of those uint64s, which skips
// the bytes every key shares (a column of small integers takes two or
// three passes); a short run by pdqsort. A key whose type has no such
// encoding (numeric, interval, arrays, records) sorts the rest of its run
// by comparing datums. NULLs are split off before a key's first level and
// placed as the key says. Every tie keeps input order, so the sort is
// stable.

// sortItem is one row's position and its key at the level being sorted.
type sortItem struct {
	key uint64
	pos int32
}

type keySorter struct {
	rows  [][]types.Datum
	keys  []expr.SortKey
	items []sortItem
	tmp   []sortItem
}

// radixMin is the run length from which a radix sort beats pdqsort.
const radixMin = 256

// sortPerm returns the stable order of rows under keys: the i-th row of the
// result is rows[perm[i]].
func sortPerm(rows [][]types.Datum, keys []expr.SortKey) []int32 {
	s := &keySorter{rows: rows, keys: keys, items: make([]sortItem, len(rows))}
	for i := range s.items {
		s.items[i].pos = int32(i)
	}
	s.refine(0, len(rows), 0, 0)
	perm := make([]int32, len(rows))
	for i, it := range s.items {
		perm[i] = it.pos
	}
	return perm
}

// keyType names a datum's Go type for encodeKey; 0 has no encoding.
func keyType(d types.Datum) uint8 {
	switch d.(type) {
	case bool:
		return 1
	case int64:
		return 2
	case float64:
		return 3
	case types.Date:
		return 4
	case types.Timestamp:
		return 5
	case string:
		return 6
	case []byte:
		return 7
	case types.UUID:
		return 8
	}
	return 0
}

// refine sorts items[lo:hi], whose rows tie on the keys before k and on the
// levels of key k before off (a byte offset into bytes keys).
func (s *keySorter) refine(lo, hi, k, off int) {
	if hi-lo < 2 || k == len(s.keys) {
		return
	}
	key := s.keys[k]
	if off == 0 {
		// Split off the NULLs, keeping input order in both parts.
		var typ uint8
		nulls := 0
		for _, it := range s.items[lo:hi] {
			d := s.rows[it.pos][key.Idx]
			if d == nil {
				nulls++
				continue
			}
			if t := keyType(d); t == 0 || (typ != 0 && t != typ) {
				s.compareSort(lo, hi, k) // no encoding (or mixed types)
				return
			} else {
				typ = t
			}
		}
		if nulls > 0 {
			if nulls == hi-lo {
				s.refine(lo, hi, k+1, 0)
				return
			}
			s.partitionNulls(lo, hi, key, nulls)
			if key.NullsFirst {
				s.refine(lo, lo+nulls, k+1, 0)
				lo += nulls
			} else {
				s.refine(hi-nulls, hi, k+1, 0)
				hi -= nulls
			}
		}
	}
	run := s.items[lo:hi]
	more := false // a bytes value continues past this level
	for i := range run {
		var m bool
		run[i].key, m = encodeKey(s.rows[run[i].pos][key.Idx], off)
		more = more || m
		if key.Desc {
			run[i].key = ^run[i].key
		}
	}
	s.sortRun(run)
	for i := 0; i < len(run); {
		j := i + 1
		for j < len(run) && run[j].key == run[i].key {
			j++
		}
		if j-i > 1 {
			// A tied bytes value with a full level (length byte 8) goes on
			// to its next seven bytes; otherwise the next key decides.
			if more && (run[i].key^keyDescMask(key))&0xff == 8 {
				s.refine(lo+i, lo+j, k, off+7)
			} else {
				s.refine(lo+i, lo+j, k+1, 0)
			}
		}
		i = j
	}
}

func keyDescMask(k expr.SortKey) uint64 {
	if k.Desc {
		return math.MaxUint64
	}
	return 0
}

// partitionNulls moves the rows whose key is NULL to the front (NULLS
// FIRST) or back of items[lo:hi], stably.
func (s *keySorter) partitionNulls(lo, hi int, key expr.SortKey, nulls int) {
	run := s.items[lo:hi]
	tmp := s.scratch(len(run))
	ni, vi := 0, nulls // NULLs first
	if !key.NullsFirst {
		ni, vi = len(run)-nulls, 0
	}
	for _, it := range run {
		if s.rows[it.pos][key.Idx] == nil {
			tmp[ni] = it
			ni++
		} else {
			tmp[vi] = it
			vi++
		}
	}
	copy(run, tmp)
}

func (s *keySorter) scratch(n int) []sortItem {
	if s.tmp == nil {
		s.tmp = make([]sortItem, len(s.items))
	}
	return s.tmp[:n]
}

// compareSort sorts items[lo:hi] by comparing the rows' datums on keys k….
func (s *keySorter) compareSort(lo, hi, k int) {
	keys := s.keys[k:]
	slices.SortFunc(s.items[lo:hi], func(a, b sortItem) int {
		if c := compareRows(s.rows[a.pos], s.rows[b.pos], keys); c != 0 {
			return c
		}
		return int(a.pos - b.pos)
	})
}

// sortRun orders a run by key, ties by position.
func (s *keySorter) sortRun(run []sortItem) {
	if len(run) < radixMin {
		slices.SortFunc(run, func(a, b sortItem) int {
			switch {
			case a.key < b.key:
				return -1
			case a.key > b.key:
				return 1
			}
			return int(a.pos - b.pos)
		})
		return
	}
	// LSD radix sort, a byte a pass; stable, so ties stay in position
	// order (a run is in position order when it is refined).
	var counts [8][256]int
	for _, it := range run {
		for b := 0; b < 8; b++ {
			counts[b][byte(it.key>>(8*b))]++
		}
	}
	src, dst := run, s.scratch(len(run))
	for b := 0; b < 8; b++ {
		c := &counts[b]
		if c[byte(src[0].key>>(8*b))] == len(src) {
			continue // every key has this byte
		}
		sum := 0
		for v := range c {
			c[v], sum = sum, sum+c[v]
		}
		shift := uint(8 * b)
		for _, it := range src {
			v := byte(it.key >> shift)
			dst[c[v]] = it
			c[v]++
		}
		src, dst = dst, src
	}
	if &src[0] != &run[0] {
		copy(run, src)
	}
}

// encodeKey returns the level of a non-NULL datum at byte offset off as an
// unsigned integer ordered as the datum, and for bytes values whether the
// value continues past this level.
func encodeKey(d types.Datum, off int) (uint64, bool) {
	const sign = 1 << 63
	switch v := d.(type) {
	case bool:
		if v {
			return 1, false
		}
		return 0, false
	case int64:
		return uint64(v) ^ sign, false
	case types.Date:
		return uint64(int64(v)) ^ sign, false
	case types.Timestamp:
		return uint64(int64(v)) ^ sign, false
	case float64:
		if math.IsNaN(v) {
			return math.MaxUint64, false // NaN sorts above every number
		}
		if v == 0 {
			v = 0 // -0 = 0
		}
		b := math.Float64bits(v)
		if b&sign != 0 {
			return ^b, false
		}
		return b | sign, false
	case string:
		return encodeBytes(v, off)
	case []byte:
		return encodeBytes(string(v), off)
	case types.UUID:
		return encodeBytes(string(v[:]), off)
	}
	return 0, false
}

// encodeBytes packs bytes off…off+6 of s into the top seven bytes and how
// many of them exist (8: seven, and more follow) into the low byte, so that
// comparing levels one after another compares the strings bytewise, a
// prefix before its extensions.
func encodeBytes(s string, off int) (uint64, bool) {
	var k uint64
	n := len(s) - off
	for i := 0; i < 7; i++ {
		k <<= 8
		if i < n {
			k |= uint64(s[off+i])
		}
	}
	switch {
	case n > 7:
		return k<<8 | 8, true
	case n < 0:
		n = 0
	}
	return k<<8 | uint64(n), false
}
