package dedup

// shingleTable maps sampled shingle hashes to entries. It is an
// open-addressing hash table with linear probing over one array of 8-byte
// slots, much smaller than a map[uint64]entry, and a probe that finds its
// key has the whole entry in the same word (the table is far larger than
// the caches: each array touched is a miss).
//
// A slot packs, from the high bits: the key's 24 bits above the shard's
// (the shard is the key's low 8 bits, so the whole 32-bit key is known),
// the latest story with the shingle (24 bits, relative to the index's
// oldest live story number, so up to 2^24 live stories), the story count
// df (2 bits: 1, 2, or more) and which member of the latest story added it
// (14 bits). Keys are the upper 32 bits of the shingle hash: two shingles
// that agree on them are taken for one (about one query shingle in
// 2^32/len, harmless: one stray hit never makes a match). Shingles seen in
// exactly two stories keep the earlier story in a side map.
//
// The table is split in shards by the key's low bits, each growing on its
// own: growing one shard copies 1/256 of the table, so a large index never
// holds an old and a new copy of itself at once (that doubled the peak
// memory of a 200,000-article pass).
type shingleTable struct {
	shards  [nShards]shard
	mem     *offHeap // the shards' mappings
	prev    map[uint32]uint32
	base    uint32 // the oldest live story number: slots hold numbers modulo 2^24 from it
	n       int
	slots   int      // slots allocated in all shards
	gen     uint64   // changes whenever slots move
	scratch []uint64 // a shard's slots while retain rebuilds it in place
}

// shard is one part of the table. Its slots are found by the key's high
// bits.
type shard struct {
	kv      []uint64 // packed slots; 0: empty
	mapping []byte   // the mapping kv lives in, or nil in the heap
	n       int
}

const (
	shardBits = 8
	nShards   = 1 << shardBits
)

