package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func newTestServer(t *testing.T, st Store, token string) *httptest.Server {
	t.Helper()
	s := New(st, Options{Token: token, Now: func() time.Time { return testNow },
		IsNotFound: func(err error) bool { return errors.Is(err, errFakeNotFound) }})
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts
}

type result struct {
	status int
	header http.Header
	body   string
}

func get(t *testing.T, c *http.Client, u string, hdr ...string) result {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return do(t, c, req)
}

func do(t *testing.T, c *http.Client, req *http.Request) result {
	t.Helper()
	if c == nil {
		c = noRedirect()
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return result{resp.StatusCode, resp.Header, string(b)}
}

func noRedirect() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func TestPages(t *testing.T) {
	ts := newTestServer(t, demoStore(), "")
	for name, c := range map[string]struct {
		path   string
		status int
		want   []string
		not    []string
	}{
		"index": {"/", 200, []string{
			"Oil rises then pares gains as producers extend cuts", `lang="ar" dir="rtl"`, "الناتو مستعد للمفاوضات مع روسيا",
			"Broken Gazette", "pill-failing", "<svg class=\"spark\"", "within &#43;25m", "2h ago", "Reuters", "updated 2×, last &#43;2h10m",
			`&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;`}, []string{"<script>alert"}},
		"search":      {"/?q=oil", 200, []string{"Oil rises"}, []string{"Senate passes"}},
		"search ar":   {"/?q=" + url.QueryEscape("روسيا"), 200, []string{"الناتو مستعد"}, []string{"Oil rises"}},
		"filter lang": {"/?lang=ar", 200, []string{"الناتو مستعد"}, []string{"Oil rises", "Senate passes"}},
		"filter tag":  {"/?tag=wire", 200, []string{"Senate passes", "الناتو"}, []string{"Quiet town"}},
		"story": {"/stories/4", 200, []string{"UrduPoint Arabic", "&#43;25m", "0.87", "<mark>", "compare",
			`class="story-title" lang="ar" dir="rtl"`, "representative"}, nil},
		"story copy":     {"/stories/2?copy=3", 200, []string{"Oil prices climb on supply deal", "<mark>", "% of the copy"}, nil},
		"story bad copy": {"/stories/2?copy=999", 200, []string{"Oil prices climb on supply deal", "<mark>"}, []string{"Only one article"}},
		"story rep copy": {"/stories/2?copy=2", 200, []string{"Oil prices climb on supply deal", "<mark>"}, []string{"Only one article"}},
		"hostile story":  {"/stories/6", 200, []string{"&lt;b&gt;fell&lt;/b&gt;", "Only one article"}, []string{"<b>fell", "<img"}},
		"story 404":      {"/stories/999", 404, []string{"not found"}, nil},
		"story bad id":   {"/stories/x", 400, []string{"positive integer"}, nil},
		"story timeline": {"/stories/2", 200, []string{"Timeline", "copy first seen by", `href="/articles/2?v=3#diff">revision 3</a>`,
			"updated 2×, last &#43;2h09m", `href="/articles/3">text</a>`}, nil},
		"article": {"/articles/2", 200, []string{"Version 3 against 2", "<ins>UPDATE 2: &lt;b&gt;Brent&lt;/b&gt; settled at $83.90 &amp; U.S. crude at $79.10.</ins>",
			`<p dir="auto" class="d-del"><del>Analysts said`, "updated 2×", `class="title-diff"`, "Oil rises <ins>then pares gains</ins> as producers extend <del>output</del> cuts"},
			[]string{"<b>Brent", "<ins><b>"}},
		"article v2":    {"/articles/2?v=2", 200, []string{"Version 2 against 1", "<del>2%</del> <ins>2.4%</ins>", "<ins>UPDATE 1:"}, []string{"title-diff"}},
		"article v1":    {"/articles/2?v=1", 200, []string{"Version 1", "the first version"}, []string{"<ins>", "<del>"}},
		"article ar":    {"/articles/5", 200, []string{`<div class="text" lang="ar">`, `<p dir="auto"`, "<del>(تستمر)</del>", "<ins>وأضاف أن لدى الطرفين"}, nil},
		"article once":  {"/articles/1", 200, []string{"the only version", "Senate passed"}, []string{"<ins>", "updated"}},
		"article bad v": {"/articles/2?v=4", 400, []string{"version"}, nil},
		"article 404":   {"/articles/999", 404, []string{"not found"}, nil},
		"feeds":         {"/feeds", 200, []string{"Quiet Courier", "flag-stale", "lookup broken.test", "name=\"csrf\"", "180 ms"}, nil},
		"bad limit":     {"/?limit=0", 400, []string{"limit"}, nil},
		"no page":       {"/nope", 404, []string{"page not found"}, nil},
		"static css":    {"/static/style.css", 200, []string{"--mark"}, nil},
		"static js":     {"/static/app.js", 200, []string{"use strict"}, nil},
		"healthz":       {"/healthz", 200, []string{"ok"}, nil},
	} {
		t.Run(name, func(t *testing.T) {
			r := get(t, nil, ts.URL+c.path)
			if r.status != c.status {
				t.Fatalf("GET %s = %d, want %d\n%s", c.path, r.status, c.status, r.body)
			}
			for _, w := range c.want {
				if !strings.Contains(r.body, w) {
					t.Errorf("GET %s: body lacks %q", c.path, w)
				}
			}
			for _, w := range c.not {
				if strings.Contains(r.body, w) {
					t.Errorf("GET %s: body has %q", c.path, w)
				}
			}
			if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
				t.Errorf("GET %s: CSP = %q", c.path, csp)
			}
		})
	}
}

