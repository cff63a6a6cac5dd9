package dedup

// The index keeps its stories free of pointers: a window holds hundreds of
// thousands of small records, which the collector would otherwise trace at
// every cycle and whose headers would outweigh their contents. Stories
// refer to their members, titles and strings by offsets into a few large
// arrays (slabs), which a sweep compacts.

// span is a run of a slab: n used of cap, from off.
type span struct{ off, n, cap uint32 }

// slab holds the runs of many owners back to back. A run that outgrows its
// capacity moves to the end; what it leaves behind is waste until the next
// compaction.
type slab[T any] struct {
	data  []T
	waste int
	h     *offHeap
	mem   []byte // the mapping of data, or nil
}

func (sl *slab[T]) get(sp span) []T { return sl.data[sp.off : sp.off+sp.n : sp.off+sp.cap] }

// push appends v to the run sp.
func (sl *slab[T]) push(sp *span, v T) {
	sl.reserve(sp)
	sl.data[sp.off+sp.n] = v
	sp.n++
}

// insert puts v at position i of the run sp.
func (sl *slab[T]) insert(sp *span, i int, v T) {
	sl.reserve(sp)
	run := sl.data[sp.off : sp.off+sp.n+1]
	copy(run[i+1:], run[i:])
	run[i] = v
	sp.n++
}

// reserve makes room in sp for one more element.
func (sl *slab[T]) reserve(sp *span) { sl.reserveN(sp, 1) }

// reserveN makes room in sp for k more elements: a run that must move
// gets exactly what it needs the first time, and twice its capacity after.
func (sl *slab[T]) reserveN(sp *span, k uint32) {
	if sp.n+k <= sp.cap {
		return
	}
	c := sp.n + k
	if sp.cap > 0 {
		c = max(c, 2*sp.cap)
	}
	off := uint32(len(sl.data))
	sl.data = growOff(sl.h, &sl.mem, sl.data, len(sl.data)+int(c))
	sl.data = append(sl.data, sl.data[sp.off:sp.off+sp.n]...)
	sl.data = sl.data[:int(off)+int(c)]
	clear(sl.data[int(off)+int(sp.n):])
	sl.waste += int(sp.cap)
	*sp = span{off: off, n: sp.n, cap: c}
}

// compactInto copies the run sp into dst (tight) and returns its new span.
func (sl *slab[T]) compactInto(dst *slab[T], sp span) span {
	off := uint32(len(dst.data))
	dst.data = growOff(dst.h, &dst.mem, dst.data, len(dst.data)+int(sp.n))
	dst.data = append(dst.data, sl.get(sp)...)
	return span{off: off, n: sp.n, cap: sp.n}
}

// strRef is a string kept in a byte arena.
type strRef struct{ off, n uint32 }

// arena holds strings back to back.
type arena struct {
	b   []byte
	h   *offHeap
	mem []byte // the mapping of b, or nil
}

func (a *arena) add(s string) strRef {
	r := strRef{uint32(len(a.b)), uint32(len(s))}
	a.b = growOff(a.h, &a.mem, a.b, len(a.b)+len(s))
	a.b = append(a.b, s...)
	return r
}

func (a *arena) addBytes(b []byte) strRef {
	r := strRef{uint32(len(a.b)), uint32(len(b))}
	a.b = growOff(a.h, &a.mem, a.b, len(a.b)+len(b))
	a.b = append(a.b, b...)
	return r
}

func (a *arena) str(r strRef) string { return string(a.b[r.off : r.off+r.n]) }

// is reports whether r holds s, without a copy.
func (a *arena) is(r strRef, s string) bool { return string(a.b[r.off:r.off+r.n]) == s }

// names interns the few distinct strings many records share (outlets,
// agencies): id 0 is the empty string.
type names struct {
	ids  map[string]uint32
	list []string
}

func newNames() names { return names{ids: map[string]uint32{"": 0}, list: []string{""}} }

func (n *names) id(s string) uint32 {
	if id, ok := n.ids[s]; ok {
		return id
	}
	id := uint32(len(n.list))
	n.ids[s] = id
	n.list = append(n.list, s)
	return id
}

// lookup returns the id of s, or false when s was never interned.
func (n *names) lookup(s string) (uint32, bool) {
	id, ok := n.ids[s]
	return id, ok
}
