package web

import (
	"errors"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/wiredesk/wiredesk/internal/metrics"
)

func TestMetrics(t *testing.T) {
	m := metrics.New()
	m.Polls.WithLabelValues("ok").Add(3)
	m.Duplicates.WithLabelValues("text").Inc()
	m.DueBacklog.Set(7)
	ts := httptest.NewServer(New(demoStore(), Options{Metrics: m, Token: testToken,
		IsNotFound: func(err error) bool { return errors.Is(err, errFakeNotFound) }}))
	defer ts.Close()
	r := get(t, nil, ts.URL+"/metrics", "Authorization", "Bearer "+testToken)
	if r.status != 200 {
		t.Fatalf("GET /metrics = %d", r.status)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(r.body))
	if err != nil {
		t.Fatalf("parse /metrics: %v\n%s", err, r.body)
	}
	for name, want := range map[string]float64{
		"wiredesk_polls_total":      3,
		"wiredesk_duplicates_total": 1,
		"wiredesk_due_feeds":        7,
	} {
		t.Run(name, func(t *testing.T) {
			f, ok := fams[name]
			if !ok || len(f.Metric) == 0 {
				t.Fatalf("no %s in /metrics", name)
			}
			mt := f.Metric[0]
			got := mt.GetCounter().GetValue() + mt.GetGauge().GetValue()
			if got != want {
				t.Errorf("%s = %v, want %v", name, got, want)
			}
		})
	}
	if _, ok := fams["go_goroutines"]; !ok {
		t.Error("no go collector metrics")
	}
}

func TestFeedRoutes(t *testing.T) {
	ts := newTestServer(t, demoStore(), "")
	for name, c := range map[string]struct {
		path, ctype, kind string
		items             int
	}{
		"rss":       {"/feed.xml", "application/rss+xml", "rss", 5},
		"atom":      {"/feed.atom", "application/atom+xml", "atom", 5},
		"json":      {"/feed.json", "application/feed+json", "json", 5},
		"rss lang":  {"/feed.xml?lang=ar", "application/rss+xml", "rss", 1},
		"atom q":    {"/feed.atom?q=" + url.QueryEscape("oil"), "application/atom+xml", "atom", 1},
		"json tag":  {"/feed.json?tag=wire", "application/feed+json", "json", 3},
		"rss limit": {"/feed.xml?limit=2", "application/rss+xml", "rss", 2},
	} {
		t.Run(name, func(t *testing.T) {
			r := get(t, nil, ts.URL+c.path)
			if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), c.ctype) {
				t.Fatalf("GET %s = %d %s", c.path, r.status, r.header.Get("Content-Type"))
			}
			f, err := gofeed.NewParser().ParseString(r.body)
			if err != nil {
				t.Fatalf("gofeed %s: %v", c.path, err)
			}
			if f.FeedType != c.kind || len(f.Items) != c.items {
				t.Fatalf("GET %s: %s with %d items, want %s with %d", c.path, f.FeedType, len(f.Items), c.kind, c.items)
			}
			for _, it := range f.Items {
				if !strings.HasPrefix(it.GUID, ts.URL+"/stories/") {
					t.Errorf("item id %q not under %s/stories/", it.GUID, ts.URL)
				}
				if strings.Contains(it.Content+it.Description, "<script") {
					t.Errorf("item %q carries a script", it.Title)
				}
			}
		})
	}
}
