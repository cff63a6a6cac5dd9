package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/wiredesk/wiredesk/news"
	"github.com/wiredesk/wiredesk/store"
)

// sqliteStore opens a fresh SQLite store in t.TempDir() seeded with the
// demo newsroom through Ingest, one article a batch.
func sqliteStore(t testing.TB) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	fill(func(f news.Feed) int64 {
		id, err := db.UpsertFeed(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		f.ID = id
		if err := db.SaveFeedState(ctx, f, ""); err != nil {
			t.Fatal(err)
		}
		return id
	}, func(a news.Article) news.Article {
		a.GUID, a.CanonicalURL = a.URL, a.URL
		as := store.Assignment{DuplicateOf: a.DuplicateOf, Score: a.Score, Reason: a.Reason, Origin: a.Origin}
		if err := db.Ingest(ctx, func(b *store.Batch) error { return b.SaveArticle(&a, as) }); err != nil {
			t.Fatal(err)
		}
		return a
	})
	return db
}

func newSQLiteServer(t *testing.T) (*httptest.Server, *store.DB) {
	db := sqliteStore(t)
	s := New(db, Options{Now: func() time.Time { return testNow },
		IsNotFound: func(err error) bool { return errors.Is(err, store.ErrNotFound) }})
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts, db
}

func TestSQLitePages(t *testing.T) {
	ts, db := newSQLiteServer(t)
	ar, err := db.Stories(t.Context(), news.StoryQuery{Lang: "ar"})
	if err != nil || len(ar) != 1 {
		t.Fatalf("arabic stories = %v, %v", ar, err)
	}
	arPath := "/stories/" + strconv.FormatInt(ar[0].ID, 10)
	for name, c := range map[string]struct {
		path   string
		status int
		want   []string
	}{
		"index":       {"/", 200, []string{"Oil rises as producers extend output cuts", `lang="ar" dir="rtl"`, "pill-failing", "within &#43;25m"}},
		"search ar":   {"/?q=" + url.QueryEscape("روسيا"), 200, []string{"الناتو مستعد"}},
		"tag":         {"/?tag=wire", 200, []string{"Senate passes"}},
		"story":       {arPath, 200, []string{"UrduPoint Arabic", "<mark>", `class="story-title" lang="ar" dir="rtl"`, "0.87"}},
		"story 404":   {"/stories/99999", 404, []string{"not found"}},
		"article":     {"/articles/1", 200, []string{"the only version", "Senate passed", "first seen"}},
		"article 404": {"/articles/99999", 404, []string{"not found"}},
		"feeds":       {"/feeds", 200, []string{"Quiet Courier", "lookup broken.test"}},
	} {
		t.Run(name, func(t *testing.T) {
			r := get(t, nil, ts.URL+c.path)
			if r.status != c.status {
				t.Fatalf("GET %s = %d, want %d: %s", c.path, r.status, c.status, r.body)
			}
			for _, w := range c.want {
				if !strings.Contains(r.body, w) {
					t.Errorf("GET %s: body lacks %q", c.path, w)
				}
			}
		})
	}
}

func TestSQLiteAPI(t *testing.T) {
	ts, _ := newSQLiteServer(t)
	for name, c := range map[string]struct {
		path   string
		status int
		items  int
	}{
		"stories":       {"/api/stories", 200, 5},
		"stories page":  {"/api/stories?limit=2&offset=4", 200, 1},
		"stories lang":  {"/api/stories?lang=ar", 200, 1},
		"stories tag":   {"/api/stories?tag=wire", 200, 3},
		"stories q":     {"/api/stories?q=" + url.QueryEscape("المفاوضات"), 200, 1},
		"articles":      {"/api/articles", 200, 7},
		"articles tag":  {"/api/articles?tag=ar", 200, 2},
		"feeds":         {"/api/feeds", 200, 7},
		"story 404":     {"/api/stories/99999", 404, 0},
		"article 404":   {"/api/articles/99999", 404, 0},
		"revisions":     {"/api/articles/1/revisions", 200, 1},
		"revisions 404": {"/api/articles/99999/revisions", 404, 0},
	} {
		t.Run(name, func(t *testing.T) {
			r := get(t, nil, ts.URL+c.path)
			if r.status != c.status {
				t.Fatalf("GET %s = %d, want %d: %s", c.path, r.status, c.status, r.body)
			}
			var l struct {
				Items []json.RawMessage `json:"items"`
			}
			if err := json.Unmarshal([]byte(r.body), &l); err != nil {
				t.Fatal(err)
			}
			if len(l.Items) != c.items {
				t.Errorf("GET %s: %d items, want %d", c.path, len(l.Items), c.items)
			}
		})
	}
	t.Run("feed.atom", func(t *testing.T) {
		r := get(t, nil, ts.URL+"/feed.atom")
		f, err := gofeed.NewParser().ParseString(r.body)
		if err != nil || len(f.Items) != 5 {
			t.Fatalf("atom: %v, %d items", err, len(f.Items))
		}
	})
}

