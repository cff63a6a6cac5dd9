package export

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/wiredesk/wiredesk/news"
)

// Channel describes a republished feed of stories.
type Channel struct {
	Title       string
	Link        string // the dashboard's base URL; story pages live at Link/stories/{id}
	Description string
	Updated     time.Time
	FeedURL     string // optional: the feed's own URL (self link, JSON Feed feed_url)
}

// excerptRunes bounds the representative's text quoted in each entry.
const excerptRunes = 400

// entry is one story flattened for the three feed formats.
type entry struct {
	ID        string // stable: Link/stories/{id}
	StoryURL  string
	Title     string
	Link      string // the representative's page when it is http(s), else StoryURL
	Lang      string
	Origin    string
	Outlet    string // the representative's outlet
	Published time.Time
	Updated   time.Time // the last copy, or the representative's latest revision
	Excerpt   string    // plain text
	HTML      string    // escaped HTML: excerpt, origin, the other outlets
	Text      string    // plain-text twin of HTML
}

// storyURL is the dashboard page of story id under base.
func storyURL(base string, id int64) string {
	base = strings.TrimRight(base, "/")
	if base == "" {
		return "urn:wiredesk:story:" + strconv.FormatInt(id, 10)
	}
	return base + "/stories/" + strconv.FormatInt(id, 10)
}

// newEntry flattens story s under channel ch.
func newEntry(ch Channel, s news.Story) entry {
	e := entry{
		ID: storyURL(ch.Link, s.ID), Title: s.Title, Lang: s.Lang, Origin: s.Origin,
		Outlet: s.FirstOutlet, Published: s.FirstSeen, Updated: s.LastSeen,
	}
	e.StoryURL, e.Link = e.ID, e.ID
	if e.Updated.IsZero() || e.Updated.Before(e.Published) {
		e.Updated = e.Published
	}
	rep, ok := s.RepresentativeArticle()
	if ok {
		if rep.Title != "" {
			e.Title = rep.Title
		}
		// Only an http(s) link leaves wiredesk; else the story's page.
		if u := firstNonEmpty(SafeURL(rep.CanonicalURL), SafeURL(rep.URL)); u != "" {
			e.Link = u
		}
		if rep.Lang != "" {
			e.Lang = rep.Lang
		}
		e.Outlet = firstNonEmpty(rep.Outlet, e.Outlet)
		e.Excerpt = Excerpt(rep.Text, excerptRunes)
		if rep.Updated.After(e.Updated) { // the representative was revised
			e.Updated = rep.Updated
		}
	}
	e.HTML, e.Text = describe(e, s, rep.ID)
	return e
}

// describe renders the entry body twice: as escaped HTML and as plain text.
func describe(e entry, s news.Story, repID int64) (string, string) {
	var h, t strings.Builder
	if e.Excerpt != "" {
		fmt.Fprintf(&h, "<p dir=\"auto\">%s</p>", html.EscapeString(e.Excerpt))
		t.WriteString(e.Excerpt + "\n\n")
	}
	if e.Origin != "" {
		fmt.Fprintf(&h, "<p>Origin: %s</p>", html.EscapeString(e.Origin))
		t.WriteString("Origin: " + e.Origin + "\n")
	}
	first := "First: " + e.Outlet
	fmt.Fprintf(&h, "<p>%s", html.EscapeString(first))
	t.WriteString(first)
	if others := otherOutlets(s, repID); len(others) > 0 {
		also := "Also: " + strings.Join(others, ", ")
		fmt.Fprintf(&h, "<br>%s", html.EscapeString(also))
		t.WriteString("\n" + also)
	}
	n := max(s.Articles, len(s.Members), 1)
	fmt.Fprintf(&h, "</p><p><a href=\"%s\">%d article(s) in this story</a></p>",
		html.EscapeString(e.StoryURL), n)
	fmt.Fprintf(&t, "\n%d article(s): %s", n, e.StoryURL)
	return h.String(), t.String()
}

// FirstPublished is the earliest publication date among a story's
// members: copies' publishing lags count from it (the story's first seen
// is when wiredesk saw it, which can be much later). Zero when no member
// carries a date.
func FirstPublished(members []news.Article) time.Time {
	var first time.Time
	for _, m := range members {
		if !m.Published.IsZero() && (first.IsZero() || m.Published.Before(first)) {
			first = m.Published
		}
	}
	return first
}

