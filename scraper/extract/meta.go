package extract

import (
	"net/url"
	"strings"
	"time"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// meta is what the page says about itself, from JSON-LD, OpenGraph, meta
// tags and a few microformats.
type meta struct {
	props     map[string]string // first value of each meta property/name/itemprop, lower-cased key
	title     string            // <title>
	h1        string
	lang      string
	canonical string
	base      string
	byline    string // rel=author link text
	classBy   string // text of the first element whose class names a byline
	timeAttr  string // first <time datetime>
	jsonld    []string
	nodes     int // elements and text nodes seen, to size the arena
	stream    streamed
}

// collectMeta walks the whole tree once for metadata.
func collectMeta(root *html.Node) *meta {
	m := &meta{props: map[string]string{}}
	stack := []*html.Node{root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Type == html.ElementNode && m.element(n) {
			continue
		}
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			m.nodes++
			if c.Type == html.ElementNode || c.Type == html.DocumentNode {
				stack = append(stack, c)
			}
		}
	}
	return m
}

// element records n's metadata; it reports whether n's children are done.
func (m *meta) element(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Html:
		if m.lang == "" {
			m.lang = attr(n, "lang")
		}
	case atom.Meta:
		m.metaTag(n)
	case atom.Link:
		if rel := strings.ToLower(attr(n, "rel")); rel == "canonical" && m.canonical == "" {
			m.canonical = attr(n, "href")
		}
	case atom.Base:
		if m.base == "" {
			m.base = attr(n, "href")
		}
	case atom.Title:
		if m.title == "" {
			m.title = nodeText(n, 500)
		}
		return true
	case atom.H1:
		if m.h1 == "" {
			m.h1 = nodeText(n, 500)
		}
		return true
	case atom.Script:
		if strings.Contains(attr(n, "type"), "ld+json") && n.FirstChild != nil && len(m.jsonld) < 8 {
			m.jsonld = append(m.jsonld, n.FirstChild.Data)
		}
		return true
	case atom.Style, atom.Svg, atom.Noscript:
		return true
	case atom.Template, atom.Div:
		m.stream.note(n)
	case atom.Time:
		if m.timeAttr == "" {
			m.timeAttr = attr(n, "datetime")
		}
	case atom.A:
		if m.byline == "" && strings.Contains(attr(n, "rel"), "author") {
			m.byline = nodeText(n, 100)
		}
	}
	if m.classBy == "" {
		m.classByline(n)
	}
	if ip := attr(n, "itemprop"); ip != "" && n.DataAtom != atom.Meta {
		m.itemprop(n, strings.ToLower(ip))
	}
	return false
}

// classByline records the text of an element whose class names a byline.
func (m *meta) classByline(n *html.Node) {
	if n.DataAtom == atom.Body || n.DataAtom == atom.Article {
		return
	}
	if c := strings.ToLower(attr(n, "class")); strings.Contains(c, "byline") || strings.Contains(c, "author-name") {
		if t := nodeText(n, 200); len(t) >= 3 && len(t) <= 100 && nameLike(t) {
			m.classBy = t
		}
	}
}

func (m *meta) metaTag(n *html.Node) {
	var key, content string
	for _, a := range n.Attr {
		switch a.Key {
		case "property", "name", "itemprop", "http-equiv":
			if key == "" {
				key = strings.ToLower(strings.TrimSpace(a.Val))
			}
		case "content":
			content = strings.TrimSpace(a.Val)
		}
	}
	if key == "" || content == "" {
		return
	}
	for _, k := range strings.Fields(key) { // property="og:title twitter:title"
		if _, ok := m.props[k]; !ok {
			m.props[k] = content
		}
	}
}

func (m *meta) itemprop(n *html.Node, ip string) {
	switch ip {
	case "datepublished":
		if v := attr(n, "datetime"); v != "" {
			m.setProp("datepublished", v)
		} else if v := attr(n, "content"); v != "" {
			m.setProp("datepublished", v)
		}
	case "author":
		// A schema.org Person names itself; the rest of the element is
		// often the date and a social handle.
		if name := findItemprop(n, "name", 0); name != nil {
			n = name
		}
		m.setProp("author", nodeText(n, 100))
	}
}

