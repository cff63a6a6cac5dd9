package extract

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// node is one element or text node of the page, flattened into an arena in
// document order so that every later pass is a loop over a slice: children
// come after their parent, so a reverse loop visits children first.
type node struct {
	h       *html.Node
	tag     atom.Atom // 0 for text nodes (their text is h.Data)
	parent  int32
	first   int32 // first child, -1 if none
	next    int32 // next sibling, -1 if none
	weight  int16 // class and id hints
	flags   uint16
	textLen int32 // runes of text in the subtree, whitespace runs counted once
	linkLen int32 // runes of text inside links
	ownLen  int32 // runes of text in direct text and inline children
	commas  int32
	paras   int32 // <p> descendants
	imgs    int32
	lis     int32
	inputs  int32
	embeds  int32
	prose   int32 // runes of unlinked text in leaf blocks (see accumulate)
	hashLen int32 // runes of link text whose href is a place on this page ("#...")
	score   float32
}

const (
	flagScored  uint16 = 1 << iota // score has been initialised
	flagInline                     // inline element or text
	flagBlocky                     // has block-level descendants
	flagDrop                       // removed by conditional cleaning
	flagKeep                       // inside the article
	flagCaption                    // figure caption
	flagEmbed                      // embedded post or quote: kept by conditional cleaning
	flagLink                       // <a> with a real href (not javascript:, not empty)
	flagDecor                      // image hidden from assistive technology: an icon or a formula's fallback
	flagCredit                     // photo credit
	flagPlayer                     // held a video or audio player or an embedded frame (left out)
	flagWeak                       // negative weight from weak hints only (see weakHints)
	flagHash                       // <a> whose href is a place on this page ("#...")
)

type dom struct {
	nodes     []node
	body      int32
	core      int32               // best-scored node, -1 before scoring
	top       int32               // the article's container once chosen, -1 before
	lead      int32               // the article's first paragraph of prose, see leadPara; -2 before
	weakHeads int                 // weak-named heading wrappers over prose, see weakHeading; -1 before
	paras     int                 // <p> elements met so far while building
	hints     map[string]hintBits // class token -> its hints, shared by a page's passes
	faq       map[string]bool     // questions of a JSON-LD FAQPage: accordion triggers that say one are read
}

// buildOpts control how a page is flattened.
type buildOpts struct {
	strict  bool                // drop unlikely-looking blocks before scoring
	removed map[*html.Node]bool // removed by site rules
	size    int                 // expected node count
	hints   map[string]hintBits // class token cache, may be nil
	faq     map[string]bool     // questions of a JSON-LD FAQPage, normalised (normQ)
}

// skipTags are never content.
var skipTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Svg: true, atom.Iframe: true, atom.Object: true,
	atom.Canvas: true, atom.Head: true, atom.Select: true, atom.Textarea: true,
	atom.Button: true, atom.Nav: true, atom.Dialog: true, atom.Label: true,
	atom.Audio: true, atom.Video: true, atom.Map: true, atom.Picture: false,
}

// inlineTags keep their text in the enclosing paragraph.
var inlineTags = map[atom.Atom]bool{
	atom.A: true, atom.Abbr: true, atom.B: true, atom.Bdi: true, atom.Bdo: true,
	atom.Cite: true, atom.Code: true, atom.Data: true, atom.Dfn: true, atom.Em: true,
	atom.Font: true, atom.I: true, atom.Kbd: true, atom.Mark: true, atom.Q: true,
	atom.S: true, atom.Samp: true, atom.Small: true, atom.Span: true, atom.Strong: true,
	atom.Sub: true, atom.Sup: true, atom.Time: true, atom.U: true, atom.Var: true,
	atom.Ins: true, atom.Del: true, atom.Strike: true, atom.Big: true, atom.Tt: true,
	atom.Img: true, atom.Wbr: true, atom.Nobr: true,
}

