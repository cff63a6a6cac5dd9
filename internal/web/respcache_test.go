package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// countingStore counts Stories calls and makes each one slow.
type countingStore struct {
	*fakeStore
	calls atomic.Int64
}

func (c *countingStore) Stories(ctx context.Context, q news.StoryQuery) ([]news.Story, error) {
	c.calls.Add(1)
	time.Sleep(20 * time.Millisecond)
	return c.fakeStore.Stories(ctx, q)
}

func TestRespCache(t *testing.T) {
	st := &countingStore{fakeStore: demoStore()}
	ts := httptest.NewServer(New(st, Options{CacheTTL: time.Minute, Now: func() time.Time { return testNow }}))
	defer ts.Close()
	t.Run("single flight", func(t *testing.T) {
		var wg sync.WaitGroup
		for range 20 {
			wg.Go(func() {
				if r := get(t, nil, ts.URL+"/api/stories?lang=en"); r.status != 200 {
					t.Errorf("status %d", r.status)
				}
			})
		}
		wg.Wait()
		if n := st.calls.Load(); n != 1 {
			t.Errorf("20 concurrent identical requests made %d store calls, want 1", n)
		}
	})
	t.Run("hit", func(t *testing.T) {
		r := get(t, nil, ts.URL+"/api/stories?lang=en")
		if r.header.Get("X-Cache") != "hit" || r.header.Get("Content-Type") != "application/json; charset=utf-8" {
			t.Errorf("second request: X-Cache %q, Content-Type %q", r.header.Get("X-Cache"), r.header.Get("Content-Type"))
		}
	})
	t.Run("content length", func(t *testing.T) {
		for _, want := range []string{"", "hit"} { // computed, then from the cache
			r := get(t, nil, ts.URL+"/api/stories?tag=wire")
			if r.header.Get("X-Cache") != want || r.header.Get("Content-Length") != strconv.Itoa(len(r.body)) {
				t.Errorf("X-Cache %q: Content-Length %q for %d bytes", r.header.Get("X-Cache"), r.header.Get("Content-Length"), len(r.body))
			}
		}
	})
	t.Run("head not cached", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodHead, ts.URL+"/api/stories?lang=ar", nil)
		do(t, nil, req)
		r := get(t, nil, ts.URL+"/api/stories?lang=ar")
		var l struct{ Items []json.RawMessage }
		if err := json.Unmarshal([]byte(r.body), &l); err != nil || len(l.Items) != 1 {
			t.Errorf("GET after HEAD: %v, %s", err, r.body)
		}
	})
	t.Run("errors not cached", func(t *testing.T) {
		get(t, nil, ts.URL+"/api/stories/999")
		if r := get(t, nil, ts.URL+"/api/stories/999"); r.header.Get("X-Cache") != "" {
			t.Error("404 served from the cache")
		}
	})
	t.Run("cleared by feed edits", func(t *testing.T) {
		get(t, nil, ts.URL+"/api/feeds")
		c := jarClient(t)
		csrf := csrfFrom(t, get(t, c, ts.URL+"/feeds").body)
		postForm(t, c, ts.URL+"/feeds", url.Values{"url": {"https://added.example/rss"}, "csrf": {csrf}})
		r := get(t, nil, ts.URL+"/api/feeds")
		var l struct{ Items []json.RawMessage }
		if err := json.Unmarshal([]byte(r.body), &l); err != nil || len(l.Items) != 8 || r.header.Get("X-Cache") != "" {
			t.Errorf("after adding a feed: %d feeds, X-Cache %q", len(l.Items), r.header.Get("X-Cache"))
		}
	})
}
