package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html/atom"
)

// linkedHeading reports whether p is a heading that is mostly a link: a
// teaser's title.
func linkedHeading(p para) bool {
	return p.heading && p.runes <= 120 && p.linkLen*10 >= p.runes*8
}

// dropTail removes what follows the article's end: a trailing run of
// teasers (headings that are links, where the article itself has none)
// with the label heading over them, and headings that nothing follows.
func dropTail(ps []para) []para {
	if len(ps) < 4 {
		return ps
	}
	first, n := -1, 0
	for i, p := range ps {
		if p.heading && !linkedHeading(p) && first >= 0 {
			first = -2 // an unlinked heading after the teasers: sections, not a tail
			break
		}
		if linkedHeading(p) {
			if first == -1 {
				first = i
			}
			n++
		}
	}
	// Teasers have at most one paragraph each; an article whose section
	// headings are links (anchors) has several under each.
	if first >= 3 && n >= 2 && len(ps)-first-n <= n+1 && paraRunes(ps[:first]) >= 500 {
		ps = ps[:first]
		if last := ps[len(ps)-1]; last.heading && last.runes <= 60 {
			ps = ps[:len(ps)-1]
		}
	}
	// Up to three short lines in bare <div>s (widgetLine) opening the
	// article go, but not lines of one <div>: a card's label, a "min
	// read" badge, a widget's title above the text.
	// A caption there, before any of the text, is the lead picture's.
	for k := 0; k < 3 && len(ps) > 3 && (widgetLine(ps[0]) || leadLabel(ps[0]) || ps[0].tag == atom.Figcaption && ps[0].runes < 200) && ps[1].node != ps[0].node; k++ {
		ps = ps[1:]
	}
	// Trailing headings and widget lines go. A heading is a line; a long
	// "heading" is text a broken page left inside one.
	for node := int32(-1); len(ps) > 3; ps = ps[:len(ps)-1] {
		if last := ps[len(ps)-1]; !(last.heading && last.runes <= 80) {
			// Short lines of one <div> split by <br> are a poem's or an
			// address's, not widgets'.
			if !widgetLine(last) || last.node == node || len(ps) > 1 && ps[len(ps)-2].node == last.node {
				break
			}
			node = last.node
		}
	}
	return ps
}

// widgetLine reports whether p, at an end of the article, is a short
// line set in a bare <div> rather than a paragraph: a widget's label or
// button ("Start your free trial"). A label that introduces
// something (a colon) or asks a question is left.
func widgetLine(p para) bool {
	return p.tag == atom.Div && p.runes < 40 && !strings.ContainsAny(p.text, ":：?？")
}

// leadLabel reports whether p, opening the article, is a line of up to
// 80 runes in a bare <div> with no sentence in it (no full stop): a
// card's title or tagline over the text, where a standfirst is a sentence.
func leadLabel(p para) bool {
	return p.tag == atom.Div && p.runes < 80 && !strings.ContainsAny(p.text, ":：?？.。")
}

// trimToBody cuts what follows the end of the publisher's own copy of the
// text (JSON-LD articleBody): when a paragraph near the end of the page's
// article is the one that ends articleBody, the paragraphs after it are
// the page's (author box, calls to action, related reading). A short or
// truncated articleBody, or one the page's text does not end, changes
// nothing. What precedes the paragraph that opens articleBody goes too
// (trimToBodyStart).
func trimToBody(ps []para, body string) []para {
	if len(body) < 500 || len(ps) < 4 {
		return ps
	}
	bk := normKey(body)
	if len(bk) < 400 {
		return ps
	}
	ps = trimToBodyStart(ps, bk)
	if len(ps) < 4 {
		return ps
	}
	near := max(400, len(bk)/7)
	for i := len(ps) - 1; i >= 3 && i >= len(ps)-12; i-- {
		k := normKey(ps[i].text)
		if len(k) < 30 {
			continue
		}
		k = k[len(k)-30:]
		at := strings.LastIndex(bk, k)
		if at < 0 {
			continue
		}
		if at+len(k) >= len(bk)-near {
			// Short lines after it that articleBody has too ("That's
			// correct," he said.) are text.
			for i+1 < len(ps) && strings.Contains(bk[at:], normKey(ps[i+1].text)) {
				i++
			}
			return ps[:i+1]
		}
		return ps
	}
	return ps
}

