package extract

import (
	"sort"
	"strings"

	"golang.org/x/net/html/atom"
)

// paragraphTags are the units whose text is scored.
var paragraphTags = map[atom.Atom]bool{
	atom.P: true, atom.Pre: true, atom.Td: true, atom.Blockquote: true,
}

// containerTags can hold text directly and then act as a paragraph.
var containerTags = map[atom.Atom]bool{
	atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true,
	atom.Span: true, atom.Font: true, atom.Center: true, atom.Dd: true, atom.Li: true,
}

func baseScore(nd *node) float32 {
	s := float32(nd.weight)
	switch nd.tag {
	case atom.Div, atom.Article, atom.Main, atom.Section:
		s += 5
	case atom.Pre, atom.Td, atom.Blockquote:
		s += 3
	case atom.Address, atom.Ol, atom.Ul, atom.Dl, atom.Dd, atom.Dt, atom.Li, atom.Form:
		s -= 3
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Th:
		s -= 5
	}
	if nd.tag == atom.Article {
		s += 10
	}
	return s
}

// scoreParagraphs spreads each paragraph's content score over its
// ancestors, as Readability does, and returns the best candidate (or -1).
func (d *dom) scoreParagraphs() int32 {
	ns := d.nodes
	for i := range ns {
		nd := &ns[i]
		var length, commas int32
		switch {
		case paragraphTags[nd.tag]:
			length, commas = nd.textLen, nd.commas
		case containerTags[nd.tag] && nd.flags&flagBlocky != 0:
			length = nd.ownLen // text beside block children
			commas = nd.ownLen / 120
		case containerTags[nd.tag] && nd.tag != atom.Span && nd.tag != atom.Font && nd.tag != atom.Li:
			length, commas = nd.textLen, nd.commas
		default:
			continue
		}
		if length < 25 || d.insideParagraph(int32(i)) {
			continue
		}
		s := 1 + float32(commas) + min(float32(length)/100, 3)
		if paragraphTags[nd.tag] {
			d.propagate(nd.parent, s)
		} else {
			d.propagate(int32(i), s) // the container is its own paragraph's parent
		}
	}
	best, bestScore := int32(-1), float32(0)
	for i := range ns {
		nd := &ns[i]
		if nd.flags&flagScored == 0 {
			continue
		}
		nd.score *= 1 - d.linkDensity(int32(i))
		if nd.score > bestScore {
			best, bestScore = int32(i), nd.score
		}
	}
	d.core = best
	return best
}

// insideParagraph reports whether i has a paragraph-tag parent, whose score
// already counts i's text.
func (d *dom) insideParagraph(i int32) bool {
	p := d.nodes[i].parent
	return p >= 0 && (paragraphTags[d.nodes[p].tag] || d.nodes[p].tag == atom.P)
}

// propagate adds s to a (fully), its parent (half) and three more
// ancestors (a third, a sixth, ...).
func (d *dom) propagate(a int32, s float32) {
	ns := d.nodes
	level := 0
	for ; a >= 0 && level < 5; a = ns[a].parent {
		an := &ns[a]
		if an.tag == atom.Html || an.tag == atom.Body {
			break
		}
		if an.flags&flagScored == 0 {
			an.score = baseScore(an)
			an.flags |= flagScored
		}
		switch level {
		case 0:
			an.score += s
		case 1:
			an.score += s / 2
		default:
			an.score += s / float32(level*3)
		}
		level++
	}
}

// refineCandidate moves from the best-scored node to the ancestor that
// holds the whole article: an ancestor holding several near-best
// candidates, or the parent while the candidate is its only child.
func (d *dom) refineCandidate(top int32) int32 {
	ns := d.nodes
	if top < 0 {
		return d.body
	}
	alts := d.alternatives(top)
	if len(alts) >= 3 {
		for a := ns[top].parent; a >= 0 && ns[a].tag != atom.Body && ns[a].tag != atom.Html; a = ns[a].parent {
			in := 0
			for _, c := range alts {
				if d.isAncestor(a, c) {
					in++
				}
			}
			if in >= 3 {
				top = a
				break
			}
		}
	}
	top = d.climbScores(top)
	for {
		p := ns[top].parent
		if p < 0 || ns[p].tag == atom.Body || ns[p].tag == atom.Html {
			break
		}
		if d.elementChildren(p) != 1 {
			break
		}
		top = p
	}
	return top
}

