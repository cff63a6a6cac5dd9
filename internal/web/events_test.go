package web

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/wiredesk/wiredesk/news"
)

// fakeEvents is an EventSource whose events the test appends.
type fakeEvents struct {
	mu        sync.Mutex
	evs       []news.Event
	wake      chan struct{}
	connected chan struct{} // a stream started (Last was asked)
}

func newFakeEvents() *fakeEvents {
	return &fakeEvents{wake: make(chan struct{}), connected: make(chan struct{}, 100)}
}

func (f *fakeEvents) add(kind, data string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.evs = append(f.evs, news.Event{Seq: int64(len(f.evs) + 1), Kind: kind, Data: []byte(data)})
	close(f.wake)
	f.wake = make(chan struct{})
}

func (f *fakeEvents) After(_ context.Context, after int64, limit int) ([]news.Event, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []news.Event
	for _, e := range f.evs {
		if e.Seq > after && len(out) < limit {
			out = append(out, e)
		}
	}
	return out, nil
}

func (f *fakeEvents) Last(context.Context) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.connected <- struct{}{}
	return int64(len(f.evs)), nil
}

func (f *fakeEvents) Wait() <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.wake
}

// readEvents reads n events ("id kind data") from /api/events.
func readEvents(t *testing.T, url string, hdr map[string]string, n int) (int, []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || n == 0 {
		return resp.StatusCode, nil
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Errorf("Content-Type %q", ct)
	}
	var out []string
	var cur []string
	sc := bufio.NewScanner(resp.Body)
	for len(out) < n && sc.Scan() {
		line := sc.Text()
		switch {
		case line == "" && len(cur) > 0:
			out = append(out, strings.Join(cur, " "))
			cur = nil
		case strings.HasPrefix(line, "id: "), strings.HasPrefix(line, "event: "), strings.HasPrefix(line, "data: "):
			_, v, _ := strings.Cut(line, ": ")
			cur = append(cur, v)
		}
	}
	return resp.StatusCode, out
}

func TestEvents(t *testing.T) {
	ev := newFakeEvents()
	for i := range 3 {
		ev.add("article", fmt.Sprintf(`{"id":%d}`, i+1))
	}
	s := New(demoStore(), Options{Token: "tok", Events: ev, Now: func() time.Time { return testNow }})
	ts := httptest.NewServer(s)
	defer ts.Close()
	defer s.stopStreams()
	auth := map[string]string{"Authorization": "Bearer tok"}
	cases := map[string]struct {
		query  string
		hdr    map[string]string
		status int
		want   []string
		live   bool // the wanted events come after the request
	}{
		"unauthorized":        {hdr: map[string]string{}, status: 401},
		"resume after id":     {hdr: map[string]string{"Authorization": "Bearer tok", "Last-Event-ID": "1"}, status: 200, want: []string{`2 article {"id":2}`, `3 article {"id":3}`}},
		"after query":         {query: "?after=2", hdr: auth, status: 200, want: []string{`3 article {"id":3}`}},
		"bad id":              {query: "?after=x", hdr: auth, status: 400},
		"from now, then live": {hdr: auth, status: 200, want: []string{`4 story {"id":9}`}, live: true},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if c.live {
				go func() { time.Sleep(200 * time.Millisecond); ev.add("story", `{"id":9}`) }()
			}
			status, got := readEvents(t, ts.URL+"/api/events"+c.query, c.hdr, len(c.want))
			if status != c.status || strings.Join(got, "|") != strings.Join(c.want, "|") {
				t.Errorf("status %d events %q; want %d %q", status, got, c.status, c.want)
			}
		})
	}
}

// TestBrowserLive checks that the story list follows /api/events: a
// changed story moves to the top with its new count, a new one appears.
func TestBrowserLive(t *testing.T) {
	ctx := browser(t)
	ev := newFakeEvents()
	s := New(demoStore(), Options{Events: ev, Now: func() time.Time { return testNow }})
	ts := httptest.NewServer(s)
	defer ts.Close()
	defer s.stopStreams() // else Close waits for the browser's stream
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS(".story-list"))); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ev.connected:
	case <-time.After(10 * time.Second):
		t.Fatal("the page opened no event stream within 10s")
	}
	ev.add("story", `{"id":2,"title":"Changed","outlets":["a","b","c"],"articles":7}`)
	ev.add("story", `{"id":999,"title":"Brand <b>new</b>","lang":"en","outlets":["x"],"articles":1,"first_outlet":"x"}`)
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`tr.story-row[data-id="999"]`))); err != nil {
		t.Fatal(err)
	}
	first := eval[string](t, ctx, `document.querySelector("tr.story-row").dataset.id`)
	title := eval[string](t, ctx, `document.querySelector('tr.story-row[data-id="999"] td.title a').textContent`)
	count := eval[string](t, ctx, `document.querySelector('tr.story-row[data-id="2"] .count').textContent`)
	if first != "999" || title != "Brand <b>new</b>" || count != "7" {
		t.Errorf("live list: first row %s, new title %q, story 2 count %s; want 999, the title as text, 7", first, title, count)
	}
}
