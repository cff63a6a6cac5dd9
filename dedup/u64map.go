package dedup

import "math/bits"

// u64map maps uint64 hashes to uint64 values: open addressing with linear
// probing over one array of pairs, outside the Go heap when large (like
// the table, see offheap.go). It has no single delete: entries that went
// stale are ignored by their readers and dropped by retain, at a sweep.
type u64map struct {
	s   []pair
	mem []byte // the mapping of s, or nil
	n   int
	h   *offHeap
}

type pair struct{ k, v uint64 }

// mapKey keeps 0 for empty slots.
func mapKey(k uint64) uint64 {
	if k == 0 {
		return 1
	}
	return k
}

// home is where k's probe starts: the key, mixed (Fibonacci hashing; some
// keys are plain FNV), scaled to the array's size.
func (m *u64map) home(k uint64) int {
	hi, _ := bits.Mul64(k*0x9E3779B97F4A7C15, uint64(len(m.s)))
	return int(hi)
}

func (m *u64map) get(k uint64) (uint64, bool) {
	if m.n == 0 {
		return 0, false
	}
	k = mapKey(k)
	for i := m.home(k); ; i = m.next(i) {
		switch m.s[i].k {
		case k:
			return m.s[i].v, true
		case 0:
			return 0, false
		}
	}
}

// next is the slot after i.
func (m *u64map) next(i int) int {
	if i++; i == len(m.s) {
		return 0
	}
	return i
}

// The map grows by half when it is 4/5 full: between 53% and 80% full.
func (m *u64map) put(k, v uint64) {
	if (m.n+1)*5 > len(m.s)*4 {
		m.resize(max(1024, len(m.s)*3/2), nil)
	}
	if m.place(mapKey(k), v) {
		m.n++
	}
}

// place stores k, v and reports whether k is new.
func (m *u64map) place(k, v uint64) bool {
	for i := m.home(k); ; i = m.next(i) {
		switch m.s[i].k {
		case k:
			m.s[i].v = v
			return false
		case 0:
			m.s[i] = pair{k, v}
			return true
		}
	}
}

// resize moves the entries keep accepts (all, when nil) to an array of
// size slots.
func (m *u64map) resize(size int, keep func(k, v uint64) bool) {
	old, oldMem := m.s, m.mem
	m.s, m.mem = makeOff[pair](m.h, size)
	m.s = m.s[:size]
	m.n = 0
	for _, p := range old {
		if p.k != 0 && (keep == nil || keep(p.k, p.v)) {
			m.place(p.k, p.v)
			m.n++
		}
	}
	m.h.release(oldMem)
}

// retain keeps the entries keep accepts, in an array sized for them.
func (m *u64map) retain(keep func(k, v uint64) bool) {
	n := 0
	for _, p := range m.s {
		if p.k != 0 && keep(p.k, p.v) {
			n++
		}
	}
	m.resize(max(1024, n*3/2), keep) // two thirds full
}
