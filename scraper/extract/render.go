package extract

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// para is one rendered paragraph.
type para struct {
	text    string
	runes   int
	linkLen int
	tag     atom.Atom // the block that opened it
	heading bool
	data    bool  // inside a data table: a cell's date or link is data, not chrome
	sublist bool  // an item of a list nested in a list item: part of an outline
	node    int32 // the block that opened it
}

type renderer struct {
	d        *dom
	out      []para
	b        strings.Builder
	space    bool // last byte written was a space (or nothing yet)
	runes    int
	link     int
	inLink   int
	tag      atom.Atom
	heading  bool
	articles int // <article> elements open
	data     int // data tables open
	sublist  bool
	node     int32
}

// render returns the paragraphs of the given subtrees.
func (d *dom) render(roots []int32) []para {
	r := &renderer{d: d, space: true}
	for _, root := range roots {
		r.walk(root, 0)
	}
	r.flush()
	return r.out
}

func (r *renderer) walk(i int32, depth int) {
	nd := &r.d.nodes[i]
	if nd.tag == 0 {
		r.write(nd.h.Data)
		return
	}
	if depth > 600 || nd.flags&(flagDrop|flagCredit) != 0 || nd.flags&flagCaption != 0 && !r.d.figureCaption(i) ||
		depth > 0 && r.d.dropConditionally(i) {
		return
	}
	if nd.tag == atom.Cite && r.d.figureCredit(i) {
		return
	}
	switch nd.tag {
	case atom.Br, atom.Hr:
		r.flush()
		return
	case atom.Img, atom.Input, atom.Embed:
		return
	}
	if nd.tag == atom.Article {
		// An article inside an article that does not hold the best
		// content is a teaser for another post.
		if r.articles > 0 && r.d.core >= 0 && i != r.d.core && !r.d.isAncestor(i, r.d.core) {
			return
		}
		if r.d.teaserCard(i) {
			return
		}
		r.articles++
		defer func() { r.articles-- }()
	}
	if nd.tag == atom.Table && r.d.isDataTable(i) > 0 {
		r.data++
		defer func() { r.data-- }()
	}
	inline := nd.flags&flagInline != 0 && nd.flags&flagBlocky == 0
	if !inline {
		r.flush()
		r.tag = nd.tag
		r.heading = isHeading(nd.tag)
		r.sublist = nd.tag == atom.Li && r.d.inSublist(i)
		r.node = i
	}
	link := nd.tag == atom.A && nd.flags&flagLink != 0
	if link {
		r.inLink++
	}
	for c := nd.first; c >= 0; c = r.d.nodes[c].next {
		r.walk(c, depth+1)
	}
	if link {
		r.inLink--
	}
	if !inline {
		r.flush()
	}
}

