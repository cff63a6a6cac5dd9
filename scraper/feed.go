package scraper

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	"github.com/mmcdole/gofeed/rss"
	"golang.org/x/net/html"

	"github.com/wiredesk/wiredesk/news"
)

// DefaultMaxItems caps the items ParseFeed returns when maxItems is 0.
const DefaultMaxItems = 1000

// ParseFeed parses RSS 0.9x/1.0/2.0, Atom or JSON Feed from body (bytes we
// fetched; gofeed never does HTTP here). Relative links are resolved against
// feedURL; items are capped at maxItems (0 = 1000). An empty body returns
// ErrEmpty, HTML or anything else that is not a feed ErrNotFeed, a malformed
// feed a *ParseError. Invalid bytes in a UTF-8 feed are read as windows-1252;
// an undeclared or contradicted legacy encoding is guessed (see ToUTF8).
func ParseFeed(body []byte, feedURL string, maxItems int) (*news.ParsedFeed, error) {
	return ParseFeedType(body, "", feedURL, maxItems)
}

// ParseFeedType is ParseFeed with the HTTP Content-Type, whose charset is
// used when the document does not declare its own encoding.
func ParseFeedType(body []byte, contentType, feedURL string, maxItems int) (*news.ParsedFeed, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, fmt.Errorf("feed %s: %w", feedURL, ErrEmpty)
	}
	body, unknown := toUTF8(body, contentType)
	pf, err := parseDecoded(body, feedURL, maxItems)
	if err != nil && unknown != "" {
		// Read as undeclared and still not a feed: say why first.
		return nil, fmt.Errorf("feed %s: %w %q (read as undeclared: %v)", feedURL, ErrCharset, unknown, err)
	}
	return pf, err
}

// parseDecoded parses a UTF-8 document.
func parseDecoded(body []byte, feedURL string, maxItems int) (*news.ParsedFeed, error) {
	if maxItems <= 0 {
		maxItems = DefaultMaxItems
	}
	base, _ := url.Parse(feedURL)
	kind, head := detectType(body)
	if kind == gofeed.FeedTypeJSON {
		if !isJSONFeed(body) {
			return nil, fmt.Errorf("feed %s: %w", feedURL, ErrNotFeed)
		}
		return parseGofeed(body, kind, false, base, feedURL, maxItems, nil)
	}
	// A document over the cap is cut before the entry past it and parsed
	// to there: a feed of 150,000 entries costs the parse of 1,000.
	var sc *scan
	if moreEntriesThan(body, maxItems) {
		sc = scanItems(body, maxItems)
		if sc.cut != nil {
			body = sc.cut
		}
	}
	if kind == gofeed.FeedTypeUnknown {
		if sc == nil {
			sc = scanItems(body, maxItems)
		}
		if !feedRoots[sc.root] || !sc.found() {
			// Not a format we know, or a feed-like root with no
			// entries: nothing a reader would show.
			return nil, fmt.Errorf("feed %s: %w", feedURL, ErrNotFeed)
		}
		return recoveredFeed(sc, base, "rss", errors.New("unknown feed format")), nil
	}
	return parseGofeed(body, kind, head, base, feedURL, maxItems, sc)
}

// detectPeek is how much of a document gofeed.Parser.Parse reads to tell
// its type (its detectionPeekSize).
const detectPeek = 4096

// detectType tells the document's type, and whether its head (the bytes
// gofeed.Parser.Parse looks at) told it: then gofeed would find the same
// type and its format parser can be called directly. The head is read
// first, without copying the whole document (gofeed.DetectFeedType
// copies what it reads); the whole document only when the head does not
// tell (a root element past it, or not a feed).
func detectType(body []byte) (gofeed.FeedType, bool) {
	head := body[:min(len(body), detectPeek)]
	if k := gofeed.DetectFeedType(bytes.NewReader(head)); k != gofeed.FeedTypeUnknown || len(head) == len(body) {
		return k, k != gofeed.FeedTypeUnknown
	}
	return gofeed.DetectFeedType(bytes.NewReader(body)), false
}