// climbScores moves to an ancestor that scores higher than the candidate,
// as long as the scores on the way do not fall below a third of it: the
// article's container often scores close to its best block.
func (d *dom) climbScores(top int32) int32 {
	ns := d.nodes
	last := ns[top].score
	threshold := last / 3
	for p := ns[top].parent; p >= 0 && ns[p].tag != atom.Body && ns[p].tag != atom.Html; p = ns[p].parent {
		if ns[p].flags&flagScored == 0 {
			continue
		}
		if ns[p].score < threshold {
			break
		}
		if ns[p].score > last {
			return p
		}
		last = ns[p].score
	}
	return top
}

// alternatives returns up to five other candidates, outside top's own
// line of ancestors and descendants, that score at least 3/4 of it.
func (d *dom) alternatives(top int32) []int32 {
	ns := d.nodes
	floor := 0.75 * ns[top].score
	var alts []int32
	for i := range ns {
		c := int32(i)
		if c == top || ns[i].flags&flagScored == 0 || ns[i].score < floor {
			continue
		}
		if d.isAncestor(c, top) || d.isAncestor(top, c) {
			continue
		}
		alts = append(alts, c)
	}
	// Keep the five best, ties in document order (deterministic).
	sort.SliceStable(alts, func(a, b int) bool { return ns[alts[a]].score > ns[alts[b]].score })
	return alts[:min(len(alts), 5)]
}

func (d *dom) isAncestor(a, c int32) bool {
	for p := d.nodes[c].parent; p >= 0; p = d.nodes[p].parent {
		if p == a {
			return true
		}
		if p < a {
			return false // ancestors precede descendants in the arena
		}
	}
	return false
}

func (d *dom) elementChildren(i int32) int {
	n := 0
	for c := d.nodes[i].first; c >= 0; c = d.nodes[c].next {
		if d.nodes[c].tag != 0 || d.nodes[c].textLen > 0 {
			n++
		}
	}
	return n
}

// selectArticle marks the candidate and its qualifying siblings as kept and
// returns the nodes to render, in document order.
func (d *dom) selectArticle(top int32) []int32 {
	ns := d.nodes
	p := ns[top].parent
	if p < 0 {
		return []int32{top}
	}
	topScore := ns[top].score
	threshold := max(10, topScore*0.2)
	var out []int32
	var gap []int32 // headings and lists since the last block kept
	for s := ns[p].first; s >= 0; s = ns[s].next {
		if s == top || d.siblingQualifies(s, top, threshold) {
			if len(out) > 0 {
				out = append(out, gap...)
			}
			gap = gap[:0]
			out = append(out, s)
			continue
		}
		if d.gapBlock(s) {
			gap = append(gap, s)
		}
	}
	return append(d.wrapperIntro(top), out...)
}

// wrapperIntro returns the introduction that a page builder sets in a
// container of its own before the one holding the candidate: climbing
// from the candidate through wrappers that add under a quarter more text
// and carry a class (the builder's containers), a block before a wrapper
// holding two paragraphs of prose nearly unlinked (links to places on the
// page, a table of contents, aside).
func (d *dom) wrapperIntro(top int32) []int32 {
	ns := d.nodes
	var out []int32
	a := ns[top].parent
	for k := 0; k < 3 && a >= 0; k++ {
		p := ns[a].parent
		if p < 0 || ns[p].tag == atom.Body || ns[p].tag == atom.Html || 4*ns[a].textLen > 5*ns[top].textLen {
			break
		}
		if ns[a].h != nil && attr(ns[a].h, "class") != "" {
			var pre []int32
			for s := ns[p].first; s >= 0 && s != a; s = ns[s].next {
				sn := &ns[s]
				if sn.tag != 0 && sn.weight >= 0 && sn.paras >= 2 && sn.prose >= 400 && 7*(sn.linkLen-sn.hashLen) < sn.textLen {
					pre = append(pre, s)
				}
			}
			out = append(pre, out...)
		}
		a = p
	}
	return out
}

// gapBlock reports whether sibling s, lying between two blocks of the
// article, is one of its section headings, lists or quotations, which the
// sibling test (paragraphs and scored blocks) passes over.
func (d *dom) gapBlock(s int32) bool {
	sn := &d.nodes[s]
	if sn.weight < 0 || sn.textLen == 0 {
		return false
	}
	switch sn.tag {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return d.linkDensity(s) < 0.5
	case atom.Ul, atom.Ol, atom.Dl, atom.Blockquote, atom.Pre:
		return d.linkDensity(s) < 0.5
	}
	return false
}

