package dedup

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"time"
	"unsafe"
)

// An index snapshot is the index's own memory written out: a process that
// loads one starts where another stopped, without inserting a document.
// Loading costs reading the file (some 400 bytes an article of the load
// newsroom), far less than rebuilding from sketches or texts. The format is
// this build's memory layout (the record sizes and byte order are checked),
// ends with a CRC-32C of everything before it, and is refused whole on any
// mismatch (ErrSnapshot): the caller rebuilds the index instead.

// ErrSnapshot is returned by ReadIndex for a snapshot it cannot use:
// another format or layout, other options, or damaged bytes.
var ErrSnapshot = errors.New("dedup: unusable index snapshot")

const (
	snapshotMagic   = "WDIXSNAP"
	snapshotVersion = 2 // 2: stories no longer keep a representative, nor the index preferred outlets
	// maxSnapshotArray bounds an array's size in a snapshot (bytes).
	maxSnapshotArray = 1 << 36
)

// snapshotLayout identifies the memory layout of the records written raw.
func snapshotLayout() [6]uint64 {
	return [6]uint64{snapshotVersion, sketchVersion, uint64(unsafe.Sizeof(story{})), uint64(unsafe.Sizeof(member{})),
		uint64(unsafe.Sizeof(pair{})), 0x0102030405060708}
}

// WriteTo writes a snapshot of the index to w (io.WriterTo). The index
// must not be used meanwhile.
func (ix *Index) WriteTo(w io.Writer) (int64, error) {
	sw := &snapWriter{w: bufio.NewWriterSize(w, 1<<20), crc: crc32.New(crc32.MakeTable(crc32.Castagnoli))}
	sw.bytes([]byte(snapshotMagic))
	for _, v := range snapshotLayout() {
		sw.u64(v)
	}
	sw.u64(uint64(ix.window))
	sw.u64(uint64(ix.budget))
	for _, v := range []int64{ix.thinAt, int64(ix.firstNum), int64(ix.nstories), ix.clock, ix.swept, int64(ix.docs), int64(ix.dead)} {
		sw.u64(uint64(v))
	}
	t := ix.shingles
	sw.u64(uint64(t.base))
	for i := range t.shards {
		sw.u64(uint64(t.shards[i].n))
		sw.raw(rawBytes(t.shards[i].kv))
	}
	sw.u64(uint64(len(t.prev)))
	for k, v := range t.prev {
		sw.u64(uint64(k)<<32 | uint64(v))
	}
	sw.raw(rawBytes(ix.stories))
	sw.raw(ix.state)
	sw.raw(rawBytes(ix.members.data))
	sw.u64(uint64(ix.members.waste))
	sw.raw(rawBytes(ix.titles.data))
	sw.u64(uint64(ix.titles.waste))
	sw.raw(ix.strs.b)
	sw.u64(uint64(len(ix.names.list)))
	for _, s := range ix.names.list {
		sw.str(s)
	}
	sw.raw(rawBytes(ix.keys.s))
	sw.u64(uint64(ix.keys.n))
	sw.raw(rawBytes(ix.exact.s))
	sw.u64(uint64(ix.exact.n))
	sw.u64(uint64(len(ix.keyClash)))
	for k, v := range ix.keyClash {
		sw.str(k)
		sw.u64(uint64(v))
	}
	sw.u64(uint64(len(ix.titleDF)))
	for k, v := range ix.titleDF {
		sw.u64(uint64(k)<<32 | uint64(v.last))
		sw.u64(uint64(v.n))
	}
	sum := sw.crc.Sum32()
	sw.u64(uint64(sum))
	if sw.err == nil {
		sw.err = sw.w.Flush()
	}
	return sw.n, sw.err
}

type snapWriter struct {
	w   *bufio.Writer
	crc hash.Hash32
	n   int64
	err error
	buf [8]byte
}

func (sw *snapWriter) bytes(b []byte) {
	if sw.err != nil {
		return
	}
	var n int
	n, sw.err = sw.w.Write(b)
	sw.crc.Write(b)
	sw.n += int64(n)
}

