package poll

import (
	"context"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/internal/loadroom"
	"github.com/wiredesk/wiredesk/scraper"
	"github.com/wiredesk/wiredesk/store"
	"github.com/wiredesk/wiredesk/store/storetest"
)

// TestRevisions: items first published days ago, copies across feeds,
// articles that change between passes. Every change becomes a revision of
// the same article in the same story; copies of the old stories still
// fold; nothing is stored twice; an index loaded from the sketches in a
// later pass keeps folding.
func TestRevisions(t *testing.T) {
	ctx := context.Background()
	live := loadroom.NewLive(loadroom.LiveOptions{Feeds: 6, Hosts: 2, Items: 8, Backdate: 5 * 24 * time.Hour,
		ReviseShare: 0.1, Syndicate: true, Seed: 3})
	defer live.Close()
	room := &loadroom.Room{FeedURLs: live.FeedURLs}
	db, _ := roomPipeline(t, room, 2, -1, Options{})
	passes := 0
	snap := filepath.Join(t.TempDir(), "w.db.dedup")
	pass := func() Summary {
		t.Helper()
		// A new poller each pass, as each cron run is a new process, and
		// 7 hours later: every feed is due.
		at := time.Now().Add(time.Duration(passes) * 7 * time.Hour)
		passes++
		// From the second pass on, a pass loads the index from the last
		// one's snapshot (the second rebuilds it from the sketches).
		file := ""
		if passes >= 2 {
			file = snap
		}
		p := New(FromDB(db), fetcherFor(t), Options{Concurrency: 4, Articles: true, Now: func() time.Time { return at }, Snapshot: file,
			Schedule: Schedule{Start: 30 * time.Minute, Min: 5 * time.Minute, Max: 6 * time.Hour}})
		sum, err := p.Pass(ctx)
		if err != nil || sum.Failed > 0 {
			t.Fatalf("pass: %v %+v", err, sum.Failures)
		}
		return sum
	}
	if sum := pass(); sum.Articles != 48 || sum.Revisions != 0 {
		t.Fatalf("first pass: %s", sum)
	}
	for range 3 {
		live.Step()
		if sum := pass(); sum.Articles != 1 || sum.Revisions == 0 || sum.NewItems != 1 {
			t.Errorf("later pass: %+v", sum)
		}
	}
	if _, err := os.Stat(snap); err != nil {
		t.Errorf("no index snapshot: %v", err)
	}
	checkLive(t, db, live)
}

func fetcherFor(t *testing.T) *scraper.Fetcher {
	f, err := scraper.New(scraper.Options{UserAgent: "wiredesk-test", PerHost: 2, HostDelay: -1,
		AllowNetworks: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// checkLive compares the store with the newsroom: each item stored once,
// each story's items in one story, each item's current text its latest.
func checkLive(t *testing.T, db *store.DB, live *loadroom.Live) {
	t.Helper()
	byURL, _ := storetest.ArticlesByURL(t, db)
	storyOf := map[string]int64{}
	items := live.Items()
	if len(byURL) != len(items) {
		t.Errorf("%d articles stored for %d items", len(byURL), len(items))
	}
	for _, it := range items {
		a, ok := byURL[live.URL(it.Feed, it.ID)]
		if !ok {
			t.Errorf("item %s not stored", it.ID)
			continue
		}
		if s, ok := storyOf[it.Source]; ok && s != a.StoryID {
			t.Errorf("story of %s split: %s in story %d, an earlier copy in %d", it.Source, it.ID, a.StoryID, s)
		}
		storyOf[it.Source] = a.StoryID
		if n := len(it.Updates); n > 0 {
			if !strings.Contains(a.Text, it.Updates[n-1]) || a.Revisions < 2 || a.Title != it.Title {
				t.Errorf("item %s: %d revisions, title %q (want %q), text lacks %q", it.ID, a.Revisions, a.Title, it.Title, fmt.Sprint(n))
			}
		}
	}
}
