package scraper

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Seed corpora live in testdata/fuzz/FuzzX/ (real fixtures and faults);
// `go test -fuzz FuzzX` explores from them.

func FuzzParseFeed(f *testing.F) {
	f.Add([]byte(`<rss version="2.0"><channel><title>t</title><item><link>/a</link></item></channel></rss>`), "")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		pf, err := ParseFeedType(body, contentType, "https://example.org/feed", 50)
		if err != nil {
			switch c := Class(err); c {
			case "empty", "not_feed", "parse", "charset":
			default:
				t.Fatalf("unexpected class %q for %v", c, err)
			}
			return
		}
		if len(pf.Items) > 50 {
			t.Fatalf("%d items over the cap", len(pf.Items))
		}
		if !utf8.ValidString(pf.Title) {
			t.Errorf("feed title not valid UTF-8: %q", pf.Title)
		}
		for _, it := range pf.Items {
			if !utf8.ValidString(it.Title) {
				t.Errorf("item title not valid UTF-8: %q", it.Title)
			}
		}
	})
}

func FuzzParseOPML(f *testing.F) {
	f.Add([]byte(`<opml version="2.0"><body><outline text="c"><outline xmlUrl="https://e.org/f" text="f"/></outline></body></opml>`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		feeds, err := ParseOPML(bytes.NewReader(doc))
		if err != nil {
			if c := Class(err); c != "parse" && c != "not_feed" {
				t.Fatalf("unexpected class %q for %v", c, err)
			}
			return
		}
		for _, fd := range feeds {
			if fd.URL == "" {
				t.Fatal("feed without URL")
			}
		}
		var buf bytes.Buffer
		if err := WriteOPML(&buf, "fuzz", feeds); err != nil {
			t.Fatalf("write: %v", err)
		}
		if _, err := ParseOPML(&buf); err != nil {
			t.Fatalf("re-read own export: %v\n%s", err, buf.Bytes())
		}
	})
}

func FuzzRetryAfter(f *testing.F) {
	now := time.Date(2026, 11, 29, 1, 0, 0, 0, time.UTC)
	for _, s := range []string{"120", "Sun, 29 Nov 2026 01:05:00 GMT", "", "-1", "1e9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		got := RetryAfter(v, now)
		if !got.IsZero() && (got.Before(now) || got.After(now.Add(31*24*time.Hour)) && !strings.Contains(v, ",")) {
			t.Errorf("RetryAfter(%q) = %v out of range", v, got)
		}
	})
}

func FuzzTextTitle(f *testing.F) {
	for _, s := range []string{"Ferry adds sailings", "AT&amp;T &lt;3", "<b>Bold</b> <script>x()</script>", "3 < 4 > 2", "<img src=x onerror=alert(1)>", "a<br>b", "&#0;&#xD800;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := TextTitle(s)
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Errorf("TextTitle(%q) = %q, not valid UTF-8", s, got)
		}
		if got != strings.TrimSpace(got) || strings.Contains(got, "  ") || strings.ContainsAny(got, "\n\t") {
			t.Errorf("TextTitle(%q) = %q, not one line", s, got)
		}
	})
}