// parseGofeed parses body with gofeed and lays what the recovery scanner
// reads over it: the scanner's entries stand in when gofeed fails or finds
// none, and fill the fields gofeed leaves empty. sc is the scan made so
// far (nil: none yet). head: the document's head told its type (see
// detectType).
func parseGofeed(body []byte, kind gofeed.FeedType, head bool, base *url.URL, feedURL string, maxItems int, sc *scan) (*news.ParsedFeed, error) {
	gf, rf, err := parseRecover(body, kind, head)
	if kind == gofeed.FeedTypeJSON {
		if err != nil {
			return nil, &ParseError{URL: feedURL, Err: err}
		}
		return convertFeed(gf, nil, kind, base, maxItems, nil), nil
	}
	if err != nil || needsScan(gf) || kind == gofeed.FeedTypeAtom && mayBeBase64(gf) || kind == gofeed.FeedTypeRSS && manyLinks(gf) {
		if sc == nil {
			sc = scanItems(body, maxItems)
		}
	}
	if err != nil {
		if !sc.found() {
			return nil, &ParseError{URL: feedURL, Err: err}
		}
		return recoveredFeed(sc, base, formatName(kind), err), nil
	}
	pf := convertFeed(gf, rf, kind, base, maxItems, sc)
	if sc != nil {
		pf.OverCap = sc.over
	}
	return pf, nil
}

// isJSONFeed tells a JSON Feed from other JSON (an API answer, an error
// object): it needs a jsonfeed.org version or an items array. Malformed
// JSON passes, for the parser to report.
func isJSONFeed(body []byte) bool {
	var probe struct {
		Version string          `json:"version"`
		Items   json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(body, &probe); err != nil {
		var syn *json.SyntaxError
		return errors.As(err, &syn) || errors.Is(err, io.ErrUnexpectedEOF)
	}
	return strings.Contains(probe.Version, "jsonfeed.org") || bytes.HasPrefix(bytes.TrimSpace(probe.Items), []byte("["))
}

// rssTranslator is gofeed's, without its image scan: gofeed looks for an
// item's first <img> by parsing its content and description into a tree,
// every item (a fifth of a large pass's allocations). firstImage does it
// with a tokenizer, for the items that have an <img> at all.
var rssTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}

// parseRecover runs gofeed on a document of type kind, turning a panic on
// hostile input into an error; rf is the RSS document gofeed read (nil
// for other formats). Where the document's head told its type (head),
// gofeed's RSS or Atom parser and translator are called as
// gofeed.Parser.Parse would call them, without its second detection.
func parseRecover(body []byte, kind gofeed.FeedType, head bool) (gf *gofeed.Feed, rf *rss.Feed, err error) {
	defer func() {
		if r := recover(); r != nil {
			gf, rf, err = nil, nil, fmt.Errorf("parser panic: %v", r)
		}
	}()
	switch {
	case head && kind == gofeed.FeedTypeRSS:
		if rf, err = (&rss.Parser{}).Parse(bytes.NewReader(body)); err == nil {
			gf, err = rssTranslator.Translate(rf)
		}
	case head && kind == gofeed.FeedTypeAtom:
		var af *atom.Feed
		if af, err = (&atom.Parser{}).Parse(bytes.NewReader(body)); err == nil {
			gf, err = (&gofeed.DefaultAtomTranslator{}).Translate(af)
		}
	default:
		p := gofeed.NewParser()
		p.KeepOriginalFeed = kind == gofeed.FeedTypeRSS
		p.RSSTranslator = rssTranslator
		gf, err = p.Parse(bytes.NewReader(body))
		if gf != nil {
			rf, _ = gf.OriginalFeed().(*rss.Feed)
		}
	}
	if err == nil && gf == nil {
		err = errors.New("no feed")
	}
	if err != nil {
		return nil, nil, err
	}
	return gf, rf, nil
}

func convertFeed(gf *gofeed.Feed, rf *rss.Feed, kind gofeed.FeedType, base *url.URL, maxItems int, sc *scan) *news.ParsedFeed {
	pf := &news.ParsedFeed{
		Title:    TextTitle(gf.Title),
		SiteURL:  resolve(base, gf.Link),
		Language: strings.TrimSpace(gf.Language),
		Format:   formatName(kind),
	}
	if rf != nil {
		if n, err := strconv.Atoi(strings.TrimSpace(rf.TTL)); err == nil && n > 0 {
			pf.TTL = time.Duration(min(n, 60*24*30)) * time.Minute
		}
	}
	if sc != nil && len(gf.Items) == 0 && sc.found() {
		addRecovered(pf, sc, base)
		return pf
	}
	pf.Items = make([]news.Item, 0, min(len(gf.Items), maxItems))
	for i, it := range gf.Items {
		if len(pf.Items) >= maxItems {
			pf.OverCap = len(gf.Items) - i
			break
		}
		if it == nil {
			continue
		}
		var raw *rawItem
		if sc != nil && len(sc.items) == len(gf.Items) {
			raw = &sc.items[i]
		}
		if rf != nil && i < len(rf.Items) && rf.Items[i] != nil && rf.Items[i].GUID != nil &&
			strings.EqualFold(strings.TrimSpace(rf.Items[i].GUID.IsPermalink), "false") {
			raw = fillRaw(raw, func(r *rawItem) { r.guidNotLink = true })
		}
		if rf != nil && raw != nil && raw.hrefLink && len(it.Links) > 1 {
			// gofeed keeps an RSS item's last <link>, rel or not; a
			// reader, the first alternate <link href>, as the scanner.
			it.Link = raw.link
		}
		if ni, ok := convertItem(it, base, raw); ok {
			pf.Items = append(pf.Items, ni)
		} else {
			pf.Empty++
		}
	}
	return pf
}