func (m *meta) setProp(k, v string) {
	if _, ok := m.props[k]; !ok && v != "" {
		m.props[k] = v
	}
}

// findItemprop returns the first element under n whose itemprop is prop.
func findItemprop(n *html.Node, prop string, depth int) *html.Node {
	for c := n.FirstChild; c != nil && depth < 16; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if strings.EqualFold(attr(c, "itemprop"), prop) {
			return c
		}
		if f := findItemprop(c, prop, depth+1); f != nil {
			return f
		}
	}
	return nil
}

// nameLike reports whether a byline element's text can start with a
// name: not with an avatar's bare initial ("J J", "S Sky News").
func nameLike(s string) bool {
	first, _, _ := strings.Cut(s, " ")
	n := 0
	for _, r := range first {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n >= 2 || strings.HasSuffix(first, ".")
}

// nodeText returns the whitespace-normalised text under n, up to about
// limit bytes of it (counted after normalising, so that a page's
// indentation does not change what is kept).
func nodeText(n *html.Node, limit int) string {
	var b strings.Builder
	space := false // a space is due before the next word (text nodes never run together)
	var walk func(*html.Node, int)
	walk = func(n *html.Node, depth int) {
		if b.Len() > limit || depth > 64 {
			return
		}
		if n.Type == html.TextNode {
			for _, w := range strings.Fields(n.Data) {
				if space && b.Len() > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(w)
				space = true
			}
			return
		}
		if n.DataAtom == atom.Script || n.DataAtom == atom.Style {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return b.String()
}

func (m *meta) first(keys ...string) string {
	for _, k := range keys {
		if v := m.props[k]; v != "" {
			return v
		}
	}
	return ""
}

// resolve makes ref absolute against the page URL and <base href>.
func resolve(pageURL, base, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	b, err := url.Parse(pageURL)
	if err != nil {
		b = &url.URL{}
	}
	if base != "" {
		if bu, err := url.Parse(base); err == nil {
			b = b.ResolveReference(bu)
		}
	}
	if !b.IsAbs() && !u.IsAbs() {
		return u.String()
	}
	return b.ResolveReference(u).String()
}

var dateLayouts = []string{
	time.RFC3339Nano, time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00", "2006-01-02T15:04", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02", time.RFC1123Z, time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST", "2006/01/02 15:04:05", "2006/01/02",
	"January 2, 2006", "Jan 2, 2006", "2 January 2006", "02.01.2006", "20060102",
	"2006-01-02 15:04:05 MST", "January 2, 2006, 03:04 PM MST", "January 2, 2006 03:04 PM MST",
	"January 2, 2006, 15:04", "January 2, 2006 15:04", "Jan 2, 2006 15:04", "Mon Jan 02 2006 15:04:05 GMT-0700",
	"Mon Jan 2 2006 15:04:05 GMT-0700", "02/01/2006 15:04", "2006-01-02T15:04:05.000Z0700",
}

// zoneOffsets are the offsets, in minutes, of zone abbreviations seen in
// news pages; Go knows an abbreviation's offset only when it is the local
// zone's. AST is Arabia Standard Time here, not Atlantic.
var zoneOffsets = map[string]int{
	"EST": -300, "EDT": -240, "CST": -360, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
	"BST": 60, "CET": 60, "CEST": 120, "EET": 120, "EEST": 180, "MSK": 180, "AST": 180, "GST": 240, "IST": 330,
}

// fixZone gives a time parsed with a zone abbreviation its real offset.
func fixZone(t time.Time) time.Time {
	name, off := t.Zone()
	mins, ok := zoneOffsets[name]
	if !ok || off != 0 {
		return t
	}
	y, mo, d := t.Date()
	return time.Date(y, mo, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.FixedZone(name, mins*60))
}

// parseDate accepts the common machine-readable date forms; zero if none.
func parseDate(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return time.Time{}
	}
	if i := strings.Index(s, " ("); i > 0 {
		s = s[:i] // "... GMT+0000 (Coordinated Universal Time)"
	}
	for _, l := range dateLayouts {
		// ParseInLocation(UTC) so that the machine's zone never matters.
		if t, err := time.ParseInLocation(l, s, time.UTC); err == nil && t.Year() >= 1990 {
			return fixZone(t)
		}
	}
	return time.Time{}
}
