package poll

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/internal/metrics"
	"github.com/wiredesk/wiredesk/news"
	"github.com/wiredesk/wiredesk/scraper"
	"github.com/wiredesk/wiredesk/store"
	"github.com/wiredesk/wiredesk/store/storetest"
)

// slowPages serves a feed of n items whose pages send a byte a second
// while slow is set, and at once otherwise.
func slowPages(t *testing.T, n int, slow *atomic.Bool) *httptest.Server {
	t.Helper()
	var ts *httptest.Server
	ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed.xml" {
			w.Header().Set("Content-Type", "application/rss+xml")
			var b strings.Builder
			b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>slow</title>`)
			for i := range n {
				fmt.Fprintf(&b, `<item><title>Item %d</title><link>%s/p/%d</link><guid>g%d</guid>`+
					`<description>Feed text of item %d, which the feed gives in full.</description></item>`, i, ts.URL, i, i, i)
			}
			b.WriteString(`</channel></rss>`)
			w.Write([]byte(b.String()))
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		page := "<html><head><title>Page</title></head><body><article><p>" +
			strings.Repeat("The page's own full text, much longer than the feed's. ", 12) + "</p></article></body></html>"
		if !slow.Load() {
			w.Write([]byte(page))
			return
		}
		fl := w.(http.Flusher)
		for i := 0; i < len(page); i++ {
			if _, err := w.Write([]byte{page[i]}); err != nil {
				return
			}
			fl.Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(time.Second):
			}
		}
	}))
	t.Cleanup(ts.Close)
	return ts
}

// TestFeedBudget: a feed of 20 items whose pages send a byte a second,
// with a 3 s timeout and the default budget (three timeouts): the pass
// ends within 12 s with all 20 items stored with the feed's text. The
// pages cut by the budget or never started are counted and, at the next
// pass (pages now fast), fetched: their articles get the page's text. (The
// first pages had their whole timeout and failed as any page does.)
func TestFeedBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the budget (9 s)")
	}
	ctx := context.Background()
	var slow atomic.Bool
	slow.Store(true)
	ts := slowPages(t, 20, &slow)
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.UpsertFeed(ctx, news.Feed{URL: ts.URL + "/feed.xml"}); err != nil {
		t.Fatal(err)
	}
	const timeout = 3 * time.Second
	fetcher, err := scraper.New(scraper.Options{UserAgent: "wiredesk-test", PerHost: 2, HostDelay: -1, Timeout: timeout,
		AllowNetworks: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	if err != nil {
		t.Fatal(err)
	}
	m := metrics.New()
	passes := 0
	pass := func() (Summary, time.Duration) {
		t.Helper()
		at := time.Now().Add(time.Duration(passes) * 7 * time.Hour)
		passes++
		p := New(FromDB(db), fetcher, Options{Concurrency: 4, Articles: true, FeedBudget: 3 * timeout, Metrics: m,
			Now:      func() time.Time { return at },
			Schedule: Schedule{Start: 30 * time.Minute, Min: 5 * time.Minute, Max: 6 * time.Hour}})
		start := time.Now()
		sum, err := p.Pass(ctx)
		if err != nil || sum.Failed > 0 {
			t.Fatalf("pass: %v %+v", err, sum.Failures)
		}
		return sum, time.Since(start)
	}
	sum, took := pass()
	t.Logf("slow pages: pass took %v: %s", took.Round(10*time.Millisecond), sum)
	if took > 12*time.Second {
		t.Errorf("pass took %v, want at most 12 s", took)
	}
	byURL, n := storetest.ArticlesByURL(t, db)
	if n != 20 || sum.Articles != 20 {
		t.Fatalf("%d articles stored (%d this pass), want 20", n, sum.Articles)
	}
	for u, a := range byURL {
		if !strings.Contains(a.Text, "Feed text of item") {
			t.Errorf("%s: text %q, want the feed's", u, a.Text)
		}
	}
	left := int(counterValue(t, m, "wiredesk_pages_left_total"))
	if left < 10 || left > 20 {
		t.Errorf("%d pages left for the next pass, want 10 to 20 (2 per host, 3 s each, 9 s)", left)
	}
	slow.Store(false)
	sum, took = pass()
	t.Logf("fast pages: pass took %v: %s", took.Round(10*time.Millisecond), sum)
	byURL, n = storetest.ArticlesByURL(t, db)
	withPage := 0
	for _, a := range byURL {
		if strings.Contains(a.Text, "The page's own full text") {
			withPage++
		}
	}
	if n != 20 || withPage != left || sum.Revisions != left {
		t.Errorf("after the next pass: %d articles, %d with their page's text, %d revisions; want 20, %d, %d",
			n, withPage, sum.Revisions, left, left)
	}
}

// counterValue reads an unlabelled counter from m's registry.
func counterValue(t *testing.T, m *metrics.Metrics, name string) float64 {
	t.Helper()
	fams, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if f.GetName() == name && len(f.GetMetric()) == 1 {
			return f.GetMetric()[0].GetCounter().GetValue()
		}
	}
	t.Fatalf("no counter %s", name)
	return 0
}
