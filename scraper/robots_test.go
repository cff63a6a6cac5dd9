package scraper

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// robotsServer serves robots.txt with the given status and body and counts
// how often it was asked.
func robotsServer(t *testing.T, status int, body string) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/robots.txt" {
			_, _ = w.Write([]byte("page"))
			return
		}
		hits.Add(1)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func TestAllowed(t *testing.T) {
	const rules = `User-agent: *
Disallow: /private/
Allow: /private/ok

User-agent: wiredesk
Disallow: /no-wiredesk/
Disallow: /search?q=
`
	tests := []struct {
		name   string
		status int
		body   string
		path   string
		want   bool
	}{
		{"allowed path", 200, rules, "/news/1", true},
		{"own group disallows", 200, rules, "/no-wiredesk/x", false},
		{"own group replaces star", 200, rules, "/private/x", true},
		{"query matched", 200, rules, "/search?q=x", false},
		{"404 allows all", 404, "", "/anything", true},
		{"403 allows all", 403, "", "/anything", true},
		{"500 disallows all", 500, "", "/anything", false},
		{"503 disallows all", 503, "", "/anything", false},
		{"empty file allows", 200, "", "/x", true},
		{"garbage allows", 200, "\x00\x01 not robots", "/x", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := robotsServer(t, tc.status, tc.body)
			opt := testOptions()
			opt.UserAgent = "WireDesk/0.1 (+https://example.org/wiredesk)"
			f := newTestFetcher(t, opt)
			got, err := f.Allowed(context.Background(), srv.URL+tc.path)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("Allowed(%s) = %v, want %v", tc.path, got, tc.want)
			}
		})
	}
}

func TestAllowedCache(t *testing.T) {
	srv, hits := robotsServer(t, 200, "User-agent: *\nDisallow: /x\n")
	opt := testOptions()
	opt.RobotsTTL = 200 * time.Millisecond
	f := newTestFetcher(t, opt)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			if _, err := f.Allowed(context.Background(), fmt.Sprintf("%s/p%d", srv.URL, i)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := hits.Load(); n != 1 {
		t.Errorf("robots.txt fetched %d times by concurrent callers, want 1", n)
	}
	time.Sleep(250 * time.Millisecond)
	if _, err := f.Allowed(context.Background(), srv.URL+"/y"); err != nil {
		t.Fatal(err)
	}
	if n := hits.Load(); n != 2 {
		t.Errorf("robots.txt fetched %d times after TTL, want 2", n)
	}
}

func TestAllowedUnreachable(t *testing.T) {
	f := newTestFetcher(t, testOptions())
	ok, err := f.Allowed(context.Background(), "http://"+closedPort(t)+"/page")
	if ok || Class(err) != "refused" {
		t.Errorf("Allowed = %v, %v (class %s), want false with class refused", ok, err, Class(err))
	}
}

func TestCrawlDelay(t *testing.T) {
	srv, _ := robotsServer(t, 200, "User-agent: *\nCrawl-delay: 0.3\n")
	f := newTestFetcher(t, testOptions()) // HostDelay 1ms
	ctx := context.Background()
	if _, err := f.Allowed(ctx, srv.URL+"/a"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Fetch(ctx, Request{URL: srv.URL + "/a", Kind: "article"}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := f.Fetch(ctx, Request{URL: srv.URL + "/b", Kind: "article"}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 250*time.Millisecond {
		t.Errorf("second fetch after %v, want ≥ Crawl-delay 300ms", d)
	}
}

func TestRobotsAgent(t *testing.T) {
	tests := []struct{ ua, want string }{
		{"wiredesk/0.1", "wiredesk"},
		{"WireDesk/0.1 (+https://example.org)", "wiredesk"},
		{"plain", "plain"},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.ua, func(t *testing.T) {
			if got := robotsAgent(tc.ua); got != tc.want {
				t.Errorf("robotsAgent(%q) = %q, want %q", tc.ua, got, tc.want)
			}
		})
	}
}
