package dedup

import (
	"fmt"
	"slices"
)

// Matching parameters.
const (
	// matchThreshold is the least containment of the informative shingles
	// for a document to join a story.
	matchThreshold = 0.5
	// minHits is the least number of shared informative shingles.
	minHits = 3
	// growScore is the least score for a member to add its own new
	// shingles to the story's core; weaker members only refresh it, so a
	// story never grows by chaining through borderline matches.
	growScore = 0.7
	// growShare is the least share of new shingles for a member to add
	// them: a longer version of the story does, a copy whose only new
	// shingles are its edits does not (nothing later would match them).
	growShare = 0.25
	// reverseThreshold is the least containment of a story's core in a
	// longer query for a match. It is higher than matchThreshold: a short
	// core is easily half made of a background paragraph that related
	// stories repeat.
	reverseThreshold = 0.75
	// sameOutletScore is the least containment for a match whose evidence
	// comes only from earlier pages of the same outlet.
	sameOutletScore = 0.8
	// maxDF is the most stories a shingle may occur in and still count.
	maxDF = 2
)

// story is a story of the window: its key, members and how many
// informative shingles it owns. It holds no pointers (see arena.go).
type story struct {
	first   int64 // unix seconds
	num     uint32
	key     strRef
	members span   // in Index.members, in arrival order
	title   span   // in Index.titles: words of the members' titles, sorted
	owned   int32  // informative shingles (in at most maxDF stories) it has
	origin  uint32 // agency (Index.names) named by the first credit line
}

// Story states (Index.state), one byte a story so that the many checks of
// whether a story is live, and at which level, stay in the caches.
const (
	closedState = 0
	levelState  = 1 // + level: live; the story keeps the shingles keeps(level, h)
)

// level returns the thinning level of live story s.
func (ix *Index) level(s *story) uint8 { return ix.state[s.num-ix.firstNum] - levelState }

// levelOf returns the level of story num, or -1 when it is not live.
func (ix *Index) levelOf(num uint32) int {
	i := num - ix.firstNum
	if num < ix.firstNum || i >= uint32(len(ix.state)) {
		return -1
	}
	return int(ix.state[i]) - levelState
}

// member is a document of a story.
type member struct {
	id     strRef
	outlet uint32 // in Index.names
}

func (ix *Index) addMember(s *story, id, outlet, origin string) {
	m := member{id: ix.strs.add(id), outlet: ix.names.id(outlet)}
	ix.members.push(&s.members, m)
	if s.origin == 0 {
		s.origin = ix.names.id(origin)
	}
}

// memberAt returns member m of s.
func (ix *Index) memberAt(s *story, m int) member { return ix.members.data[int(s.members.off)+m] }

// memberID returns the ID of member m of s.
func (ix *Index) memberID(s *story, m int) string { return ix.strs.str(ix.memberAt(s, m).id) }

// docRef points at a member of a story.
type docRef struct {
	story  uint32
	member uint16
}

func (r docRef) pack() uint64   { return uint64(r.story) | uint64(r.member)<<32 }
func unpackRef(v uint64) docRef { return docRef{story: uint32(v), member: uint16(v >> 32)} }

// memberKey is a hit on a story through a member; member is
// unknownMember for a hit through the earlier of a shingle's two stories.
type memberKey struct {
	story  uint32
	member uint16
}

const unknownMember = maxMember + 1

// live returns the live story numbered num, or nil.
func (ix *Index) live(num uint32) *story {
	i := num - ix.firstNum
	if num < ix.firstNum || i >= uint32(len(ix.stories)) {
		return nil
	}
	if ix.state[i] == closedState {
		return nil
	}
	return &ix.stories[i]
}

