package scraper

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// loopback32 allows exactly the IPv4 loopback address httptest listens on.
var loopback32 = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}

// testOptions are short-timeout options for tests; mod may adjust them.
func testOptions() Options {
	return Options{
		UserAgent:     "wiredesk-test/0.1",
		Timeout:       10 * time.Second, // only faults should hit these, and
		HeaderTimeout: 5 * time.Second,  // the machine is shared: be generous
		AllowNetworks: loopback32,
		HostDelay:     time.Millisecond,
		PerHost:       4,
	}
}

func newTestFetcher(t *testing.T, opt Options) *Fetcher {
	t.Helper()
	f, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	return f
}

func gzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestFetchOK(t *testing.T) {
	feed, err := os.ReadFile(filepath.Join("testdata", "feeds", "rss2.xml"))
	if err != nil {
		t.Fatal(err)
	}
	gz := gzipBytes(t, feed)
	mux := http.NewServeMux()
	mux.HandleFunc("/plain", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Sat, 28 Nov 2026 09:00:00 GMT")
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		_, _ = w.Write(feed)
	})
	mux.HandleFunc("/gzip", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept-Encoding") != "gzip" || r.Header.Get("User-Agent") != "wiredesk-test/0.1" {
			http.Error(w, "bad headers", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(gz)
	})
	mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/plain", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	f := newTestFetcher(t, testOptions())

	tests := []struct {
		name, path, etag string
		wantErr          error
		wantURL          string
	}{
		{name: "plain", path: "/plain", wantURL: "/plain"},
		{name: "gzip decoded", path: "/gzip", wantURL: "/gzip"},
		{name: "redirect followed", path: "/redirect", wantURL: "/plain"},
		{name: "conditional 304", path: "/plain", etag: `"v1"`, wantErr: ErrNotModified},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := f.Fetch(context.Background(), Request{URL: srv.URL + tc.path, ETag: tc.etag, Kind: "feed"})
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(resp.Body, feed) {
				t.Errorf("body differs (%d bytes)", len(resp.Body))
			}
			if resp.URL != srv.URL+tc.wantURL {
				t.Errorf("URL = %s, want %s", resp.URL, srv.URL+tc.wantURL)
			}
		})
	}
}
