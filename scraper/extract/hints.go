package extract

import (
	"slices"
	"strings"

	"golang.org/x/net/html/atom"
)

// Class and id fragments, lower case. Matching is by substring, as in
// Readability, but without regular expressions.
var (
	negativeHints = []string{
		"-ad-", "ad-break", "adbox", "advert", "agegate", "banner", "breadcrumb", "combx",
		"comment", "community", "cookie", "disqus", "extra", "footer", "footnote", "gdpr",
		"masthead", "media", "meta", "menu", "modal", "newsletter", "outbrain", "pagination",
		"pager", "popup", "promo", "related", "remark", "replies", "rss", "scroll", "share",
		"shoutbox", "sidebar", "skyscraper", "social", "sponsor", "subscribe", "taboola",
		"tags", "toolbar", "tool", "widget", "recommend", "trending", "most-popular",
		"mostpopular", "byline", "author", "dateline", "signup", "login", "print",
	}
	positiveHints = []string{
		"article", "body", "content", "entry", "hentry", "h-entry", "main", "page",
		"post", "text", "blog", "story", "paragraph", "prose",
	}
	unlikelyHints = []string{
		"-ad-", "ai2html", "banner", "breadcrumbs", "combx", "comment", "community",
		"cover-wrap", "disqus", "extra", "footer", "gdpr", "header", "legends", "menu",
		"related", "remark", "replies", "rss", "shoutbox", "sidebar", "skyscraper",
		"social", "sponsor", "supplemental", "ad-break", "agegate", "pagination",
		"pager", "popup", "yom-remote", "share", "cookie", "outbrain",
		"taboola", "recommend", "trending", "most-popular", "subscribe", "signup",
		"cta", // a call to action ("blog-cta", "cta-block"), matched as a whole word
		// Not "newsletter": on newsletter platforms it names the
		// publication and wraps the issue; a sign-up box is negative
		// (negativeHints) and its prompt a call to action.
	}
	maybeHints = []string{"and", "article", "body", "column", "content", "main", "shadow", "mathjax", "embed", "tweet", "quote"}
	// embedHints mark embedded posts and quotes, which are part of the article.
	embedHints   = []string{"embed", "tweet", "quote", "instagram"}
	captionHints = []string{"caption", "wp-caption-text", "image-desc", "photo-desc"}
	// creditHints mark photo credits, which are never article text.
	creditHints = []string{"credit"}
	// weakHints are negative fragments that name a block's kind or layout
	// more often than chrome: page builders wrap every block in a
	// "widget", utility classes say "print:hidden" or "scroll-mt-8". They
	// lower a block's score but do not alone drop a block of prose.
	weakHints = []string{"widget", "media", "meta", "extra", "tool", "scroll", "print"}
)

// hintBits are the hint lists one class token (or id) matches.
type hintBits uint8

const (
	hintNegative hintBits = 1 << iota
	hintPositive
	hintUnlikely
	hintMaybe
	hintCaption
	hintEmbed
	hintCredit
	hintWeak
)

// hintInfo is what an element's class and id say about it.
type hintInfo struct {
	weight                           int16
	unlikely, caption, embed, credit bool
	weak                             bool // the negative weight comes from weak hints only
	weakUnlikely                     bool // unlikely by weak hints only ("extra")
}

// hint combines the hints of each class token and the id. Tokens repeat
// across a page far more than whole class strings, so they are cached.
func (d *dom) hint(cls, id string) hintInfo {
	bits := d.tokenBits(id)
	strong := bits&(hintNegative|hintWeak) == hintNegative
	strongUnlikely := bits&(hintUnlikely|hintWeak) == hintUnlikely
	qualified := false
	for len(cls) > 0 {
		tok := cls
		i := strings.IndexAny(cls, " \t\n\r\f")
		if i >= 0 {
			tok, cls = cls[:i], cls[i+1:]
		} else {
			cls = ""
		}
		b := d.tokenBits(tok)
		bits |= b
		strong = strong || b&(hintNegative|hintWeak) == hintNegative
		strongUnlikely = strongUnlikely || b&(hintUnlikely|hintWeak) == hintUnlikely
		qualified = qualified || b&(hintUnlikely|hintMaybe) == hintUnlikely|hintMaybe && moduleToken(tok)
	}
	var h hintInfo
	if bits&hintNegative != 0 && bits&hintEmbed == 0 {
		h.weight -= 25
	}
	if bits&hintPositive != 0 {
		h.weight += 25
	}
	// A word such as "article" or "body" elsewhere in the class keeps an
	// unlikely-looking block ("content sidebar-layout"), but not when it
	// qualifies a module word in the same token: "related-articles",
	// "comments-body" are that module's parts.
	h.unlikely = bits&hintUnlikely != 0 && bits&hintMaybe == 0 || qualified
	h.caption = bits&hintCaption != 0
	h.embed = bits&hintEmbed != 0
	h.credit = bits&hintCredit != 0
	h.weak = h.weight < 0 && !strong
	h.weakUnlikely = h.unlikely && !strongUnlikely
	return h
}

