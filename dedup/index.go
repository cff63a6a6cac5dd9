package dedup

import (
	"time"
)

// Doc is an article as the index sees it.
type Doc struct {
	ID, Outlet, URL, Title, Text, Lang string    // URL: as given; the index canonicalizes it for exact matching
	Published                          time.Time // zero = unknown (use arrival order)
}

// Result is the index's verdict on a document.
type Result struct {
	Cluster     string  // story key: the ID of the story's first doc; == doc.ID when it starts a new story
	DuplicateOf string  // ID of the earlier doc it matched; "" when new
	Score       float64 // match strength in [0, 1]; 0 when new
	Reason      string  // human-readable: "same canonical URL", "same content hash", "text containment 0.87", ...
	Kind        Kind    // which rule matched; NoMatch when new
	Origin      string  // wire agency named by a credit line in this doc, "" if none
}

// Kind names the rule by which the index matched a document to a story,
// the way scraper.Class names an error: String gives a bounded label for
// operators and metrics.
type Kind uint8

// The kinds of match.
const (
	NoMatch         Kind = iota // the document starts a story
	SameURL                     // the same canonical URL
	SameContent                 // the same content hash
	TitleAndText                // a fair text containment and an agreeing title
	TextContainment             // text containment, one way or the other
)

// String returns the kind's label: "url", "hash", "title", "text", or ""
// for NoMatch.
func (k Kind) String() string {
	switch k {
	case SameURL:
		return "url"
	case SameContent:
		return "hash"
	case TitleAndText:
		return "title"
	case TextContainment:
		return "text"
	}
	return ""
}

// Options configure an Index.
type Options struct {
	Window time.Duration // stories first seen longer ago than this are closed; default 72h
	// Memory is what the shingle table (most of the index) may take, in
	// bytes; past it, the oldest stories are thinned (see the package
	// documentation). Default DefaultMemory; negative: no limit.
	Memory int64
}

// DefaultMemory is the table budget used when Options.Memory is zero: 4.2
// million slots, which hold the shingles of some 100,000 articles of the
// dev stream (45,000 of the load newsroom's) before any story is thinned.
const DefaultMemory = 32 << 20

// DefaultWindow is the window used when Options.Window is zero.
const DefaultWindow = 72 * time.Hour

// Index is a streaming near-duplicate index over a time window. Each
// document is checked against the stories of the window, then inserted.
// An Index is not safe for concurrent use.
type Index struct {
	// last remembers the document Query saw and its features, so that an
	// Insert of the same document right after (the store-then-insert
	// pattern) does not fingerprint it again.
	last struct {
		d         *Doc
		text, url string
		f         *features
	}

	window time.Duration
	budget int64 // Options.Memory; 0: no limit
	thinAt int64 // table bytes past which to thin: the budget, or more when thinning could not get under it
	fp     *fingerprinter
	origin *originMatcher

	shingles      *shingleTable      // sampled shingle -> stories and story frequency
	mem           *offHeap           // where the large arrays below live
	stories       []story            // stories by number - firstNum
	storiesMap    []byte             // the mapping of stories, or nil
	state         []uint8            // state of each story: closed, or live at a level
	members       slab[member]       // the stories' members
	titles        slab[uint32]       // the stories' title words
	strs          arena              // story keys and member IDs
	names         names              // outlets and agencies
	keys          u64map             // hash of a story key -> internal number (stale for closed stories)
	keyClash      map[string]uint32  // story keys whose hash another key has
	exact         u64map             // canonical URL and content hashes -> docRef (packed)
	firstNum      uint32             // number of stories[0]
	nstories      int                // live stories
	clock         int64              // newest publication time seen (unix seconds)
	swept         int64              // clock at the last eviction sweep
	docs          int                // documents in live stories
	dead          int                // documents closed since the last sweep
	counts        []int32            // scratch: hits per story (by number - firstNum)
	touched       []uint32           // scratch: stories with hits
	hitLog        []memberKey        // scratch: member of each hit
	memberScratch []int32            // scratch: hits per member
	titleDF       map[uint32]titleDF // title word -> stories using it
	titleBuf      []uint32           // scratch: title words
	titleScratch  []uint32           // scratch: informative title words
	sink          uint64             // what touching the table read (kept so that it is read)
	sweeps        int                // sweeps since NewIndex or ReadIndex
}

