package extract

import (
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
		"pager", "popup", "yom-remote", "newsletter", "share", "cookie", "outbrain",
		"taboola", "recommend", "trending", "most-popular", "subscribe", "signup",
	}
	maybeHints = []string{"and", "article", "body", "column", "content", "main", "shadow", "mathjax", "embed", "tweet", "quote"}
	// embedHints mark embedded posts and quotes, which are part of the article.
	embedHints   = []string{"embed", "tweet", "quote", "instagram"}
	captionHints = []string{"caption", "credit", "wp-caption-text", "image-desc", "photo-desc"}
)

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// classWeight scores a lower-cased "class id" string: -25 for boilerplate
// hints, +25 for content hints, both can apply.
func classWeight(hint string) int16 {
	var w int16
	if containsAny(hint, negativeHints) && !containsAny(hint, embedHints) {
		w -= 25
	}
	if containsAny(hint, positiveHints) {
		w += 25
	}
	return w
}

// unlikely reports whether an element is so unlikely to be content that it
// is dropped before scoring.
func unlikely(hint string) bool {
	return containsAny(hint, unlikelyHints) && !containsAny(hint, maybeHints)
}

// unlikelyExempt tags are kept whatever their class says.
func unlikelyExempt(tag atom.Atom) bool {
	switch tag {
	case atom.Body, atom.A, atom.Article, atom.Main, atom.Html, atom.Table, atom.Tbody,
		atom.Tr, atom.Td, atom.Th, atom.Code, atom.Pre:
		return true
	}
	return false
}

func isCaption(hint string) bool {
	return containsAny(hint, captionHints)
}