// textMatch finds the story whose core best contains f (or is contained
// in f), counting only informative shingles.
func (ix *Index) textMatch(f *features, title []uint32, d *Doc) (Result, bool) {
	inf := ix.collectHits(f)
	var best *story
	var bestV verdict
	for _, num := range ix.touched {
		s, c := ix.live(num), ix.counts[num-ix.firstNum]
		if !ix.open(s, d) {
			continue
		}
		v, ok := ix.judge(s, c, inf[ix.level(s)], title, d.Outlet)
		if ok && (v.score > bestV.score || (v.score == bestV.score && best != nil && s.num < best.num)) {
			best, bestV = s, v
		}
	}
	if best == nil {
		return Result{}, false
	}
	return Result{Cluster: ix.strs.str(best.key), DuplicateOf: ix.memberID(best, ix.bestMember(best)), Score: round2(bestV.score), Reason: bestV.reason, Kind: bestV.kind}, true
}

// collectHits counts the query's informative shingles per candidate story
// (ix.touched, ix.counts) and logs which member each hit came from; it
// returns the number of informative shingles a story at each level keeps.
func (ix *Index) collectHits(f *features) (inf [maxLevel + 1]int32) {
	for _, num := range ix.touched {
		if i := num - ix.firstNum; i < uint32(len(ix.counts)) {
			ix.counts[i] = 0
		}
	}
	ix.touched, ix.hitLog = ix.touched[:0], ix.hitLog[:0]
	if len(ix.counts) < len(ix.stories) {
		ix.counts = make([]int32, len(ix.stories)+len(ix.stories)/4)
	}
	f.novel = 0
	f.slots, f.slotGen = f.slots[:0], ix.shingles.gen
	ix.sink += ix.shingles.touch(f.shingles)
	for _, h := range f.shingles {
		slot, e, ok := ix.shingles.lookup(h)
		f.slots = append(f.slots, int32(slot))
		if !ok || ix.live(e.owner) == nil {
			countLevels(&inf, h)
			f.novel++
			continue
		}
		if e.df > maxDF {
			continue
		}
		countLevels(&inf, h)
		ix.hit(e.owner)
		ix.hitLog = append(ix.hitLog, memberKey{e.owner, e.member})
		if e.df == 2 && ix.live(e.prev) != nil {
			ix.hit(e.prev)
			ix.hitLog = append(ix.hitLog, memberKey{e.prev, unknownMember})
		}
	}
	return inf
}

// countLevels counts shingle h at each level that keeps it.
func countLevels(inf *[maxLevel + 1]int32, h uint64) {
	inf[0]++
	for l := uint8(1); l <= maxLevel && keeps(l, h); l++ {
		inf[l]++
	}
}

func (ix *Index) hit(num uint32) {
	i := num - ix.firstNum
	if ix.counts[i] == 0 {
		ix.touched = append(ix.touched, num)
	}
	ix.counts[i]++
}

// verdict is why a candidate story matched.
type verdict struct {
	score  float64
	reason string
	kind   Kind
}

// judge decides whether a query sharing c informative shingles (of inf)
// with story s belongs to it. The query must be mostly contained in the
// story's core (a copy, a trimmed copy, a short update); or contain nearly
// all of a core (a longer version of a story first seen short); or, short
// of that, have a fair containment and an agreeing title.
func (ix *Index) judge(s *story, c, inf int32, title []uint32, outlet string) (verdict, bool) {
	if c < titleMinHits || inf <= 0 || s.owned <= 0 {
		return verdict{}, false
	}
	in := min(float64(c)/float64(inf), 1)       // query in story
	back := min(float64(c)/float64(s.owned), 1) // story in query
	if max(in, back) < sameOutletScore && c-ix.sameOutletHits(s, outlet) < minHits {
		return verdict{}, false // evidence only from the outlet's own page: its furniture
	}
	switch {
	case c >= minHits && in >= matchThreshold:
		sc := max(in, back)
		return verdict{sc, fmt.Sprintf("text containment %.2f", sc), TextContainment}, true
	case c >= minHits && back >= reverseThreshold:
		return verdict{back, fmt.Sprintf("text containment %.2f (the story in this longer text)", back), TextContainment}, true
	case in >= titleTextScore:
		if t := ix.titleAgreement(title, s); t >= titleAgree {
			return verdict{in, fmt.Sprintf("text containment %.2f, title %.2f", in, t), TitleAndText}, true
		}
	}
	return verdict{}, false
}