// buildDOM flattens the tree under root, dropping never-content subtrees,
// hidden elements and (when strict) elements whose class or id marks them as
// unlikely to be content.
func buildDOM(root *html.Node, o buildOpts) *dom {
	if o.hints == nil {
		o.hints = map[string]hintBits{}
	}
	d := &dom{nodes: make([]node, 0, max(o.size+1, 64)), body: -1, core: -1, top: -1, lead: -2, weakHeads: -1, hints: o.hints, faq: o.faq}
	type frame struct {
		h      *html.Node
		parent int32
	}
	stack := []frame{{root, -1}}
	last := make([]int32, 0, cap(d.nodes)) // last child appended, per node
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		n := f.h
		nd, ok := d.makeNode(n, o.strict, o.removed)
		if !ok {
			if isPlayer(n) && f.parent >= 0 {
				d.nodes[f.parent].flags |= flagPlayer
			}
			continue
		}
		nd.parent = f.parent
		idx := int32(len(d.nodes))
		d.nodes = append(d.nodes, nd)
		last = append(last, -1)
		if f.parent >= 0 {
			if l := last[f.parent]; l >= 0 {
				d.nodes[l].next = idx
			} else {
				d.nodes[f.parent].first = idx
			}
			last[f.parent] = idx
		}
		if nd.tag == atom.Body && d.body < 0 {
			d.body = idx
		}
		if nd.tag == 0 {
			continue
		}
		// Push children in reverse so that they pop in document order.
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, frame{c, idx})
		}
	}
	d.accumulate()
	return d
}

func (d *dom) makeNode(n *html.Node, strict bool, removed map[*html.Node]bool) (node, bool) {
	nd := node{h: n, first: -1, next: -1}
	switch n.Type {
	case html.TextNode:
		nd.flags = flagInline
		return nd, true
	case html.DocumentNode:
		nd.tag = atom.Html
		return nd, true
	case html.ElementNode:
	default:
		return nd, false
	}
	if removed[n] || skipTags[n.DataAtom] && !(n.DataAtom == atom.Button && len(d.faq) > 0 && d.faq[normQ(nodeText(n, 400))]) {
		return nd, false
	}
	nd.tag = n.DataAtom
	if nd.tag == atom.P {
		d.paras++
	}
	if nd.tag == 0 {
		nd.tag = atom.Span // unknown elements behave like spans
	}
	a, visible := readAttrs(n, nd.tag)
	if !visible {
		return nd, false
	}
	if a.link {
		nd.flags |= flagLink
		if a.hash {
			nd.flags |= flagHash
		}
	}
	if a.decor {
		nd.flags |= flagDecor
	}
	id := a.id
	if isHeading(nd.tag) {
		// A heading's id is its anchor, a slug of its own words ("what
		// share of...", "social media tips"): it names the section, not
		// a kind of block.
		id = ""
	}
	if a.class != "" || id != "" {
		h := d.hint(a.class, id)
		nd.weight = h.weight
		if strict && h.unlikely && !unlikelyExempt(nd.tag) && !a.body && !(isHeading(nd.tag) && headerOnly(a.class, id)) &&
			!(inlineTags[nd.tag] && inCode(n)) && !((d.paras >= 3 || proseParas(n, 0) >= 2) && headerOnly(a.class, id)) && !(isHeading(nd.tag) && h.weakUnlikely) {
			return nd, false
		}
		if h.caption {
			nd.flags |= flagCaption
		}
		if h.credit {
			nd.flags |= flagCredit
		}
		if h.embed {
			nd.flags |= flagEmbed
		}
		if h.weak {
			nd.flags |= flagWeak
		}
	}
	if a.body {
		// schema.org microdata naming the article's text: the page's
		// own word outweighs any class name.
		nd.weight = max(nd.weight, 25)
	}
	if nd.tag == atom.Figcaption {
		nd.flags |= flagCaption
	}
	if inlineTags[nd.tag] {
		nd.flags |= flagInline
	}
	if n.Namespace == "math" {
		// MathML formulas are part of the sentence they sit in; their
		// TeX source (annotation) is not.
		if nd.tag == atom.Annotation || nd.tag == atom.AnnotationXml {
			return nd, false
		}
		if nd.tag != atom.Math || attr(n, "display") != "block" {
			nd.flags |= flagInline
		}
	}
	return nd, true
}

