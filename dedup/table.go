package dedup

import "runtime"

// shingleTable maps sampled shingle hashes to entries. It is an
// open-addressing hash table with linear probing over two parallel arrays
// (10 bytes a slot), much smaller than a map[uint64]entry: a key and its
// owner share one word, so a probe that finds its key has the owner in the
// same cache line (the table is far larger than the caches, and each
// array touched is a miss). Keys are the
// upper 32 bits of the shingle hash: two shingles that agree on them are
// taken for one (about one query shingle in 2^32/len, harmless: one stray
// hit never makes a match). Shingles seen in exactly two stories keep the
// earlier story in a side map.
//
// The table is split in shards by the key's low bits, each growing on its
// own: growing one shard copies 1/256 of the table, so a large index never
// holds an old and a new copy of itself at once (that doubled the peak
// memory of a 200,000-article pass).
type shingleTable struct {
	shards [nShards]shard
	mem    *regions // where the shards' arrays live when outside the heap
	prev   map[uint32]uint32
	n      int
	slots  int    // slots allocated in all shards
	gen    uint64 // changes whenever slots move
}

// shard is one part of the table. Its slots are found by the key's high
// bits.
type shard struct {
	kv   []uint64 // key << 32 | latest story with the shingle; key 0: empty slot
	meta []uint16 // df (3 bits, saturating) << 13 | member (13 bits)
	n    int
}

const (
	shardBits = 8
	nShards   = 1 << shardBits
)

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

// Shard sizing: a shard grows by a quarter when it is maxLoad full, so it
// is between 64% and 80% full (linear probing stays short at that load).
const (
	maxLoadNum, maxLoadDen = 4, 5
	growNum, growDen       = 5, 4
	minShardSize           = 64
)

func newShingleTable(capacity int) *shingleTable {
	t := &shingleTable{prev: make(map[uint32]uint32), mem: &regions{}}
	runtime.AddCleanup(t, (*regions).freeAll, t.mem)
	size := max(minShardSize, capacity/nShards*maxLoadDen/maxLoadNum*growNum/growDen)
	for i := range t.shards {
		t.alloc(i, size)
	}
	return t
}

// alloc gives shard sn new, empty arrays of size slots and returns the
// mapping of its old ones, to release once they are no longer read.
func (t *shingleTable) alloc(sn, size int) (old []byte) {
	s := &t.shards[sn]
	t.slots += size - len(s.kv)
	s.kv, s.meta, old = t.mem.alloc(sn, size)
	return old
}

// bytes returns the memory of the table's slots.
func (t *shingleTable) bytes() int64 { return int64(t.slots) * slotBytes }

// thinBits are the bits of a shingle's hash that decide which shingles a
// thinned story keeps (see Index.thin): bits of the key above the shard's.
func thinBits(h uint64) uint32 { return tableKey(h) >> shardBits }

// keeps reports whether a story at level keeps shingle h: at level 0 every
// sampled shingle, at level L the 1 in 2^L whose thin bits end in L zeros.
func keeps(level uint8, h uint64) bool { return thinBits(h)&(1<<level-1) == 0 }

// keyKeeps is keeps for a stored key.
func keyKeeps(level uint8, k uint32) bool { return (k>>shardBits)&(1<<level-1) == 0 }

func kvKey(kv uint64) uint32   { return uint32(kv >> 32) }
func kvOwner(kv uint64) uint32 { return uint32(kv) }

func tableKey(h uint64) uint32 {
	if k := uint32(h >> 32); k != 0 {
		return k
	}
	return 1
}

// A slot is the slot's index in its shard, shifted, or'ed with the shard's
// number: it fits the int32 the query caches it in up to 2^23 slots a shard.
func slotOf(shardNum, i int) int { return i<<shardBits | shardNum }

func (t *shingleTable) at(slot int) (*shard, int) {
	return &t.shards[slot&(nShards-1)], slot >> shardBits
}

// slot returns the position of key k in s, or the empty position where it
// would go.
func (s *shard) slot(k uint32) int {
	size := len(s.kv)
	i := int(uint64(k) * uint64(size) >> 32) // k is already uniform hash bits
	for key := kvKey(s.kv[i]); key != 0 && key != k; key = kvKey(s.kv[i]) {
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
	sn := int(k & (nShards - 1))
	s := &t.shards[sn]
	i := s.slot(k)
	if kvKey(s.kv[i]) == 0 {
		return slotOf(sn, i), entry{}, false
	}
	return slotOf(sn, i), t.entryAt(s, i), true
}

func (t *shingleTable) entryAt(s *shard, i int) entry {
	e := entry{owner: kvOwner(s.kv[i]), df: uint8(s.meta[i] >> memberBits), member: s.meta[i] & maxMember}
	if e.df == 2 {
		e.prev = t.prev[kvKey(s.kv[i])]
	}
	return e
}

// getAt is lookup with a slot found earlier (same gen): valid is false
// when the slot was taken by another shingle since.
func (t *shingleTable) getAt(slot int, h uint64) (e entry, ok, valid bool) {
	s, i := t.at(slot)
	switch kvKey(s.kv[i]) {
	case tableKey(h):
		return t.entryAt(s, i), true, true
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
	if kvKey(s.kv[i]) == 0 {
		if (s.n+1)*maxLoadDen > len(s.kv)*maxLoadNum {
			t.grow(slot & (nShards - 1))
			t.gen++
			i = s.slot(k)
		}
		s.n++
		t.n++
	}
	s.kv[i] = uint64(k)<<32 | uint64(e.owner)
	s.meta[i] = uint16(min(e.df, maxTableDF))<<memberBits | min(e.member, maxMember)
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
	for i, kv := range old.kv {
		if k := kvKey(kv); k != 0 {
			j := s.slot(k)
			s.kv[j], s.meta[j] = kv, old.meta[i]
		}
	}
	release(region)
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
	keep := func(s *shard, i int) bool {
		k, df := kvKey(s.kv[i]), s.meta[i]>>memberBits
		if k == 0 {
			return false
		}
		lo := level(kvOwner(s.kv[i]))
		if df > maxDF {
			return lo >= 0
		}
		lp := -1
		if df == 2 {
			lp = level(t.prev[k])
		}
		if lo < 0 && lp < 0 {
			return false
		}
		return (lo < 0 || keyKeeps(uint8(lo), k)) && (lp < 0 || keyKeeps(uint8(lp), k))
	}
	for sn := range t.shards {
		old := t.shards[sn]
		n := 0
		for i := range old.kv {
			if keep(&old, i) {
				n++
			}
		}
		region := t.alloc(sn, max(minShardSize, minSize, n*maxLoadDen/maxLoadNum*growNum/growDen))
		s := &t.shards[sn]
		s.n = 0
		for i, kv := range old.kv {
			if !keep(&old, i) {
				continue
			}
			k := kvKey(kv)
			j := s.slot(k)
			s.kv[j], s.meta[j] = kv, old.meta[i]
			s.n++
			switch df := old.meta[i] >> memberBits; {
			case df == 1:
				own(kvOwner(kv))
			case df == 2:
				p := t.prev[k]
				prev[k] = p
				own(kvOwner(kv))
				own(p)
			}
		}
		release(region)
		t.n += s.n
	}
	t.prev = prev
	return t
}
