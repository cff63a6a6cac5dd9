package extract

import "strings"

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
	// A heading is a line; a long "heading" is text a broken page left
	// inside one.
	for len(ps) > 3 && ps[len(ps)-1].heading && ps[len(ps)-1].runes <= 80 {
		ps = ps[:len(ps)-1]
	}
	return ps
}

// trimToBody cuts what follows the end of the publisher's own copy of the
// text (JSON-LD articleBody): when a paragraph near the end of the page's
// article is the one that ends articleBody, the paragraphs after it are
// the page's (author box, calls to action, related reading). A short or
// truncated articleBody, or one the page's text does not end, changes
// nothing.
func trimToBody(ps []para, body string) []para {
	if len(body) < 500 || len(ps) < 4 {
		return ps
	}
	bk := normKey(body)
	if len(bk) < 400 {
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
