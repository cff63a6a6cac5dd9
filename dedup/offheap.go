package dedup

import (
	"runtime"
	"sync/atomic"
	"unsafe"
)

// mapped counts the bytes of all indexes' mappings.
var mapped atomic.Int64

// MappedBytes returns the memory all indexes hold outside the Go heap.
func MappedBytes() int64 { return mapped.Load() }

// offHeapMin is the least size of an array kept outside the Go heap. The
// index's large arrays (the shingle table, the stories, their slabs and
// strings) hold no pointers and are most of a large index: kept in the
// heap, they would count towards the collector's goal, which lets the heap
// grow to twice what is live, index included. Outside it, a
// 200,000-article index takes its own size and no more. Small arrays
// (small indexes, tests) stay in the heap, where a page each is not
// wasted. (A variable so that tests can map every array.)
var offHeapMin = 64 << 10

// offHeap owns an index's anonymous memory mappings: each is released when
// the array it holds moves, and all of them when the index is unreachable.
type offHeap struct {
	maps map[*byte][]byte
}

// newOffHeap returns the mappings of owner, released when owner is
// unreachable.
func newOffHeap[T any](owner *T) *offHeap {
	h := &offHeap{maps: make(map[*byte][]byte)}
	runtime.AddCleanup(owner, (*offHeap).freeAll, h)
	return h
}

// mapBytes maps n zeroed bytes, or returns false when n is small or no
// mapping can be had (the caller then uses the heap).
func (h *offHeap) mapBytes(n int) ([]byte, bool) { return h.mapWith(n, mapAnon) }

// mapWith is mapBytes with the given mapper.
func (h *offHeap) mapWith(n int, mapper func(int) ([]byte, error)) ([]byte, bool) {
	if h == nil || n < offHeapMin {
		return nil, false
	}
	b, err := mapper(n)
	if err != nil {
		return nil, false
	}
	h.maps[&b[0]] = b
	mapped.Add(int64(len(b)))
	return b, true
}

// release frees a mapping returned by mapBytes (nil: nothing).
func (h *offHeap) release(b []byte) {
	if len(b) == 0 {
		return
	}
	delete(h.maps, &b[0])
	mapped.Add(-int64(len(b)))
	unmapAnon(b)
}

func (h *offHeap) freeAll() {
	for _, b := range h.maps {
		mapped.Add(-int64(len(b)))
		unmapAnon(b)
	}
	clear(h.maps)
}

// makeOff returns an empty slice of capacity c, outside the heap when it
// is large, and its mapping (nil in the heap). T must hold no pointers.
func makeOff[T any](h *offHeap, c int) ([]T, []byte) {
	var zero T
	if b, ok := h.mapBytes(c * int(unsafe.Sizeof(zero))); ok {
		return unsafe.Slice((*T)(unsafe.Pointer(&b[0])), c)[:0], b
	}
	return make([]T, 0, c), nil
}

// makeFilled is makeOff for an array of length c about to be written
// whole: a mapping's pages are mapped up front.
func makeFilled[T any](h *offHeap, c int) ([]T, []byte) {
	var zero T
	if b, ok := h.mapWith(c*int(unsafe.Sizeof(zero)), mapAnonFilled); ok {
		return unsafe.Slice((*T)(unsafe.Pointer(&b[0])), c), b
	}
	return make([]T, c), nil
}

// growOff makes room in s for need elements, moving it (and its mapping
// *mem) to a larger array when full.
func growOff[T any](h *offHeap, mem *[]byte, s []T, need int) []T {
	if need <= cap(s) {
		return s
	}
	ns, nm := makeOff[T](h, max(need, cap(s)+cap(s)/2, 16))
	ns = append(ns, s...)
	h.release(*mem)
	*mem = nm
	return ns
}
