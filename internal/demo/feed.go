package demo

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"time"
)

// feedItem is an article as every feed format needs it.
type feedItem struct {
	GUID      string
	Link      string // as the feed gives it (tracking query included)
	Title     string
	Summary   string
	Content   string // full text as HTML paragraphs (JSON Feed content_html)
	Author    string
	Section   string
	Published time.Time
	Updated   time.Time // a later version's date; zero for none
}

// feedDoc is everything a feed document needs.
type feedDoc struct {
	Title, Description, Lang string
	SiteURL, FeedURL         string
	Updated                  time.Time
	Items                    []feedItem
}

// renderFeed renders doc in format ("rss", "atom", "json") as UTF-8; the
// XML declaration names encoding so that the caller can transcode the bytes.
func renderFeed(format, encoding string, doc feedDoc) ([]byte, error) {
	switch format {
	case "rss":
		return marshalXML(encoding, rssDoc(doc))
	case "atom":
		return marshalXML(encoding, atomDoc(doc))
	case "json":
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(jsonDoc(doc)); err != nil {
			return nil, fmt.Errorf("render json feed %s: %w", doc.FeedURL, err)
		}
		return buf.Bytes(), nil
	}
	return nil, fmt.Errorf("render feed %s: unknown format %q", doc.FeedURL, format)
}

func marshalXML(encoding string, v any) ([]byte, error) {
	b, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("render xml feed: %w", err)
	}
	head := fmt.Sprintf("<?xml version=\"1.0\" encoding=\"%s\"?>\n", encoding)
	return append([]byte(head), append(b, '\n')...), nil
}

type rss struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	DC      string     `xml:"xmlns:dc,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Self          atomLink  `xml:"atom:link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language"`
	LastBuildDate string    `xml:"lastBuildDate"`
	TTL           int       `xml:"ttl"`
	Items         []rssItem `xml:"item"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type rssItem struct {
	Title       string  `xml:"title"`
	Link        string  `xml:"link"`
	GUID        rssGUID `xml:"guid"`
	PubDate     string  `xml:"pubDate"`
	Creator     string  `xml:"dc:creator,omitempty"`
	Category    string  `xml:"category,omitempty"`
	Description string  `xml:"description"`
}

func rssDoc(d feedDoc) rss {
	r := rss{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", DC: "http://purl.org/dc/elements/1.1/"}
	r.Channel = rssChannel{
		Title: d.Title, Link: d.SiteURL, Description: d.Description, Language: d.Lang,
		Self:          atomLink{Rel: "self", Type: "application/rss+xml", Href: d.FeedURL},
		LastBuildDate: d.Updated.Format(time.RFC1123Z), TTL: 15,
	}
	for _, it := range d.Items {
		perma := "false"
		if it.GUID == it.Link {
			perma = "true"
		}
		r.Channel.Items = append(r.Channel.Items, rssItem{
			Title: it.Title, Link: it.Link, GUID: rssGUID{perma, it.GUID},
			PubDate: it.Published.Format(time.RFC1123Z), Creator: it.Author,
			Category: it.Section, Description: it.Summary,
		})
	}
	return r
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomText struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomPerson  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomEntry struct {
	Title     string        `xml:"title"`
	ID        string        `xml:"id"`
	Link      atomLink      `xml:"link"`
	Published string        `xml:"published"`
	Updated   string        `xml:"updated"`
	Author    *atomPerson   `xml:"author,omitempty"`
	Category  *atomCategory `xml:"category,omitempty"`
	Summary   atomText      `xml:"summary"`
}

func atomDoc(d feedDoc) atomFeed {
	f := atomFeed{
		Lang: d.Lang, Title: d.Title, ID: d.SiteURL + "/", Updated: d.Updated.Format(time.RFC3339),
		Links: []atomLink{
			{Rel: "alternate", Type: "text/html", Href: d.SiteURL + "/"},
			{Rel: "self", Type: "application/atom+xml", Href: d.FeedURL},
		},
		Author: atomPerson{Name: d.Title},
	}
	for _, it := range d.Items {
		e := atomEntry{
			Title: it.Title, ID: it.GUID,
			Link:      atomLink{Rel: "alternate", Type: "text/html", Href: it.Link},
			Published: it.Published.Format(time.RFC3339), Updated: latest(it.Published, it.Updated).Format(time.RFC3339),
			Summary: atomText{Type: "html", Value: it.Summary},
		}
		if it.Author != "" {
			e.Author = &atomPerson{Name: it.Author}
		}
		if it.Section != "" {
			e.Category = &atomCategory{Term: it.Section}
		}
		f.Entries = append(f.Entries, e)
	}
	return f
}

type jsonFeed struct {
	Version     string         `json:"version"`
	Title       string         `json:"title"`
	HomePageURL string         `json:"home_page_url"`
	FeedURL     string         `json:"feed_url"`
	Description string         `json:"description,omitempty"`
	Language    string         `json:"language"`
	Items       []jsonFeedItem `json:"items"`
}

type jsonFeedItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url"`
	Title         string       `json:"title"`
	Summary       string       `json:"summary"`
	ContentHTML   string       `json:"content_html"`
	DatePublished string       `json:"date_published"`
	DateModified  string       `json:"date_modified,omitempty"`
	Authors       []jsonAuthor `json:"authors,omitempty"`
	Tags          []string     `json:"tags,omitempty"`
}

type jsonAuthor struct {
	Name string `json:"name"`
}

func jsonDoc(d feedDoc) jsonFeed {
	f := jsonFeed{
		Version: "https://jsonfeed.org/version/1.1", Title: d.Title, HomePageURL: d.SiteURL + "/",
		FeedURL: d.FeedURL, Description: d.Description, Language: d.Lang, Items: []jsonFeedItem{},
	}
	for _, it := range d.Items {
		ji := jsonFeedItem{
			ID: it.GUID, URL: it.Link, Title: it.Title, Summary: it.Summary, ContentHTML: it.Content,
			DatePublished: it.Published.Format(time.RFC3339),
		}
		if !it.Updated.IsZero() {
			ji.DateModified = it.Updated.Format(time.RFC3339)
		}
		if it.Author != "" {
			ji.Authors = []jsonAuthor{{Name: it.Author}}
		}
		if it.Section != "" {
			ji.Tags = []string{it.Section}
		}
		f.Items = append(f.Items, ji)
	}
	return f
}

// latest is the later of a and b.
func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
