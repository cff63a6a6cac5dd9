package extract

import (
	"strings"
)

// fillMeta sets the page's metadata, preferring JSON-LD, then OpenGraph
// and other meta tags, then the document itself.
func fillMeta(p *Page, m *meta, ld ldArticle, pageURL string) {
	p.Title = firstNonEmpty(ld.headline, m.first("og:title", "twitter:title", "dc.title", "headline"),
		m.h1, cleanTitle(m.title))
	p.Title = strings.Join(strings.Fields(p.Title), " ")
	p.Byline = firstNonEmpty(ld.author, m.first("author", "article:author", "byl", "dc.creator", "sailthru.author", "parsely-author"))
	if p.Byline == "" || strings.HasPrefix(p.Byline, "http") {
		p.Byline = firstNonEmpty(m.byline, m.classBy)
	}
	p.Byline = cleanByline(p.Byline)
	for _, s := range []string{ld.published, m.first("article:published_time", "datepublished",
		"og:article:published_time", "publish-date", "pubdate", "publishdate", "date", "dc.date",
		"dc.date.issued", "sailthru.date", "parsely-pub-date", "article.published"), m.timeAttr} {
		if t := parseDate(s); !t.IsZero() {
			p.Published = t
			break
		}
	}
	p.Lang = normLang(firstNonEmpty(ld.lang, m.lang, m.first("content-language", "og:locale", "language", "dc.language")))
	base := m.base
	p.CanonicalURL = resolve(pageURL, base, firstNonEmpty(m.canonical, m.first("og:url"), ld.url))
	p.Image = resolve(pageURL, base, firstNonEmpty(m.first("og:image", "og:image:url", "og:image:secure_url", "twitter:image", "twitter:image:src"), ld.image))
}

// titleSeps split a <title> into headline and site name.
var titleSeps = []string{" | ", " - ", " – ", " — ", " :: ", " « ", " » ", " · ", " / "}

// cleanTitle drops the site name from a <title>, keeping the longest part.
func cleanTitle(t string) string {
	t = strings.Join(strings.Fields(t), " ")
	for _, sep := range titleSeps {
		if !strings.Contains(t, sep) {
			continue
		}
		best := ""
		for _, part := range strings.Split(t, sep) {
			if len(part) > len(best) {
				best = part
			}
		}
		if len(strings.Fields(best)) >= 3 {
			return strings.TrimSpace(best)
		}
	}
	return t
}

// titleKeys are the normalised forms of every headline the page shows, for
// dropping body paragraphs that repeat it.
func titleKeys(title string, m *meta) []string {
	var out []string
	for _, t := range []string{title, m.first("og:title"), m.h1, cleanTitle(m.title), m.title} {
		if k := normKey(t); len(k) >= 8 {
			out = append(out, k)
		}
	}
	return out
}

// bylineSeps end the names in a byline element: what follows is a date,
// a handle or a link ("Jane Doe | May 1, 2019", "Jane Doe @jdoe").
var bylineSeps = []string{" | ", " • ", " · ", " @"}

// cleanByline normalises spaces, drops a leading "By" and cuts the line
// at a separator.
func cleanByline(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	l := strings.ToLower(s)
	for _, bp := range bylinePrefixes {
		if strings.HasPrefix(l, bp) && len(s) > len(bp) {
			s = strings.TrimSpace(s[len(bp):])
			break
		}
	}
	for _, sep := range bylineSeps {
		if i := strings.Index(s, sep); i > 0 {
			s = s[:i]
		}
	}
	return strings.TrimRight(s, " |•·,;:-–—")
}