// fillRaw applies f to r, or to a new rawItem when r is nil.
func fillRaw(r *rawItem, f func(*rawItem)) *rawItem {
	if r == nil {
		r = &rawItem{}
	}
	f(r)
	return r
}

// needsScan reports whether gofeed's result leaves entries to recover:
// none at all, or one with neither title, summary nor content (its text
// may be in <body>, <fullitem>, xhtml:body or media:title).
func needsScan(gf *gofeed.Feed) bool {
	if len(gf.Items) == 0 {
		return true
	}
	for _, it := range gf.Items {
		if it != nil && strings.TrimSpace(it.Title) == "" && strings.TrimSpace(it.Description) == "" && strings.TrimSpace(it.Content) == "" {
			return true
		}
	}
	return false
}

// manyLinks reports whether an item has several links, of which gofeed
// keeps the last, which may be an enclosure's <link rel="enclosure">.
func manyLinks(gf *gofeed.Feed) bool {
	for _, it := range gf.Items {
		if it != nil && len(it.Links) > 1 {
			return true
		}
	}
	return false
}

// mayBeBase64 reports whether an Atom entry's title, summary or content
// reads as base64 alone: gofeed decodes Atom 0.3's mode="base64" only for
// types other than text/*, and the scanner, which sees the attribute,
// tells. An ordinary title fails at its first space.
func mayBeBase64(gf *gofeed.Feed) bool {
	for _, it := range gf.Items {
		if it != nil && (isBase64Text(it.Title) || isBase64Text(it.Description) || isBase64Text(it.Content)) {
			return true
		}
	}
	return false
}

func isBase64Text(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) < 4 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '=' || c == '\n' || c == '\r') {
			return false
		}
	}
	return true
}

// recoveredFeed is a feed made of the scanner's entries alone, for a
// document gofeed could not read (why).
func recoveredFeed(sc *scan, base *url.URL, format string, why error) *news.ParsedFeed {
	pf := &news.ParsedFeed{Format: format, OverCap: sc.over, RecoveredFrom: why.Error()}
	addRecovered(pf, sc, base)
	return pf
}

func addRecovered(pf *news.ParsedFeed, sc *scan, base *url.URL) {
	for i := range sc.items {
		if ni, ok := convertItem(&gofeed.Item{}, base, &sc.items[i]); ok {
			pf.Items = append(pf.Items, ni)
			pf.Recovered++
		} else {
			pf.Empty++
		}
	}
}

func formatName(k gofeed.FeedType) string {
	switch k {
	case gofeed.FeedTypeAtom:
		return "atom"
	case gofeed.FeedTypeJSON:
		return "json"
	}
	return "rss"
}

// convertItem maps a gofeed item, filling what gofeed left empty from the
// scanner's reading of the same entry (raw, may be nil); it reports false
// for an item with neither link, GUID, title nor content.
func convertItem(it *gofeed.Item, base *url.URL, raw *rawItem) (news.Item, bool) {
	if raw != nil {
		// What gofeed left in base64, the scanner decoded.
		overwriteIf(raw.titleB64, &it.Title, raw.title)
		overwriteIf(raw.summaryB64, &it.Description, raw.summary)
		overwriteIf(raw.contentB64, &it.Content, raw.content)
	}
	if raw != nil {
		setEmpty(&it.Title, raw.title, raw.mediaTitle)
		setEmpty(&it.Link, raw.link)
		setEmpty(&it.GUID, raw.id)
		if strings.TrimSpace(it.Description) == "" && strings.TrimSpace(it.Content) == "" {
			it.Description, it.Content = raw.summary, raw.content
		}
	}
	link := strings.TrimSpace(it.Link)
	if link == "" && len(it.Links) > 0 {
		link = strings.TrimSpace(it.Links[0])
	}
	if link == "" {
		link = atomLink(it)
	}
	guid := strings.TrimSpace(it.GUID)
	permalink := raw == nil || !raw.guidNotLink
	if link == "" && permalink && (strings.HasPrefix(guid, "http://") || strings.HasPrefix(guid, "https://")) {
		link = guid
	}
	ni := news.Item{
		GUID:       guid,
		URL:        resolve(base, link),
		Title:      TextTitle(it.Title),
		Summary:    strings.TrimSpace(it.Description),
		Content:    strings.TrimSpace(it.Content),
		Author:     author(it),
		Image:      resolve(base, image(it)),
		Categories: it.Categories,
	}
	if ni.Title == "" && ni.Summary == "" && ni.Content == "" {
		// A title of markup alone (an image) is the entry's content.
		ni.Summary = strings.TrimSpace(it.Title)
	}
	if ni.GUID == "" {
		ni.GUID = ni.URL
	}
	if ni.GUID == "" {
		ni.GUID = contentGUID(ni)
	}
	if ni.GUID == "" {
		ni.GUID = otherID(it)
	}
	switch {
	case it.PublishedParsed != nil:
		ni.Published = it.PublishedParsed.UTC()
	case it.UpdatedParsed != nil:
		ni.Published = it.UpdatedParsed.UTC()
	}
	if it.UpdatedParsed != nil {
		ni.Updated = it.UpdatedParsed.UTC()
	}
	ok := ni.GUID != "" || ni.Title != "" || ni.Summary != "" || ni.Content != ""
	return ni, ok
}

