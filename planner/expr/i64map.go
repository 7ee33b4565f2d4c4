package expr

// I64map is an open-addressing hash map from int64 keys to int32 values,
// for the vectorized operators' integer keys (group keys, join keys,
// count(DISTINCT) sets). Go's map pays for generality a fixed-width key
// does not need: a probe here is a multiply, a shift and, usually, one
// cache line (key and value sit side by side).
type I64map struct {
	slots []i64slot
	n     int
	shift uint
	sink  int32 // touch's loads go here so the compiler keeps them
}

type i64slot struct {
	key int64
	val int32 // -1: empty
}

func NewI64Map(hint int) *I64map {
	bits := uint(4)
	for 1<<bits < 2*hint {
		bits++
	}
	m := &I64map{}
	m.alloc(bits)
	return m
}

func (m *I64map) alloc(bits uint) {
	m.slots = make([]i64slot, 1<<bits)
	for i := range m.slots {
		m.slots[i].val = -1
	}
	m.shift = 64 - bits
}

// slot is where k is, or the empty slot where it would go.
func (m *I64map) slot(k int64) int {
	mask := len(m.slots) - 1
	s := int((uint64(k) * 0x9E3779B97F4A7C15) >> m.shift)
	for m.slots[s].val >= 0 && m.slots[s].key != k {
		s = (s + 1) & mask
	}
	return s
}

// TouchBlock is how many probes touch loads ahead: enough misses in
// flight to hide memory latency, few enough lines to stay in L1/L2.
const TouchBlock = 256

// Touch loads the home slots of the selected keys. The loads are
// independent, so the CPU keeps many cache misses in flight at once; the
// probes that follow (each one waiting for its load before it can branch)
// then mostly hit cache. Tables small enough to stay cached skip it.
func (m *I64map) Touch(keys []int64, sel []int32) {
	if len(m.slots) < TouchMinSlots {
		return
	}
	var sink int32
	for _, r := range sel {
		sink += m.slots[(uint64(keys[r])*0x9E3779B97F4A7C15)>>m.shift].val
	}
	m.sink = sink
}

// TouchMinSlots: below 64 K slots (1 MB) the table stays in L2.
const TouchMinSlots = 1 << 16

// Get returns k's value.
func (m *I64map) Get(k int64) (int32, bool) {
	v := m.slots[m.slot(k)].val
	return v, v >= 0
}

// Put sets k's value (v ≥ 0) and returns the previous one (-1: none).
func (m *I64map) Put(k int64, v int32) int32 {
	s := m.slot(k)
	old := m.slots[s].val
	if old < 0 {
		if 2*(m.n+1) > len(m.slots) {
			m.grow()
			s = m.slot(k)
		}
		m.n++
		m.slots[s].key = k
	}
	m.slots[s].val = v
	return old
}

func (m *I64map) grow() {
	old := m.slots
	m.alloc(64 - m.shift + 1)
	for _, e := range old {
		if e.val >= 0 {
			m.slots[m.slot(e.key)] = e
		}
	}
}

// Len is the number of keys.
func (m *I64map) Len() int {
	if m == nil {
		return 0
	}
	return m.n
}

// Each calls fn for every key and value.
func (m *I64map) Each(fn func(k int64, v int32)) {
	for _, e := range m.slots {
		if e.val >= 0 {
			fn(e.key, e.val)
		}
	}
}
