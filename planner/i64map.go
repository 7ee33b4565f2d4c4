package planner

// i64map is an open-addressing hash map from int64 keys to int32 values,
// for the vectorized operators' integer keys (group keys, join keys,
// count(DISTINCT) sets). Go's map pays for generality a fixed-width key
// does not need: a probe here is a multiply, a shift and, usually, one
// cache line.
type i64map struct {
	keys  []int64
	vals  []int32 // -1: empty slot
	n     int
	shift uint
}

func newI64Map(hint int) *i64map {
	bits := uint(4)
	for 1<<bits < 2*hint {
		bits++
	}
	m := &i64map{}
	m.alloc(bits)
	return m
}

func (m *i64map) alloc(bits uint) {
	m.keys = make([]int64, 1<<bits)
	m.vals = make([]int32, 1<<bits)
	for i := range m.vals {
		m.vals[i] = -1
	}
	m.shift = 64 - bits
}

// slot is where k is, or the empty slot where it would go.
func (m *i64map) slot(k int64) int {
	mask := len(m.keys) - 1
	s := int((uint64(k) * 0x9E3779B97F4A7C15) >> m.shift)
	for m.vals[s] >= 0 && m.keys[s] != k {
		s = (s + 1) & mask
	}
	return s
}

// get returns k's value.
func (m *i64map) get(k int64) (int32, bool) {
	s := m.slot(k)
	return m.vals[s], m.vals[s] >= 0
}

// put sets k's value (v ≥ 0) and returns the previous one (-1: none).
func (m *i64map) put(k int64, v int32) int32 {
	s := m.slot(k)
	old := m.vals[s]
	if old < 0 {
		if 2*(m.n+1) > len(m.keys) {
			m.grow()
			s = m.slot(k)
		}
		m.n++
		m.keys[s] = k
	}
	m.vals[s] = v
	return old
}

func (m *i64map) grow() {
	keys, vals := m.keys, m.vals
	m.alloc(64 - m.shift + 1)
	for i, v := range vals {
		if v >= 0 {
			s := m.slot(keys[i])
			m.keys[s], m.vals[s] = keys[i], v
		}
	}
}

// len is the number of keys.
func (m *i64map) len() int {
	if m == nil {
		return 0
	}
	return m.n
}

// each calls fn for every key and value.
func (m *i64map) each(fn func(k int64, v int32)) {
	for i, v := range m.vals {
		if v >= 0 {
			fn(m.keys[i], v)
		}
	}
}