func (sw *snapWriter) u64(v uint64) {
	binary.LittleEndian.PutUint64(sw.buf[:], v)
	sw.bytes(sw.buf[:])
}

func (sw *snapWriter) raw(b []byte) {
	sw.u64(uint64(len(b)))
	sw.bytes(b)
}

func (sw *snapWriter) str(s string) { sw.raw([]byte(s)) }

// rawBytes is the memory of s.
func rawBytes[T any](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	var z T
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(z)))
}

// ReadIndex loads an index from a snapshot written by WriteTo with the
// same options (Window and Memory; other options are ErrSnapshot).
func ReadIndex(r io.Reader, opt Options) (*Index, error) {
	ix := NewIndex(opt)
	sr := &snapReader{r: bufio.NewReaderSize(r, 1<<20), crc: crc32.New(crc32.MakeTable(crc32.Castagnoli))}
	if err := ix.readSnapshot(sr); err != nil {
		return nil, err
	}
	want := sr.crc.Sum32()
	if got := sr.u64(); sr.err != nil || got != uint64(want) {
		return nil, fmt.Errorf("%w: checksum", ErrSnapshot)
	}
	return ix, nil
}

func (ix *Index) readSnapshot(sr *snapReader) error {
	bad := func(what string) error {
		if sr.err != nil && !errors.Is(sr.err, ErrSnapshot) {
			return fmt.Errorf("%w: %s: %v", ErrSnapshot, what, sr.err)
		}
		return fmt.Errorf("%w: %s", ErrSnapshot, what)
	}
	if string(sr.bytes(len(snapshotMagic))) != snapshotMagic {
		return bad("not a snapshot")
	}
	for _, v := range snapshotLayout() {
		if sr.u64() != v {
			return bad("another format or layout")
		}
	}
	if time.Duration(sr.u64()) != ix.window || int64(sr.u64()) != ix.budget {
		return bad("other window or memory options")
	}
	var sc [7]int64
	for i := range sc {
		sc[i] = int64(sr.u64())
	}
	ix.thinAt, ix.firstNum, ix.nstories, ix.clock, ix.swept, ix.docs, ix.dead =
		sc[0], uint32(sc[1]), int(sc[2]), sc[3], sc[4], int(sc[5]), int(sc[6])
	if err := ix.readTable(sr); err != nil {
		return bad(err.Error())
	}
	ix.stories, ix.storiesMap = readRaw[story](sr, ix.mem)
	ix.state, _ = readRaw[uint8](sr, nil)
	ix.members.data, ix.members.mem = readRaw[member](sr, ix.mem)
	ix.members.waste = int(sr.u64())
	ix.titles.data, ix.titles.mem = readRaw[uint32](sr, ix.mem)
	ix.titles.waste = int(sr.u64())
	ix.strs.b, ix.strs.mem = readRaw[byte](sr, ix.mem)
	names := sr.count(1 << 24)
	ix.names = names0(names)
	for i := range names {
		s := sr.str()
		if i == 0 {
			continue
		}
		ix.names.ids[s] = uint32(len(ix.names.list))
		ix.names.list = append(ix.names.list, s)
	}
	ix.keys.s, ix.keys.mem = readRaw[pair](sr, ix.mem)
	ix.keys.n = int(sr.u64())
	ix.exact.s, ix.exact.mem = readRaw[pair](sr, ix.mem)
	ix.exact.n = int(sr.u64())
	for range sr.count(1 << 30) {
		k := sr.str()
		ix.keyClash[k] = uint32(sr.u64())
	}
	for range sr.count(1 << 30) {
		kv, n := sr.u64(), sr.u64()
		ix.titleDF[uint32(kv>>32)] = titleDF{last: uint32(kv), n: uint16(n)}
	}
	if sr.err != nil {
		return bad("truncated")
	}
	return ix.checkSnapshot()
}

func names0(n int) names {
	nm := newNames()
	nm.list = make([]string, 1, max(n, 1))
	return nm
}

