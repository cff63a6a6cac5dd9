package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHostDelayZero: an explicit host_delay of 0s reaches the fetcher as no
// spacing; an absent key takes the documented default.
func TestHostDelayZero(t *testing.T) {
	cases := []struct {
		name string
		poll string
		want time.Duration
	}{
		{"explicit zero", "poll:\n  host_delay: 0s\n", 0},
		{"absent", "", 500 * time.Millisecond},
		{"set", "poll:\n  host_delay: 250ms\n", 250 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "config.yaml")
			doc := "store: sqlite:" + filepath.Join(dir, "w.db") + "\n" + tc.poll
			if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := loadConfig(path)
			if err != nil {
				t.Fatal(err)
			}
			f, err := newFetcher(cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if got := f.HostSlot("example.org").Spacing; got != tc.want {
				t.Errorf("spacing = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestPollThrottledExit0: a host answering 429 with Retry-After holds its
// feeds back; they are deferred, not failed, and the run exits 0.
func TestPollThrottledExit0(t *testing.T) {
	good := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>` +
			`<item><title>One</title><guid>1</guid><description>Alpha beta gamma delta.</description></item></channel></rss>`))
	}))
	defer good.Close()
	busy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer busy.Close()
	dir := t.TempDir()
	cfg := writeFile(t, "c.yaml", `store: sqlite:`+filepath.Join(dir, "w.db")+`
http: {allow_networks: [127.0.0.1/32]}
poll: {per_host: 1, host_delay: 0s}
scrape: {articles: false}
feeds:
  - url: `+good.URL+`/rss
  - url: `+busy.URL+`/a
  - url: `+busy.URL+`/b
  - url: `+busy.URL+`/c
`)
	code, out, errs := runCLI(t, "poll", "-json", "-config", cfg)
	if code != exitOK {
		t.Fatalf("exit %d, want 0\n%s\n%s", code, out, errs)
	}
	var sum struct{ Feeds, Failed, Deferred int }
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatal(err)
	}
	if sum.Feeds != 1 || sum.Failed != 0 || sum.Deferred != 3 {
		t.Errorf("summary %s; want 1 polled, 3 deferred, none failed", out)
	}
	code, out, _ = runCLI(t, "feeds", "list", "-config", cfg)
	if code != exitOK || strings.Count(out, "deferred-until-") != 3 {
		t.Errorf("feeds list does not show the 3 deferred feeds:\n%s", out)
	}
}
