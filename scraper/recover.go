package scraper

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"html"
	"io"
	"net/url"
	"strings"

	"golang.org/x/net/html/charset"
)

// rawItem is an entry as the recovery scanner reads it: the text of its
// direct children by role, whatever their namespace.
type rawItem struct {
	title, mediaTitle, link, id, summary, content string
	guidNotLink                                   bool     // an RSS <guid isPermaLink="false">
	linkBase                                      *url.URL // the xml:base in scope where the link was read
	baseNoted                                     bool
	hrefLink                                      bool // the link is an alternate <link href>
	// The fields read from base64 (Atom 0.3 mode="base64"), decoded.
	titleB64, summaryB64, contentB64 bool
}

func (r *rawItem) empty() bool {
	return r.title == "" && r.mediaTitle == "" && r.link == "" && r.id == "" && r.summary == "" && r.content == ""
}

// found reports whether the scan read an entry with anything in it.
func (s *scan) found() bool {
	for i := range s.items {
		if !s.items[i].empty() {
			return true
		}
	}
	return false
}

// scan is what scanItems read of a document.
type scan struct {
	root     string    // the root element's local name, lowercased
	items    []rawItem // complete entries, at most the cap
	complete bool      // the document ended cleanly (no error, nothing left open)
	// cut is the document up to the entry past the cap, its open elements
	// closed (nil when the document holds no more than the cap); over
	// counts the entries from there on (approximately: start tags).
	cut  []byte
	over int
}

// maxScanDepth bounds the elements the scanner keeps open: an end tag
// looks for its start down the stack, so a million unclosed tags followed
// by a million stray end tags would cost a trillion steps.
const maxScanDepth = 256

// feedRoots are the root elements of the feed formats the scanner
// recovers entries from: RSS, RDF (RSS 0.9/1.0), Atom and CDF.
var feedRoots = map[string]bool{"rss": true, "rdf": true, "feed": true, "channel": true}

// scanItems reads body with a lenient XML tokenizer (unknown entities,
// bare ampersands and unclosed HTML inside entries pass) and returns its
// first max entries (<item>, <entry>, CDF <ITEM>, in any namespace), stopping
// at the first error with the entries complete before it: what a reader
// recovers from a truncated or slightly broken document, and what gofeed
// leaves out (CDF, content only in <body>, <fullitem> or media:title).
func scanItems(body []byte, max int) *scan {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charset.NewReaderLabel
	s := &scan{}
	var (
		stack      []xml.Name
		item       *rawItem
		itemDepth  int
		field      *string
		fieldDepth int
		text       fieldText
		bases      baseStack
	)
	for {
		off := d.InputOffset()
		tok, err := d.RawToken()
		if err != nil {
			s.complete = err == io.EOF && len(stack) == 0
			return s
		}
		switch t := tok.(type) {
		case xml.StartElement:
			local := strings.ToLower(t.Name.Local)
			if len(stack) == 0 && s.root == "" {
				s.root = local
			}
			if len(stack) >= maxScanDepth {
				return s // hostile nesting: what was read so far
			}
			stack = append(stack, t.Name)
			bases.push(len(stack), t.Attr)
			switch {
			case item == nil && (local == "item" || local == "entry"):
				if len(s.items) >= max {
					s.cut = closeOpen(body[:off], stack[:len(stack)-1])
					s.over = 1 + countStarts(body[d.InputOffset():])
					return s
				}
				item, itemDepth = &rawItem{}, len(stack)
				itemAttrs(item, t.Attr)
				if item.link != "" {
					item.noteBase(bases.top())
				}
			case item != nil && field == nil && len(stack) == itemDepth+1:
				field, fieldDepth = itemField(item, t), len(stack)
				text.reset(field == &item.summary || field == &item.content)
				if strings.EqualFold(xmlAttr(t, "mode"), "base64") {
					text.base64 = true
					item.titleB64 = item.titleB64 || field == &item.title
					item.summaryB64 = item.summaryB64 || field == &item.summary
					item.contentB64 = item.contentB64 || field == &item.content
				}
				if field == &item.link || item.link != "" {
					item.noteBase(bases.top())
				}
			case field != nil:
				text.start(t)
			}
		case xml.CharData:
			if field != nil {
				text.chars(t)
			}
		case xml.EndElement:
			depth := popTo(&stack, t.Name)
			if depth < 0 {
				continue // an end tag nothing opened
			}
			bases.pop(depth)
			if field != nil && depth >= fieldDepth {
				text.end(t)
			}
			if field != nil && depth < fieldDepth {
				if *field == "" {
					*field = strings.TrimSpace(text.String())
				}
				field = nil
			}
			if item != nil && depth < itemDepth {
				// Empty ones too: the scan's entries line up with
				// gofeed's, and the caller counts what it drops.
				item.link = resolve(item.linkBase, item.link)
				s.items = append(s.items, *item)
				item, field = nil, nil
			}
		}
	}
}

