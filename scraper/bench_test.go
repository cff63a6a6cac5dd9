package scraper

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// syntheticFeed is an RSS 2.0 document of n items with Arabic and English
// text, about 600 bytes an item.
func syntheticFeed(n int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>bench</title><link>https://example.org/</link>`)
	for i := range n {
		fmt.Fprintf(&b, `<item><title>وزراء الخارجية يجتمعون %d Ministers meet</title><link>/world/%d.html</link><guid>g-%d</guid>`+
			`<pubDate>Sat, 28 Nov 2026 09:15:00 +0300</pubDate><description>&lt;p&gt;اجتمع وزراء الخارجية يوم السبت في الرياض. Foreign ministers met on Saturday in Riyadh to discuss the region.&lt;/p&gt;</description></item>`, i, i, i)
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

func BenchmarkParseFeed(b *testing.B) {
	for _, n := range []int{20, 200} {
		body := syntheticFeed(n)
		b.Run(fmt.Sprintf("items=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseFeed(body, "https://example.org/rss", 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFetch is one loopback GET of a 200-item feed, gzip and plain,
// through every gate (address check, host slot, spacing set to none).
func BenchmarkFetch(b *testing.B) {
	body := syntheticFeed(200)
	gz := gzipBytes(b, body)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/gzip" {
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(gz)
			return
		}
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	opt := testOptions()
	opt.HostDelay = -1
	f, err := New(opt)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	for _, path := range []string{"/plain", "/gzip"} {
		b.Run(path[1:], func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := f.Fetch(context.Background(), Request{URL: srv.URL + path, Kind: "feed"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