// isPlayer reports whether n is a video or audio player or an embedded
// frame, which the text leaves out.
func isPlayer(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	switch n.DataAtom {
	case atom.Video, atom.Audio, atom.Iframe, atom.Object:
		return true
	}
	return false
}

// attrs are the attributes the heuristics read.
type attrs struct {
	class, id string
	link      bool // a real href (not javascript:, not empty)
	hash      bool // the href is a place on this page ("#...")
	body      bool // itemprop="articleBody"
	decor     bool // aria-hidden="true" (kept on images and spans)
}

// readAttrs reads n's attributes in one pass; visible is false for hidden
// elements and for navigation and other page furniture by ARIA role.
func readAttrs(n *html.Node, tag atom.Atom) (a attrs, visible bool) {
	hidden, panel, ariaHidden := false, false, false
	for _, at := range n.Attr {
		switch at.Key {
		case "class":
			a.class = at.Val
		case "id":
			a.id = at.Val
		case "hidden":
			hidden = true
		case "style":
			if hiddenStyle(at.Val) {
				hidden = true
			}
		case "aria-hidden":
			if at.Val == "true" && tag != atom.Img && tag != atom.Span {
				ariaHidden = true
			}
			a.decor = at.Val == "true"
		case "href":
			v := strings.TrimSpace(at.Val)
			a.link = v != "" && !strings.HasPrefix(strings.ToLower(v), "javascript:")
			a.hash = len(v) > 1 && v[0] == '#'
		case "itemprop":
			a.body = hasFoldToken(at.Val, "articlebody")
		case "role":
			switch at.Val {
			case "navigation", "complementary", "contentinfo", "dialog", "alert":
				return a, false
			case "region", "tabpanel":
				panel = true
			}
		}
	}
	// A collapsed accordion or tab panel (hidden, with the ARIA role of
	// a panel) is text the reader opens in place: the saved page shows
	// it closed, but it is part of the page's content.
	if (hidden || ariaHidden) && disclosed(n) {
		return a, true
	}
	if ariaHidden || hidden && !panel && !wrapsPanel(n) && !streamedID(a.id, "S:") {
		return a, false
	}
	return a, true
}

// proseParas counts the paragraphs of 150 bytes of text or more under n,
// stopping at two: a block named "header" that holds them is an
// introduction (a listicle's opening), not the page's header.
func proseParas(n *html.Node, depth int) int {
	k := 0
	for c := n.FirstChild; c != nil && k < 2; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if c.DataAtom == atom.P {
			if len(nodeText(c, 150)) >= 150 {
				k++
			}
			continue
		}
		if depth < 6 {
			k += proseParas(c, depth+1)
		}
	}
	return k
}

// disclosed reports whether hidden element n is the panel of a collapsed
// disclosure: the element just before it is, or holds, a control marked
// aria-expanded="false" (an accordion item's header button).
func disclosed(n *html.Node) bool {
	p := n.PrevSibling
	for p != nil && p.Type != html.ElementNode {
		p = p.PrevSibling
	}
	if p == nil {
		return false
	}
	var find func(*html.Node, int) bool
	find = func(m *html.Node, depth int) bool {
		for _, at := range m.Attr {
			if at.Key == "aria-expanded" && at.Val == "false" {
				return true
			}
		}
		if depth >= 3 {
			return false
		}
		for c := m.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && find(c, depth+1) {
				return true
			}
		}
		return false
	}
	return find(p, 0)
}

// wrapsPanel reports whether n's only element child is an accordion or
// tab panel: the collapsing wrapper some toolkits hide instead of the panel.
func wrapsPanel(n *html.Node) bool {
	var only *html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.ElementNode && only == nil:
			only = c
		case c.Type == html.ElementNode || c.Type == html.TextNode && strings.TrimSpace(c.Data) != "":
			return false
		}
	}
	if only == nil {
		return false
	}
	for _, at := range only.Attr {
		if at.Key == "role" && (at.Val == "region" || at.Val == "tabpanel") {
			return true
		}
	}
	return false
}

