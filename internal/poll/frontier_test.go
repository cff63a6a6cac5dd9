package poll

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/internal/loadroom"
	"github.com/wiredesk/wiredesk/news"
	"github.com/wiredesk/wiredesk/scraper"
	"github.com/wiredesk/wiredesk/store"
)

// fakeBudget is a fixed per-host budget.
type fakeBudget map[string]scraper.HostSlot

func (b fakeBudget) HostSlot(h string) scraper.HostSlot {
	if s, ok := b[h]; ok {
		return s
	}
	return scraper.HostSlot{Limit: 2}
}

// TestFrontierNext checks which feed the frontier hands out: the host
// ready first among those with a free slot and no hold; a held host's
// feeds become deferrals; with nothing ready, the wait until the first.
func TestFrontierNext(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	feed := func(id int64, host string) news.Feed {
		return news.Feed{ID: id, URL: "http://" + host + "/f", Host: host}
	}
	cases := []struct {
		name      string
		budget    fakeBudget
		queue     []news.Feed
		wantID    int64
		wantDefer bool
		wantWait  time.Duration
	}{
		{name: "ready first wins", budget: fakeBudget{
			"a": {Limit: 2, Next: now.Add(-time.Second)},
			"b": {Limit: 2, Next: now.Add(-2 * time.Second)},
		}, queue: []news.Feed{feed(1, "a"), feed(2, "b")}, wantID: 2},
		{name: "spacing not over", budget: fakeBudget{
			"a": {Limit: 2, Next: now.Add(30 * time.Millisecond)},
			"b": {Limit: 2, Next: now.Add(-time.Second)},
		}, queue: []news.Feed{feed(1, "a"), feed(2, "a"), feed(3, "b")}, wantID: 3},
		{name: "slots taken", budget: fakeBudget{
			"a": {Limit: 2, Busy: 2},
			"b": {Limit: 2, Busy: 1},
		}, queue: []news.Feed{feed(1, "a"), feed(2, "b")}, wantID: 2},
		{name: "held host defers", budget: fakeBudget{
			"a": {Limit: 2, Hold: now.Add(time.Minute), HoldCode: 429},
		}, queue: []news.Feed{feed(1, "a"), feed(2, "b")}, wantID: 1, wantDefer: true},
		{name: "nothing ready", budget: fakeBudget{
			"a": {Limit: 2, Next: now.Add(40 * time.Millisecond)},
			"b": {Limit: 2, Next: now.Add(25 * time.Millisecond)},
		}, queue: []news.Feed{feed(1, "a"), feed(2, "b")}, wantWait: 25 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fr := newFrontier(tc.budget, 64)
			for _, f := range tc.queue {
				fr.add(f)
			}
			task, _, ok, wait := fr.next(now)
			if tc.wantID == 0 {
				if ok || wait != tc.wantWait {
					t.Fatalf("next = %v, ok %v, wait %v; want nothing, wait %v", task.f.ID, ok, wait, tc.wantWait)
				}
				return
			}
			if !ok || task.f.ID != tc.wantID || task.deferTo.IsZero() == tc.wantDefer {
				t.Fatalf("next = feed %d (defer %v), ok %v; want feed %d (defer %v)", task.f.ID, task.deferTo, ok, tc.wantID, tc.wantDefer)
			}
		})
	}
}

// TestFrontierTakesTurns: after a start on a host, the frontier does not
// start there again before the spacing, even before the fetcher has seen
// the start.
func TestFrontierTakesTurns(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	b := fakeBudget{"a": {Limit: 2, Spacing: 100 * time.Millisecond}, "b": {Limit: 2, Spacing: 100 * time.Millisecond}}
	fr := newFrontier(b, 64)
	for i := range 4 {
		fr.add(news.Feed{ID: int64(i + 1), Host: []string{"a", "a", "b", "b"}[i]})
	}
	var hosts []string
	for {
		task, q, ok, _ := fr.next(now)
		if !ok {
			break
		}
		fr.taken(q, now)
		hosts = append(hosts, task.f.Host)
	}
	if len(hosts) != 2 || hosts[0] == hosts[1] {
		t.Fatalf("started %v at one instant; want one feed of each host", hosts)
	}
}

// TestGroupedPassSpreadsHosts polls a list grouped outlet by outlet and
// checks, as the servers saw it, that the hosts were polled side by side
// (each host's first request before every other host's last) while each
// kept per_host and host_delay.
func TestGroupedPassSpreadsHosts(t *testing.T) {
	const (
		feeds, hosts = 32, 4
		perHost      = 2
		delay        = 30 * time.Millisecond
	)
	room := loadroom.NewGrouped(feeds, hosts, 2)
	defer room.Close()
	_, p := roomPipeline(t, room, perHost, delay, Options{Concurrency: 16})
	sum, err := p.Pass(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Feeds != feeds || sum.Failed != 0 || sum.Hosts != hosts {
		t.Fatalf("pass: %s", sum)
	}
	st := room.Hosts()
	for i, h := range st {
		if h.MaxInflight > perHost {
			t.Errorf("host %d saw %d requests in flight, per_host is %d", i, h.MaxInflight, perHost)
		}
		// A start waits for the answer to the one before: the server
		// sees the spacing even between single requests.
		if h.MinGap < delay*95/100 {
			t.Errorf("host %d saw two starts %v apart, host_delay is %v", i, h.MinGap, delay)
		}
		for j, o := range st {
			if i != j && !h.First.Before(o.Last) {
				t.Errorf("host %d was first asked after host %d's last request: hosts polled one after another", i, j)
			}
		}
	}
}

// TestNoLeaseSurvivesPass runs passes that last longer than the feeds'
// interval, so feeds come due again within the pass, and one cut short;
// after each, no feed or host is leased.
func TestNoLeaseSurvivesPass(t *testing.T) {
	cases := []struct {
		name   string
		cancel bool
	}{{name: "whole"}, {name: "cut short", cancel: true}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			room := loadroom.NewGrouped(24, 2, 1)
			defer room.Close()
			db, path := tempStore(t, room)
			fetcher := testFetcher(t, 1, 20*time.Millisecond)
			sched := Schedule{Start: time.Millisecond, Min: time.Millisecond, Max: 2 * time.Millisecond}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			opt := Options{Concurrency: 8, Schedule: sched}
			if tc.cancel {
				opt.Progress = func(pr Progress) {
					if pr.Done >= 5 {
						cancel()
					}
				}
			}
			p := New(FromDB(db), fetcher, opt)
			for pass := range 3 {
				sum, err := p.Pass(ctx)
				if err != nil && !tc.cancel {
					t.Fatal(err)
				}
				if tc.cancel && sum.Deferred == 0 && pass == 0 {
					t.Errorf("pass cut short: %s; want the unstarted feeds deferred", sum)
				}
				if n := leased(t, path); n != 0 {
					t.Fatalf("pass %d (%s): %d leases survive it", pass, sum, n)
				}
			}
		})
	}
}