func TestSQLiteFeedForms(t *testing.T) {
	ts, db := newSQLiteServer(t)
	c := jarClient(t) // an open server still ties CSRF tokens to a session cookie
	csrf := csrfFrom(t, get(t, c, ts.URL+"/feeds").body)
	r := postForm(t, c, ts.URL+"/feeds", url.Values{"url": {"https://new.example/rss"}, "tags": {"x"}, "csrf": {csrf}})
	if r.status != 303 {
		t.Fatalf("add feed = %d: %s", r.status, r.body)
	}
	feeds, err := db.Feeds(t.Context())
	if err != nil || len(feeds) != 8 {
		t.Fatalf("after add: %d feeds, %v", len(feeds), err)
	}
	last := feeds[len(feeds)-1]
	path := "/feeds/" + strconv.FormatInt(last.ID, 10) + "/delete"
	if r := postForm(t, c, ts.URL+path, url.Values{"csrf": {csrf}}); r.status != 303 {
		t.Fatalf("remove = %d", r.status)
	}
	if r := postForm(t, c, ts.URL+path, url.Values{"csrf": {csrf}}); r.status != 404 {
		t.Errorf("remove again = %d, want 404", r.status)
	}
}

// TestSQLiteRevisions revises an article through the store's write path
// and reads it back through the pages and the API.
func TestSQLiteRevisions(t *testing.T) {
	ts, db := newSQLiteServer(t)
	ctx := t.Context()
	ar, err := db.Stories(ctx, news.StoryQuery{Lang: "ar"})
	if err != nil || len(ar) != 1 {
		t.Fatalf("arabic stories = %v, %v", ar, err)
	}
	st, err := db.Story(ctx, ar[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	cp := st.Members[len(st.Members)-1] // the UrduPoint copy, which gets its continuation
	text := strings.Replace(cp.Text, "(تستمر)", "وأضاف أن لدى الطرفين تاريخا طويلا في مراقبة التسلح.", 1)
	if err := db.Ingest(ctx, func(b *store.Batch) error {
		_, _, err := b.ReviseArticle(store.Revise{ArticleID: cp.ID, Title: cp.Title, Text: text, ContentHash: "h2",
			Seen: testNow.Add(-30 * time.Minute)}, func(news.Article) (float64, string, bool) { return 0, "", false })
		return err
	}); err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(cp.ID, 10)
	for path, want := range map[string][]string{
		"/articles/" + id:                          {"Version 2 against 1", "<del>(تستمر)</del>", "<ins>وأضاف أن لدى الطرفين", "updated 1×"},
		"/stories/" + strconv.FormatInt(st.ID, 10): {`revision 2</a> of article ` + id, "updated 1×, last"},
		"/?lang=ar":                                {"updated 1×, last"},
	} {
		r := get(t, nil, ts.URL+path)
		for _, w := range want {
			if r.status != 200 || !strings.Contains(r.body, w) {
				t.Errorf("GET %s = %d, body lacks %q", path, r.status, w)
			}
		}
	}
	var revs struct {
		Items []news.Revision `json:"items"`
	}
	if err := json.Unmarshal([]byte(get(t, nil, ts.URL+"/api/articles/"+id+"/revisions").body), &revs); err != nil {
		t.Fatal(err)
	}
	if len(revs.Items) != 2 || revs.Items[0].Text != cp.Text || revs.Items[1].Text != text ||
		!revs.Items[1].Seen.Equal(testNow.Add(-30*time.Minute)) {
		t.Errorf("revisions = %+v", revs.Items)
	}
}

// TestStoreSessions: with a token and a store that keeps sessions, two
// servers on one store (two serve instances, or one restarted) share
// them: a login on one opens the other, logout on either ends the session
// on both (the old cookie gets 401), and an expired session is refused.
func TestStoreSessions(t *testing.T) {
	db := sqliteStore(t)
	now := testNow
	clock := func() time.Time { return now }
	opt := Options{Token: testToken, Now: clock, IsNotFound: func(err error) bool { return errors.Is(err, store.ErrNotFound) }}
	a, b := httptest.NewServer(New(db, opt)), httptest.NewServer(New(db, opt))
	t.Cleanup(a.Close)
	t.Cleanup(b.Close)
	cookieOf := func(c *http.Client, base string) []string {
		t.Helper()
		u, _ := url.Parse(base)
		for _, ck := range c.Jar.Cookies(u) {
			if ck.Name == sessionCookie {
				return []string{"Cookie", sessionCookie + "=" + ck.Value}
			}
		}
		t.Fatal("no session cookie")
		return nil
	}
	c := login(t, a.URL)
	ck := cookieOf(c, a.URL)
	if r := get(t, nil, b.URL+"/api/stories", ck...); r.status != 200 {
		t.Fatalf("the other instance refuses the session: %d", r.status)
	}
	page := get(t, nil, b.URL+"/", ck...) // its CSRF token, from the other instance
	if r := postForm(t, nil, a.URL+"/logout", url.Values{"csrf": {csrfFrom(t, page.body)}}, ck...); r.status != http.StatusSeeOther {
		t.Fatalf("logout with the other instance's form = %d", r.status)
	}
	for _, base := range []string{a.URL, b.URL} {
		if r := get(t, nil, base+"/api/stories", ck...); r.status != http.StatusUnauthorized {
			t.Errorf("after logout: old cookie on %s = %d, want 401", base, r.status)
		}
	}
	c = login(t, b.URL)
	ck = cookieOf(c, b.URL)
	now = now.Add(sessionIdle + time.Minute)
	if r := get(t, nil, a.URL+"/api/stories", ck...); r.status != http.StatusUnauthorized {
		t.Errorf("a session unused for %v: %d, want 401", sessionIdle, r.status)
	}
}

// serve hands the store to the server: it must keep sessions.
var _ SessionStore = (*store.DB)(nil)

// serve hands the store to the server: it must share the login budget.
var _ LoginLimiter = (*store.DB)(nil)

// TestStoreLoginThrottle: two servers on one store (two serve instances)
// spend one login budget per client address: a guesser that has used its
// burst on one is refused by the other, and the operator, from another
// address, still logs in.
func TestStoreLoginThrottle(t *testing.T) {
	db := sqliteStore(t)
	opt := Options{Token: testToken, IsNotFound: func(err error) bool { return errors.Is(err, store.ErrNotFound) }}
	a, b := httptest.NewServer(New(db, opt)), httptest.NewServer(New(db, opt))
	t.Cleanup(a.Close)
	t.Cleanup(b.Close)
	guess := url.Values{"token": {"guess"}}
	wrong := 0
	for i := range loginBurst {
		base := a.URL
		if i%2 == 1 {
			base = b.URL
		}
		if postForm(t, nil, base+"/login", guess).status == http.StatusUnauthorized {
			wrong++
		}
	}
	if wrong != loginBurst {
		t.Fatalf("%d of the first %d guesses answered 401", wrong, loginBurst)
	}
	// Each process alone would allow this one (it saw half the burst).
	statuses := map[int]int{}
	for _, base := range []string{a.URL, b.URL} {
		statuses[postForm(t, nil, base+"/login", guess).status]++
	}
	// A slow machine may earn one more try (one a second).
	if statuses[http.StatusTooManyRequests] < 1 {
		t.Errorf("guesses past the shared burst: %v; want 429 from the other instance", statuses)
	}
	if c := fromAddr(t, "127.0.0.9"); postForm(t, c, b.URL+"/login", url.Values{"token": {testToken}}).status != http.StatusSeeOther {
		t.Error("the operator from another address was refused")
	}
}
