package poll

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"

	"github.com/wiredesk/wiredesk/internal/metrics"
	"github.com/wiredesk/wiredesk/news"
	"github.com/wiredesk/wiredesk/store"
)

// TestMetricsSeriesBounded: a pass over 1,000 feeds on 500 hosts, where
// every host throttles one of its feeds and every feed has a per-site
// rule, leaves /metrics under 400 series lines: no label carries a feed, a
// host or a URL.
func TestMetricsSeriesBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 500 servers")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	feed := []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>` +
		`<item><title>One</title><guid>1</guid><description>Alpha beta gamma delta.</description></item></channel></rss>`)
	for h := range 500 {
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/busy.xml" {
				w.Header().Set("Retry-After", "120")
				http.Error(w, "slow down", http.StatusTooManyRequests)
				return
			}
			w.Header().Set("Content-Type", "application/rss+xml")
			w.Write(feed)
		}))
		t.Cleanup(ts.Close)
		for _, p := range []string{"/busy.xml", "/ok.xml"} {
			f := news.Feed{URL: ts.URL + p, Name: fmt.Sprintf("feed %d%s", h, p),
				Rules: &news.Rules{Body: "div.story-" + fmt.Sprint(h)}}
			if _, err := db.UpsertFeed(ctx, f); err != nil {
				t.Fatal(err)
			}
		}
	}
	m := metrics.New()
	p := New(FromDB(db), fetcherFor(t), Options{Concurrency: 64, Metrics: m,
		Schedule: Schedule{Start: 30 * time.Minute, Min: 5 * time.Minute, Max: 6 * time.Hour}})
	sum, err := p.Pass(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fams, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	for _, f := range fams {
		if _, err := expfmt.MetricFamilyToText(&out, f); err != nil {
			t.Fatal(err)
		}
	}
	series := 0
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		series++
		if strings.Contains(line, "127.0.0.1") || strings.Contains(line, "feed ") || strings.Contains(line, "feed=") {
			t.Errorf("a series names a host or a feed: %s", line)
		}
		if strings.HasPrefix(line, "wiredesk_throttled_total") {
			t.Log(line)
		}
	}
	t.Logf("%s; /metrics: %d series lines", sum, series)
	if series >= 400 {
		t.Errorf("/metrics has %d series lines over 1,000 feeds on 500 hosts, want under 400", series)
	}
	if sum.Deferred < 500 {
		t.Errorf("%d feeds deferred, want the 500 throttled ones", sum.Deferred)
	}
}