func hiddenStyle(s string) bool {
	if !strings.Contains(s, "none") && !strings.Contains(s, "hidden") {
		return false
	}
	s = strings.ReplaceAll(strings.ToLower(s), " ", "")
	return strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden")
}

// accumulate computes the subtree statistics bottom-up in one reverse pass.
func (d *dom) accumulate() {
	ns := d.nodes
	for i := len(ns) - 1; i >= 0; i-- {
		nd := &ns[i]
		if nd.tag == 0 {
			nd.textLen, nd.commas = textStats(nd.h.Data)
		}
		switch nd.tag {
		case atom.A:
			if nd.flags&flagLink != 0 {
				nd.linkLen = nd.textLen
				if nd.flags&flagHash != 0 {
					nd.hashLen = nd.textLen
				}
			}
		case atom.P:
			nd.paras++
		case atom.Div, atom.Section, atom.Article, atom.Td, atom.Blockquote, atom.Pre, atom.Center:
			// Readability turns text-only divs into paragraphs; do the same
			// for counting, and count long text beside blocks as paragraphs.
			if nd.flags&flagBlocky == 0 && nd.textLen >= 25 {
				nd.paras++
			} else {
				nd.paras += nd.ownLen / 100
			}
		case atom.Img:
			if nd.flags&flagDecor == 0 {
				nd.imgs++
			}
		case atom.Li:
			nd.lis++
		case atom.Input:
			nd.inputs++
		case atom.Embed:
			nd.embeds++
		}
		if nd.tag != 0 && nd.flags&flagInline == 0 && 2*nd.linkLen < nd.textLen {
			if nd.flags&flagBlocky == 0 && nd.textLen >= 25 {
				nd.prose = nd.textLen - nd.linkLen // a block of text: a paragraph, a heading, an item
			} else if nd.flags&flagBlocky != 0 && nd.ownLen >= 25 {
				nd.prose += nd.ownLen // text beside blocks (lines split by <br>)
			}
		}
		p := nd.parent
		if p < 0 {
			continue
		}
		pn := &ns[p]
		pn.prose += nd.prose
		pn.textLen += nd.textLen
		pn.linkLen += nd.linkLen
		pn.hashLen += nd.hashLen
		pn.commas += nd.commas
		pn.paras += nd.paras
		pn.imgs += nd.imgs
		pn.lis += nd.lis
		pn.inputs += nd.inputs
		pn.embeds += nd.embeds
		if nd.flags&flagInline != 0 && nd.flags&flagBlocky == 0 {
			pn.ownLen += nd.textLen
		} else {
			pn.flags |= flagBlocky
		}
	}
}

// textStats counts the runes of s with whitespace runs counted once, and its commas.
func textStats(s string) (n, commas int32) {
	space := true
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch c {
			case ' ', '\n', '\t', '\r', '\f':
				if !space {
					n++
				}
				space = true
				continue
			case ',':
				commas++
			}
			n++
			space = false
			continue
		}
		r, sz := utf8.DecodeRuneInString(s[i:])
		i += sz
		if r == '\u00a0' {
			if !space {
				n++
			}
			space = true
			continue
		}
		if r == '،' || r == '，' || r == '、' {
			commas++
		}
		n++
		space = false
	}
	if space && n > 0 {
		n-- // trailing whitespace
	}
	return n, commas
}

func (d *dom) linkDensity(i int32) float32 {
	nd := &d.nodes[i]
	if nd.textLen == 0 {
		return 0
	}
	return float32(nd.linkLen) / float32(nd.textLen)
}

// hasFoldToken reports whether the space-separated list s holds tok,
// ignoring ASCII case (tok is lower case).
func hasFoldToken(s, tok string) bool {
	for _, f := range strings.Fields(s) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// inCode reports whether n sits in a code listing, whose syntax
// highlighting names tokens ("hljs-comment", "token comment"): the
// listing's text, not chrome.
func inCode(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.DataAtom == atom.Pre || p.DataAtom == atom.Code {
			return true
		}
	}
	return false
}
