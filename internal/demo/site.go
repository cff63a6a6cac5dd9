package demo

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// resource is one prepared response of an outlet's host.
type resource struct {
	body     []byte
	ctype    string
	etag     string
	modified time.Time
}

func newResource(body []byte, ctype string, modified time.Time) resource {
	sum := sha256.Sum256(body)
	return resource{body: body, ctype: ctype, etag: `"` + hex.EncodeToString(sum[:8]) + `"`, modified: modified.UTC()}
}

// site is an outlet rendered for its base URL.
type site struct {
	res     map[string]resource
	links   map[string][]string // story → item links as the feed gives them
	pages   map[string][]string // story → article page URLs
	feedURL string
	siteURL string
}

// outletInfo is what templates know of the outlet.
type outletInfo struct {
	Slug, Name, Title, Description, Lang, Dir, Charset string
	SiteURL, FeedURL, FeedType                         string
}

type link struct{ Title, URL string }

// pageData is what an outlet's page template renders.
type pageData struct {
	Outlet     outletInfo
	Title      string
	Byline     string
	Section    string
	Summary    string
	Published  time.Time
	URL        string // canonical page URL
	Paragraphs []string
	Related    []link
	JSONLD     template.JS
	Year       int
}

// buildSite renders every page, the feed, the home page and robots.txt of
// one outlet served at base (scheme://host, no trailing slash).
func buildSite(fsys fs.FS, o outletSpec, arts []article, base string) (*site, error) {
	tmpl, err := template.New("page.html").Funcs(templateFuncs()).
		ParseFS(fsys, path.Join("testdata/outlets", o.Slug, "page.html"), "testdata/home.html")
	if err != nil {
		return nil, fmt.Errorf("outlet %s: parse templates: %w", o.Slug, err)
	}
	info := o.info(base)
	s := &site{res: map[string]resource{}, links: map[string][]string{}, pages: map[string][]string{}, feedURL: info.FeedURL, siteURL: base + "/"}
	doc := feedDoc{Title: info.Title, Description: o.Description, Lang: o.Lang, SiteURL: base, FeedURL: info.FeedURL}
	for i, a := range arts {
		page := base + a.Path
		if _, dup := s.res[a.Path]; dup {
			return nil, fmt.Errorf("outlet %s: two articles at %s", o.Slug, a.Path)
		}
		r, err := renderPage(tmpl, o, pageData{
			Outlet: info, Title: a.Title, Byline: a.Byline, Section: a.Section, Summary: a.Summary,
			Published: a.Published, URL: page, Paragraphs: a.Paragraphs,
			Related: related(arts, i, base), JSONLD: jsonLD(info, a, page), Year: a.Published.Year(),
		}, latest(a.Published, a.Updated))
		if err != nil {
			return nil, fmt.Errorf("outlet %s: page %s: %w", o.Slug, a.Path, err)
		}
		s.res[a.Path] = r
		item := o.item(a, page)
		doc.Items = append(doc.Items, item)
		s.links[a.Story] = append(s.links[a.Story], item.Link)
		s.pages[a.Story] = append(s.pages[a.Story], page)
		doc.Updated = latest(doc.Updated, latest(a.Published, a.Updated))
	}
	if err := s.addFeed(o, doc); err != nil {
		return nil, err
	}
	home, err := renderPage(tmpl.Lookup("home.html"), o, pageData{Outlet: info, Related: related(arts, -1, base), Year: doc.Updated.Year()}, doc.Updated)
	if err != nil {
		return nil, fmt.Errorf("outlet %s: home page: %w", o.Slug, err)
	}
	s.res["/"] = home
	s.res["/robots.txt"] = newResource([]byte("User-agent: *\nAllow: /\n"), "text/plain; charset=utf-8", doc.Updated)
	return s, nil
}

func (s *site) addFeed(o outletSpec, doc feedDoc) error {
	b, err := renderFeed(o.Format, o.charset(), doc)
	if err != nil {
		return fmt.Errorf("outlet %s: %w", o.Slug, err)
	}
	if b, err = encode(o.charset(), b); err != nil {
		return fmt.Errorf("outlet %s: feed: %w", o.Slug, err)
	}
	ctype := map[string]string{
		"rss":  "application/rss+xml; charset=" + o.charset(),
		"atom": "application/atom+xml; charset=" + o.charset(),
		"json": "application/feed+json; charset=utf-8",
	}[o.Format]
	s.res[o.FeedPath] = newResource(b, ctype, doc.Updated)
	return nil
}

func renderPage(t *template.Template, o outletSpec, d pageData, modified time.Time) (resource, error) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, d); err != nil {
		return resource{}, fmt.Errorf("render: %w", err)
	}
	b, err := encode(o.charset(), buf.Bytes())
	if err != nil {
		return resource{}, err
	}
	return newResource(b, "text/html; charset="+o.charset(), modified), nil
}

// encode transcodes UTF-8 b to charset; a character the charset cannot
// represent is an error, never a silent replacement.
func encode(charset string, b []byte) ([]byte, error) {
	if charset != "windows-1256" {
		return b, nil
	}
	out, err := charmap.Windows1256.NewEncoder().Bytes(b)
	if err != nil {
		return nil, fmt.Errorf("encode as windows-1256: %w", err)
	}
	return out, nil
}

func (o outletSpec) charset() string {
	if o.Charset == "" {
		return "utf-8"
	}
	return o.Charset
}

func (o outletSpec) info(base string) outletInfo {
	dir := "ltr"
	if o.Lang == "ar" {
		dir = "rtl"
	}
	types := map[string]string{"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}
	return outletInfo{
		Slug: o.Slug, Name: o.Name, Title: o.Title, Description: o.Description, Lang: o.Lang, Dir: dir,
		Charset: o.charset(), SiteURL: base, FeedURL: base + o.FeedPath, FeedType: types[o.Format],
	}
}

// item is the feed entry of article a whose page is at page.
func (o outletSpec) item(a article, page string) feedItem {
	it := feedItem{
		Link: page, Title: a.Title, Summary: a.Summary, Author: a.Byline,
		Section: a.Section, Published: a.Published, Updated: a.Updated, GUID: "urn:" + o.Slug + ":" + a.Path,
	}
	var content strings.Builder
	for _, p := range a.Paragraphs {
		content.WriteString("<p>" + template.HTMLEscapeString(p) + "</p>\n")
	}
	it.Content = content.String()
	if o.Tracking != "" {
		it.Link = page + "?" + o.Tracking
	}
	if o.GUID == "permalink" {
		it.GUID = page
	}
	return it
}

// related lists up to four other articles of the outlet (skip is the
// current one, -1 for none).
func related(arts []article, skip int, base string) []link {
	var out []link
	for i, a := range arts {
		if i == skip {
			continue
		}
		out = append(out, link{Title: a.Title, URL: base + a.Path})
		if len(out) == 4 && skip >= 0 {
			break
		}
	}
	return out
}

// jsonLD is a schema.org NewsArticle description of a, for templates that
// embed it.
func jsonLD(o outletInfo, a article, page string) template.JS {
	v := map[string]any{
		"@context": "https://schema.org", "@type": "NewsArticle",
		"headline": a.Title, "datePublished": a.Published.Format(time.RFC3339),
		"mainEntityOfPage": page, "inLanguage": o.Lang,
		"publisher": map[string]string{"@type": "Organization", "name": o.Name},
	}
	if a.Byline != "" {
		v["author"] = map[string]string{"@type": "Person", "name": a.Byline}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return template.JS(b)
}
