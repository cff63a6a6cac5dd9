package dedup

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// A Fingerprint's binary form lets a pipeline keep each document's
// features beside the document (a store column, a file) and rebuild an
// index from them without the texts: InsertFingerprint skips the
// normalization and shingling that dominate Insert. The form is
//
//	version (1 byte, sketchVersion)
//	words (uvarint)
//	content hash, URL hash (8 bytes each, little-endian)
//	n (uvarint), then n sampled shingle hashes (8 bytes each, ascending)
//
// about 8 bytes per sampled shingle: some 60% of a text's own size. A
// form of another version is refused (ErrSketchVersion): the caller falls
// back to the text.

// sketchVersion changes whenever the features a text gives change
// (normalization, shingling, sampling, hashing).
const sketchVersion = 1

// ErrSketchVersion is returned when a sketch was made by a version of the
// fingerprinting that this one does not read; fingerprint the text again.
var ErrSketchVersion = errors.New("dedup: sketch of another version")

// maxSketchWords bounds the word count a sketch may claim.
const maxSketchWords = 1 << 30

// AppendBinary appends the binary form of p to b (encoding.BinaryAppender).
// The form holds the features, not the text or URL they came from.
func (p *Fingerprint) AppendBinary(b []byte) ([]byte, error) {
	b = append(b, sketchVersion)
	b = binary.AppendUvarint(b, uint64(p.f.words))
	b = binary.LittleEndian.AppendUint64(b, p.f.content)
	b = binary.LittleEndian.AppendUint64(b, p.f.url)
	b = binary.AppendUvarint(b, uint64(len(p.f.shingles)))
	for _, h := range p.f.shingles {
		b = binary.LittleEndian.AppendUint64(b, h)
	}
	return b, nil
}

// MarshalBinary returns the binary form of p (encoding.BinaryMarshaler).
func (p *Fingerprint) MarshalBinary() ([]byte, error) {
	return p.AppendBinary(make([]byte, 0, 20+8*len(p.f.shingles)))
}

// UnmarshalBinary sets p from its binary form (encoding.BinaryUnmarshaler).
// The bytes usually come from disk: anything malformed (truncated, trailing
// bytes, shingles out of order or outside the sample) is an error, and a
// form of another version is ErrSketchVersion. A decoded fingerprint has
// no text: use it with InsertFingerprint, not QueryFingerprint.
func (p *Fingerprint) UnmarshalBinary(data []byte) error {
	if len(data) == 0 {
		return errors.New("dedup: empty sketch")
	}
	if data[0] != sketchVersion {
		return fmt.Errorf("%w (version %d, want %d)", ErrSketchVersion, data[0], sketchVersion)
	}
	r := data[1:]
	words, n := uvarint(r)
	if n <= 0 || words > maxSketchWords {
		return errors.New("dedup: sketch: bad word count")
	}
	r = r[n:]
	if len(r) < 16 {
		return errors.New("dedup: sketch: truncated hashes")
	}
	content, url := binary.LittleEndian.Uint64(r), binary.LittleEndian.Uint64(r[8:])
	r = r[16:]
	count, n := uvarint(r)
	if n <= 0 {
		return errors.New("dedup: sketch: bad shingle count")
	}
	r = r[n:]
	if count != uint64(len(r)/8) || len(r)%8 != 0 {
		return fmt.Errorf("dedup: sketch: %d bytes for %d shingles", len(r), count)
	}
	sh := make([]uint64, count)
	for i := range sh {
		h := binary.LittleEndian.Uint64(r[8*i:])
		if h&sampleMask != 0 || (i > 0 && h <= sh[i-1]) {
			return errors.New("dedup: sketch: shingles out of order or outside the sample")
		}
		sh[i] = h
	}
	*p = Fingerprint{f: features{shingles: sh, content: content, words: int(words), url: url, novel: -1}, decoded: true}
	return nil
}

// uvarint reads a minimally encoded uvarint: one value, one form.
func uvarint(b []byte) (uint64, int) {
	v, n := binary.Uvarint(b)
	if n > 1 && b[n-1] == 0 {
		return 0, 0
	}
	return v, n
}

// InsertFingerprint is Insert with d's features taken from p (computed by
// a Fingerprinter, or decoded by UnmarshalBinary) instead of d.Text, which
// may be empty: the URL is p's too. Title, outlet and date still come from
// d. This is how an index is rebuilt cheaply from stored sketches.
func (ix *Index) InsertFingerprint(d *Doc, p *Fingerprint, r Result) {
	ix.advance(d.Published)
	ix.last.d, ix.last.f = nil, nil
	f := p.f // p stays unchanged: the scratch fields are this insert's
	f.novel, f.slots, f.slotGen = -1, nil, 0
	ix.insert(d, r, &f)
}

// Rescore judges d against the live story with key alone, as Query judges
// each candidate: for a document of that story whose text changed (a
// revision), to record how well the new text still matches the story's
// core. p, when it is d's fingerprint, saves computing it (as with
// QueryFingerprint); an Insert of d right after reuses the features. ok is
// false when d no longer matches the story (Result then holds the
// containment of d's informative shingles in the core as Score, and says
// so) or when no live story has key (Result is empty). The core may hold
// d's own earlier version, which the score then counts.
func (ix *Index) Rescore(d *Doc, p *Fingerprint, key string) (Result, bool) {
	ix.advance(d.Published)
	var f *features
	if p != nil && !p.decoded && p.text == d.Text && p.url == d.URL {
		f = &p.f
		f.novel, f.slots, f.slotGen = -1, f.slots[:0], 0
	} else {
		f = ix.featuresOf(d)
	}
	ix.last.d, ix.last.text, ix.last.url, ix.last.f = d, d.Text, d.URL, f
	num, ok := ix.lookupKey(key)
	if !ok {
		return Result{}, false
	}
	s := ix.live(num)
	ix.titleBuf = ix.fp.titleWords(d.Title, ix.titleBuf)
	title := ix.informativeTitle(ix.titleBuf)
	inf := ix.collectHits(f)
	var c int32
	if i := num - ix.firstNum; i < uint32(len(ix.counts)) {
		c = ix.counts[i]
	}
	r := Result{Cluster: key, Origin: ix.origin.find(d.Text)}
	if v, ok := ix.judge(s, c, inf[ix.level(s)], title, d.Outlet); ok {
		r.DuplicateOf, r.Score, r.Reason, r.Kind = ix.memberID(s, ix.bestMember(s)), round2(v.score), v.reason, v.kind
		return r, true
	}
	in := 0.0
	if n := inf[ix.level(s)]; n > 0 {
		in = min(float64(c)/float64(n), 1)
	}
	r.Score, r.Reason = round2(in), fmt.Sprintf("text containment %.2f, below the match threshold", in)
	return r, false
}

// Grow makes room in the index for documents with about shingles sampled
// shingles in all (the sketches' sizes tell: SketchShingles), within the
// memory budget, so that rebuilding an index does not grow its table step
// by step.
func (ix *Index) Grow(shingles int) {
	maxSlots := math.MaxInt
	if ix.budget > 0 {
		maxSlots = int(ix.budget / slotBytes)
	}
	ix.shingles.reserve(shingles, maxSlots)
}

// SketchShingles returns about how many sampled shingles n sketches of
// size bytes in all hold: for Grow.
func SketchShingles(size int64, n int) int { return int(max(0, size-12*int64(n)) / 8) }
