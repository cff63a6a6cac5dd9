package scraper

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with testdata/<name>.golden, rewriting it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden:\n got: %s\nwant: %s", name, got, want)
	}
}

func TestParseFeedGolden(t *testing.T) {
	tests := []struct {
		name, file, url string
	}{
		{"rss2", "rss2.xml", "https://example.org/world/rss.xml"},
		{"atom arabic", "atom.xml", "https://ar.example.org/atom.xml"},
		{"json feed", "feed.json", "https://json.example.org/feed.json"},
		{"rss1 rdf", "rss1.rdf", "https://rdf.example.org/rss"},
		{"rss091 latin1", "rss091.xml", "http://old.example.org/rss"},
		{"invalid utf8 repaired", "invalid-utf8.xml", "https://example.org/world/rss.xml"},
		{"undeclared windows-1256", "windows-1256.xml", "https://win.example.org/rss"},
		{"windows-1256 labeled utf-8", "mislabeled-1256.xml", "https://win.example.org/rss"},
		{"utf-16 with bom", "utf16.xml", "https://ar.example.org/atom.xml"},
		{"utf-8 bom", "bom.xml", "https://example.org/world/rss.xml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata", "feeds", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			pf, err := ParseFeed(body, tc.url, 0)
			if err != nil {
				t.Fatalf("ParseFeed: %v (class %s)", err, Class(err))
			}
			got, err := json.MarshalIndent(pf, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("feeds", strings.TrimSuffix(tc.file, filepath.Ext(tc.file))), append(got, '\n'))
		})
	}
}

func TestParseFeedErrors(t *testing.T) {
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", "feeds", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name  string
		body  []byte
		class string
		is    error
	}{
		{"empty", nil, "empty", ErrNotFeed},
		{"whitespace", []byte(" \n\t "), "empty", ErrEmpty},
		{"html page", read("page.html"), "not_feed", ErrNotFeed},
		{"plain text", []byte("hello world"), "not_feed", ErrNotFeed},
		{"other xml root", []byte(`<?xml version="1.0"?><svg></svg>`), "not_feed", ErrNotFeed},
		{"truncated xml", read("truncated.xml"), "parse", nil},
		{"json api answer", []byte(`{"error":"not found","code":404}`), "not_feed", ErrNotFeed},
		{"unknown charset", []byte(`<?xml version="1.0" encoding="x-klingon"?><html><body>hi</body></html>`), "charset", ErrCharset},
		{"broken json", []byte(`{"version":"https://jsonfeed.org/version/1", "items": [`), "parse", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseFeed(tc.body, "https://example.org/feed", 0)
			if got := Class(err); got != tc.class {
				t.Fatalf("Class(%v) = %q, want %q", err, got, tc.class)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v is not %v", err, tc.is)
			}
			if !strings.Contains(err.Error(), "https://example.org/feed") {
				t.Errorf("error %q does not name the feed", err)
			}
		})
	}
}

