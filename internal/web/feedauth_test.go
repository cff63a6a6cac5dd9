package web

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

const testFeedKey = "feed-key-0123456789"

func newKeyedServer(t *testing.T, st Store) *httptest.Server {
	t.Helper()
	s := New(st, Options{Token: testToken, FeedKey: testFeedKey, Now: func() time.Time { return testNow },
		IsNotFound: func(err error) bool { return errors.Is(err, errFakeNotFound) }})
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts
}

func TestFeedKey(t *testing.T) {
	ts := newKeyedServer(t, demoStore())
	for name, c := range map[string]struct {
		path   string
		status int
	}{
		"rss key":          {"/feed.xml?key=" + testFeedKey, 200},
		"atom key":         {"/feed.atom?key=" + testFeedKey, 200},
		"json key":         {"/feed.json?key=" + testFeedKey, 200},
		"json key filter":  {"/feed.json?lang=en&key=" + testFeedKey, 200},
		"rss wrong key":    {"/feed.xml?key=nope", 401},
		"rss empty key":    {"/feed.xml?key=", 401},
		"rss no key":       {"/feed.xml", 401},
		"api key":          {"/api/stories?key=" + testFeedKey, 401},
		"api feeds key":    {"/api/feeds?key=" + testFeedKey, 401},
		"metrics key":      {"/metrics?key=" + testFeedKey, 401},
		"dashboard key":    {"/?key=" + testFeedKey, 303},
		"feeds page key":   {"/feeds?key=" + testFeedKey, 303},
		"token is no key":  {"/feed.xml?key=" + testToken, 401},
		"revisions key":    {"/api/articles/2/revisions?key=" + testFeedKey, 401},
		"story page key":   {"/stories/2?key=" + testFeedKey, 303},
		"article page key": {"/articles/2?key=" + testFeedKey, 303},
	} {
		t.Run(name, func(t *testing.T) {
			r := get(t, nil, ts.URL+c.path)
			if r.status != c.status {
				t.Fatalf("GET %s = %d, want %d", c.path, r.status, c.status)
			}
			if r.status == 200 && strings.Contains(r.body, testFeedKey) {
				t.Errorf("GET %s: the feed copies the key into its body", c.path)
			}
		})
	}
}

func TestFeedConditional(t *testing.T) {
	ts := newKeyedServer(t, demoStore())
	for _, p := range []string{"/feed.xml", "/feed.atom", "/feed.json"} {
		t.Run(p, func(t *testing.T) {
			u := ts.URL + p + "?key=" + testFeedKey
			first := get(t, nil, u)
			etag, lm := first.header.Get("ETag"), first.header.Get("Last-Modified")
			if first.status != 200 || etag == "" || lm == "" {
				t.Fatalf("first GET = %d, ETag %q, Last-Modified %q", first.status, etag, lm)
			}
			for name, hdr := range map[string][]string{
				"etag":           {"If-None-Match", etag},
				"weak etag":      {"If-None-Match", "W/" + etag},
				"etag list":      {"If-None-Match", `"x", ` + etag},
				"last-modified":  {"If-Modified-Since", lm},
				"cached (again)": {"If-None-Match", etag},
			} {
				if r := get(t, nil, u, hdr...); r.status != http.StatusNotModified || r.body != "" {
					t.Errorf("%s: GET = %d with %d bytes, want 304 and none", name, r.status, len(r.body))
				}
			}
			if r := get(t, nil, u, "If-None-Match", `"other"`); r.status != 200 || r.body != first.body {
				t.Errorf("other etag: GET = %d, want 200 and the same feed", r.status)
			}
			if r := get(t, nil, u, "If-Modified-Since", "Mon, 02 Jan 2006 15:04:05 GMT"); r.status != 200 {
				t.Errorf("old If-Modified-Since: GET = %d, want 200", r.status)
			}
			if r := get(t, nil, ts.URL+p, "If-None-Match", etag); r.status != http.StatusUnauthorized {
				t.Errorf("etag without key: GET = %d, want 401", r.status)
			}
		})
	}
}