// sameOutletHits counts the query's hits on shingles that a member of s
// from outlet added. Until an outlet's page furniture has been seen in
// several stories, it is shared only by that outlet's pages: evidence that
// comes from the outlet's own earlier page alone needs a near-copy.
func (ix *Index) sameOutletHits(s *story, outlet string) int32 {
	if outlet == "" {
		return 0
	}
	id, ok := ix.names.lookup(outlet)
	if !ok {
		return 0 // no page of the outlet yet
	}
	ms := ix.members.get(s.members)
	n := int32(0)
	for _, k := range ix.hitLog {
		if k.story != s.num {
			continue
		}
		if k.member == unknownMember {
			// a shingle s shares with a later story: count it as the
			// outlet's own when s has a page from the outlet
			if slices.ContainsFunc(ms, func(m member) bool { return m.outlet == id }) {
				n++
			}
		} else if int(k.member) < len(ms) && ms[k.member].outlet == id {
			n++
		}
	}
	return n
}

// bestMember returns the ordinal of the member of s that shares most
// shingles with the query (the earliest on a tie).
func (ix *Index) bestMember(s *story) int {
	n := ix.memberScratch[:0]
	best, bestHits := 0, int32(0)
	for _, k := range ix.hitLog {
		if k.story != s.num || k.member == unknownMember {
			continue
		}
		m := int(k.member)
		for len(n) <= m {
			n = append(n, 0)
		}
		n[m]++
		if c := n[m]; c > bestHits || (c == bestHits && m < best) {
			best, bestHits = m, c
		}
	}
	clear(n)
	ix.memberScratch = n
	return min(best, int(s.members.n)-1)
}

func round2(x float64) float64 { return float64(int(x*100+0.5)) / 100 }

// insertShingles records f's shingles as seen in story s. With grow, new
// shingles become part of the story's core.
func (ix *Index) insertShingles(s *story, f *features, grow bool) {
	m := uint16(min(int(s.members.n)-1, maxMember))
	level := ix.level(s)
	if grow && s.members.n > 1 {
		novel, n := f.novel, len(f.shingles) // the query's count, at level 0
		if level > 0 || novel < 0 {
			novel, n = ix.novel(f, level)
		}
		grow = float64(novel) >= growShare*float64(n)
	}
	cached := len(f.slots) == len(f.shingles) && f.slotGen == ix.shingles.gen
	for j, h := range f.shingles {
		if level > 0 && !keeps(level, h) {
			continue
		}
		var slot int
		var e entry
		var ok, valid bool
		if cached = cached && f.slotGen == ix.shingles.gen; cached {
			slot = int(f.slots[j])
			e, ok, valid = ix.shingles.getAt(slot, h)
		}
		if !valid {
			slot, e, ok = ix.shingles.lookup(h)
		}
		if !ok || ix.live(e.owner) == nil {
			if grow {
				ix.shingles.putAt(slot, h, entry{owner: s.num, df: 1, member: m})
				s.owned++
			}
			continue
		}
		if e.owner == s.num || (e.df == 2 && e.prev == s.num) {
			continue
		}
		switch e.df {
		case 1:
			s.owned++
		case 2:
			ix.disown(e.owner)
			ix.disown(e.prev)
		}
		if e.df < 255 {
			e.df++
		}
		e.prev, e.owner, e.member = e.owner, s.num, m
		ix.shingles.putAt(slot, h, e)
	}
}

// disown drops a shingle from a live story's informative count.
func (ix *Index) disown(num uint32) {
	if s := ix.live(num); s != nil {
		s.owned--
	}
}

// novel counts the shingles of f a story at level keeps that no live
// story has, and the shingles it keeps.
func (ix *Index) novel(f *features, level uint8) (novel, kept int) {
	for _, h := range f.shingles {
		if !keeps(level, h) {
			continue
		}
		kept++
		if e, ok := ix.shingles.get(h); !ok || ix.live(e.owner) == nil {
			novel++
		}
	}
	return novel, kept
}

// minSweep is the least number of closed documents worth a sweep.
const minSweep = 4096