// noteBase records the xml:base in scope for the entry's link, when the
// link is (about to be) read and none was recorded.
func (r *rawItem) noteBase(b *url.URL) {
	if !r.baseNoted {
		r.linkBase, r.baseNoted = b, true
	}
}

// baseStack is the xml:base in scope at each depth: an element's xml:base
// (or CDF's BASE) attribute, resolved against its parent's.
type baseStack []struct {
	depth int
	u     *url.URL
}

func (b *baseStack) top() *url.URL {
	if len(*b) == 0 {
		return nil
	}
	return (*b)[len(*b)-1].u
}

// push records the base an element at depth declares, if any.
func (b *baseStack) push(depth int, attrs []xml.Attr) {
	for _, a := range attrs {
		if !strings.EqualFold(a.Name.Local, "base") || a.Name.Space != "xml" && a.Name.Space != "" {
			continue
		}
		u, err := url.Parse(strings.TrimSpace(a.Value))
		if err != nil {
			return
		}
		if parent := b.top(); parent != nil {
			u = parent.ResolveReference(u)
		}
		*b = append(*b, struct {
			depth int
			u     *url.URL
		}{depth, u})
		return
	}
}

// pop drops the bases of the elements closed down to depth.
func (b *baseStack) pop(depth int) {
	for len(*b) > 0 && (*b)[len(*b)-1].depth > depth {
		*b = (*b)[:len(*b)-1]
	}
}

// fieldText collects a field's text. A field of markup (summary,
// content) that holds elements (inline XHTML) keeps them as HTML, its
// text escaped; one without holds escaped HTML or text, kept as it is.
type fieldText struct {
	markup        bool
	base64        bool // Atom 0.3 mode="base64": the text is decoded
	elements      bool
	chardata, doc strings.Builder
}

func (f *fieldText) reset(markup bool) {
	f.markup, f.elements, f.base64 = markup, false, false
	f.chardata.Reset()
	f.doc.Reset()
}

func (f *fieldText) chars(b []byte) {
	f.chardata.Write(b)
	if f.markup {
		f.doc.WriteString(html.EscapeString(string(b)))
	}
}

func (f *fieldText) start(t xml.StartElement) {
	if !f.markup {
		return
	}
	f.elements = true
	f.doc.WriteString("<" + t.Name.Local)
	for _, a := range t.Attr {
		if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" {
			continue
		}
		f.doc.WriteString(" " + a.Name.Local + `="` + html.EscapeString(a.Value) + `"`)
	}
	f.doc.WriteString(">")
}

func (f *fieldText) end(t xml.EndElement) {
	if f.markup {
		f.doc.WriteString("</" + t.Name.Local + ">")
	}
}

func (f *fieldText) String() string {
	if f.base64 && !f.elements {
		if b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(f.chardata.String()), "")); err == nil {
			return string(b)
		}
	}
	if f.elements {
		return f.doc.String()
	}
	return f.chardata.String()
}