// overwriteIf sets *dst to v when cond holds and v is not empty.
func overwriteIf(cond bool, dst *string, v string) {
	if v = strings.TrimSpace(v); cond && v != "" {
		*dst = v
	}
}

// atomLink is the href of an RSS item's atom:link that is an alternate
// (or has no rel): gofeed keeps it only among the extensions.
func atomLink(it *gofeed.Item) string {
	for _, e := range it.Extensions["atom"]["link"] {
		rel := strings.ToLower(strings.TrimSpace(e.Attrs["rel"]))
		if href := strings.TrimSpace(e.Attrs["href"]); href != "" && (rel == "" || rel == "alternate") {
			return href
		}
	}
	return ""
}

// setEmpty sets *dst to the first non-empty of vs when *dst is empty.
func setEmpty(dst *string, vs ...string) {
	if strings.TrimSpace(*dst) != "" {
		return
	}
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			*dst = v
			return
		}
	}
}

// otherID identifies an item with neither GUID, link nor text by what
// else names it: its dc:identifier, else its first enclosure (a podcast
// episode with nothing but its media).
func otherID(it *gofeed.Item) string {
	if it.DublinCoreExt != nil {
		for _, id := range it.DublinCoreExt.Identifier {
			if id = strings.TrimSpace(id); id != "" {
				return id
			}
		}
	}
	for _, e := range it.Enclosures {
		if e != nil && strings.TrimSpace(e.URL) != "" {
			return strings.TrimSpace(e.URL)
		}
	}
	return ""
}

// contentGUID identifies an item that has neither GUID nor link by its
// text, so two such items of one feed do not collide on "".
func contentGUID(it news.Item) string {
	if it.Title == "" && it.Summary == "" && it.Content == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(it.Title + "\x00" + it.Summary + "\x00" + it.Content))
	return "sha256:" + hex.EncodeToString(sum[:16])
}

func author(it *gofeed.Item) string {
	for _, p := range it.Authors {
		if p == nil {
			continue
		}
		if n := clean(p.Name); n != "" {
			return n
		}
		if e := strings.TrimSpace(p.Email); e != "" {
			return e
		}
	}
	if it.DublinCoreExt != nil && len(it.DublinCoreExt.Creator) > 0 {
		return clean(it.DublinCoreExt.Creator[0])
	}
	return ""
}

func image(it *gofeed.Item) string {
	if it.Image != nil && it.Image.URL != "" {
		return strings.TrimSpace(it.Image.URL)
	}
	for _, e := range it.Enclosures {
		if e != nil && strings.HasPrefix(e.Type, "image/") {
			return strings.TrimSpace(e.URL)
		}
	}
	if src := firstImage(it.Content); src != "" {
		return src
	}
	return firstImage(it.Description)
}

// firstImage returns the src of the first <img> with one in an HTML
// fragment.
func firstImage(frag string) string {
	if !strings.Contains(frag, "<img") && !strings.Contains(frag, "<IMG") && !strings.Contains(frag, "<Img") {
		return ""
	}
	z := html.NewTokenizer(strings.NewReader(frag))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if string(name) != "img" {
				continue
			}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if string(k) == "src" && len(bytes.TrimSpace(v)) > 0 {
					return strings.TrimSpace(string(v))
				}
			}
		}
	}
}

// resolve makes ref absolute against base; an absolute ref is returned as
// given (the feed's own string), an unparsable one unchanged.
func resolve(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" || base == nil {
		return ref
	}
	u, err := url.Parse(ref)
	if err != nil || u.IsAbs() {
		return ref
	}
	return base.ResolveReference(u).String()
}

// clean collapses whitespace runs to one space.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }
