package dedup

// shingleTable maps sampled shingle hashes to entries. It is an
// open-addressing hash table with linear probing over parallel arrays
// (10 bytes a slot), much smaller than a map[uint64]entry. Keys are the
// upper 32 bits of the shingle hash: two shingles that agree on them are
// taken for one (about one query shingle in 2^32/len, harmless: one stray
// hit never makes a match). Shingles seen in exactly two stories keep the
// earlier story in a side map.
type shingleTable struct {
	keys  []uint32 // 0: empty slot
	owner []uint32 // latest story with the shingle
	meta  []uint16 // df (3 bits, saturating) << 13 | member (13 bits)
	prev  map[uint32]uint32
	n     int
	gen   uint64 // changes whenever slots move
}

const (
	dfBits     = 3
	memberBits = 16 - dfBits
	maxMember  = 1<<memberBits - 1
	maxTableDF = 1<<dfBits - 1
)

// entry is what the index knows about a sampled shingle: the stories that
// contained it, which member of the latest added it, and in how many
// distinct stories it was seen (saturating). A shingle seen in more than
// maxDF stories is furniture or common phrasing and carries no weight; up
// to maxDF it still points at its stories, so one missed copy (a story
// split in two) does not blind the index to the story's text.
type entry struct {
	owner  uint32 // latest story with the shingle
	prev   uint32 // the story before it, when df == 2
	df     uint8
	member uint16
}

// Table sizing: the table grows by half when it is maxLoad full, so it is
// between 53% and 80% full (linear probing stays short at that load).
const (
	maxLoadNum, maxLoadDen = 4, 5
	minTableSize           = 1024
)

func newShingleTable(capacity int) *shingleTable {
	size := max(minTableSize, capacity*maxLoadDen/maxLoadNum*5/4)
	return &shingleTable{
		keys:  make([]uint32, size),
		owner: make([]uint32, size),
		meta:  make([]uint16, size),
		prev:  make(map[uint32]uint32),
	}
}

func tableKey(h uint64) uint32 {
	if k := uint32(h >> 32); k != 0 {
		return k
	}
	return 1
}

// slot returns the slot of key k, or the empty slot where it would go.
func (t *shingleTable) slot(k uint32) int {
	size := len(t.keys)
	i := int(uint64(k) * uint64(size) >> 32) // k is already uniform hash bits
	for t.keys[i] != 0 && t.keys[i] != k {
		if i++; i == size {
			i = 0
		}
	}
	return i
}

// get returns the entry of shingle h.
func (t *shingleTable) get(h uint64) (entry, bool) {
	_, e, ok := t.lookup(h)
	return e, ok
}

// lookup returns the slot of shingle h (where it is, or would go) and its
// entry.
func (t *shingleTable) lookup(h uint64) (int, entry, bool) {
	k := tableKey(h)
	i := t.slot(k)
	if t.keys[i] == 0 {
		return i, entry{}, false
	}
	return i, t.entryAt(i), true
}

func (t *shingleTable) entryAt(i int) entry {
	e := entry{owner: t.owner[i], df: uint8(t.meta[i] >> memberBits), member: t.meta[i] & maxMember}
	if e.df == 2 {
		e.prev = t.prev[t.keys[i]]
	}
	return e
}

// getAt is lookup with a slot found earlier (same gen): valid is false
// when the slot was taken by another shingle since.
func (t *shingleTable) getAt(i int, h uint64) (e entry, ok, valid bool) {
	switch t.keys[i] {
	case tableKey(h):
		return t.entryAt(i), true, true
	case 0:
		return entry{}, false, true
	}
	return entry{}, false, false
}

// putAt stores the entry of shingle h at slot i, found by lookup or
// validated by getAt.
func (t *shingleTable) putAt(i int, h uint64, e entry) {
	k := tableKey(h)
	if t.keys[i] == 0 {
		if (t.n+1)*maxLoadDen > len(t.keys)*maxLoadNum {
			t.grow()
			i = t.slot(k)
		}
		t.keys[i] = k
		t.n++
	}
	t.owner[i] = e.owner
	t.meta[i] = uint16(min(e.df, maxTableDF))<<memberBits | min(e.member, maxMember)
	if e.df == 2 {
		t.prev[k] = e.prev
	} else if e.df == 3 {
		delete(t.prev, k)
	}
}

func (t *shingleTable) grow() {
	old := *t
	t.gen++
	size := len(old.keys) * 3 / 2
	t.keys = make([]uint32, size)
	t.owner = make([]uint32, size)
	t.meta = make([]uint16, size)
	for i, k := range old.keys {
		if k != 0 {
			j := t.slot(k)
			t.keys[j], t.owner[j], t.meta[j] = k, old.owner[i], old.meta[i]
		}
	}
}

// len returns the number of shingles stored.
func (t *shingleTable) len() int { return t.n }

// retain returns a table with only the entries whose story keep accepts
// (for an entry in two stories, either of them).
func (t *shingleTable) retain(keep func(story uint32) bool) *shingleTable {
	n := 0
	for i, k := range t.keys {
		if k != 0 && t.alive(i, keep) {
			n++
		}
	}
	out := newShingleTable(n)
	out.gen = t.gen + 1
	for i, k := range t.keys {
		if k == 0 || !t.alive(i, keep) {
			continue
		}
		j := out.slot(k)
		out.keys[j], out.owner[j], out.meta[j] = k, t.owner[i], t.meta[i]
		out.n++
		if p, ok := t.prev[k]; ok && t.meta[i]>>memberBits == 2 {
			out.prev[k] = p
		}
	}
	return out
}

func (t *shingleTable) alive(i int, keep func(uint32) bool) bool {
	if keep(t.owner[i]) {
		return true
	}
	if t.meta[i]>>memberBits == 2 {
		return keep(t.prev[t.keys[i]])
	}
	return false
}