func (d *dom) siblingQualifies(s, top int32, threshold float32) bool {
	sn := &d.nodes[s]
	if sn.tag == 0 {
		return false
	}
	tn := &d.nodes[top]
	var sc, tc string
	if sn.h != nil && tn.h != nil {
		sc, tc = attr(sn.h, "class"), attr(tn.h, "class")
	}
	bonus := float32(0)
	if sn.weight > 0 && tn.weight == sn.weight && sc != "" && sc == tc {
		bonus = tn.score * 0.2
	}
	// Items of a list-style article share the candidate's tag and first
	// class ("item item--image", "item item--text"); one with a little
	// unlinked text is one more item, whatever its own score. After the
	// candidate it holds 300 runes, as a section does below: the short
	// blocks of its kind there are an author line, a promo, a feedback
	// prompt. One under a linked heading, after a candidate with none, is
	// a teaser card of the blog roll (in a round-up whose items all link
	// their names, the candidate links its own).
	// A sibling named as the candidate (a page builder's module class,
	// same first class and weak words and all) is weighed as the
	// candidate was.
	kind := sc != "" && firstToken(sc) == firstToken(tc)
	same := kind && sn.weight == tn.weight
	if kind && sn.tag == tn.tag && (sn.weight >= 0 || same) &&
		sn.textLen >= 25 && (s < top || sn.textLen >= 300 && !(d.linkedTitle(s) && !d.linkedTitle(top))) && d.linkDensity(s) < 0.25 {
		return true
	}
	// A scored block after the candidate that wraps one paragraph at
	// most is a box set after the article (a disclosure, a sign-off, a
	// promo); the article's own paragraphs there are siblings themselves.
	if sn.flags&flagScored != 0 && sn.score+bonus >= threshold && !(s > top && sn.tag != atom.P && sn.paras <= 1) {
		return true
	}
	// Articles split into several sections: a sibling with several
	// paragraphs of plain (unlinked) text continues the article; before
	// the candidate, one long paragraph of prose will do (an introduction
	// or a standfirst set in a block of its own). After it, a section
	// holds 1,000 runes: the boxes that follow an article (about the
	// reviewer, a disclaimer, a plea for donations, a sign-up pitch) hold
	// two or three short paragraphs, and a readability-style scorer
	// leaves them out unless they score like the article.
	if sn.textLen >= 300 && (sn.paras >= 2 && (s < top || sn.textLen >= 1000) || sn.prose >= 400 && s < top) && (sn.weight >= 0 || same) && d.linkDensity(s) < 0.15 {
		return true
	}
	if sn.tag != atom.P {
		return false
	}
	ld := d.linkDensity(s)
	switch {
	case sn.textLen > 80 && ld < 0.25:
		return true
	case sn.textLen > 0 && sn.textLen <= 80 && ld == 0:
		return true
	}
	return false
}

