package demo

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

// startRoom starts a newsroom that the test closes.
func startRoom(t *testing.T) *Newsroom {
	t.Helper()
	n, err := Start(t.Context())
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(n.Close)
	return n
}

// get fetches u with optional request headers and returns the response and body.
func get(t *testing.T, u string, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatalf("request %s: %v", u, err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("get %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", u, err)
	}
	return resp, b
}

func TestNewsroomCounts(t *testing.T) {
	n := startRoom(t)
	outlets := n.Outlets()
	if len(outlets) < 6 {
		t.Errorf("outlets = %d, want >= 6", len(outlets))
	}
	formats, hosts := map[string]int{}, map[string]bool{}
	for _, o := range outlets {
		formats[o.Format]++
		u, err := url.Parse(o.FeedURL)
		if err != nil {
			t.Fatalf("feed url %q: %v", o.FeedURL, err)
		}
		if u.Hostname() != "127.0.0.1" {
			t.Errorf("outlet %s on %s, want 127.0.0.1", o.Name, u.Host)
		}
		hosts[u.Host] = true
	}
	for _, f := range []string{"rss", "atom", "json"} {
		if formats[f] == 0 {
			t.Errorf("no %s outlet", f)
		}
	}
	if len(hosts) != len(outlets) {
		t.Errorf("%d hosts for %d outlets, want one listener each", len(hosts), len(outlets))
	}
	if fs := n.Feeds(); len(fs) != len(outlets) || fs[0].URL != outlets[0].FeedURL || fs[0].Name != outlets[0].Name {
		t.Errorf("Feeds() = %+v, want one per outlet in the same order", fs)
	}
	if got := n.AllowNetworks(); len(got) != 1 || got[0].String() != "127.0.0.1/32" {
		t.Errorf("AllowNetworks() = %v, want [127.0.0.1/32]", got)
	}
}

// TestStories is the ground truth table: every story, its copy count and
// language. A story with one copy is a single-outlet story.
func TestStories(t *testing.T) {
	n := startRoom(t)
	want := map[string]struct {
		copies int
		lang   string
	}{
		SputnikStory:             {3, "ar"},
		"oil-above-90":           {3, "ar"},
		"spa-weather-rain":       {2, "ar"},
		"reuters-fed-march":      {4, "en"},
		"reuters-boc-hold":       {2, "en"},
		"afp-barty-title":        {3, "en"},
		"sputnik-lavrov-replies": {1, "ar"},
		"manara-gold-dollar":     {1, "ar"},
		"sahil-book-fair":        {1, "ar"},
		"harbor-ferry-sailings":  {1, "en"},
		"valley-library-hours":   {1, "en"},
	}
	got := n.Stories()
	if len(got) != len(want) {
		t.Errorf("Stories() has %d stories, want %d", len(got), len(want))
	}
	langOf := map[string]string{}
	for _, o := range n.Outlets() {
		u, _ := url.Parse(o.FeedURL)
		langOf[u.Host] = o.Lang
	}
	syndicated := map[string]int{}
	for key, w := range want {
		t.Run(key, func(t *testing.T) {
			links := got[key]
			if len(links) != w.copies {
				t.Fatalf("%d copies, want %d: %v", len(links), w.copies, links)
			}
			hosts := map[string]bool{}
			for _, l := range links {
				u, err := url.Parse(l)
				if err != nil {
					t.Fatalf("link %q: %v", l, err)
				}
				if langOf[u.Host] != w.lang {
					t.Errorf("copy %s is on a %q outlet, want %q", l, langOf[u.Host], w.lang)
				}
				hosts[u.Host] = true
			}
			if len(hosts) != len(links) {
				t.Errorf("copies %v: want each on a different outlet", links)
			}
		})
		if w.copies >= 2 {
			syndicated[w.lang]++
		}
	}
	if syndicated["ar"] < 2 || syndicated["en"] < 2 || syndicated["ar"]+syndicated["en"] < 5 {
		t.Errorf("syndicated stories by language = %v, want >= 5 with >= 2 each in ar and en", syndicated)
	}
}