// NewIndex returns an empty index.
func NewIndex(opt Options) *Index {
	if opt.Window <= 0 {
		opt.Window = DefaultWindow
	}
	switch {
	case opt.Memory == 0:
		opt.Memory = DefaultMemory
	case opt.Memory < 0:
		opt.Memory = 0
	}
	ix := &Index{
		window:   opt.Window,
		budget:   opt.Memory,
		thinAt:   opt.Memory,
		fp:       newFingerprinter(),
		origin:   newOriginMatcher(),
		keyClash: make(map[string]uint32),
		names:    newNames(),
		firstNum: 1,
		titleDF:  make(map[uint32]titleDF),
	}
	ix.mem = newOffHeap(ix)
	ix.shingles = newShingleTable(0, ix.mem)
	ix.members.h, ix.titles.h, ix.strs.h = ix.mem, ix.mem, ix.mem
	ix.keys.h, ix.exact.h = ix.mem, ix.mem
	return ix
}

// Sweeps returns how many times the index rebuilt its table (evicting
// closed stories, thinning old ones) since NewIndex or ReadIndex: work a
// caller that keeps snapshots (WriteTo) saves the next process by writing
// one.
func (ix *Index) Sweeps() int { return ix.sweeps }

// Len returns the number of documents in the stories of the window.
func (ix *Index) Len() int { return ix.docs }

// Add checks d against the window, inserts it and returns the verdict.
func (ix *Index) Add(d *Doc) Result {
	ix.advance(d.Published)
	f := ix.featuresOf(d)
	r := ix.query(d, f)
	if r.Cluster == "" {
		r.Cluster = d.ID
	}
	ix.insert(d, r, f)
	return r
}

// Query checks d against the stories of the window without inserting it.
// Cluster is empty when d starts a new story and d.ID is empty.
func (ix *Index) Query(d *Doc) Result {
	ix.advance(d.Published)
	f := ix.featuresOf(d)
	ix.last.d, ix.last.text, ix.last.url, ix.last.f = d, d.Text, d.URL, f
	return ix.query(d, f)
}

func (ix *Index) query(d *Doc, f *features) Result {
	r := Result{Cluster: d.ID, Origin: ix.origin.find(d.Text)}
	if m, ok := ix.exactMatch(d, f); ok {
		r.Cluster, r.DuplicateOf, r.Score, r.Reason, r.Kind = m.Cluster, m.DuplicateOf, m.Score, m.Reason, m.Kind
		return r
	}
	ix.titleBuf = ix.fp.titleWords(d.Title, ix.titleBuf)
	if m, ok := ix.textMatch(f, ix.informativeTitle(ix.titleBuf), d); ok {
		r.Cluster, r.DuplicateOf, r.Score, r.Reason, r.Kind = m.Cluster, m.DuplicateOf, m.Score, m.Reason, m.Kind
	}
	return r
}

// Insert adds d to the index with a decided result: d joins the story
// r.Cluster (a new story when that key is unknown or empty). It is also how
// an index is rebuilt from a store after a restart.
func (ix *Index) Insert(d *Doc, r Result) {
	ix.advance(d.Published)
	f := ix.last.f
	if ix.last.d != d || ix.last.text != d.Text || ix.last.url != d.URL || f == nil {
		f = ix.featuresOf(d)
	}
	ix.last.d, ix.last.f = nil, nil
	ix.insert(d, r, f)
}

func (ix *Index) insert(d *Doc, r Result, f *features) {
	key := r.Cluster
	if key == "" {
		key = d.ID
	}
	s := ix.storyFor(key, d)
	ix.addMember(s, d.ID, d.Outlet, r.Origin)
	ix.docs++
	grow := r.DuplicateOf == "" || r.Score >= growScore
	ix.insertShingles(s, f, grow)
	ix.titleBuf = ix.fp.titleWords(d.Title, ix.titleBuf)
	ix.addTitle(s, ix.titleBuf)
	ref := docRef{story: s.num, member: uint16(min(int(s.members.n)-1, maxMember))}
	if f.url != 0 {
		ix.exact.put(f.url, ref.pack())
	}
	if f.words > 0 {
		ix.exact.put(f.content^contentSalt, ref.pack())
	}
	if ix.budget > 0 && ix.shingles.bytes() > ix.thinAt {
		ix.thin()
	}
}

// featuresOf computes the features of d: its text's and its URL's.
func (ix *Index) featuresOf(d *Doc) *features {
	ix.last.d, ix.last.f = nil, nil // the features scratch is about to change
	f := ix.fp.features(d.Text)
	f.url = urlHash(d.URL)
	return f
}

