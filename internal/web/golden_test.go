package web

import (
	"bytes"
	"flag"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite the page golden files in testdata/")

// TestPageGolden pins the rendered HTML of the main views (no CSRF field
// on them in open mode, so they are deterministic).
func TestPageGolden(t *testing.T) {
	s := New(demoStore(), Options{Now: func() time.Time { return testNow }})
	for name, path := range map[string]string{
		"index":    "/",
		"story_ar": "/stories/4",
		"story_en": "/stories/2?copy=3",
		"search":   "/?q=" + url.QueryEscape("روسيا") + "&lang=ar",
		// an article's versions: the latest against the one before, a
		// middle one, and an Arabic copy that got its continuation
		"article_en":    "/articles/2",
		"article_en_v2": "/articles/2?v=2",
		"article_ar":    "/articles/5",
	} {
		t.Run(name, func(t *testing.T) {
			w := httptest.NewRecorder()
			s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
			if w.Code != http.StatusOK {
				t.Fatalf("GET %s = %d", path, w.Code)
			}
			golden := filepath.Join("testdata", "page_"+name+".golden")
			if *update || *updateGolden {
				if err := os.WriteFile(golden, w.Body.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update-golden)", err)
			}
			if !bytes.Equal(w.Body.Bytes(), want) {
				t.Errorf("GET %s differs from %s (run with -update-golden to accept):\n%s", path, golden, w.Body.String())
			}
		})
	}
}

func FuzzParseList(f *testing.F) {
	for _, q := range []string{"limit=10&offset=20", "since=24h&lang=ar&tag=wire&q=oil", "since=2026-11-28", "limit=-1", "feed=abc", "since=%zz"} {
		f.Add(q)
	}
	s := New(newFakeStore(), Options{Now: func() time.Time { return testNow }})
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			t.Skip()
		}
		p, err := s.parseList(q)
		if err != nil {
			return
		}
		if p.Limit < 1 || p.Limit > maxLimit || p.Offset < 0 || p.Offset > maxOffset || p.FeedID < 0 {
			t.Fatalf("parseList(%q) = %+v: out of range", raw, p)
		}
	})
}
