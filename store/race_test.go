package store

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

var raceRounds = flag.Int("race-rounds", 20, "rounds of TestMultiWorkerRace per backend")

// Seeded newsroom for the race: each of raceFeeds outlets carries a copy of
// every one of raceStories wire stories. Outlet 0 is the wire itself and
// every other outlet also republishes the wire's own link, so the same
// canonical URL arrives through several feeds.
const (
	raceFeeds   = 6
	raceStories = 8
	raceWorkers = 4
)

// raceItem is one seeded feed item.
type raceItem struct {
	story int
	a     news.Article
}

func raceItems(feedIDs []int64) map[int64][]raceItem {
	items := map[int64][]raceItem{}
	for f, id := range feedIDs {
		for s := range raceStories {
			outlet := fmt.Sprintf("outlet%d.example", f)
			a := news.Article{
				FeedID: id, Outlet: outlet, GUID: fmt.Sprintf("s%d", s),
				URL: fmt.Sprintf("https://%s/story/%d", outlet, s), Title: fmt.Sprintf("Story %d (%s)", s, outlet),
				Text: fmt.Sprintf("wire text of story %d", s), Lang: "en", ContentHash: strconv.Itoa(s),
				Published: t0.Add(time.Duration(f*raceStories+s) * time.Second), Fetched: t0.Add(time.Hour),
			}
			a.CanonicalURL = a.URL
			items[id] = append(items[id], raceItem{s, a})
			if f > 0 && s%2 == 0 { // republished wire link
				w := a
				w.GUID, w.Outlet = "wire-"+a.GUID, "outlet0.example"
				w.URL = fmt.Sprintf("https://outlet0.example/story/%d", s)
				w.CanonicalURL = w.URL
				items[id] = append(items[id], raceItem{s, w})
			}
		}
	}
	return items
}

// raceWorker polls like the pipeline: it leases feeds host by host through
// LeaseFrontier, and for each feed folds in what the other workers stored
// (merging a story they split), then stores the feed's items and state in
// one Ingest without any store-wide lock (insert-then-merge). Hosts with
// nothing left are handed over; at the end it releases its hosts and
// leases and folds in the others' last articles, as a pass ends.
type raceWorker struct {
	db     *DB
	name   string
	items  map[int64][]raceItem
	index  map[string]int64 // content hash → first article id
	cursor int64
}

// raceContended bounds how long a worker retries rounds that found every
// free host being claimed by others before it ends its pass (the poller
// waits as long as its presence).
const raceContended = 10 * time.Second

