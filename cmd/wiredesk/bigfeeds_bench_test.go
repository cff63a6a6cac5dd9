package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkBigFeeds polls eight feeds of 150,000 items (about 8 MB each),
// each on its own loopback host so that all eight are in flight at once,
// with scrape.articles false, and reports the child's peak RSS, the
// articles stored (the 1,000-item cap each) and the entries the cap
// dropped. Issue #18's bar is a peak RSS of 300 MB.
//
//	go test -run '^$' -bench BigFeeds -benchtime 1x ./cmd/wiredesk/
func BenchmarkBigFeeds(b *testing.B) {
	const feeds, items = 8, 150_000
	bin := buildBinary(b)
	var urls []string
	for f := range feeds {
		var body strings.Builder
		body.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>big</title>`)
		for i := range items {
			fmt.Fprintf(&body, "<item><title>Item %d of %d</title><guid>%[1]d</guid></item>\n", i, f)
		}
		body.WriteString(`</channel></rss>`)
		doc := []byte(body.String())
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write(doc)
		}))
		defer srv.Close()
		urls = append(urls, srv.URL+"/feed")
		if f == 0 {
			b.ReportMetric(float64(len(doc))/(1<<20), "feed-MB")
		}
	}
	for b.Loop() {
		dir := b.TempDir()
		cfg := writeBenchConfig(b, dir, "articles: false", "concurrency: 8")
		seedFeeds(b, "sqlite:"+filepath.Join(dir, "w.db"), urls)
		r := mustPoll(b, bin, cfg)
		b.ReportMetric(float64(r.maxRSS)/(1<<20), "peak-MB")
		b.ReportMetric(float64(r.sum.Articles), "articles")
		b.ReportMetric(r.wall.Seconds(), "pass-s")
	}
}