func TestParseFeedMaxItems(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<rss version="2.0"><channel><title>many</title>`)
	for i := 0; i < 1500; i++ {
		b.WriteString(`<item><title>x</title><link>/a</link></item>`)
	}
	b.WriteString(`</channel></rss>`)
	tests := []struct {
		name      string
		max, want int
	}{
		{"default cap", 0, DefaultMaxItems},
		{"explicit cap", 10, 10},
		{"cap above count", 5000, 1500},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pf, err := ParseFeed([]byte(b.String()), "https://example.org/rss", tc.max)
			if err != nil {
				t.Fatal(err)
			}
			if len(pf.Items) != tc.want {
				t.Errorf("items = %d, want %d", len(pf.Items), tc.want)
			}
		})
	}
}

func TestParseFeedGUIDs(t *testing.T) {
	doc := `<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>g</title>
<item><guid isPermaLink="false">own-guid</guid><link>/a</link><title>own</title></item>
<item><link>/b</link><title>link only</title></item>
<item><title>text only</title><description>body one</description></item>
<item><title>text only</title><description>body two</description></item>
<item></item>
<item><dc:identifier>urn:isbn:1</dc:identifier></item>
<item><enclosure url="https://example.org/ep1.mp3" type="audio/mpeg" length="1"/></item>
</channel></rss>`
	pf, err := ParseFeed([]byte(doc), "https://example.org/rss", 0)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		i    int
		want string
	}{
		{"own guid", 0, "own-guid"},
		{"link as guid", 1, "https://example.org/b"},
		{"text hash", 2, "sha256:"},
		{"distinct text hash", 3, "sha256:"},
		{"dc:identifier", 4, "urn:isbn:1"},
		{"enclosure alone", 5, "https://example.org/ep1.mp3"},
	}
	if len(pf.Items) != 6 || pf.Empty != 1 {
		t.Fatalf("items = %d, empty %d; want 6 and the empty item dropped", len(pf.Items), pf.Empty)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := pf.Items[tc.i].GUID; !strings.HasPrefix(got, tc.want) {
				t.Errorf("GUID = %q, want prefix %q", got, tc.want)
			}
		})
	}
	if pf.Items[2].GUID == pf.Items[3].GUID {
		t.Errorf("items with different text share GUID %q", pf.Items[2].GUID)
	}
}

// TestParseFeedItemImage: an item's image is its own element or image
// enclosure, else the first <img> with a src in its content or description.
func TestParseFeedItemImage(t *testing.T) {
	tests := []struct {
		name, item, want string
	}{
		{"enclosure", `<enclosure url="https://e.example/a.jpg" type="image/jpeg" length="1"/><description>&lt;img src="https://e.example/b.jpg"&gt;</description>`, "https://e.example/a.jpg"},
		{"description img", `<description>&lt;p&gt;Text&lt;/p&gt;&lt;img alt="x" src=" /img/c.jpg "&gt;</description>`, "https://site.example/img/c.jpg"},
		{"first with a src", `<description>&lt;img alt="none"&gt;&lt;IMG SRC="https://e.example/d.png"&gt;</description>`, "https://e.example/d.png"},
		{"content first", `<description>&lt;img src="https://e.example/desc.jpg"&gt;</description><content:encoded>&lt;img src="https://e.example/content.jpg"&gt;</content:encoded>`, "https://e.example/content.jpg"},
		{"none", `<description>Just text, 3 &lt; 4.</description>`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := `<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title>` +
				`<item><title>A</title><link>https://site.example/a</link>` + tc.item + `</item></channel></rss>`
			pf, err := ParseFeed([]byte(body), "https://site.example/rss", 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(pf.Items) != 1 {
				t.Fatalf("%d items", len(pf.Items))
			}
			if got := pf.Items[0].Image; got != tc.want {
				t.Errorf("image = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestParseFeedItemLinks: an item's link is the one a reader takes.
func TestParseFeedItemLinks(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"rss atom:link alone",
			`<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><item><title>t</title><atom:link rel="alternate" href="http://links.example/1"/></item></channel></rss>`,
			"http://links.example/1"},
		{"rss atom:link under another prefix, relative",
			`<rss version="2.0" xmlns:a="http://www.w3.org/2005/Atom"><channel><item><title>t</title><a:link rel="self" href="/self"/><a:link href="/2"/></item></channel></rss>`,
			"https://feed.example/2"},
		{"rss first alternate link, not a later enclosure link",
			`<rss version="2.0"><channel><item><title>t</title><link href="http://links.example/3"/><link rel="enclosure" href="http://links.example/3.mp3"/></item></channel></rss>`,
			"http://links.example/3"},
		{"rss link before atom:link",
			`<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><item><title>t</title><link>http://links.example/own</link><atom:link href="http://links.example/other"/></item></channel></rss>`,
			"http://links.example/own"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pf, err := ParseFeed([]byte(tc.doc), "https://feed.example/rss", 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(pf.Items) != 1 || pf.Items[0].URL != tc.want {
				t.Fatalf("items %+v, want one with URL %q", pf.Items, tc.want)
			}
		})
	}
}

func TestDetectType(t *testing.T) {
	pad := "<!--" + strings.Repeat("x", detectPeek) + "-->"
	tests := map[string]struct {
		doc  string
		kind gofeed.FeedType
		head bool
	}{
		"rss":                 {`<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>`, gofeed.FeedTypeRSS, true},
		"atom":                {`<feed xmlns="http://www.w3.org/2005/Atom"></feed>`, gofeed.FeedTypeAtom, true},
		"json":                {`{"version":"https://jsonfeed.org/version/1.1","items":[]}`, gofeed.FeedTypeJSON, true},
		"html":                {`<html><body>no feed</body></html>`, gofeed.FeedTypeUnknown, false},
		"root past the head":  {pad + `<rss version="2.0"><channel></channel></rss>`, gofeed.FeedTypeRSS, false},
		"html past the head":  {pad + `<html></html>`, gofeed.FeedTypeUnknown, false},
		"long rss, root head": {`<rss version="2.0"><channel>` + pad + `</channel></rss>`, gofeed.FeedTypeRSS, true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			kind, head := detectType([]byte(tc.doc))
			if kind != tc.kind || head != tc.head {
				t.Errorf("detectType = %v, %v; want %v, %v", kind, head, tc.kind, tc.head)
			}
			if want := gofeed.DetectFeedType(strings.NewReader(tc.doc)); kind != want {
				t.Errorf("detectType = %v, gofeed.DetectFeedType %v", kind, want)
			}
		})
	}
}
