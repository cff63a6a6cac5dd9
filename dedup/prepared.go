package dedup

import "slices"

// Fingerprint is a document's text features computed apart from any
// index, so that a pipeline can fingerprint documents in parallel and keep
// only matching and inserting serial (QueryFingerprint, then Insert).
type Fingerprint struct {
	f         features
	text, url string // what it was computed from
	decoded   bool   // from UnmarshalBinary: the text is unknown
}

// Fingerprinter computes Fingerprints. It is not safe for concurrent use:
// use one per goroutine (or a sync.Pool).
type Fingerprinter struct{ fp *fingerprinter }

// NewFingerprinter returns a Fingerprinter.
func NewFingerprinter() *Fingerprinter { return &Fingerprinter{fp: newFingerprinter()} }

// Fingerprint computes d's features; the result owns its memory.
func (p *Fingerprinter) Fingerprint(d *Doc) *Fingerprint {
	f := p.fp.features(d.Text)
	out := &Fingerprint{f: *f, text: d.Text, url: d.URL}
	out.f.shingles = slices.Clone(f.shingles)
	out.f.slots, out.f.slotGen = nil, 0
	out.f.url = urlHash(d.URL)
	return out
}

// FingerprintContent is Fingerprint, and returns ContentHash(d.Text) too,
// from the same pass over the text: the pipeline needs both of every
// article, and normalizing it twice was a thirtieth of a large pass.
func (p *Fingerprinter) FingerprintContent(d *Doc) (*Fingerprint, string) {
	p.fp.norm, p.fp.keepNorm = p.fp.norm[:0], true
	out := p.Fingerprint(d)
	p.fp.keepNorm = false
	return out, contentHash(p.fp.norm)
}

// QueryFingerprint is Query with d's features computed beforehand by a
// Fingerprinter. A fingerprint of another text or URL is ignored (Query
// computes the features itself). An Insert of d right after reuses them.
func (ix *Index) QueryFingerprint(d *Doc, p *Fingerprint) Result {
	if p == nil || p.decoded || p.text != d.Text || p.url != d.URL {
		return ix.Query(d)
	}
	ix.advance(d.Published)
	f := &p.f
	f.novel, f.slots, f.slotGen = -1, f.slots[:0], 0
	ix.last.d, ix.last.text, ix.last.url, ix.last.f = d, d.Text, d.URL, f
	return ix.query(d, f)
}