func TestFeedsParse(t *testing.T) {
	n := startRoom(t)
	all := map[string]bool{}
	for _, links := range n.Stories() {
		for _, l := range links {
			all[l] = true
		}
	}
	seen := 0
	for _, o := range n.Outlets() {
		t.Run(o.Name, func(t *testing.T) {
			resp, body := get(t, o.FeedURL, nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			f, err := gofeed.NewParser().Parse(strings.NewReader(string(body)))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if f.FeedType != map[string]string{"rss": "rss", "atom": "atom", "json": "json"}[o.Format] {
				t.Errorf("feed type %q, want %q", f.FeedType, o.Format)
			}
			if len(f.Items) == 0 {
				t.Fatal("no items")
			}
			for _, it := range f.Items {
				if !all[it.Link] {
					t.Errorf("item link %q is not in Stories()", it.Link)
				}
				if it.GUID == "" || it.Title == "" || it.PublishedParsed == nil {
					t.Errorf("item %q: guid %q, title %q, published %v: want all set", it.Link, it.GUID, it.Title, it.PublishedParsed)
				}
				seen++
			}
		})
	}
	if seen != len(all) {
		t.Errorf("feeds carry %d items, Stories() has %d links", seen, len(all))
	}
}

func TestItemLinksServeHTML(t *testing.T) {
	n := startRoom(t)
	for key, links := range n.Stories() {
		for _, l := range links {
			t.Run(key+" "+l, func(t *testing.T) {
				resp, body := get(t, l, nil)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("status %d", resp.StatusCode)
				}
				if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
					t.Errorf("content type %q, want text/html", ct)
				}
				if !strings.Contains(string(body), "</html>") {
					t.Errorf("body is not a whole HTML page (%d bytes)", len(body))
				}
			})
		}
	}
}

func TestConditionalGET(t *testing.T) {
	n := startRoom(t)
	feed := n.Outlets()[0].FeedURL
	first, _ := get(t, feed, nil)
	etag, lm := first.Header.Get("ETag"), first.Header.Get("Last-Modified")
	if etag == "" || lm == "" {
		t.Fatalf("ETag %q, Last-Modified %q: want both", etag, lm)
	}
	tests := []struct {
		name string
		hdr  map[string]string
		want int
	}{
		{"if-none-match", map[string]string{"If-None-Match": etag}, http.StatusNotModified},
		{"weak if-none-match in a list", map[string]string{"If-None-Match": `"x", W/` + etag}, http.StatusNotModified},
		{"stale etag", map[string]string{"If-None-Match": `"stale"`}, http.StatusOK},
		{"stale etag wins over if-modified-since", map[string]string{"If-None-Match": `"stale"`, "If-Modified-Since": lm}, http.StatusOK},
		{"if-modified-since", map[string]string{"If-Modified-Since": lm}, http.StatusNotModified},
		{"older if-modified-since", map[string]string{"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}, http.StatusOK},
		{"unconditional", nil, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, feed, tt.hdr)
			if resp.StatusCode != tt.want {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.want)
			}
			if tt.want == http.StatusNotModified && len(body) != 0 {
				t.Errorf("304 with a %d-byte body", len(body))
			}
		})
	}
}

func TestHostPaths(t *testing.T) {
	n := startRoom(t)
	u, _ := url.Parse(n.Outlets()[0].FeedURL)
	base := "http://" + u.Host
	tests := []struct {
		name, path, want string
		status           int
	}{
		{"robots allows all", "/robots.txt", "Allow: /", http.StatusOK},
		{"home page advertises the feed", "/", `rel="alternate"`, http.StatusOK},
		{"unknown path", "/no/such/page.html", "", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, base+tt.path, nil)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if !strings.Contains(string(body), tt.want) {
				t.Errorf("body lacks %q", tt.want)
			}
		})
	}
}

func TestCloseOnContextDone(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	n, err := Start(ctx)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	feed := n.Outlets()[0].FeedURL
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(feed)
		if err != nil {
			n.Close() // idempotent
			return
		}
		resp.Body.Close()
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("newsroom still serving 5s after its context was cancelled")
}
