package expr

import "hash/maphash"

// StrSet is a set of byte strings for count(DISTINCT …) over text (and
// over encoded keys of other kinds). A Go map[string]struct{} keeps each
// key in an allocation of its own and probes through a string header; here
// the keys sit end to end in one arena and a slot is 8 bytes (a 32-bit tag
// from the hash and the key's number), so a probe is one cache line of
// slots and, on a tag match, one read of the arena. addBatch hashes a block
// of keys first and loads their slots before probing (as i64map.touch).
type StrSet struct {
	slots []strSlot
	shift uint
	offs  []uint32 // key i is arena[offs[i]:offs[i+1]]
	arena []byte
	hs    []uint64 // addBatch's hashes
	sink  uint32
}

type strSlot struct {
	tag uint32
	idx uint32 // key number + 1; 0: empty
}

var strSeed = maphash.MakeSeed()

func NewStrSet() *StrSet {
	s := &StrSet{offs: []uint32{0}}
	s.alloc(6)
	return s
}

func (s *StrSet) alloc(bits uint) {
	s.slots = make([]strSlot, 1<<bits)
	s.shift = 64 - bits
}

// Len is the number of keys.
func (s *StrSet) Len() int {
	if s == nil {
		return 0
	}
	return len(s.offs) - 1
}

func (s *StrSet) key(i uint32) []byte { return s.arena[s.offs[i]:s.offs[i+1]] }

// Add inserts k; it reports whether k was new.
func (s *StrSet) Add(k string) bool { return s.addHashed(k, maphash.String(strSeed, k)) }

func (s *StrSet) addHashed(k string, h uint64) bool {
	mask := len(s.slots) - 1
	tag := uint32(h)
	for i := int(h >> s.shift); ; i = (i + 1) & mask {
		sl := s.slots[i]
		if sl.idx == 0 {
			if 2*(s.Len()+1) > len(s.slots) {
				s.grow()
				return s.addHashed(k, h)
			}
			s.arena = append(s.arena, k...)
			s.offs = append(s.offs, uint32(len(s.arena)))
			s.slots[i] = strSlot{tag: tag, idx: uint32(s.Len())}
			return true
		}
		if sl.tag == tag && string(s.key(sl.idx-1)) == k {
			return false
		}
	}
}

func (s *StrSet) grow() {
	old := s.slots
	s.alloc(64 - s.shift + 1)
	mask := len(s.slots) - 1
	for _, sl := range old {
		if sl.idx == 0 {
			continue
		}
		h := maphash.Bytes(strSeed, s.key(sl.idx-1))
		i := int(h >> s.shift)
		for s.slots[i].idx != 0 {
			i = (i + 1) & mask
		}
		s.slots[i] = sl
	}
}

// AddBatch inserts keys (hashes first, then their slots loaded, then the
// probes) and returns how many were new.
func (s *StrSet) AddBatch(keys []string) int {
	s.hs = s.hs[:0]
	for _, k := range keys {
		s.hs = append(s.hs, maphash.String(strSeed, k))
	}
	if len(s.slots) >= 1<<13 {
		var sink uint32
		for _, h := range s.hs {
			sink += s.slots[h>>s.shift].idx
		}
		s.sink = sink
	}
	n := 0
	for i, k := range keys {
		if s.addHashed(k, s.hs[i]) {
			n++
		}
	}
	return n
}

// Each calls fn with every key (valid only during the call).
func (s *StrSet) Each(fn func(k []byte)) {
	for i := 0; i < s.Len(); i++ {
		fn(s.key(uint32(i)))
	}
}

// Bytes is the memory the set holds, for the query's budget.
func (s *StrSet) Bytes() int64 {
	return int64(8*cap(s.slots) + 4*cap(s.offs) + cap(s.arena))
}
