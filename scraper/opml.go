package scraper

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/net/html/charset"
)

// OPMLFeed is one feed of an OPML subscription list; Tags are the titles of
// the category outlines it sits in (outermost first) plus its own
// category attribute.
type OPMLFeed struct {
	URL, Title, SiteURL string
	Tags                []string
}

type opmlDoc struct {
	XMLName xml.Name    `xml:"opml"`
	Version string      `xml:"version,attr"`
	Head    opmlHead    `xml:"head"`
	Body    []opmlOutln `xml:"body>outline"`
}

type opmlHead struct {
	Title string `xml:"title"`
}

type opmlOutln struct {
	Text     string      `xml:"text,attr"`
	Title    string      `xml:"title,attr,omitempty"`
	Type     string      `xml:"type,attr,omitempty"`
	XMLURL   string      `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string      `xml:"htmlUrl,attr,omitempty"`
	Category string      `xml:"category,attr,omitempty"`
	Children []opmlOutln `xml:"outline"`
}

// UnmarshalXML reads an outline matching attribute names case-insensitively
// (old exporters write xmlurl or xmlURL) and ignoring namespaces.
func (o *opmlOutln) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	for _, a := range start.Attr {
		switch strings.ToLower(a.Name.Local) {
		case "text":
			o.Text = a.Value
		case "title":
			o.Title = a.Value
		case "type":
			o.Type = a.Value
		case "xmlurl":
			o.XMLURL = a.Value
		case "htmlurl":
			o.HTMLURL = a.Value
		case "category":
			o.Category = a.Value
		}
	}
	var inner struct {
		Children []opmlOutln `xml:"outline"`
	}
	if err := d.DecodeElement(&inner, &start); err != nil {
		return err
	}
	o.Children = inner.Children
	return nil
}

// Import bounds: outline nesting, and bytes read (a longer document is cut
// and so fails to parse).
const (
	maxOPMLDepth = 32
	maxOPMLBytes = 32 << 20
)

// ParseOPML reads OPML 1.0/2.0 as Miniflux, FreshRSS, Feedly and others
// export it: outlines with xmlUrl are feeds (any type attribute), outlines
// without are categories whose titles become tags. Duplicate feed URLs are
// merged (tags joined). The catch-all folders "All" (Miniflux) and
// "Uncategorized" (FreshRSS) give no tag. A document with no feed is an error.
func ParseOPML(r io.Reader) ([]OPMLFeed, error) {
	dec := xml.NewDecoder(io.LimitReader(r, maxOPMLBytes))
	dec.CharsetReader = charset.NewReaderLabel
	dec.Strict = false
	var doc opmlDoc
	if err := dec.Decode(&doc); err != nil {
		return nil, &ParseError{URL: "opml", Err: err}
	}
	var out []OPMLFeed
	index := map[string]int{}
	for _, o := range doc.Body {
		if err := walkOutline(o, nil, 0, &out, index); err != nil {
			return nil, err
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("opml: no feed outlines: %w", ErrNotFeed)
	}
	return out, nil
}

func walkOutline(o opmlOutln, tags []string, depth int, out *[]OPMLFeed, index map[string]int) error {
	if depth > maxOPMLDepth {
		return &ParseError{URL: "opml", Err: errors.New("outlines nested too deep")}
	}
	title := clean(o.Title)
	if title == "" {
		title = clean(o.Text)
	}
	feedURL := strings.TrimSpace(o.XMLURL)
	if feedURL == "" {
		sub := tags
		if title != "" && !defaultCategory(title) {
			sub = append(append([]string(nil), tags...), title)
		}
		for _, c := range o.Children {
			if err := walkOutline(c, sub, depth+1, out, index); err != nil {
				return err
			}
		}
		return nil
	}
	own := append(append([]string(nil), tags...), categoryTags(o.Category)...)
	if i, ok := index[feedURL]; ok {
		(*out)[i].Tags = mergeTags((*out)[i].Tags, own)
		return nil
	}
	index[feedURL] = len(*out)
	*out = append(*out, OPMLFeed{URL: feedURL, Title: title, SiteURL: strings.TrimSpace(o.HTMLURL), Tags: mergeTags(nil, own)})
	return nil
}

// defaultCategory reports the catch-all folders readers put every
// uncategorized feed in (Miniflux "All", FreshRSS "Uncategorized"): they
// are not tags.
func defaultCategory(name string) bool {
	return strings.EqualFold(name, "all") || strings.EqualFold(name, "uncategorized")
}

// categoryTags splits an OPML category attribute ("/News/World,Tech") into
// tags, one per path segment.
func categoryTags(cat string) []string {
	var tags []string
	for _, part := range strings.Split(cat, ",") {
		for _, seg := range strings.Split(part, "/") {
			if s := clean(seg); s != "" {
				tags = append(tags, s)
			}
		}
	}
	return tags
}

func mergeTags(have, add []string) []string {
	for _, t := range add {
		dup := false
		for _, h := range have {
			if strings.EqualFold(h, t) {
				dup = true
				break
			}
		}
		if !dup {
			have = append(have, t)
		}
	}
	return have
}

// WriteOPML writes feeds as OPML 2.0. A feed's first tag is its category
// outline (feeds without tags sit at the top level); all its tags are also
// kept in the category attribute so a re-import restores them.
func WriteOPML(w io.Writer, title string, feeds []OPMLFeed) error {
	doc := opmlDoc{Version: "2.0", Head: opmlHead{Title: title}}
	cats := map[string]int{}
	for _, f := range feeds {
		o := opmlOutln{Text: f.Title, Title: f.Title, Type: "rss", XMLURL: f.URL, HTMLURL: f.SiteURL, Category: strings.Join(f.Tags, ",")}
		if o.Text == "" {
			o.Text = f.URL
		}
		if len(f.Tags) == 0 {
			doc.Body = append(doc.Body, o)
			continue
		}
		i, ok := cats[f.Tags[0]]
		if !ok {
			i = len(doc.Body)
			cats[f.Tags[0]] = i
			doc.Body = append(doc.Body, opmlOutln{Text: f.Tags[0], Title: f.Tags[0]})
		}
		doc.Body[i].Children = append(doc.Body[i].Children, o)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write opml: %w", err)
	}
	buf.WriteByte('\n')
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write opml: %w", err)
	}
	return nil
}