func TestFeedPageSubscribeURLs(t *testing.T) {
	ts := newKeyedServer(t, demoStore())
	c := login(t, ts.URL)
	r := get(t, c, ts.URL+"/feeds")
	for _, p := range []string{"/feed.xml", "/feed.atom", "/feed.json"} {
		want := ts.URL + p + "?key=" + testFeedKey
		if !strings.Contains(r.body, `value="`+want+`"`) {
			t.Errorf("feeds page lacks %s", want)
		}
		if got := get(t, nil, want); got.status != 200 {
			t.Errorf("pasted %s = %d", want, got.status)
		}
	}
}

// TestServedFeedsCarryOnlyHTTPLinks: a store holding script and data links
// as representatives' links serves feeds that carry none of them.
func TestServedFeedsCarryOnlyHTTPLinks(t *testing.T) {
	st := newFakeStore()
	bad := []string{"javascript:alert(1)", "JavaScript:alert(1)", "java\tscript:alert(1)", "&#106;avascript:alert(1)",
		"vbscript:msgbox(1)", "VbScRiPt:msgbox(1)", "data:text/html,<script>alert(1)</script>", "DATA:text/html;base64,PHNjcmlwdD4=",
		"sha256:0123456789abcdef", "1"}
	for i, u := range bad {
		st.add(news.Article{URL: u, CanonicalURL: u, Title: "story " + u, Text: "text", Image: u,
			Fetched: testNow.Add(-time.Duration(i) * time.Minute)})
	}
	ts := newTestServer(t, st, "")
	for _, p := range []string{"/feed.xml", "/feed.atom", "/feed.json", "/api/articles", "/api/stories/1"} {
		t.Run(p, func(t *testing.T) {
			r := get(t, nil, ts.URL+p)
			if p == "/feed.json" {
				for _, s := range []string{`"url":"javascript`, `"url":"vbscript`, `"url":"data:`, `"url":"sha256`, `"url":"1"`} {
					if strings.Contains(strings.ReplaceAll(strings.ToLower(r.body), `": "`, `":"`), s) {
						t.Errorf("GET %s carries %s", p, s)
					}
				}
			}
			if r.status != 200 {
				t.Fatalf("GET %s = %d", p, r.status)
			}
			body := strings.ReplaceAll(strings.ToLower(r.body), `": "`, `":"`)
			// Titles repeat the links as text; only attributes and link
			// elements matter, so look for them in link positions.
			for _, s := range []string{`href="javascript`, `href="vbscript`, `href="data:`, `<link>javascript`, `<link>vbscript`,
				`<link>data:`, `<link>sha256`, `<link>1<`, `"image":"javascript`, `"image":"data:`, `"image":"vbscript`, `"image":"&amp;`, `"image":"java`, `href="java`, `href="&amp;`, `<link>&amp;`} {
				if strings.Contains(body, s) {
					t.Errorf("GET %s carries %s", p, s)
				}
			}
		})
	}
}

// TestWrongMethod: a route asked with a method it does not take answers
// 405 with Allow; a path with no route at all stays 404.
func TestWrongMethod(t *testing.T) {
	ts := newTestServer(t, demoStore(), "")
	for name, c := range map[string]struct {
		method, path string
		status       int
		allow        string
	}{
		"post stories api":  {http.MethodPost, "/api/stories", 405, "GET, HEAD, OPTIONS"},
		"delete story api":  {http.MethodDelete, "/api/stories/1", 405, "GET, HEAD, OPTIONS"},
		"put feed":          {http.MethodPut, "/feed.xml", 405, "GET, HEAD, OPTIONS"},
		"post metrics":      {http.MethodPost, "/metrics", 405, "GET, HEAD, OPTIONS"},
		"get logout":        {http.MethodGet, "/logout", 405, "POST, OPTIONS"},
		"delete feeds page": {http.MethodDelete, "/feeds", 405, "GET, HEAD, POST, OPTIONS"},
		"get feed delete":   {http.MethodGet, "/feeds/1/delete", 405, "POST, OPTIONS"},
		"unknown api":       {http.MethodGet, "/api/nope", 404, ""},
		"unknown page":      {http.MethodPost, "/nope", 404, ""},
	} {
		t.Run(name, func(t *testing.T) {
			req, err := http.NewRequest(c.method, ts.URL+c.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			r := do(t, nil, req)
			if r.status != c.status || r.header.Get("Allow") != c.allow {
				t.Errorf("%s %s = %d Allow %q, want %d Allow %q", c.method, c.path, r.status, r.header.Get("Allow"), c.status, c.allow)
			}
		})
	}
}