// TestRetryAfterDefers: one feed answers 429 with Retry-After. The other
// feeds of its host are deferred, not failed, their health unchanged and
// their next poll the end of the hold; the other host is polled in full;
// nothing failed. After the hold a pass polls them, as the server sees.
func TestRetryAfterDefers(t *testing.T) {
	var mu sync.Mutex
	var throttled bool
	var heldUntil time.Time
	seen := map[string]time.Time{} // first request of each path after the 429
	limited := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.URL.Path == "/f0" && !throttled {
			throttled = true
			heldUntil = time.Now().Add(time.Second)
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		if _, ok := seen[r.URL.Path]; !ok {
			seen[r.URL.Path] = time.Now()
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprintf(w, `<rss version="2.0"><channel><title>t</title><item><title>x</title><guid>%s</guid><description>words here</description></item></channel></rss>`, r.URL.Path)
	}))
	defer limited.Close()
	other := loadroom.New(4, 1, 1)
	defer other.Close()
	var urls []string
	for i := range 5 {
		urls = append(urls, fmt.Sprintf("%s/f%d", limited.URL, i))
	}
	urls = append(urls, other.FeedURLs...)
	db, _ := tempStoreURLs(t, urls)
	p := New(FromDB(db), testFetcher(t, 1, 0), Options{Concurrency: 4,
		Schedule: Schedule{Start: 30 * time.Minute, Min: 5 * time.Minute, Max: 6 * time.Hour}})
	ctx := context.Background()
	sum, err := p.Pass(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed != 0 || sum.Deferred != 5 || sum.Feeds != 4 {
		t.Fatalf("pass: %s (deferred %d), failures %+v; want the other host's 4 polled, 5 deferred, none failed", sum, sum.Deferred, sum.Failures)
	}
	fs, err := db.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		onLimited := f.Host == news.FeedHost(limited.URL)
		switch {
		case onLimited && (f.Failures != 0 || f.Status != news.StatusNew || f.DeferredUntil.IsZero() || !f.NextPoll.Equal(f.DeferredUntil)):
			t.Errorf("feed %s: status %s, %d failures, deferred until %v, next %v; want new, 0, deferred to the hold", f.URL, f.Status, f.Failures, f.DeferredUntil, f.NextPoll)
		case !onLimited && (f.Status != news.StatusOK || !f.DeferredUntil.IsZero()):
			t.Errorf("feed %s on the other host: status %s, deferred until %v", f.URL, f.Status, f.DeferredUntil)
		}
	}
	for !time.Now().After(heldUntil.Add(100 * time.Millisecond)) {
		time.Sleep(50 * time.Millisecond)
	}
	sum, err = p.Pass(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Feeds != 5 || sum.Failed != 0 || sum.Deferred != 0 {
		t.Fatalf("pass after the hold: %s (deferred %d); want the 5 held feeds polled", sum, sum.Deferred)
	}
	mu.Lock()
	defer mu.Unlock()
	for path, at := range seen {
		if at.Before(heldUntil) {
			t.Errorf("%s asked at %v, before the end of the hold %v", path, at, heldUntil)
		}
	}
}

func testFetcher(tb testing.TB, perHost int, delay time.Duration) *scraper.Fetcher {
	tb.Helper()
	if delay == 0 {
		delay = -1 // none
	}
	f, err := scraper.New(scraper.Options{UserAgent: "wiredesk-test", PerHost: perHost, HostDelay: delay,
		AllowNetworks: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	if err != nil {
		tb.Fatal(err)
	}
	return f
}

func tempStore(tb testing.TB, room *loadroom.Room) (*store.DB, string) {
	return tempStoreURLs(tb, room.FeedURLs)
}

func tempStoreURLs(tb testing.TB, urls []string) (*store.DB, string) {
	tb.Helper()
	ctx := context.Background()
	path := filepath.Join(tb.TempDir(), "w.db")
	db, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	for _, u := range urls {
		if _, err := db.UpsertFeed(ctx, news.Feed{URL: u}); err != nil {
			tb.Fatal(err)
		}
	}
	return db, path
}

// leased counts the feed and host leases held in the SQLite store at path.
func leased(tb testing.TB, path string) int {
	tb.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	var n int
	err = db.QueryRow(`SELECT (SELECT count(*) FROM feeds WHERE lease_owner IS NOT NULL)
		+ (SELECT count(*) FROM hosts WHERE owner IS NOT NULL)`).Scan(&n)
	if err != nil {
		tb.Fatal(err)
	}
	return n
}