// urlHash is the exact-match key of a canonical URL, 0 without one.
func urlHash(raw string) uint64 {
	if u := CanonicalURL(raw); u != "" {
		return hashString("u" + u)
	}
	return 0
}

// contentSalt separates content hashes from URL hashes in the exact map.
const contentSalt = 0x5bd1e9955bd1e995

func (ix *Index) storyFor(key string, d *Doc) *story {
	if num, ok := ix.lookupKey(key); ok {
		return ix.live(num)
	}
	num := ix.firstNum + uint32(len(ix.stories))
	ix.stories = growOff(ix.mem, &ix.storiesMap, ix.stories, len(ix.stories)+1)
	ix.stories = append(ix.stories, story{num: num, key: ix.strs.add(key), first: ix.timeOf(d.Published)})
	ix.state = append(ix.state, levelState)
	ix.nstories++
	h := hashString(key)
	if old, ok := ix.lookupHash(h); ok && !ix.strs.is(old.key, key) {
		ix.keyClash[key] = num
	} else {
		ix.keys.put(h, uint64(num))
	}
	return &ix.stories[len(ix.stories)-1]
}

// lookupKey returns the number of the live story with key.
func (ix *Index) lookupKey(key string) (uint32, bool) {
	if num, ok := ix.keyClash[key]; ok && ix.live(num) != nil {
		return num, true
	}
	if s, ok := ix.lookupHash(hashString(key)); ok && ix.strs.is(s.key, key) {
		return s.num, true
	}
	return 0, false
}

// lookupHash returns the live story whose key has hash h.
func (ix *Index) lookupHash(h uint64) (*story, bool) {
	if num, ok := ix.keys.get(h); ok {
		if s := ix.live(uint32(num)); s != nil {
			return s, true
		}
	}
	return nil, false
}

// dropKey forgets the key of s, which is closing.
func (ix *Index) dropKey(s *story) {
	if len(ix.keyClash) == 0 {
		return // the hash entry goes stale, and goes at the next sweep
	}
	if key := ix.strs.str(s.key); ix.keyClash[key] == s.num {
		delete(ix.keyClash, key)
	}
}

// open reports whether story s was first seen within the window before d
// (by d's own date: the clock may lag behind a gap in the stream).
func (ix *Index) open(s *story, d *Doc) bool {
	return s.first >= ix.timeOf(d.Published)-int64(ix.window/time.Second)
}

// timeOf returns t in unix seconds, or the index clock when t is zero.
func (ix *Index) timeOf(t time.Time) int64 {
	if t.IsZero() {
		return ix.clock
	}
	return t.Unix()
}

// advance moves the clock to t and evicts what fell out of the window.
// The clock moves at most window/8 per document, so one article dated far
// in the future cannot close every story; a real gap in the stream is
// caught up within a few documents.
func (ix *Index) advance(t time.Time) {
	if t.IsZero() {
		return
	}
	u := t.Unix()
	if u <= ix.clock {
		return
	}
	if step := int64(ix.window/time.Second) / 8; ix.clock != 0 && u-ix.clock > step {
		u = ix.clock + step
	}
	ix.clock = u
	if ix.swept == 0 {
		ix.swept = u
	}
	if u-ix.swept >= int64(ix.window/time.Second)/8 {
		ix.evict()
		ix.swept = u
	}
}

func (ix *Index) exactMatch(d *Doc, f *features) (Result, bool) {
	if f.url != 0 {
		if v, ok := ix.exact.get(f.url); ok {
			ref := unpackRef(v)
			if s := ix.live(ref.story); s != nil && ix.open(s, d) {
				return Result{Cluster: ix.strs.str(s.key), DuplicateOf: ix.memberID(s, int(ref.member)), Score: 1, Reason: "same canonical URL", Kind: SameURL}, true
			}
		}
	}
	if f.words > 0 {
		if v, ok := ix.exact.get(f.content ^ contentSalt); ok {
			ref := unpackRef(v)
			if s := ix.live(ref.story); s != nil && ix.open(s, d) {
				return Result{Cluster: ix.strs.str(s.key), DuplicateOf: ix.memberID(s, int(ref.member)), Score: 1, Reason: "same content hash", Kind: SameContent}, true
			}
		}
	}
	return Result{}, false
}