// readTable reads the shingle table.
func (ix *Index) readTable(sr *snapReader) error {
	t := ix.shingles
	t.base = uint32(sr.u64())
	t.n, t.slots = 0, 0
	for i := range t.shards {
		s := &t.shards[i]
		t.mem.release(s.mapping)
		s.n = int(sr.u64())
		s.kv, s.mapping = readRaw[uint64](sr, t.mem)
		if len(s.kv) == 0 || s.n >= len(s.kv) {
			return errors.New("shard sizes")
		}
		t.n += s.n
		t.slots += len(s.kv)
	}
	t.gen++
	for range sr.count(1 << 30) {
		kv := sr.u64()
		t.prev[uint32(kv>>32)] = uint32(kv)
	}
	return nil
}

// checkSnapshot checks that what refers into the loaded arrays stays in
// them, so that a snapshot that passed its checksum but was written by a
// broken build cannot make the index read out of bounds.
func (ix *Index) checkSnapshot() error {
	if len(ix.state) != len(ix.stories) {
		return fmt.Errorf("%w: story states", ErrSnapshot)
	}
	for i := range ix.stories {
		s := &ix.stories[i]
		if s.num != ix.firstNum+uint32(i) || !spanIn(s.members, len(ix.members.data)) || !spanIn(s.title, len(ix.titles.data)) ||
			uint64(s.key.off)+uint64(s.key.n) > uint64(len(ix.strs.b)) || int(s.origin) >= len(ix.names.list) {
			return fmt.Errorf("%w: story %d", ErrSnapshot, i)
		}
	}
	for _, m := range ix.members.data {
		if uint64(m.id.off)+uint64(m.id.n) > uint64(len(ix.strs.b)) || int(m.outlet) >= len(ix.names.list) {
			return fmt.Errorf("%w: members", ErrSnapshot)
		}
	}
	if !mapSized(&ix.keys) || !mapSized(&ix.exact) {
		return fmt.Errorf("%w: maps", ErrSnapshot)
	}
	return nil
}

func spanIn(sp span, n int) bool { return sp.n <= sp.cap && uint64(sp.off)+uint64(sp.cap) <= uint64(n) }

// mapSized reports whether a u64map's array has room for its entries (a
// probe always ends).
func mapSized(m *u64map) bool { return m.n == 0 || (m.n >= 0 && m.n < len(m.s)) }

type snapReader struct {
	r   *bufio.Reader
	crc hash.Hash32
	err error
	buf [8]byte
}

func (sr *snapReader) fill(b []byte) {
	if sr.err != nil {
		clear(b)
		return
	}
	if _, err := io.ReadFull(sr.r, b); err != nil {
		sr.err = err
		clear(b)
		return
	}
	sr.crc.Write(b)
}

func (sr *snapReader) bytes(n int) []byte {
	b := make([]byte, n)
	sr.fill(b)
	return b
}

func (sr *snapReader) u64() uint64 {
	sr.fill(sr.buf[:])
	return binary.LittleEndian.Uint64(sr.buf[:])
}

// count reads a count of at most limit.
func (sr *snapReader) count(limit int) int {
	n := sr.u64()
	if n > uint64(limit) {
		if sr.err == nil {
			sr.err = fmt.Errorf("%w: count %d", ErrSnapshot, n)
		}
		return 0
	}
	return int(n)
}

func (sr *snapReader) str() string {
	n := sr.count(1 << 20)
	return string(sr.bytes(n))
}

// readRaw reads an array of T written raw, outside the heap when large
// (h nil: in the heap), with its mapping.
func readRaw[T any](sr *snapReader, h *offHeap) ([]T, []byte) {
	var z T
	size := int(unsafe.Sizeof(z))
	n := sr.count(maxSnapshotArray)
	if n%size != 0 {
		if sr.err == nil {
			sr.err = fmt.Errorf("%w: array of %d bytes", ErrSnapshot, n)
		}
		return nil, nil
	}
	var s []T
	var mem []byte
	if h == nil {
		s = make([]T, n/size)
	} else {
		s, mem = makeFilled[T](h, n/size)
	}
	sr.fill(rawBytes(s))
	return s, mem
}
