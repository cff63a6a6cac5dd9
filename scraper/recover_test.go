package scraper

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestParseFeedRecovers: entries a reader finds where gofeed finds none,
// or finds them empty, are recovered, and counted as such.
func TestParseFeedRecovers(t *testing.T) {
	type want struct{ guid, url, title, text string }
	tests := []struct {
		file      string
		recovered int
		items     []want // each field: a substring the item's must hold ("" = any)
	}{
		{"cdf.xml", 2, []want{
			{url: "http://cdf.example/item/1", title: "Item one", text: "First abstract"},
			{guid: "sha256:", text: "Abstract only"},
		}},
		{"truncated-two.xml", 2, []want{
			{url: "http://cut.example/1", title: "First"},
			{url: "http://cut.example/2?a=1&b=2", title: "Second"},
		}},
		{"truncated-last-tag.xml", 2, []want{{guid: "1", title: "One"}, {guid: "2", title: "Two"}}},
		{"rdf-broken.xml", 1, []want{{url: "http://rdf.example/1", title: "about only"}}},
		{"body-only.xml", 0, []want{
			{text: "safe <b>body</b> text"},
			{text: "<p>xhtml body</p>"},
			{text: "<p>full item</p>"},
			{title: "media title"},
			{text: `<img src="http://img.example/a.jpg"`},
		}},
		{"atom03-summary.xml", 0, []want{
			{text: "Example <b>Atom</b>"},
			{guid: "tag:atom.example,2004:1"},
			{title: "Bold & plain"},
		}},
		{"cdf-base.xml", 2, []want{
			{url: "http://base.cdf.example/news/item/1", title: "channel's BASE"},
			{url: "http://other.cdf.example/item/2", title: "item's own BASE"},
		}},
		{"truncated-xml-base.xml", 4, []want{
			{url: "http://base.atom.example/a/1"},
			{url: "http://base.atom.example/a/b/2"},
			{url: "http://link.atom.example/3"},
			{url: "http://abs.atom.example/4"},
		}},
		{"atom03-base64.xml", 0, []want{
			{guid: "tag:b64.example,2004:1", title: "Base64 title", text: "A plain summary<p>Base64 <i>content</i></p>"},
			{guid: "tag:b64.example,2004:2", title: "Test", text: "QmFzZTY0"},
		}},
		{"guid-not-permalink.xml", 0, []want{
			{guid: "http://guid.example/1", title: "Not a link"},
			{url: "http://guid.example/2", title: "A link"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata", "feeds", "recover", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			pf, err := ParseFeed(body, "http://cdf.example/feed", 0)
			if err != nil {
				t.Fatalf("ParseFeed: %v", err)
			}
			if pf.Recovered != tc.recovered {
				t.Errorf("recovered = %d, want %d (%q)", pf.Recovered, tc.recovered, pf.RecoveredFrom)
			}
			if len(pf.Items) != len(tc.items) {
				t.Fatalf("%d items, want %d: %+v", len(pf.Items), len(tc.items), pf.Items)
			}
			for i, w := range tc.items {
				it := pf.Items[i]
				text := it.Summary + it.Content
				for _, c := range []struct{ name, got, want string }{
					{"guid", it.GUID, w.guid}, {"url", it.URL, w.url}, {"title", it.Title, w.title}, {"text", text, w.text},
				} {
					if !strings.Contains(c.got, c.want) {
						t.Errorf("item %d %s = %q, want %q in it", i, c.name, c.got, c.want)
					}
				}
				if w.url == "" && it.URL != "" {
					t.Errorf("item %d url = %q, want none", i, it.URL)
				}
			}
		})
	}
}

// TestParseFeedCapCut: a document over the cap is parsed to the cap, and
// the entries past it are counted, in RSS and Atom, with entries in a
// namespace.
func TestParseFeedCapCut(t *testing.T) {
	build := func(head, item, tail string, n int) []byte {
		var b strings.Builder
		b.WriteString(head)
		for i := range n {
			fmt.Fprintf(&b, item, i)
		}
		b.WriteString(tail)
		return []byte(b.String())
	}
	tests := []struct {
		name               string
		body               []byte
		max, want, overCap int
	}{
		{"rss", build(`<rss version="2.0"><channel><title>c</title>`, `<item><title>t%d</title><link>http://c.example/%[1]d</link></item>`, `</channel></rss>`, 250), 100, 100, 150},
		{"atom", build(`<feed xmlns="http://www.w3.org/2005/Atom"><title>c</title>`, `<entry><title>t%d</title><id>urn:%[1]d</id></entry>`, `</feed>`, 30), 10, 10, 20},
		{"rdf prefixed", build(`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rss="http://purl.org/rss/1.0/"><rss:channel><rss:title>c</rss:title></rss:channel>`,
			`<rss:item rdf:about="http://c.example/%d"><rss:title>t</rss:title></rss:item>`, `</rdf:RDF>`, 12), 5, 5, 7},
		{"under the cap", build(`<rss version="2.0"><channel>`, `<item><guid>%d</guid></item>`, `</channel></rss>`, 3), 5, 3, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pf, err := ParseFeed(tc.body, "http://c.example/feed", tc.max)
			if err != nil {
				t.Fatal(err)
			}
			if len(pf.Items) != tc.want || pf.OverCap != tc.overCap {
				t.Errorf("items %d over cap %d, want %d and %d", len(pf.Items), pf.OverCap, tc.want, tc.overCap)
			}
		})
	}
}

// TestTextTitle: a title is text.
func TestTextTitle(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "  Ferry  adds\nsailings ", "Ferry adds sailings"},
		{"entities", "AT&amp;T &lt;3 caf&eacute;", "AT&T <3 café"},
		{"inline tags", "Example <b>Atom</b>", "Example Atom"},
		{"script dropped", `<script>alert(1)</script>News<img src=x onerror="alert(1)">`, "News"},
		{"less than", "3 < 4 and 5 > 2", "3 < 4 and 5 > 2"},
		{"block tags separate", "one<br>two<p>three</p>", "one two three"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := TextTitle(tc.in); got != tc.want {
				t.Errorf("TextTitle(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestScanItemsHostileNesting: unclosed tags and stray end tags cost
// linear time, and the entries before them are kept.
func TestScanItemsHostileNesting(t *testing.T) {
	body := `<rss version="2.0"><channel><item><title>Kept</title></item><item><description>` +
		strings.Repeat("<b>", 200_000) + strings.Repeat("</i>", 200_000) + `</description></item></channel></rss>`
	start := time.Now()
	sc := scanItems([]byte(body), 100)
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("scan took %s", d)
	}
	if len(sc.items) == 0 || sc.items[0].title != "Kept" {
		t.Errorf("items %+v", sc.items)
	}
}