// otherOutlets lists the outlets that ran the story besides the
// representative, with their publishing lag when the members are known.
func otherOutlets(s news.Story, repID int64) []string {
	var out []string
	if len(s.Members) > 0 {
		first := FirstPublished(s.Members)
		for _, m := range s.Members {
			if m.ID == repID {
				continue
			}
			name := firstNonEmpty(m.Outlet, "unknown outlet")
			if !m.Published.IsZero() && !first.IsZero() {
				name += " (" + Lag(m.Published.Sub(first)) + ")"
			}
			out = append(out, name)
		}
		return out
	}
	for _, o := range s.Outlets {
		if o != s.FirstOutlet {
			out = append(out, o)
		}
	}
	return out
}

// Lag formats how long after the first outlet a copy ran: "+45s", "+12m",
// "+3h05m", "+2d3h".
func Lag(d time.Duration) string {
	sign := "+"
	if d < 0 {
		sign, d = "-", -d
	}
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%s%ds", sign, int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%s%dm", sign, int(d/time.Minute))
	case d < 24*time.Hour:
		return fmt.Sprintf("%s%dh%02dm", sign, int(d/time.Hour), int(d%time.Hour/time.Minute))
	default:
		return fmt.Sprintf("%s%dd%dh", sign, int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour))
	}
}

// Excerpt returns the first paragraphs of text, at most n runes, cut at a
// word boundary with an ellipsis; whitespace is collapsed.
func Excerpt(text string, n int) string {
	s := strings.Join(strings.Fields(text), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := n
	for i := n; i > n*2/3; i-- {
		if unicode.IsSpace(r[i]) {
			cut = i
			break
		}
	}
	return strings.TrimRightFunc(string(r[:cut]), unicode.IsSpace) + "…"
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// feedUpdated is the channel's update time: ch.Updated, else the newest
// story's.
func feedUpdated(ch Channel, es []entry) time.Time {
	u := ch.Updated
	for _, e := range es {
		if e.Updated.After(u) {
			u = e.Updated
		}
	}
	if u.IsZero() {
		u = time.Unix(0, 0)
	}
	return u.UTC()
}

// Updated is when the newest of stories last changed, as the feeds say it
// (zero for none): the republished feeds' Last-Modified.
func Updated(stories []news.Story) time.Time {
	u := feedUpdated(Channel{}, entries(Channel{}, stories))
	if u.Equal(time.Unix(0, 0)) {
		return time.Time{}
	}
	return u
}

func entries(ch Channel, stories []news.Story) []entry {
	es := make([]entry, len(stories))
	for i, s := range stories {
		es[i] = newEntry(ch, s)
	}
	return es
}

// rss is RSS 2.0 as encoding/xml writes it.
type rss struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	AtomNS  string     `xml:"xmlns:atom,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	LastBuildDate string    `xml:"lastBuildDate"`
	Generator     string    `xml:"generator"`
	Self          *rssSelf  `xml:"atom:link,omitempty"`
	Items         []rssItem `xml:"item"`
}

type rssSelf struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	GUID        rssGUID  `xml:"guid"`
	PubDate     string   `xml:"pubDate,omitempty"`
	Description string   `xml:"description"`
	Categories  []string `xml:"category"`
	Comments    string   `xml:"comments,omitempty"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

// WriteRSS writes stories as an RSS 2.0 feed, one item per story.
func WriteRSS(w io.Writer, ch Channel, stories []news.Story) error {
	es := entries(ch, stories)
	doc := rss{Version: "2.0", AtomNS: "http://www.w3.org/2005/Atom", Channel: rssChannel{
		Title: ch.Title, Link: ch.Link, Description: ch.Description,
		LastBuildDate: feedUpdated(ch, es).Format(time.RFC1123Z), Generator: "wiredesk",
	}}
	if ch.FeedURL != "" {
		doc.Channel.Self = &rssSelf{Href: ch.FeedURL, Rel: "self", Type: "application/rss+xml"}
	}
	for _, e := range es {
		it := rssItem{Title: e.Title, Link: e.Link, GUID: rssGUID{"false", e.ID},
			Description: e.HTML, Comments: e.StoryURL}
		if !e.Published.IsZero() {
			it.PubDate = e.Published.UTC().Format(time.RFC1123Z)
		}
		if e.Origin != "" {
			it.Categories = append(it.Categories, e.Origin)
		}
		doc.Channel.Items = append(doc.Channel.Items, it)
	}
	return writeXML(w, doc, "rss")
}

func writeXML(w io.Writer, doc any, what string) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write %s feed: %w", what, err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write %s feed: %w", what, err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write %s feed: %w", what, err)
	}
	return nil
}

// atomFeed is an Atom 1.0 document as encoding/xml writes it.
type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle,omitempty"`
	ID        string      `xml:"id"`
	Updated   string      `xml:"updated"`
	Links     []atomLink  `xml:"link"`
	Author    atomPerson  `xml:"author"`
	Generator string      `xml:"generator"`
	Entries   []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

type atomEntry struct {
	Lang      string         `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	Title     atomText       `xml:"title"`
	ID        string         `xml:"id"`
	Updated   string         `xml:"updated"`
	Published string         `xml:"published,omitempty"`
	Links     []atomLink     `xml:"link"`
	Author    atomPerson     `xml:"author"`
	Category  []atomCategory `xml:"category"`
	Summary   *atomText      `xml:"summary,omitempty"`
	Content   atomText       `xml:"content"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// WriteAtom writes stories as an Atom 1.0 feed, one entry per story.
func WriteAtom(w io.Writer, ch Channel, stories []news.Story) error {
	es := entries(ch, stories)
	updated := feedUpdated(ch, es)
	doc := atomFeed{Title: ch.Title, Subtitle: ch.Description, ID: firstNonEmpty(ch.FeedURL, ch.Link, "urn:wiredesk:feed"),
		Updated: atomTime(updated), Author: atomPerson{"wiredesk"}, Generator: "wiredesk"}
	if ch.Link != "" {
		doc.Links = append(doc.Links, atomLink{Href: ch.Link, Rel: "alternate", Type: "text/html"})
	}
	if ch.FeedURL != "" {
		doc.Links = append(doc.Links, atomLink{Href: ch.FeedURL, Rel: "self", Type: "application/atom+xml"})
	}
	for _, e := range es {
		u := e.Updated
		if u.IsZero() {
			u = updated
		}
		ae := atomEntry{Lang: e.Lang, Title: atomText{"text", e.Title}, ID: e.ID, Updated: atomTime(u),
			Links:   []atomLink{{Href: e.Link, Rel: "alternate"}},
			Author:  atomPerson{firstNonEmpty(e.Outlet, "unknown outlet")},
			Content: atomText{"html", e.HTML}}
		if e.Link != e.StoryURL {
			ae.Links = append(ae.Links, atomLink{Href: e.StoryURL, Rel: "related", Type: "text/html"})
		}
		if !e.Published.IsZero() {
			ae.Published = atomTime(e.Published)
		}
		if e.Origin != "" {
			ae.Category = append(ae.Category, atomCategory{e.Origin})
		}
		if e.Excerpt != "" {
			ae.Summary = &atomText{"text", e.Excerpt}
		}
		doc.Entries = append(doc.Entries, ae)
	}
	return writeXML(w, doc, "atom")
}

// jsonFeed is JSON Feed 1.1.
type jsonFeed struct {
	Version     string         `json:"version"`
	Title       string         `json:"title"`
	HomePageURL string         `json:"home_page_url,omitempty"`
	FeedURL     string         `json:"feed_url,omitempty"`
	Description string         `json:"description,omitempty"`
	Items       []jsonFeedItem `json:"items"`
}

type jsonFeedItem struct {
	ID            string           `json:"id"`
	URL           string           `json:"url,omitempty"`
	ExternalURL   string           `json:"external_url,omitempty"`
	Title         string           `json:"title"`
	ContentHTML   string           `json:"content_html"`
	ContentText   string           `json:"content_text"`
	Summary       string           `json:"summary,omitempty"`
	DatePublished string           `json:"date_published,omitempty"`
	DateModified  string           `json:"date_modified,omitempty"`
	Authors       []jsonFeedAuthor `json:"authors,omitempty"`
	Tags          []string         `json:"tags,omitempty"`
	Language      string           `json:"language,omitempty"`
}

type jsonFeedAuthor struct {
	Name string `json:"name"`
}

// WriteJSONFeed writes stories as a JSON Feed 1.1, one item per story.
func WriteJSONFeed(w io.Writer, ch Channel, stories []news.Story) error {
	doc := jsonFeed{Version: "https://jsonfeed.org/version/1.1", Title: ch.Title,
		HomePageURL: ch.Link, FeedURL: ch.FeedURL, Description: ch.Description, Items: []jsonFeedItem{}}
	for _, e := range entries(ch, stories) {
		it := jsonFeedItem{ID: e.ID, URL: e.Link, Title: e.Title, ContentHTML: e.HTML, ContentText: e.Text,
			Summary: e.Excerpt, Language: e.Lang}
		if e.Link != e.StoryURL {
			it.ExternalURL = e.StoryURL
		}
		if !e.Published.IsZero() {
			it.DatePublished = atomTime(e.Published)
		}
		if !e.Updated.IsZero() {
			it.DateModified = atomTime(e.Updated)
		}
		if e.Outlet != "" {
			it.Authors = []jsonFeedAuthor{{e.Outlet}}
		}
		if e.Origin != "" {
			it.Tags = []string{e.Origin}
		}
		doc.Items = append(doc.Items, it)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write json feed: %w", err)
	}
	return nil
}