// dropRepeats removes a run of paragraphs that repeats, word for word and
// in order, a run earlier in the article from another part of the page:
// responsive layouts render a block twice (a desktop and a mobile copy of
// the text, of an FAQ, of a slide), and the copy is not more article. The
// run must hold three or more paragraphs and 200 runes, or follow its
// original directly (40 runes or more). Other repeats stay (a summary box
// or a table restating a point further on: the annotators keep both), and
// so do data tables and runs in the same chain of enclosing blocks as
// their original (the rows of a schedule, a refrain).
func (d *dom) dropRepeats(ps []para) []para {
	if len(ps) < 6 {
		return ps
	}
	seen := make(map[uint64]int, len(ps))
	rep := make([]int, len(ps)) // the earlier paragraph p repeats, or -1
	found := false
	for i, p := range ps {
		rep[i] = -1
		k, ok := textHash(p.text)
		if !ok {
			continue
		}
		k ^= uint64(p.runes) * 0x9e3779b97f4a7c15
		if j, ok := seen[k]; ok {
			if !p.data && !ps[j].data && normKey(p.text) == normKey(ps[j].text) {
				rep[i], found = j, true
			}
			continue
		}
		seen[k] = i
	}
	if !found {
		return ps
	}
	out := make([]para, 0, len(ps)) // not in place: rep points back into ps
	for i := 0; i < len(ps); {
		k, runes, long := i+1, ps[i].runes, i
		for rep[i] >= 0 && k < len(ps) && rep[k] >= 0 && rep[k] == rep[k-1]+1 && rep[k] < i {
			runes += ps[k].runes
			if ps[k].runes > ps[long].runes {
				long = k
			}
			k++
		}
		adjacent := rep[i] >= 0 && rep[k-1] == i-1 // the copy follows its original directly
		if rep[i] >= 0 && (k-i >= 3 && runes >= 200 || adjacent && runes >= 40) && d.kindPath(ps[long].node) != d.kindPath(ps[rep[long]].node) {
			i = k // a copy
			continue
		}
		out = append(out, ps[i:k]...)
		i = k
	}
	return out
}

// textHash hashes the first 64 lower-cased letters and digits of s
// (FNV-1a); false when s has none. Equal hashes are checked in full.
func textHash(s string) (uint64, bool) {
	h, n := uint64(14695981039346656037), 0
	for i := 0; i < len(s) && n < 64; {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= 'A' && c <= 'Z':
				c += 'a' - 'A'
			case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			default:
				continue
			}
			h = (h ^ uint64(c)) * 1099511628211
			n++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			continue
		}
		for r = unicode.ToLower(r); r > 0; r >>= 8 {
			h = (h ^ uint64(r&0xff)) * 1099511628211
		}
		n++
	}
	return h, n > 0
}

// kindPath names the chain of blocks enclosing node i by tag and class.
func (d *dom) kindPath(i int32) string {
	var b strings.Builder
	for p := d.nodes[i].parent; p >= 0; p = d.nodes[p].parent {
		b.WriteString(d.nodes[p].tag.String())
		if h := d.nodes[p].h; h != nil {
			b.WriteByte('.')
			b.WriteString(attr(h, "class"))
		}
		b.WriteByte('>')
	}
	return b.String()
}

// trimToBodyStart cuts what precedes the start of articleBody (key bk):
// when a paragraph among the first twelve is the one that opens it (its
// first 30 letters are articleBody's first ones), the paragraphs before
// it are the page's (an affiliate notice, a teaser, a promotion), except
// lines articleBody has too, unless they hold over a third as much text
// as what follows.
func trimToBodyStart(ps []para, bk string) []para {
	for i := 0; i < len(ps) && i < 12; i++ {
		k := normKey(ps[i].text)
		if len(k) < 30 {
			continue
		}
		at := strings.Index(bk, k[:30])
		if at < 0 {
			continue // not in articleBody: the page's
		}
		if at > 40 {
			return ps // the page's text starts later in articleBody
		}
		for i > 0 && strings.Contains(bk[:at+30], normKey(ps[i-1].text)) {
			i--
		}
		if 3*paraRunes(ps[:i]) > paraRunes(ps[i:]) {
			return ps // too much before it: a page of several texts
		}
		return ps[i:]
	}
	return ps
}
