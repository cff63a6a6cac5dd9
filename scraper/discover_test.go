package scraper

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// discoverSite serves page at / and the feed fixtures at the given paths.
func discoverSite(t *testing.T, page string, feeds map[string]string) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		b, err := os.ReadFile(filepath.Join("testdata", "discover", page))
		if err != nil {
			t.Error(err)
		}
		_, _ = w.Write(b)
	})
	for path, fixture := range feeds {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write(readFixture(t, fixture))
		})
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestDiscover(t *testing.T) {
	tests := []struct {
		name  string
		page  string
		feeds map[string]string
		start string // path asked for; "" = "/"
		want  []Discovered
		class string
	}{
		{
			name:  "link alternates",
			page:  "alternate.html",
			feeds: map[string]string{"/rss.xml": "rss2.xml", "/atom.xml": "atom.xml", "/feed.json": "feed.json", "/broken.xml": "page.html"},
			want: []Discovered{
				{URL: "/rss.xml", Title: "آخر الأخبار", Format: "rss"},
				{URL: "/atom.xml", Title: "Atom", Format: "atom"},
				{URL: "/feed.json", Title: "JSON Wire", Format: "json"},
			},
		},
		{
			name:  "anchor that looks like a feed",
			page:  "anchors.html",
			feeds: map[string]string{"/news/feed/": "rss1.rdf"},
			want:  []Discovered{{URL: "/news/feed/", Title: "News feed", Format: "rss"}},
		},
		{
			name:  "common paths",
			page:  "bare.html",
			feeds: map[string]string{"/index.xml": "atom.xml"},
			want:  []Discovered{{URL: "/index.xml", Title: "أخبار العالم", Format: "atom"}},
		},
		{
			name:  "url is itself a feed",
			page:  "bare.html",
			feeds: map[string]string{"/world/rss": "rss2.xml"},
			start: "/world/rss",
			want:  []Discovered{{URL: "/world/rss", Title: "Example World", Format: "rss"}},
		},
		{name: "nothing found", page: "bare.html", class: "not_feed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := discoverSite(t, tc.page, tc.feeds)
			f := newTestFetcher(t, testOptions())
			start := tc.start
			if start == "" {
				start = "/"
			}
			got, err := f.Discover(context.Background(), srv.URL+start)
			if Class(err) != tc.class {
				t.Fatalf("Class = %q (%v), want %q", Class(err), err, tc.class)
			}
			for i := range got {
				got[i].URL = strings.TrimPrefix(got[i].URL, srv.URL)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Discover = %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestWithScheme(t *testing.T) {
	tests := []struct{ in, want string }{
		{"example.org", "https://example.org"},
		{" example.org/news ", "https://example.org/news"},
		{"http://example.org", "http://example.org"},
		{"ftp://example.org", "ftp://example.org"},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := withScheme(tc.in); got != tc.want {
				t.Errorf("withScheme(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