// evict closes the stories first seen before the window. Once the closed
// stories hold half as many documents as the live ones, it sweeps the
// entries that only they referenced, so memory stays proportional to the
// window.
func (ix *Index) evict() {
	cutoff := ix.clock - int64(ix.window.Seconds())
	for i := range ix.stories {
		if s := &ix.stories[i]; ix.state[i] != closedState && s.first < cutoff {
			ix.dropKey(s)
			ix.state[i] = closedState
			ix.docs -= int(s.members.n)
			ix.dead += int(s.members.n)
			ix.nstories--
		}
	}
	n := 0
	for n < len(ix.stories) && ix.state[n] == closedState {
		n++
	}
	if n > 0 {
		kept, m := makeOff[story](ix.mem, len(ix.stories)-n+len(ix.stories)/4)
		kept = append(kept, ix.stories[n:]...)
		ix.mem.release(ix.storiesMap)
		ix.stories, ix.storiesMap = kept, m
		ix.state = append(ix.state[:0:0], ix.state[n:]...)
	}
	ix.firstNum += uint32(n)
	ix.shingles.base = ix.firstNum
	ix.counts, ix.touched = ix.counts[:0], ix.touched[:0] // indexed from firstNum
	if ix.dead < max(ix.docs/2, minSweep) {
		return // dead entries are ignored until there are enough to sweep
	}
	ix.sweep(0)
}

// sweep drops the table entries of closed stories and the shingles thinned
// stories no longer keep, recounts what each story owns, and compacts the
// stories' slabs. The table's shards get at least minShard slots.
func (ix *Index) sweep(minShard int) {
	ix.sweeps++
	owned := make([]int32, len(ix.stories)) // counted here, in order: the stories are many cache lines
	ix.shingles = ix.shingles.retain(ix.levelOf, func(num uint32) {
		if i := num - ix.firstNum; num >= ix.firstNum && i < uint32(len(owned)) {
			owned[i]++
		}
	}, minShard)
	for i := range ix.stories {
		ix.stories[i].owned = owned[i]
	}
	if ix.dead == 0 && ix.members.waste < len(ix.members.data)/2 && ix.titles.waste < len(ix.titles.data)/2 {
		return // nothing closed since the last sweep (a thinning): the rest is as it was
	}
	ix.dead = 0
	defer ix.compact()
	for w, e := range ix.titleDF {
		if ix.live(e.last) == nil {
			delete(ix.titleDF, w)
		}
	}
	ix.exact.retain(func(_, v uint64) bool { return ix.live(unpackRef(v).story) != nil })
	ix.keys.retain(func(_, v uint64) bool { return ix.live(uint32(v)) != nil })
}

// Thinning. The shingle table may take Options.Memory. Past it, the oldest
// stories keep half their sampled shingles (one level more), oldest first,
// until the table is back under three quarters of it: a story's
// containment is then estimated on a quarter, an eighth or at most a
// sixteenth of the text's shingles instead of half, on both sides (a query
// counts only the shingles the story's level keeps). New copies of a story
// mostly come within hours of it, when it is still at full density.
const maxLevel = 3

// thin thins the oldest stories until the table's entries would fit three
// quarters of the budget, and sweeps. From then on the table keeps the
// budget's size: it fills up to the next thinning without growing.
func (ix *Index) thin() {
	// a sweep sizes the table for n entries at about 1/slotsPerEntry load
	const slotsPerEntry = float64(maxLoadDen*growNum) / float64(maxLoadNum*growDen)
	target := int(float64(ix.budget*3/4) / slotsPerEntry / slotBytes)
	excess := ix.shingles.len() - target
	for i := range ix.stories {
		if excess <= 0 {
			break
		}
		if st := ix.state[i]; st != closedState && st-levelState < maxLevel {
			ix.state[i]++
			s := &ix.stories[i]
			excess -= int(s.owned) / 2
		}
	}
	ix.sweep(int(ix.budget / slotBytes / nShards))
	ix.thinAt = ix.budget
	if ix.shingles.bytes() > ix.budget {
		// every story at the last level: grow before trying again
		ix.thinAt = ix.shingles.bytes() + ix.budget/4
	}
}