func isHeading(t atom.Atom) bool {
	switch t {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

// write appends text with whitespace runs collapsed to one space.
func (r *renderer) write(s string) {
	for len(s) > 0 {
		// Fast path: a run of printable ASCII goes in at once.
		n := 0
		for n < len(s) && s[n] > ' ' && s[n] < utf8.RuneSelf {
			n++
		}
		if n > 0 {
			r.b.WriteString(s[:n])
			r.space = false
			r.runes += n
			if r.inLink > 0 {
				r.link += n
			}
			s = s[n:]
			continue
		}
		c, size := rune(s[0]), 1
		if c >= utf8.RuneSelf {
			c, size = utf8.DecodeRuneInString(s)
		}
		s = s[size:]
		switch c {
		case ' ', '\n', '\t', '\r', '\f', '\u00a0', '\u200b', '\u2028', '\u2029', '\u3000':
			if !r.space {
				r.b.WriteByte(' ')
				r.space = true
			}
			continue
		}
		r.b.WriteRune(c)
		r.space = false
		r.runes++
		if r.inLink > 0 {
			r.link++
		}
	}
}

func (r *renderer) flush() {
	t := strings.TrimSpace(r.b.String())
	if t != "" {
		r.out = append(r.out, para{text: t, runes: r.runes, linkLen: r.link, tag: r.tag, heading: r.heading, data: r.data > 0, sublist: r.sublist, node: r.node})
	}
	r.b.Reset()
	r.space, r.runes, r.link = true, 0, 0
}

// dropConditionally applies Readability's conditional cleaning to lists,
// tables and generic containers inside the article: blocks that look like
// link lists, image galleries, forms or widgets are left out.
func (d *dom) dropConditionally(i int32) bool {
	nd := &d.nodes[i]
	if nd.flags&flagEmbed != 0 {
		return false
	}
	switch nd.tag {
	case atom.Form, atom.Fieldset, atom.Table, atom.Ul, atom.Ol, atom.Div, atom.Section,
		atom.Aside, atom.Header, atom.Footer, atom.Figure, atom.Dl:
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return nd.weight < 0 && nd.flags&flagWeak == 0
	default:
		return false
	}
	if i == d.core || d.core >= 0 && d.isAncestor(i, d.core) {
		return false // it holds the page's best-scored text block
	}
	if d.top >= 0 && nd.prose >= 500 && 2*nd.prose > d.nodes[d.top].prose {
		return false // it holds most of the article's prose, whatever its class says
	}
	switch nd.tag {
	case atom.Aside:
		// A callout box set in the article's text (a note, a box that
		// explains a term) is prose: 200 runes of it with no link, or 500
		// under a tenth linked, no form and no negative class. Related
		// links, promos and sign-up boxes still go.
		return !(nd.weight >= 0 && nd.inputs == 0 && (nd.prose >= 200 && nd.linkLen == 0 || nd.prose >= 500 && 10*nd.linkLen < nd.textLen))
	case atom.Footer:
		return true
	case atom.Header:
		// A header holds the headline, byline and date, which the
		// article text leaves out, unless it is a standfirst: a sentence
		// or two of its own prose. Past the article's first paragraph
		// it heads a section (its heading, a step's label).
		if l := d.leadPara(); l >= 0 && i > l && nd.textLen <= 200 && d.linkDensity(i) < 0.5 && d.firstHeading(i) >= 0 {
			return false
		}
		return nd.paras < 2 && (nd.ownLen < 80 || nd.linkLen > 0)
	}
	if nd.weight+int16(nd.score) < 0 && nd.weight < 0 && !d.weakProse(i) && !d.weakHeading(i) {
		return true
	}
	if nd.commas >= 10 || nd.tag == atom.Table && d.isDataTable(i) == dataHeaded {
		return false // a table with header cells holds data, however many links
	}
	isList := nd.tag == atom.Ul || nd.tag == atom.Ol || nd.tag == atom.Dl
	if !isList && nd.textLen > 0 && nd.lis*40 > nd.textLen && nd.lis > nd.paras*2 {
		isList = true
	}
	// A wrapper around one list (a page builder's or a document
	// converter's "ulist" block) is judged as that list.
	if !isList && nd.lis > 0 && nd.ownLen == 0 {
		if c := d.onlyElement(i); c >= 0 && (d.nodes[c].tag == atom.Ul || d.nodes[c].tag == atom.Ol) && d.nodes[c].textLen+4 >= nd.textLen {
			isList = true
		}
	}
	ld := d.linkDensity(i)
	p, img, li, in := nd.paras, nd.imgs, nd.lis-100, nd.inputs
	switch {
	case img > 1 && float32(p)/float32(img) < 0.5 && nd.textLen < 40*img && !d.inFigure(i) &&
		(nd.tag != atom.Table || d.isDataTable(i) == 0): // a table of icons (✓) is data, not a gallery
		return true
	case !isList && li > p:
		return true
	case in > p/3 && !(isList && in <= nd.lis && 2*nd.prose >= nd.textLen && nd.textLen >= 30*in):
		// A list whose items each carry a checkbox beside a sentence is a
		// checklist, not a form.
		return true
	case !isList && nd.textLen < 25 && (img == 0 || img > 2) && !d.inFigure(i) && !shortText(nd):
		return true
	case !isList && nd.weight < 25 && ld > 0.2 && nd.textLen < 2000 && !(nd.prose >= 300 && nd.prose >= 3*nd.linkLen) &&
		!(nd.tag == atom.Table && ld < 0.5 && nd.textLen >= 400 && d.isDataTable(i) == dataGrid) && // a comparison grid links its products
		!(ld < 0.6 && nd.prose >= 100 && d.inArticleItem(i)) && !(ld < 0.5 && d.wrapsParagraph(i)) && !(nd.prose >= 200 && nd.imgs == 0 && !d.linkedTitle(i) && d.buttonLinks(i, 4)):
		return true
	case nd.weight >= 25 && ld > 0.5:
		return true
	case nd.embeds == 1 && nd.textLen < 75 || nd.embeds > 1:
		return true
	}
	return false
}

// leadPara returns the article's first paragraph of prose (a <p> of 80
// runes or more under the article's container), -1 if none.
func (d *dom) leadPara() int32 {
	if d.lead != -2 {
		return d.lead
	}
	d.lead = -1
	if d.top >= 0 {
		ns := d.nodes
		for j, e := d.top+1, d.end(d.top); j < e; j++ {
			if ns[j].tag == atom.P && ns[j].textLen >= 80 && 4*ns[j].linkLen < ns[j].textLen {
				d.lead = j
				break
			}
		}
	}
	return d.lead
}

// wrapsParagraph reports whether block i is a wrapper around one
// paragraph, which holds nine tenths of its text or more: a page builder's
// text widget, which the link test judges as the paragraph it is.
func (d *dom) wrapsParagraph(i int32) bool {
	ns := d.nodes
	if ns[i].paras != 1 || ns[i].imgs > 0 || d.inFigure(i) {
		return false
	}
	for j, e := i+1, d.end(i); j < e; j++ {
		if ns[j].tag == atom.P {
			return 10*ns[j].textLen >= 9*ns[i].textLen
		}
	}
	return false
}

// inArticleItem reports whether block i is an item of a list-style
// article (articleItem) or the body of one: a wrapper around it, up to
// three levels up and holding at most twice its text, is an item, and
// its links are mostly lines of their own (buttonLinks), not words of
// a promo's sentences.
func (d *dom) inArticleItem(i int32) bool {
	ns := d.nodes
	for a, k := i, 0; a >= 0 && k <= 3 && ns[a].textLen <= 2*ns[i].textLen; a, k = ns[a].parent, k+1 {
		if d.articleItem(a) {
			return a == i || d.buttonLinks(i, 4)
		}
	}
	return false
}

// buttonLinks reports whether block i's links are mostly lines of their
// own (a product card's "Shop ..." and "See the rating" buttons) rather
// than words in its sentences: under 1/share of the rest is linked.
func (d *dom) buttonLinks(i int32, share int32) bool {
	ns := d.nodes
	var only int32
	for j, e := i+1, d.end(i); j < e; j++ {
		if ns[j].tag == atom.P && 10*ns[j].linkLen >= 9*ns[j].textLen {
			only += ns[j].textLen
		}
	}
	return share*(ns[i].linkLen-only) < ns[i].textLen-only
}

// linkedTitle reports whether block i holds a heading that is, or is
// inside, a link: the title of a teaser for another page.
func (d *dom) linkedTitle(i int32) bool {
	ns := d.nodes
	for j, e := i+1, d.end(i); j < e; j++ {
		if isHeading(ns[j].tag) && (ns[j].linkLen > 0 || d.inLink(j, i)) {
			return true
		}
	}
	return false
}

// inLink reports whether node j sits in a link below block i.
func (d *dom) inLink(j, i int32) bool {
	for p := d.nodes[j].parent; p > i; p = d.nodes[p].parent {
		if d.nodes[p].flags&flagLink != 0 {
			return true
		}
	}
	return false
}

// articleItem reports whether block i is one item of a list-style
// article (a ranking, a directory of entries, each with a few linked
// facts): it and its siblings of its kind (same tag and first class),
// three or more, together hold 1,000 runes of prose and a quarter of the
// article's.
func (d *dom) articleItem(i int32) bool {
	ns := d.nodes
	p := ns[i].parent
	if p < 0 || d.top < 0 || ns[i].h == nil {
		return false
	}
	cls := firstToken(attr(ns[i].h, "class"))
	if cls == "" {
		return false
	}
	var prose int32
	n, k := 0, 0
	for s := ns[p].first; s >= 0 && k < 200; s = ns[s].next {
		k++
		sn := &ns[s]
		if sn.tag != ns[i].tag || sn.h == nil || firstToken(attr(sn.h, "class")) != cls {
			continue
		}
		n++
		prose += sn.prose
	}
	return n >= 3 && prose >= 1000 && 4*prose >= ns[d.top].prose
}

// weakProse reports whether block i is negative by weak hints only and
// holds prose: unlinked text in paragraphs, which its class alone does
// not make chrome.
func (d *dom) weakProse(i int32) bool {
	nd := &d.nodes[i]
	return nd.flags&flagWeak != 0 && nd.textLen >= 80 && d.linkDensity(i) < 0.25
}

// Kinds of table, as isDataTable judges them.
const (
	layoutTable = iota
	dataGrid    // a grid of more than ten cells
	dataHeaded  // header cells or a caption
)

// isDataTable reports whether table i holds data rather than layout, as
// Readability judges it: header cells or a caption (dataHeaded), or a grid
// of more than ten cells (ten rows, or five columns) (dataGrid), with no
// table inside.
func (d *dom) isDataTable(i int32) int {
	rows, cols, cells, header := 0, 0, 0, false
	var walk func(int32) bool
	walk = func(p int32) bool {
		for c := d.nodes[p].first; c >= 0; c = d.nodes[c].next {
			switch d.nodes[c].tag {
			case atom.Table:
				return false // nested: layout
			case atom.Tr:
				rows++
				cols = max(cols, cells)
				cells = 0
			case atom.Td:
				cells++
				continue
			case atom.Th, atom.Thead, atom.Caption, atom.Tfoot, atom.Colgroup:
				header = true
				if d.nodes[c].tag == atom.Th {
					cells++
					continue
				}
			case 0:
				continue
			}
			if !walk(c) {
				return false
			}
		}
		return true
	}
	if !walk(i) {
		return layoutTable
	}
	cols = max(cols, cells)
	switch {
	case header:
		return dataHeaded
	case rows >= 10 || cols > 4 || rows*cols > 10:
		return dataGrid
	}
	return layoutTable
}

// shortText reports whether a container holds just a short line of plain
// text (Readability turns such divs into paragraphs, which it never cleans):
// dialogue lines and one-line paragraphs stay; labels and dates are left to
// the paragraph filters.
func shortText(nd *node) bool {
	return nd.textLen > 0 && nd.linkLen == 0 && nd.imgs == 0 && nd.inputs == 0 && nd.embeds == 0
}

func (d *dom) inFigure(i int32) bool {
	for p := d.nodes[i].parent; p >= 0; p = d.nodes[p].parent {
		if d.nodes[p].tag == atom.Figure {
			return true
		}
	}
	return false
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// figureCaption reports whether caption i describes one picture of the
// article: it sits in a <figure>, or beside an image, with no other image
// around, outside lists (galleries, carousels of slides).
func (d *dom) figureCaption(i int32) bool {
	ns := d.nodes
	level := 0
	for p := ns[i].parent; p >= 0; p = ns[p].parent {
		switch ns[p].tag {
		case atom.Li, atom.Body:
			return false
		}
		if ns[p].tag == atom.Figure || ns[p].imgs > 0 && level < 3 {
			if ns[p].imgs > 1 || d.holdsPlayer(p) {
				return false // a gallery, or a video's title
			}
			for q := ns[p].parent; q >= 0; q = ns[q].parent {
				if ns[q].tag == atom.Li {
					return false
				}
			}
			return true
		}
		level++
	}
	return false
}

// figureCredit reports whether <cite> i credits a figure's picture rather
// than naming the source of a quotation the figure holds.
func (d *dom) figureCredit(i int32) bool {
	ns := d.nodes
	for p := ns[i].parent; p >= 0; p = ns[p].parent {
		switch ns[p].tag {
		case atom.Figure:
			for j, e := p+1, d.end(p); j < e; j++ {
				if ns[j].tag == atom.Blockquote || ns[j].tag == atom.Q {
					return false
				}
			}
			return true
		case atom.Blockquote, atom.Q, atom.Body:
			return false
		}
	}
	return false
}

// inSublist reports whether list item i belongs to a list nested in
// another list's item, and is no entry of a table of contents (links
// within the page).
func (d *dom) inSublist(i int32) bool {
	ns := d.nodes
	l := ns[i].parent
	if l < 0 || ns[l].parent < 0 || ns[ns[l].parent].tag != atom.Li {
		return false
	}
	for j, e := i+1, d.end(i); j < e; j++ {
		if ns[j].tag == atom.A && strings.HasPrefix(attr(ns[j].h, "href"), "#") {
			return false
		}
	}
	return true
}

// holdsPlayer reports whether a player or an embedded frame was left out
// of the subtree at i.
func (d *dom) holdsPlayer(i int32) bool {
	for j := i; j < int32(len(d.nodes)) && (j == i || d.isAncestor(i, j)); j++ {
		if d.nodes[j].flags&flagPlayer != 0 {
			return true
		}
	}
	return false
}

// weakHeading reports whether block i, named by weak words only (a page
// builder's "widget"), wraps a section heading of the article: a short
// unlinked heading whose next text in the page is a paragraph of prose,
// on a page with three such headings or more (sections of one text; a
// lone one heads a testimonial or a box). A gallery's or a teaser box's
// label is followed by captions or links.
func (d *dom) weakHeading(i int32) bool {
	if !d.weakHeadingShape(i) {
		return false
	}
	if d.weakHeads < 0 {
		d.weakHeads = 0
		last := int32(-1)
		for j := range d.nodes {
			if d.nodes[j].flags&flagWeak == 0 || !d.weakHeadingShape(int32(j)) {
				continue
			}
			h := d.firstHeading(int32(j))
			if h != last {
				d.weakHeads++
				last = h
			}
		}
	}
	return d.weakHeads >= 3
}

// firstHeading returns the first heading inside block i, -1 if none.
func (d *dom) firstHeading(i int32) int32 {
	for j, e := i+1, d.end(i); j < e; j++ {
		if isHeading(d.nodes[j].tag) {
			return j
		}
	}
	return -1
}

func (d *dom) weakHeadingShape(i int32) bool {
	ns := d.nodes
	nd := &ns[i]
	if nd.flags&flagWeak == 0 || nd.textLen == 0 || nd.textLen > 200 || nd.linkLen > 0 || nd.imgs > 0 || d.firstHeading(i) < 0 {
		return false
	}
	end := i
	for a := i; a >= 0; a = ns[a].parent {
		if ns[a].next >= 0 {
			end = ns[a].next
			break
		}
	}
	if end == i {
		return false
	}
	for j := end; j < int32(len(ns)) && j < end+200; j++ {
		n := &ns[j]
		if n.tag == 0 || n.textLen == 0 || n.flags&(flagInline|flagBlocky) != 0 {
			continue
		}
		return n.tag == atom.P && n.textLen >= 80 && 4*n.linkLen < n.textLen
	}
	return false
}

// teaserCard reports whether <article> i, outside the best content, is one
// of a grid of teasers for other posts: an <article> beside it and a
// linked title, and not an item of a list-style article.
func (d *dom) teaserCard(i int32) bool {
	ns := d.nodes
	if d.core < 0 || i == d.core || d.isAncestor(i, d.core) || d.isAncestor(d.core, i) {
		return false
	}
	sib := false
	if p := ns[i].parent; p >= 0 {
		for s, k := ns[p].first, 0; s >= 0 && k < 200 && !sib; s, k = ns[s].next, k+1 {
			sib = s != i && ns[s].tag == atom.Article
		}
	}
	return sib && d.linkedTitle(i) && !d.articleItem(i)
}

// onlyElement returns i's one element child, -1 when it has none or more.
func (d *dom) onlyElement(i int32) int32 {
	one := int32(-1)
	for c := d.nodes[i].first; c >= 0; c = d.nodes[c].next {
		if d.nodes[c].tag == 0 {
			continue
		}
		if one >= 0 {
			return -1
		}
		one = c
	}
	return one
}
