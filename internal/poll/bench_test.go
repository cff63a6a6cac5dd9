package poll

import (
	"context"
	"net/netip"
	"path/filepath"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/internal/loadroom"
	"github.com/wiredesk/wiredesk/internal/news"
	"github.com/wiredesk/wiredesk/scraper"
	"github.com/wiredesk/wiredesk/store"
)

// BenchmarkPass is one in-process pass over 300 feeds × 20 items without
// article pages, for profiling the pipeline (-cpuprofile). The end-to-end
// figures come from BenchmarkPollPass in cmd/wiredesk.
func BenchmarkPass(b *testing.B) {
	const feeds = 300
	room := loadroom.New(feeds, feeds/20, 20)
	defer room.Close()
	ctx := context.Background()
	b.StopTimer()
	for range b.N {
		db, err := store.Open(ctx, "sqlite:"+filepath.Join(b.TempDir(), "w.db"))
		if err != nil {
			b.Fatal(err)
		}
		for _, u := range room.FeedURLs {
			if _, err := db.UpsertFeed(ctx, news.Feed{URL: u}); err != nil {
				b.Fatal(err)
			}
		}
		fetcher, err := scraper.New(scraper.Options{UserAgent: "bench", PerHost: 2, HostDelay: time.Millisecond,
			AllowNetworks: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
		if err != nil {
			b.Fatal(err)
		}
		p := New(db, fetcher, Options{Concurrency: 64,
			Schedule: Schedule{Start: 30 * time.Minute, Min: 5 * time.Minute, Max: 6 * time.Hour}})
		b.StartTimer()
		sum, err := p.Pass(ctx)
		if err != nil || sum.Articles != feeds*20 {
			b.Fatalf("pass: %v %s", err, sum)
		}
		b.StopTimer()
		db.Close()
	}
}
