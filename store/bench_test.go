package store

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// benchBackends runs fn on a fresh store of each backend.
func benchBackends(b *testing.B, fn func(b *testing.B, db *DB)) {
	for name, dsn := range backends(b) {
		b.Run(name, func(b *testing.B) {
			requireBackend(b, name)
			fn(b, openTest(b, dsn(b)))
		})
	}
}

// BenchmarkSaveArticle saves articles one by one, each in a batch of one
// (Ingest); every fifth starts a story, the others join the previous story.
func BenchmarkSaveArticle(b *testing.B) {
	benchBackends(b, func(b *testing.B, db *DB) {
		ctx := context.Background()
		feed, err := db.UpsertFeed(ctx, news.Feed{URL: "https://bench.example/rss"})
		if err != nil {
			b.Fatal(err)
		}
		var prev int64
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			a := art(feed, "bench.example", fmt.Sprint(i), i, "Title", "some text of the article")
			as := Assignment{DuplicateOf: prev, Score: 0.9, Reason: "bench"}
			if i%5 == 0 {
				as = Assignment{}
			}
			if err := saveArticle(ctx, db, a, as); err != nil {
				b.Fatal(err)
			}
			prev = a.ID
		}
	})
}

// BenchmarkSaveArticleParallel saves new stories from GOMAXPROCS*4
// goroutines on one handle.
func BenchmarkSaveArticleParallel(b *testing.B) {
	benchBackends(b, func(b *testing.B, db *DB) {
		ctx := context.Background()
		feed, err := db.UpsertFeed(ctx, news.Feed{URL: "https://bench.example/rss"})
		if err != nil {
			b.Fatal(err)
		}
		var n atomic.Int64
		b.SetParallelism(4)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				i := n.Add(1)
				a := art(feed, "bench.example", fmt.Sprint(i), int(i), "Title", "text")
				if err := saveArticle(ctx, db, a, Assignment{}); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkStories lists the newest 50 stories and searches, over 2000
// articles in 500 stories.
func BenchmarkStories(b *testing.B) {
	benchBackends(b, func(b *testing.B, db *DB) {
		ctx := context.Background()
		feed, err := db.UpsertFeed(ctx, news.Feed{URL: "https://bench.example/rss", Tags: []string{"wire"}})
		if err != nil {
			b.Fatal(err)
		}
		var prev int64
		for i := range 2000 {
			a := art(feed, "bench.example", fmt.Sprint(i), i, fmt.Sprintf("Title %d", i), "text of the article, quite plain")
			as := Assignment{DuplicateOf: prev}
			if i%4 == 0 {
				as = Assignment{}
			}
			if err := saveArticle(ctx, db, a, as); err != nil {
				b.Fatal(err)
			}
			prev = a.ID
		}
		// Planner statistics, as autovacuum (PostgreSQL) would have them.
		if _, err := db.w.ExecContext(ctx, `ANALYZE`); err != nil {
			b.Fatal(err)
		}
		for _, q := range []struct {
			name string
			q    news.StoryQuery
		}{
			{"newest", news.StoryQuery{}},
			{"tag", news.StoryQuery{Tag: "wire"}},
			{"search", news.StoryQuery{Search: "title 1999"}},
			{"since", news.StoryQuery{Since: t0.Add(1900 * time.Minute)}},
		} {
			b.Run(q.name, func(b *testing.B) {
				for b.Loop() {
					if _, err := db.Stories(ctx, q.q); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	})
}

// BenchmarkLeaseFrontier is a poll loop's store work for 10 of 1000 feeds
// listed as users list them, grouped by outlet (100 outlets of 10 sections
// each, an outlet's sections together): a lease round claiming their
// hosts, at most 2 feeds a host as the dispatcher's room allows, their
// states saved in one Ingest (due again in an hour) and the hosts
// released, as a pass ends.
func BenchmarkLeaseFrontier(b *testing.B) {
	benchBackends(b, func(b *testing.B, db *DB) {
		ctx := context.Background()
		for o := range 100 {
			for sec := range 10 {
				if _, err := db.UpsertFeed(ctx, news.Feed{URL: fmt.Sprintf("https://o%d.example/section%d/rss", o, sec)}); err != nil {
					b.Fatal(err)
				}
			}
		}
		now := time.Now().Add(time.Minute)
		for b.Loop() {
			l, err := db.LeaseFrontier(ctx, LeaseSpec{Now: now, Owner: "bench", Lease: time.Minute, Limit: 10, PerHost: 2})
			if err != nil {
				b.Fatal(err)
			}
			if len(l.Feeds) < 10 { // every feed polled: start over
				b.StopTimer()
				if _, err := db.w.ExecContext(ctx, db.q(`UPDATE feeds SET next_poll = ?, lease_owner = NULL, lease_until = NULL`), db.tv(now)); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			err = db.Ingest(ctx, func(bt *Batch) error {
				for _, f := range l.Feeds {
					f.Status, f.NextPoll = news.StatusOK, now.Add(time.Hour)
					if err := bt.SaveFeedState(f, "bench"); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			if err := db.ReleaseHosts(ctx, "bench", nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkIngestBatch saves 20 articles per Ingest (a feed's new items);
// ns/op is per article, comparable with BenchmarkSaveArticle.
func BenchmarkIngestBatch(b *testing.B) {
	benchBackends(b, func(b *testing.B, db *DB) {
		ctx := context.Background()
		feed, err := db.UpsertFeed(ctx, news.Feed{URL: "https://bench.example/rss"})
		if err != nil {
			b.Fatal(err)
		}
		var i int
		var prev int64
		for b.Loop() {
			if i%20 != 0 {
				i++
				continue
			}
			err := db.Ingest(ctx, func(bt *Batch) error {
				for j := range 20 {
					a := art(feed, "bench.example", fmt.Sprint(i+j), i+j, "Title", "some text of the article")
					as := Assignment{DuplicateOf: prev, Score: 0.9, Reason: "bench"}
					if (i+j)%5 == 0 {
						as = Assignment{}
					}
					if err := bt.SaveArticle(a, as); err != nil {
						return err
					}
					prev = a.ID
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}
