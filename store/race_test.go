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

// raceWorker ingests leased feeds like the pipeline: skip known items, lock
// the story's sketch keys, tail other workers' articles into its index,
// match or start a story, save.
type raceWorker struct {
	db     *DB
	mode   string // "per item", "batch" (one store-wide key, a feed per Ingest) or "merge" (no lock, insert then merge)
	name   string
	items  map[int64][]raceItem
	index  map[string]int64 // content hash → first article id
	cursor int64
}

func (w *raceWorker) run(ctx context.Context) error {
	for {
		fs, err := w.db.LeaseDueFeeds(ctx, time.Now(), w.name, time.Minute, 1)
		if err != nil {
			return err
		}
		if len(fs) == 0 {
			if w.mode == "merge" { // a last look at what the others stored
				return w.tailMerge(ctx)
			}
			return nil
		}
		for _, f := range fs {
			if err := w.ingest(ctx, f); err != nil {
				return err
			}
			f.Status, f.NextPoll = news.StatusOK, time.Now().Add(time.Hour)
			if err := w.db.SaveFeedState(ctx, f, w.name); err != nil {
				return err
			}
		}
	}
}

func (w *raceWorker) ingest(ctx context.Context, f news.Feed) error {
	switch w.mode {
	case "batch":
		return w.ingestBatch(ctx, f)
	case "merge":
		return w.ingestMerge(ctx, f)
	}
	for _, it := range w.items[f.ID] {
		known, err := w.db.KnownItems(ctx, f.ID, []ItemKey{{it.a.GUID, it.a.CanonicalURL}})
		if err != nil {
			return err
		}
		if known[0].ArticleID != 0 {
			continue
		}
		// Overlapping key sets across stories exercise lock ordering.
		keys := []uint64{uint64(it.story), uint64((it.story + 1) % raceStories)}
		err = w.db.WithStoryLock(ctx, keys, func(ctx context.Context) error {
			if err := w.tail(ctx); err != nil {
				return err
			}
			a := it.a
			as := Assignment{DuplicateOf: w.index[a.ContentHash], Score: 1, Reason: "hash"}
			err := saveArticle(ctx, w.db, &a, as)
			if errors.Is(err, ErrDuplicate) {
				return nil // another worker stored this item first
			}
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// ingestBatch stores a feed's new items in one Ingest under one
// store-wide lock key, as internal/poll does.
func (w *raceWorker) ingestBatch(ctx context.Context, f news.Feed) error {
	return w.db.WithStoryLock(ctx, []uint64{0x77697265646b}, func(ctx context.Context) error {
		if err := w.tail(ctx); err != nil {
			return err
		}
		added := map[string]int64{}
		err := w.db.Ingest(ctx, func(b *Batch) error {
			for _, it := range w.items[f.ID] {
				a := it.a
				dup := w.index[a.ContentHash]
				if dup == 0 {
					dup = added[a.ContentHash]
				}
				err := b.SaveArticle(&a, Assignment{DuplicateOf: dup, Score: 1, Reason: "hash"})
				if errors.Is(err, ErrDuplicate) {
					continue
				}
				if err != nil {
					return err
				}
				if added[a.ContentHash] == 0 {
					added[a.ContentHash] = a.ID
				}
			}
			return nil
		})
		return err // the tail picks the batch up next time
	})
}

// ingestMerge stores a feed's items in one Ingest without any lock, after
// folding in (and merging) what other workers stored.
func (w *raceWorker) ingestMerge(ctx context.Context, f news.Feed) error {
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
		return nil
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

func (w *raceWorker) tail(ctx context.Context) error {
	for {
		as, err := w.db.Tail(ctx, w.cursor, 100)
		if err != nil || len(as) == 0 {
			return err
		}
		for _, a := range as {
			if _, ok := w.index[a.ContentHash]; !ok {
				w.index[a.ContentHash] = a.ID
			}
			w.cursor = a.Pos
		}
	}
}

// TestMultiWorkerRace runs raceWorkers workers, each with its own *DB
// handle (pool), on one database, raceRounds times: every item is stored
// once and every seeded story ends as one story.
func TestMultiWorkerRace(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode: multi-worker race skipped")
	}
	for name, dsn := range backends(t) {
		t.Run(name, func(t *testing.T) {
			requireBackend(t, name)
			for _, mode := range []string{"per item", "batch", "merge"} {
				for round := range *raceRounds {
					t.Run(fmt.Sprintf("%s round %d", mode, round), func(t *testing.T) {
						raceRound(t, dsn(t), mode)
					})
				}
			}
		})
	}
}

func raceRound(t *testing.T, dsn string, mode string) {
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
		w := &raceWorker{db: openTest(t, dsn), mode: mode, name: fmt.Sprintf("w%d", i), items: items, index: map[string]int64{}}
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
