package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/wiredesk/wiredesk/news"
	"github.com/wiredesk/wiredesk/store"
)

// Open a store (SQLite here; a postgres:// DSN opens PostgreSQL), add two
// feeds, save one article of each in one batch, the second as a copy of
// the first, and read the story back.
func Example() {
	dir, _ := os.MkdirTemp("", "wiredesk-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, "wiredesk.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()

	post, _ := db.UpsertFeed(ctx, news.Feed{URL: "https://post.example/rss", Name: "Daily Post"})
	star, _ := db.UpsertFeed(ctx, news.Feed{URL: "https://star.example/rss", Name: "Evening Star"})
	at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	first := &news.Article{FeedID: post, Outlet: "Daily Post", GUID: "p1", URL: "https://post.example/a/1",
		CanonicalURL: "https://post.example/a/1", Title: "Bank raises rates again",
		Text: "The central bank raised its main rate.", Lang: "en", Published: at, Seen: at, Fetched: at, ContentHash: "h1"}
	second := &news.Article{FeedID: star, Outlet: "Evening Star", GUID: "s1", URL: "https://star.example/w/77",
		CanonicalURL: "https://star.example/w/77", Title: "Rates up half a point",
		Text: "The central bank raised its main rate.", Lang: "en", Published: at.Add(time.Hour), Seen: at.Add(time.Hour),
		Fetched: at.Add(time.Hour), ContentHash: "h1"}
	err = db.Ingest(ctx, func(b *store.Batch) error {
		if err := b.SaveArticle(first, store.Assignment{}); err != nil {
			return err
		}
		return b.SaveArticle(second, store.Assignment{DuplicateOf: first.ID, Score: 1, Reason: "same content hash"})
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	stories, err := db.Stories(ctx, news.StoryQuery{Limit: 10})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range stories {
		fmt.Println(s.Title, s.Articles, s.Outlets)
	}
	// Output: Bank raises rates again 2 [Daily Post Evening Star]
}