func (w *raceWorker) run(ctx context.Context) error {
	var waiting time.Time
	for {
		l, err := w.db.LeaseFrontier(ctx, LeaseSpec{Now: time.Now(), Owner: w.name, Lease: time.Minute,
			Limit: 2, PerHost: 1, NewHosts: 1, Idle: true})
		if err != nil {
			return err
		}
		got := map[string]bool{}
		for _, f := range l.Feeds {
			got[f.Host] = true
			if err := w.ingest(ctx, f); err != nil {
				return err
			}
		}
		for _, h := range l.Hosts {
			if !got[h.Host] { // done with it: a worker short of hosts may take it
				if err := w.db.HandOver(ctx, w.name, h, nil); err != nil {
					return err
				}
			}
		}
		if len(l.Feeds) > 0 {
			waiting = time.Time{}
			continue
		}
		if !l.Contended {
			break
		}
		if waiting.IsZero() {
			waiting = time.Now()
		} else if time.Since(waiting) > raceContended {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := w.db.ReleaseHosts(ctx, w.name, nil); err != nil {
		return err
	}
	if n, err := w.db.ReleaseLeases(ctx, w.name); err != nil || n != 0 {
		return fmt.Errorf("%s: %d leases left at the end, %v", w.name, n, err)
	}
	return w.tailMerge(ctx) // a last look at what the others stored
}

// ingest stores f's items and state in one Ingest without any lock, after
// folding in (and merging) what other workers stored.
func (w *raceWorker) ingest(ctx context.Context, f news.Feed) error {
	if err := w.tailMerge(ctx); err != nil {
		return err
	}
	return w.db.Ingest(ctx, func(b *Batch) error {
		added := map[string]int64{}
		for _, it := range w.items[f.ID] {
			a := it.a
			err := b.SaveArticle(&a, Assignment{DuplicateOf: cmp.Or(w.index[a.ContentHash], added[a.ContentHash]), Score: 1})
			if errors.Is(err, ErrDuplicate) {
				continue
			}
			if err != nil {
				return err
			}
			added[a.ContentHash] = cmp.Or(added[a.ContentHash], a.ID)
		}
		f.Status, f.NextPoll = news.StatusOK, time.Now().Add(time.Hour)
		return b.SaveFeedState(f, w.name)
	})
}

// tailMerge reads articles stored since the cursor and merges each into
// the story of the first article of its text this worker has seen.
func (w *raceWorker) tailMerge(ctx context.Context) error {
	for {
		as, err := w.db.Tail(ctx, w.cursor, 100)
		if err != nil || len(as) == 0 {
			return err
		}
		for _, a := range as {
			w.cursor = a.Pos
			first, ok := w.index[a.ContentHash]
			if !ok {
				w.index[a.ContentHash] = a.ID
				continue
			}
			if _, err := w.db.MergeStoriesOf(ctx, first, a.ID, 1, "merge"); err != nil {
				return err
			}
		}
	}
}

// TestMultiWorkerRace runs raceWorkers workers, each with its own *DB
// handle (pool), on one database, raceRounds times: every feed is polled,
// every item is stored once and every seeded story ends as one story.
func TestMultiWorkerRace(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode: multi-worker race skipped")
	}
	for name, dsn := range backends(t) {
		t.Run(name, func(t *testing.T) {
			requireBackend(t, name)
			for round := range *raceRounds {
				t.Run(fmt.Sprintf("round %d", round), func(t *testing.T) {
					raceRound(t, dsn(t))
				})
			}
		})
	}
}

func raceRound(t *testing.T, dsn string) {
	ctx := context.Background()
	setup := openTest(t, dsn)
	var feedIDs []int64
	for f := range raceFeeds {
		feedIDs = append(feedIDs, addFeed(t, setup, fmt.Sprintf("https://outlet%d.example/rss", f), "F"))
	}
	items := raceItems(feedIDs)
	var wg sync.WaitGroup
	errs := make(chan error, raceWorkers)
	start := make(chan struct{})
	for i := range raceWorkers {
		w := &raceWorker{db: openTest(t, dsn), name: fmt.Sprintf("w%d", i), items: items, index: map[string]int64{}}
		wg.Go(func() {
			<-start
			errs <- w.run(ctx)
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	checkRace(t, setup, items)
}

func checkRace(t *testing.T, db *DB, items map[int64][]raceItem) {
	t.Helper()
	urls := map[string]bool{}
	for _, its := range items {
		for _, it := range its {
			urls[it.a.CanonicalURL] = true
		}
	}
	fs, err := db.Feeds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Status != news.StatusOK || !f.NextPoll.After(time.Now()) {
			t.Errorf("feed %s not polled: status %q, next poll %v", f.URL, f.Status, f.NextPoll)
		}
	}
	c, err := db.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if c.Articles != int64(len(urls)) {
		t.Errorf("duplicate items: %d articles stored for %d distinct items", c.Articles, len(urls))
	}
	if c.Stories != raceStories {
		t.Errorf("split stories: %d stories for %d seeded", c.Stories, raceStories)
	}
	storyOf := map[string]int64{}
	err = db.WalkArticles(context.Background(), time.Time{}, func(a news.Article) error {
		if s, ok := storyOf[a.ContentHash]; ok && s != a.StoryID {
			t.Errorf("seed story %s split across stories %d and %d", a.ContentHash, s, a.StoryID)
		}
		storyOf[a.ContentHash] = a.StoryID
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	assertConsistent(t, db)
}