// popTo pops the stack down to (and including) the innermost element named
// n, returning the depth left, or -1 when n is not open.
func popTo(stack *[]xml.Name, n xml.Name) int {
	for i := len(*stack) - 1; i >= 0; i-- {
		if strings.EqualFold((*stack)[i].Local, n.Local) && (*stack)[i].Space == n.Space {
			*stack = (*stack)[:i]
			return i
		}
	}
	return -1
}

// itemAttrs reads an entry's own attributes: CDF's HREF, RDF's about.
func itemAttrs(it *rawItem, attrs []xml.Attr) {
	for _, a := range attrs {
		switch strings.ToLower(a.Name.Local) {
		case "href":
			it.link = strings.TrimSpace(a.Value)
		case "about":
			it.id = strings.TrimSpace(a.Value)
		}
	}
}

// itemField returns where a direct child of an entry goes (a discard
// slot for the children the scanner does not read), after reading what
// its attributes say.
func itemField(it *rawItem, t xml.StartElement) *string {
	var discard string
	switch strings.ToLower(t.Name.Local) {
	case "title":
		if t.Name.Space == "media" {
			return &it.mediaTitle
		}
		return &it.title
	case "link":
		if href := xmlAttr(t, "href"); href != "" {
			if it.link == "" && (xmlAttr(t, "rel") == "" || xmlAttr(t, "rel") == "alternate") {
				it.link, it.hrefLink = strings.TrimSpace(href), true
			}
			return &discard
		}
		return &it.link
	case "guid":
		it.guidNotLink = strings.EqualFold(xmlAttr(t, "ispermalink"), "false")
		return &it.id
	case "id":
		return &it.id
	case "description", "summary", "abstract":
		return &it.summary
	case "content", "encoded", "body", "fullitem":
		return &it.content
	}
	return &discard
}

// xmlAttr returns the value of t's attribute named (case-insensitively)
// local, in any namespace.
func xmlAttr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if strings.EqualFold(a.Name.Local, local) {
			return a.Value
		}
	}
	return ""
}

// closeOpen returns head with end tags for the open elements appended, so
// that a document cut before an entry parses as a whole one.
func closeOpen(head []byte, open []xml.Name) []byte {
	out := make([]byte, 0, len(head)+32*len(open))
	out = append(out, head...)
	for i := len(open) - 1; i >= 0; i-- {
		out = append(out, "</"...)
		if open[i].Space != "" {
			out = append(out, open[i].Space...)
			out = append(out, ':')
		}
		out = append(out, open[i].Local...)
		out = append(out, '>')
	}
	return out
}

// countStarts counts the start tags of entries (item or entry, in any
// namespace or case) in b: a cheap count, without parsing, of what a cap
// leaves out. Tags inside CDATA or comments count too.
func countStarts(b []byte) int {
	n := 0
	for {
		i := bytes.IndexByte(b, '<')
		if i < 0 {
			return n
		}
		b = b[i+1:]
		if isEntryTag(b) {
			n++
		}
	}
}

// isEntryTag reports whether b (just past a '<') starts an item or entry
// start tag, with or without a prefix.
func isEntryTag(b []byte) bool {
	name := b[:min(len(b), 64)]
	if end := bytes.IndexAny(name, " \t\r\n/>"); end >= 0 {
		name = name[:end]
	} else {
		return false
	}
	if i := bytes.LastIndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	return bytes.EqualFold(name, []byte("item")) || bytes.EqualFold(name, []byte("entry"))
}

// moreEntriesThan reports, without parsing, whether body holds more than
// max entry start tags.
func moreEntriesThan(body []byte, max int) bool {
	n := 0
	for b := body; ; {
		i := bytes.IndexByte(b, '<')
		if i < 0 {
			return false
		}
		b = b[i+1:]
		if isEntryTag(b) {
			if n++; n > max {
				return true
			}
		}
	}
}