func (d *dom) tokenBits(tok string) hintBits {
	if i := strings.LastIndexByte(tok, ':'); i >= 0 && !strings.Contains(tok, "[") {
		// A utility class's variant ("lg:", "print:", "hover:") names a
		// breakpoint or a state, not a kind of block: read what follows.
		tok = tok[i+1:]
	}
	if tok == "" || strings.Contains(tok, "[") {
		// An arbitrary selector ("[&_figcaption]:mt-xs") styles other
		// elements: it says nothing of this one.
		return 0
	}
	if b, ok := d.hints[tok]; ok {
		return b
	}
	l := strings.ToLower(tok)
	var b hintBits
	for i := 0; i < len(l); i++ {
		for _, h := range hintIndex[l[i]] {
			if b&h.bit == 0 && strings.HasPrefix(l[i:], h.frag) {
				b |= h.bit
			}
		}
	}
	if b&hintUnlikely != 0 && !containsWord(l, unlikelyHints) {
		// Unlikely blocks are deleted, so ask for whole words there:
		// "evolve-shared-history" is an article section, not a share bar.
		b &^= hintUnlikely
	}
	if b&hintCaption != 0 && (strings.Contains(l, "no-caption") || strings.Contains(l, "no_caption") ||
		strings.Contains(l, "nocaption")) {
		b &^= hintCaption // a block without a caption ("image_hit no_caption") is not one
	}
	if b&hintNegative != 0 && !weakOnly(l) {
		b &^= hintWeak
	}
	d.hints[tok] = b
	return b
}

// weakOnly reports whether every negative fragment in the lower-cased
// token l is a weak one ("toolbar" holds "tool" but is chrome).
func weakOnly(l string) bool {
	for _, f := range negativeHints {
		if strings.Contains(l, f) && !slices.Contains(weakHints, f) {
			return false
		}
	}
	return true
}

// hintFrag is one fragment of the hint lists and the hint it gives.
type hintFrag struct {
	frag string
	bit  hintBits
}

// hintIndex holds every hint fragment by its first byte, so that one scan
// of a class token finds all the lists it matches.
var hintIndex = func() (idx [256][]hintFrag) {
	for _, x := range []struct {
		list []string
		bit  hintBits
	}{{negativeHints, hintNegative}, {positiveHints, hintPositive}, {unlikelyHints, hintUnlikely},
		{maybeHints, hintMaybe}, {captionHints, hintCaption}, {embedHints, hintEmbed},
		{creditHints, hintCredit}, {weakHints, hintWeak}} {
		for _, f := range x.list {
			idx[f[0]] = append(idx[f[0]], hintFrag{f, x.bit})
		}
	}
	return idx
}()

// containsWord reports whether s holds one of subs with no letter right
// before it and, for short words, none right after it.
func containsWord(s string, subs []string) bool {
	for _, sub := range subs {
		for off := 0; off < len(s); {
			i := strings.Index(s[off:], sub)
			if i < 0 {
				break
			}
			i += off
			end := i + len(sub)
			before := i == 0 || !isASCIILetter(s[i-1])
			after := len(sub) > 6 || end == len(s) || !isASCIILetter(s[end])
			if before && after {
				return true
			}
			off = i + 1
		}
	}
	return false
}

func isASCIILetter(b byte) bool { return b|0x20 >= 'a' && b|0x20 <= 'z' }

// unlikelyExempt tags are kept whatever their class says.
func unlikelyExempt(tag atom.Atom) bool {
	switch tag {
	case atom.Body, atom.A, atom.Article, atom.Main, atom.Html, atom.Table, atom.Tbody,
		atom.Tr, atom.Td, atom.Th, atom.Code, atom.Pre:
		return true
	}
	return false
}

// headerOnly reports whether the only unlikely word in a class and id is
// "header": a heading named for its role ("section-header", Substack's
// "header-anchor-post" on every section heading), not a page header.
func headerOnly(cls, id string) bool {
	l := strings.ToLower(cls + " " + id)
	if !containsWord(l, []string{"header"}) {
		return false
	}
	for _, u := range unlikelyHints {
		if u != "header" && containsWord(l, []string{u}) {
			return false
		}
	}
	return true
}

// moduleWords name a kind of module beside an article (its related
// reading, its comments, its share bar), as whole words of a class token:
// "related-articles", "comments-body", "RelatedArticles_container".
var moduleWords = []string{"related", "comment", "share", "social", "recommended"}

// moduleToken reports whether a class token names such a module, with a
// whole word (or its plural; "commentary" is an article) and no embed
// word ("social-media-embed" is a post the article quotes).
func moduleToken(tok string) bool {
	l := strings.ToLower(tok)
	if len(l) != len(tok) {
		tok = l // non-ASCII case changes: no camel case word breaks
	}
	if containsWord(l, embedHints) {
		return false
	}
	for _, w := range moduleWords {
		for off := 0; off < len(l); {
			i := strings.Index(l[off:], w)
			if i < 0 {
				break
			}
			i += off
			end := i + len(w)
			if end < len(l) && l[end] == 's' {
				end++
			}
			before := i == 0 || !isASCIILetter(l[i-1]) || tok[i] >= 'A' && tok[i] <= 'Z'
			after := end == len(l) || !isASCIILetter(l[end]) || tok[end] >= 'A' && tok[end] <= 'Z'
			if before && after {
				return true
			}
			off = i + 1
		}
	}
	return false
}