func firstToken(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// climbSections moves from the candidate through the wrappers around it
// (each adding at most a quarter more text) to the block that has
// sibling sections: long-form articles split at their headings into
// blocks of one kind (same tag and first class), of which the scoring
// picked one. selectArticle then joins its siblings.
func (d *dom) climbSections(top int32) int32 {
	ns := d.nodes
	cur := top
	for k := 0; k < 6; k++ {
		// Past four levels only through bare wrappers (under a twentieth
		// more text in all): component frameworks nest a section's prose
		// deep, and a wider climb reaches layout rows.
		if (k < 4 || 20*ns[cur].textLen <= 21*ns[top].textLen) && d.hasSectionSibling(cur) {
			return cur
		}
		p := ns[cur].parent
		if p < 0 || ns[p].tag == atom.Body || ns[p].tag == atom.Html || 4*ns[p].textLen > 5*ns[cur].textLen {
			break
		}
		cur = p
	}
	return top
}

// hasSectionSibling reports whether block c has a sibling of its kind
// (same tag and first class token) holding unlinked text.
func (d *dom) hasSectionSibling(c int32) bool {
	ns := d.nodes
	p := ns[c].parent
	if p < 0 || ns[c].h == nil || ns[c].tag == 0 {
		return false
	}
	cls := firstToken(attr(ns[c].h, "class"))
	if cls == "" {
		return false
	}
	for s := ns[p].first; s >= 0; s = ns[s].next {
		sn := &ns[s]
		if s == c || sn.tag != ns[c].tag || sn.textLen < 100 || sn.weight < 0 && sn.flags&flagWeak == 0 ||
			d.linkDensity(s) >= 0.1 || sn.paras < 2 || firstToken(attr(sn.h, "class")) != cls {
			continue
		}
		return true
	}
	return false
}

// proseRegion is a second opinion on the candidate: the article is where
// a page's unlinked prose is. The block with the most prose net of its
// other text (links, labels, short lines) replaces the candidate
//   - when the candidate holds under 500 runes of prose and the block three
//     times as much: pages built of many small blocks (page builders, card
//     layouts) spread their paragraphs too thin for any one block to score
//     well, and a lone teaser or notice can win instead;
//   - when the block contains the candidate with twice its prose, and what
//     it adds is nearly unlinked (under a fifth): the other sections,
//     tabs and accordion panels of a long guide, not a column of teasers.
func (d *dom) proseRegion(top int32) int32 {
	ns := d.nodes
	best, gain := int32(-1), int32(0)
	for i := range ns {
		nd := &ns[i]
		if nd.tag == 0 || nd.tag == atom.Html || nd.tag == atom.Body || nd.flags&flagInline != 0 {
			continue
		}
		if g := 2*nd.prose - nd.textLen; g > gain {
			best, gain = int32(i), g
		}
	}
	// Hand-written pages put the article straight in <body>, its text
	// between headings and lists rather than in blocks: when the body's
	// net prose is three times any block's and its own text is long,
	// the candidate (a caption, a box) gives way to the body.
	if b := &ns[d.body]; ns[top].prose < 500 && b.ownLen >= 500 && 2*b.prose-b.textLen > 3*gain {
		return d.body
	}
	if best < 0 || best == top || d.isAncestor(top, best) {
		return top
	}
	if ns[top].prose < 500 && ns[best].prose > 3*ns[top].prose || d.isAncestor(best, top) && ns[best].prose > 2*ns[top].prose &&
		5*(ns[best].linkLen-ns[top].linkLen) < ns[best].textLen-ns[top].textLen && !d.holdsCopy(best, top) {
		return best
	}
	return top
}

// holdsCopy reports whether block a holds, beside the candidate c, a
// block of c's tag with the same text and prose lengths: a second copy of
// the article (a gated or print version the page hides by a class),
// whose prose says nothing about where the article ends.
func (d *dom) holdsCopy(a, c int32) bool {
	ns := d.nodes
	cn := &ns[c]
	for j, e := a+1, d.end(a); j < e; j++ {
		if j == c || cn.textLen < 500 || ns[j].tag != cn.tag || ns[j].textLen != cn.textLen || ns[j].prose != cn.prose {
			continue
		}
		if !d.isAncestor(c, j) && !d.isAncestor(j, c) {
			return true
		}
	}
	return false
}

// faqBlock returns the block holding the questions the page's JSON-LD
// FAQPage lists, when it lies after the article's blocks and outside
// them: the publisher marks it as the page's content, and page builders
// set it in a module or region of its own. It is the smallest block
// holding the first two questions as lines of their own, under a quarter
// linked; -1 when there is none.
func (d *dom) faqBlock(faq []string, roots []int32) int32 {
	if len(faq) < 2 || len(roots) == 0 {
		return -1
	}
	ns := d.nodes
	want := [2]string{normQ(faq[0]), normQ(faq[1])}
	var at [2]int32
	at[0], at[1] = -1, -1
	for i := range ns {
		if ns[i].tag != 0 || ns[i].textLen < 10 {
			continue
		}
		t := normQ(ns[i].h.Data)
		for k := range want {
			if at[k] < 0 && t == want[k] {
				at[k] = int32(i)
			}
		}
	}
	if at[0] < 0 || at[1] < 0 {
		return -1
	}
	a := ns[at[0]].parent
	for a >= 0 && !d.isAncestor(a, at[1]) {
		a = ns[a].parent
	}
	if a < 0 || ns[a].tag == atom.Body || ns[a].tag == atom.Html || d.linkDensity(a) >= 0.25 {
		return -1
	}
	last := roots[len(roots)-1]
	for _, r := range roots {
		if r == a || d.isAncestor(r, a) || d.isAncestor(a, r) {
			return -1
		}
	}
	if a < last {
		return -1
	}
	return a
}

func normQ(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// end returns the index just past block i's subtree: the arena is in
// document order, so i's descendants are i+1 up to it, and it is the next
// sibling of i or of its nearest ancestor that has one.
func (d *dom) end(i int32) int32 {
	for a := i; a >= 0; a = d.nodes[a].parent {
		if n := d.nodes[a].next; n >= 0 {
			return n
		}
	}
	return int32(len(d.nodes))
}
