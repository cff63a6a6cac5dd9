package dedup

import "slices"

// Title evidence. A headline is rewritten by many republishers (words
// dropped, reordered, a prefix added), so titles are compared as sets of
// informative words: words found in the titles of more than titleMaxDF
// stories ("عاجل", "UPDATE", "in", "في") carry no weight. A title alone
// never makes a match; it lowers the text evidence a short document needs.
const (
	titleMaxDF   = 3
	titleMinToks = 3  // informative title words needed to use a title
	maxTitleToks = 48 // title words kept per story
	// titleAgree is the least share of the document's informative title
	// words found in the story's titles.
	titleAgree = 0.8
	// titleTextScore and titleMinHits are the text evidence needed with an
	// agreeing title.
	titleTextScore = 0.4
	titleMinHits   = 2
)

// titleDF counts the stories whose titles used a word.
type titleDF struct {
	last uint32 // latest story
	n    uint16
}

// titleWords returns the hashes of the normalized words of title, sorted
// and unique, reusing buf.
func (fp *fingerprinter) titleWords(title string, buf []uint32) []uint32 {
	fp.title = buf[:0]
	fp.tn.run(title)
	slices.Sort(fp.title)
	return slices.Compact(fp.title)
}

func (fp *fingerprinter) titleWord(tok []byte, _ bool) {
	fp.title = append(fp.title, uint32(hashBytes(tok)))
}

func hashBytes(b []byte) uint64 {
	h := uint64(fnvOffset)
	for _, c := range b {
		h ^= uint64(c)
		h *= fnvPrime
	}
	return mix(h)
}

// informativeTitle keeps the title words used by few stories' titles.
func (ix *Index) informativeTitle(words []uint32) []uint32 {
	out := ix.titleScratch[:0]
	for _, w := range words {
		if e, ok := ix.titleDF[w]; !ok || e.n <= titleMaxDF || ix.live(e.last) == nil {
			out = append(out, w)
		}
	}
	ix.titleScratch = out
	return out
}

// titleAgreement is the share of words (informative title words of a
// document) found in the titles of s; 0 when too few words.
func (ix *Index) titleAgreement(words []uint32, s *story) float64 {
	if len(words) < titleMinToks {
		return 0
	}
	title := ix.titles.get(s.title)
	n := 0
	for _, w := range words {
		if _, ok := slices.BinarySearch(title, w); ok {
			n++
		}
	}
	return float64(n) / float64(len(words))
}

// addTitle records a member's title words in story s and in the counts.
func (ix *Index) addTitle(s *story, words []uint32) {
	for _, w := range words {
		e := ix.titleDF[w]
		if e.n == 0 || e.last != s.num {
			if e.n < 1<<15 {
				e.n++
			}
			e.last = s.num
			ix.titleDF[w] = e
		}
		if s.title.n < maxTitleToks {
			if i, ok := slices.BinarySearch(ix.titles.get(s.title), w); !ok {
				// room for every word at once: a run moves once, not at
				// each power of two
				ix.titles.reserveN(&s.title, uint32(min(len(words), maxTitleToks-int(s.title.n))))
				ix.titles.insert(&s.title, i, w)
			}
		}
	}
}
