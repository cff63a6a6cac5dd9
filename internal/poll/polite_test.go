package poll

import (
	"context"
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/internal/loadroom"
	"github.com/wiredesk/wiredesk/news"
	"github.com/wiredesk/wiredesk/scraper"
	"github.com/wiredesk/wiredesk/store"
)

// TestPassIsPolite polls feeds with article pages spread over a few hosts
// and checks, on the server side, that no host ever saw more than per_host
// requests at once and that request starts kept the spacing.
func TestPassIsPolite(t *testing.T) {
	const (
		feeds, hosts, items = 60, 6, 3
		perHost             = 2
		delay               = 20 * time.Millisecond
	)
	ctx := context.Background()
	room := loadroom.New(feeds, hosts, items)
	defer room.Close()
	_, p := roomPipeline(t, room, perHost, delay, Options{Concurrency: 32, Articles: true, Robots: true})
	sum, err := p.Pass(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed != 0 || sum.Articles != feeds*items {
		t.Fatalf("pass: %s; failures %+v", sum, sum.Failures)
	}
	if m := room.MaxInflight(); m > perHost {
		t.Errorf("a host saw %d requests in flight, per_host is %d", m, perHost)
	}
	// The client spaces request starts by delay; on the server's side one
	// gap can shrink when a new connection delays a request, so the rate
	// is what is checked.
	if gap := room.MeanSpacing(); gap < delay*9/10 {
		t.Errorf("a host saw requests every %v on average, host_delay is %v", gap, delay)
	}
	// feeds + articles + one robots.txt per host
	if want := int64(feeds + feeds*items + hosts); room.Requests.Load() != want {
		t.Errorf("server saw %d requests, want %d", room.Requests.Load(), want)
	}
}

// roomPipeline is a poller over a fresh SQLite store holding the room's
// feeds, with a fetcher allowed on loopback only. opt gets the default
// schedule. The store closes with tb.
func roomPipeline(tb testing.TB, room *loadroom.Room, perHost int, delay time.Duration, opt Options) (*store.DB, *Poller) {
	tb.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(tb.TempDir(), "w.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	for _, u := range room.FeedURLs {
		if _, err := db.UpsertFeed(ctx, news.Feed{URL: u}); err != nil {
			tb.Fatal(err)
		}
	}
	fetcher, err := scraper.New(scraper.Options{UserAgent: "wiredesk-test", PerHost: perHost, HostDelay: delay,
		AllowNetworks: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	if err != nil {
		tb.Fatal(err)
	}
	opt.Schedule = Schedule{Start: 30 * time.Minute, Min: 5 * time.Minute, Max: 6 * time.Hour}
	return db, New(FromDB(db), fetcher, opt)
}
