package poll

import (
	"context"
	"fmt"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/internal/loadroom"
	"github.com/wiredesk/wiredesk/news"
	"github.com/wiredesk/wiredesk/scraper"
	"github.com/wiredesk/wiredesk/store"
	"github.com/wiredesk/wiredesk/store/storetest"
)

// TestWorkersShareOneStore runs three pollers, each with its own store
// handle, on one PostgreSQL database at once, over feeds where every odd
// feed republishes the even one's items; 20 rounds on fresh schemas. No
// item may be stored twice and no syndicated pair split across stories.
func TestWorkersShareOneStore(t *testing.T) {
	rounds := 20
	if testing.Short() {
		rounds = 3
	}
	const feeds, items, workers = 24, 4, 3
	room := loadroom.New(feeds, 6, items)
	room.Syndicate = true
	defer room.Close()
	for r := range rounds {
		t.Run(fmt.Sprint("round", r), func(t *testing.T) {
			dsn := storetest.PostgresDSN(t)
			seed := openStore(t, dsn)
			for _, u := range room.FeedURLs {
				if _, err := seed.UpsertFeed(context.Background(), news.Feed{URL: u}); err != nil {
					t.Fatal(err)
				}
			}
			runWorkers(t, dsn, workers)
			checkShared(t, seed, room, feeds, items)
		})
	}
}

func openStore(t *testing.T, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func runWorkers(t *testing.T, dsn string, workers int) {
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		db := openStore(t, dsn)
		f, err := scraper.New(scraper.Options{UserAgent: "wiredesk-test", PerHost: 4, HostDelay: time.Millisecond,
			AllowNetworks: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
		if err != nil {
			t.Fatal(err)
		}
		p := New(FromDB(db), f, Options{Owner: fmt.Sprint("worker-", w), Concurrency: 4, Articles: true,
			Schedule: Schedule{Start: 30 * time.Minute, Min: 5 * time.Minute, Max: 6 * time.Hour}})
		wg.Go(func() {
			_, errs[w] = p.Pass(context.Background())
		})
	}
	wg.Wait()
	for w, err := range errs {
		if err != nil {
			t.Errorf("worker %d: %v", w, err)
		}
	}
}

func checkShared(t *testing.T, db *store.DB, room *loadroom.Room, feeds, items int) {
	byURL, n := storetest.ArticlesByURL(t, db)
	if n != feeds*items {
		t.Errorf("%d articles stored, want %d", n, feeds*items)
	}
	split := 0
	for f := 1; f < feeds; f += 2 {
		for i := range items {
			cp := byURL[articleURL(room, f, i)]
			src := byURL[articleURL(room, f-1, i)]
			if cp.StoryID == 0 || cp.StoryID != src.StoryID {
				split++
			}
		}
	}
	if split != 0 {
		t.Errorf("%d syndicated pairs split across stories", split)
	}
	ss, err := db.Stories(context.Background(), news.StoryQuery{Limit: 10 * feeds * items})
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != feeds*items/2 {
		t.Errorf("%d stories, want %d", len(ss), feeds*items/2)
	}
}

// articleURL is the item link of item i of feed f (see loadroom).
func articleURL(room *loadroom.Room, f, i int) string {
	u := room.FeedURLs[f]
	host := u[:len(u)-len(fmt.Sprintf("/feed/%d.xml", f))]
	return fmt.Sprintf("%s/article/%d/%d", host, f, i)
}
