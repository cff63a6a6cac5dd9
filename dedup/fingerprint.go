package dedup

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
)

// shingleSize is the number of words in a shingle.
const shingleSize = 3

// sampleMask keeps the shingles whose hash has these bits clear (1 in 2).
// Containment estimated on a hash-defined sample is unbiased and the same
// sample is drawn from every copy of a text.
const sampleMask = 1

// features is what the index needs from a document's text.
type features struct {
	shingles []uint64 // sampled shingle hashes, sorted, unique
	content  uint64   // hash of the normalized text
	words    int
	url      uint64  // hash of the canonical URL, 0 without one
	novel    int     // shingles no live story has; -1 until counted
	slots    []int32 // table slot of each shingle, found by the query
	slotGen  uint64  // table generation the slots belong to
}

// fingerprinter turns text into features, reusing its buffers.
type fingerprinter struct {
	n      normalizer
	win    [shingleSize]uint64
	inPara int
	f      features
	tn     normalizer // for titles
	title  []uint32
	// norm collects the normalized text (Normalize's output) while
	// keepNorm is set, so that ContentHash needs no second pass.
	norm     []byte
	keepNorm bool
}

func newFingerprinter() *fingerprinter {
	fp := &fingerprinter{}
	fp.n.emit = fp.word
	fp.tn.emit = fp.titleWord
	return fp
}

// features computes the features of text. The result's slices are reused
// by the next call.
func (fp *fingerprinter) features(text string) *features {
	fp.f.shingles = fp.f.shingles[:0]
	fp.f.content = fnvOffset
	fp.f.words = 0
	fp.f.novel = -1
	fp.f.slots = fp.f.slots[:0]
	fp.inPara = 0
	fp.n.run(text)
	slices.Sort(fp.f.shingles)
	fp.f.shingles = slices.Compact(fp.f.shingles)
	return &fp.f
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func (fp *fingerprinter) word(tok []byte, newPara bool) {
	h := uint64(fnvOffset)
	for _, c := range tok {
		h ^= uint64(c)
		h *= fnvPrime
	}
	c := fp.f.content
	if newPara {
		fp.inPara = 0
		c = (c ^ '\n') * fnvPrime
	}
	fp.f.content = (c ^ h) * fnvPrime
	fp.f.words++
	if fp.keepNorm {
		fp.keepWord(tok, newPara)
	}
	fp.win[0], fp.win[1], fp.win[2] = fp.win[1], fp.win[2], h
	fp.inPara++
	if fp.inPara < shingleSize {
		return
	}
	s := mix(fp.win[0]*0x9E3779B97F4A7C15 ^ fp.win[1]*0xC2B2AE3D27D4EB4F ^ fp.win[2])
	if s&sampleMask == 0 {
		fp.f.shingles = append(fp.f.shingles, s)
	}
}

// keepWord appends tok to the normalized text as Normalize writes it.
func (fp *fingerprinter) keepWord(tok []byte, newPara bool) {
	if len(fp.norm) > 0 {
		if newPara {
			fp.norm = append(fp.norm, '\n')
		} else {
			fp.norm = append(fp.norm, ' ')
		}
	}
	fp.norm = append(fp.norm, tok...)
}

// mix is the splitmix64 finalizer.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 27
	x *= 0x94D049BB133111EB
	x ^= x >> 31
	return x
}

// ContentHash returns the hex SHA-256 (first 16 bytes) of the normalized
// text: copies that differ only in case, spelling variants, invisible marks,
// punctuation or spacing hash the same.
func ContentHash(text string) string {
	return contentHash([]byte(Normalize(text)))
}

func contentHash(normalized []byte) string {
	sum := sha256.Sum256(normalized)
	return hex.EncodeToString(sum[:16])
}

// hashString is FNV-1a of s, for exact-match keys.
func hashString(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return mix(h)
}
