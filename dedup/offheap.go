package dedup

import "unsafe"

// offHeapMin is the least size of a shard's arrays kept outside the Go
// heap. The shingle table is most of a large index and holds no pointers:
// kept in the heap, it would count towards the collector's goal, which
// lets the heap grow to twice what is live, table included. Outside it, a
// 200,000-article index takes its own size and no more. Small shards (small
// indexes, tests) stay in the heap, where a page per shard is not wasted.
const offHeapMin = 64 << 10

// regions are the memory mappings of a table's shards, freed when a shard
// moves and when the table is unreachable.
type regions struct {
	m [nShards][]byte
}

// slotBytes is the memory of one slot: its kv word and its meta.
const slotBytes = 8 + 2

// alloc gives shard sn arrays of size slots and returns the mapping they
// replace, to be released once the old arrays are no longer read.
func (r *regions) alloc(sn, size int) (kv []uint64, meta []uint16, old []byte) {
	old = r.m[sn]
	r.m[sn] = nil
	n := size * slotBytes
	if n >= offHeapMin {
		if b, err := mapAnon(n); err == nil {
			r.m[sn] = b
			kv = unsafe.Slice((*uint64)(unsafe.Pointer(&b[0])), size)
			meta = unsafe.Slice((*uint16)(unsafe.Pointer(&b[size*8])), size)
			return kv, meta, old
		}
		// no mapping: the heap will do
	}
	return make([]uint64, size), make([]uint16, size), old
}

// release frees a mapping returned by alloc.
func release(b []byte) {
	if b != nil {
		unmapAnon(b)
	}
}

// freeAll releases every mapping (the table is unreachable).
func (r *regions) freeAll() {
	for i := range r.m {
		release(r.m[i])
		r.m[i] = nil
	}
}