// Slot layout.
const (
	memberBits = 14
	dfBits     = 2
	ownerBits  = 24
	keyShift   = memberBits + dfBits + ownerBits // 40: 24 key bits
	ownerShift = memberBits + dfBits
	dfShift    = memberBits

	maxMember  = 1<<memberBits - 1
	maxTableDF = 1<<dfBits - 1 // "more than maxDF"
	ownerMask  = 1<<ownerBits - 1
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

// Shard sizing: a shard grows by a quarter when it is maxLoad full, so it
// is between 64% and 80% full (linear probing stays short at that load).
const (
	maxLoadNum, maxLoadDen = 4, 5
	growNum, growDen       = 5, 4
	minShardSize           = 64
)

func newShingleTable(capacity int, mem *offHeap) *shingleTable {
	t := &shingleTable{prev: make(map[uint32]uint32), mem: mem}
	size := max(minShardSize, capacity/nShards*maxLoadDen/maxLoadNum*growNum/growDen)
	for i := range t.shards {
		t.alloc(i, size)
	}
	return t
}

// alloc gives shard sn a new, empty array of size slots and returns the
// mapping of its old one, to release once it is no longer read.
func (t *shingleTable) alloc(sn, size int) (old []byte) {
	s := &t.shards[sn]
	t.slots += size - len(s.kv)
	old = s.mapping
	s.kv, s.mapping = makeOff[uint64](t.mem, size)
	s.kv = s.kv[:size]
	return old
}

// slotBytes is the memory of one slot.
const slotBytes = 8

// bytes returns the memory of the table's slots.
func (t *shingleTable) bytes() int64 { return int64(t.slots) * slotBytes }

// tableKey is the key of shingle hash h: its upper 32 bits, with some of
// the bits above the shard's set (a slot's stored key is never 0).
func tableKey(h uint64) uint32 {
	k := uint32(h >> 32)
	if k>>shardBits == 0 {
		k |= 1 << shardBits
	}
	return k
}

// slotKey is the part of key k a slot stores.
func slotKey(k uint32) uint64 { return uint64(k >> shardBits) }

func kvKey(kv uint64) uint64 { return kv >> keyShift }
func kvDF(kv uint64) uint8   { return uint8(kv>>dfShift) & maxTableDF }

// fullKey is the key of a slot of shard sn.
func fullKey(kv uint64, sn int) uint32 { return uint32(kvKey(kv))<<shardBits | uint32(sn) }

// owner is the story number stored in kv.
func (t *shingleTable) owner(kv uint64) uint32 {
	return t.base + (uint32(kv>>ownerShift)-t.base)&ownerMask
}

// thinBits are the bits of a shingle's hash that decide which shingles a
// thinned story keeps (see Index.thin): the key's bits above the shard's.
func thinBits(h uint64) uint32 { return tableKey(h) >> shardBits }

// keeps reports whether a story at level keeps shingle h: at level 0 every
// sampled shingle, at level L the 1 in 2^L whose thin bits end in L zeros.
func keeps(level uint8, h uint64) bool { return thinBits(h)&(1<<level-1) == 0 }

// kvKeeps is keeps for a stored slot.
func kvKeeps(level uint8, kv uint64) bool { return kvKey(kv)&(1<<level-1) == 0 }

// A slot is the slot's index in its shard, shifted, or'ed with the shard's
// number: it fits the int32 the query caches it in up to 2^23 slots a shard.
func slotOf(shardNum, i int) int { return i<<shardBits | shardNum }

func (t *shingleTable) at(slot int) (*shard, int) {
	return &t.shards[slot&(nShards-1)], slot >> shardBits
}

// home is where the probe for key k starts in s (k is already uniform
// hash bits).
func (s *shard) home(k uint32) int { return int(uint64(k) * uint64(len(s.kv)) >> 32) }

// slot returns the position of key k in s, or the empty position where it
// would go.
func (s *shard) slot(k uint32) int {
	size := len(s.kv)
	i := s.home(k)
	sk := slotKey(k)
	for key := kvKey(s.kv[i]); key != 0 && key != sk; key = kvKey(s.kv[i]) {
		if i++; i == size {
			i = 0
		}
	}
	return i
}

// touch loads the home slot of each shingle of hs, so that the cache
// misses of a document's lookups overlap instead of following one another
// (each is a miss: the table is far larger than the caches).
func (t *shingleTable) touch(hs []uint64) (sum uint64) {
	for _, h := range hs {
		k := tableKey(h)
		s := &t.shards[k&(nShards-1)]
		sum += s.kv[s.home(k)]
	}
	return sum
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
	sn := int(k & (nShards - 1))
	s := &t.shards[sn]
	i := s.slot(k)
	if s.kv[i] == 0 {
		return slotOf(sn, i), entry{}, false
	}
	return slotOf(sn, i), t.entryAt(s.kv[i], k), true
}

func (t *shingleTable) entryAt(kv uint64, k uint32) entry {
	e := entry{owner: t.owner(kv), df: kvDF(kv), member: uint16(kv & maxMember)}
	if e.df == 2 {
		e.prev = t.prev[k]
	}
	return e
}

// getAt is lookup with a slot found earlier (same gen): valid is false
// when the slot was taken by another shingle since.
func (t *shingleTable) getAt(slot int, h uint64) (e entry, ok, valid bool) {
	s, i := t.at(slot)
	k := tableKey(h)
	switch kvKey(s.kv[i]) {
	case slotKey(k):
		return t.entryAt(s.kv[i], k), true, true
	case 0:
		return entry{}, false, true
	}
	return entry{}, false, false
}

// putAt stores the entry of shingle h at slot, found by lookup or
// validated by getAt.
func (t *shingleTable) putAt(slot int, h uint64, e entry) {
	k := tableKey(h)
	s, i := t.at(slot)
	if s.kv[i] == 0 {
		if (s.n+1)*maxLoadDen > len(s.kv)*maxLoadNum {
			t.grow(slot & (nShards - 1))
			t.gen++
			i = s.slot(k)
		}
		s.n++
		t.n++
	}
	df := min(e.df, maxTableDF)
	s.kv[i] = slotKey(k)<<keyShift | uint64(e.owner&ownerMask)<<ownerShift | uint64(df)<<dfShift | uint64(min(e.member, maxMember))
	if e.df == 2 {
		t.prev[k] = e.prev
	} else if e.df == 3 {
		delete(t.prev, k)
	}
}

func (t *shingleTable) grow(sn int) {
	s := &t.shards[sn]
	old := *s
	region := t.alloc(sn, max(len(old.kv)*growNum/growDen, len(old.kv)+1))
	for _, kv := range old.kv {
		if kv != 0 {
			s.kv[s.slot(fullKey(kv, sn))] = kv
		}
	}
	t.mem.release(region)
}

// len returns the number of shingles stored.
func (t *shingleTable) len() int { return t.n }

// retain keeps only the entries of live stories, rebuilding one shard at
// a time so that the table is never held twice, and returns t. A story
// keeps only the shingles its level keeps (level returns -1 for a closed
// story). An entry of two stories that one of them no longer keeps is
// dropped; furniture (an entry of more than maxDF stories) stays while its
// latest story is live. own is called for each story of each informative
// entry kept (to recount what stories own). Shards get at least minSize
// slots.
func (t *shingleTable) retain(level func(story uint32) int, own func(story uint32), minSize int) *shingleTable {
	prev := make(map[uint32]uint32)
	t.n = 0
	t.gen++
	keep := func(kv uint64, sn int) bool {
		if kv == 0 {
			return false
		}
		lo, df := level(t.owner(kv)), kvDF(kv)
		if df > maxDF {
			return lo >= 0
		}
		lp := -1
		if df == 2 {
			lp = level(t.prev[fullKey(kv, sn)])
		}
		if lo < 0 && lp < 0 {
			return false
		}
		return (lo < 0 || kvKeeps(uint8(lo), kv)) && (lp < 0 || kvKeeps(uint8(lp), kv))
	}
	for sn := range t.shards {
		old := t.shards[sn]
		n := old.n // at most what is kept, and enough when minSize rules
		if n*maxLoadDen/maxLoadNum*growNum/growDen > minSize {
			n = 0
			for _, kv := range old.kv {
				if keep(kv, sn) {
					n++
				}
			}
		}
		var region []byte
		if size := max(minShardSize, minSize, n*maxLoadDen/maxLoadNum*growNum/growDen); size == len(old.kv) {
			// same size: rebuild in place from a copy (no new mapping to
			// fault in, and the copy stays in the cache)
			t.scratch = append(t.scratch[:0], old.kv...)
			old.kv = t.scratch
			clear(t.shards[sn].kv)
		} else {
			region = t.alloc(sn, size)
		}
		s := &t.shards[sn]
		s.n = 0
		for _, kv := range old.kv {
			if !keep(kv, sn) {
				continue
			}
			k, owner := fullKey(kv, sn), t.owner(kv)
			s.kv[s.slot(k)] = kv
			s.n++
			switch kvDF(kv) {
			case 1:
				own(owner)
			case 2:
				p := t.prev[k]
				prev[k] = p
				own(owner)
				own(p)
			}
		}
		t.mem.release(region)
		t.n += s.n
	}
	t.prev = prev
	return t
}

// reserve grows every shard that would have to grow before holding its
// share of n more entries, to at most maxSlots slots in all.
func (t *shingleTable) reserve(n, maxSlots int) {
	want := (t.n + n) / nShards * maxLoadDen / maxLoadNum * growNum / growDen
	want = min(want, maxSlots/nShards)
	for sn := range t.shards {
		s := &t.shards[sn]
		if len(s.kv) >= want {
			continue
		}
		old := *s
		region := t.alloc(sn, want)
		for _, kv := range old.kv {
			if kv != 0 {
				s.kv[s.slot(fullKey(kv, sn))] = kv
			}
		}
		t.mem.release(region)
		t.gen++
	}
}