func TestAPI(t *testing.T) {
	ts := newTestServer(t, demoStore(), "")
	type list struct {
		Items  []map[string]any `json:"items"`
		Limit  int              `json:"limit"`
		Offset int              `json:"offset"`
		Next   string           `json:"next"`
		Error  string           `json:"error"`
	}
	for name, c := range map[string]struct {
		path   string
		status int
		items  int
		next   string
	}{
		"feeds":            {"/api/feeds", 200, 7, ""},
		"feeds tag":        {"/api/feeds?tag=wire", 200, 3, ""},
		"stories":          {"/api/stories", 200, 5, ""},
		"stories page":     {"/api/stories?limit=2", 200, 2, "/api/stories?limit=2&offset=2"},
		"stories page 3":   {"/api/stories?limit=2&offset=4", 200, 1, ""},
		"stories lang":     {"/api/stories?lang=ar", 200, 1, ""},
		"stories q":        {"/api/stories?q=oil", 200, 1, ""},
		"stories since":    {"/api/stories?since=150m", 200, 3, ""},
		"stories since ts": {"/api/stories?since=2026-11-28T10:30:00Z", 200, 2, ""},
		"articles":         {"/api/articles?limit=3", 200, 3, "/api/articles?limit=3&offset=3"},
		"articles feed":    {"/api/articles?feed=4", 200, 2, ""},
		"bad since":        {"/api/stories?since=yesterday", 400, 0, ""},
		"bad offset":       {"/api/articles?offset=-1", 400, 0, ""},
		"bad limit":        {"/api/articles?limit=100000", 400, 0, ""},
		"unknown":          {"/api/nope", 404, 0, ""},
		"story 404":        {"/api/stories/999", 404, 0, ""},
		"story bad":        {"/api/stories/abc", 400, 0, ""},
		"revisions":        {"/api/articles/2/revisions", 200, 3, ""},
		"revisions once":   {"/api/articles/1/revisions", 200, 1, ""},
		"revisions 404":    {"/api/articles/999/revisions", 404, 0, ""},
		"revisions bad":    {"/api/articles/x/revisions", 400, 0, ""},
		"article 404":      {"/api/articles/999", 404, 0, ""},
	} {
		t.Run(name, func(t *testing.T) {
			r := get(t, nil, ts.URL+c.path)
			if r.status != c.status {
				t.Fatalf("GET %s = %d, want %d: %s", c.path, r.status, c.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("content type %q", ct)
			}
			var l list
			if err := json.Unmarshal([]byte(r.body), &l); err != nil {
				t.Fatalf("decode %s: %v", r.body, err)
			}
			if c.status != 200 && l.Error == "" {
				t.Errorf("error response without error field: %s", r.body)
			}
			if len(l.Items) != c.items || l.Next != c.next {
				t.Errorf("GET %s: %d items, next %q; want %d, %q", c.path, len(l.Items), l.Next, c.items, c.next)
			}
		})
	}
}

func TestAPIStoryDetail(t *testing.T) {
	ts := newTestServer(t, demoStore(), "")
	r := get(t, nil, ts.URL+"/api/stories/4")
	var st struct {
		ID      int64  `json:"id"`
		Lang    string `json:"lang"`
		Members []struct {
			Outlet      string  `json:"outlet"`
			DuplicateOf int64   `json:"duplicate_of"`
			Score       float64 `json:"score"`
			Reason      string  `json:"reason"`
		} `json:"members"`
	}
	if err := json.Unmarshal([]byte(r.body), &st); err != nil {
		t.Fatal(err)
	}
	if st.ID != 4 || st.Lang != "ar" || len(st.Members) != 2 || st.Members[1].DuplicateOf != 4 || st.Members[1].Reason != "text" {
		t.Errorf("story 4 = %+v", st)
	}
}

func TestAPIRevisions(t *testing.T) {
	ts := newTestServer(t, demoStore(), "")
	var a struct {
		Title     string    `json:"title"`
		Revisions int       `json:"revisions"`
		Updated   time.Time `json:"updated"`
		Seen      time.Time `json:"seen"`
	}
	if err := json.Unmarshal([]byte(get(t, nil, ts.URL+"/api/articles/2").body), &a); err != nil {
		t.Fatal(err)
	}
	if a.Revisions != 3 || !a.Updated.Equal(testNow.Add(-50*time.Minute)) || a.Seen.IsZero() ||
		a.Title != "Oil rises then pares gains as producers extend cuts" {
		t.Errorf("article 2 = %+v", a)
	}
	var revs struct {
		Items []struct {
			Article int64     `json:"article"`
			Rev     int       `json:"rev"`
			Seen    time.Time `json:"seen"`
			Title   string    `json:"title"`
			Text    string    `json:"text"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(get(t, nil, ts.URL+"/api/articles/2/revisions").body), &revs); err != nil {
		t.Fatal(err)
	}
	for i, r := range revs.Items {
		if r.Article != 2 || r.Rev != i+1 || (i > 0 && !r.Seen.After(revs.Items[i-1].Seen)) {
			t.Errorf("revision %d = %+v", i, r)
		}
	}
	if n := len(revs.Items); n != 3 || revs.Items[n-1].Title != a.Title || !strings.Contains(revs.Items[n-1].Text, "UPDATE 2") {
		t.Errorf("revisions = %+v", revs.Items)
	}
}
