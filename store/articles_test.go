package store

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

func testSaveArticle(t *testing.T, db *DB) {
	ctx := context.Background()
	fa := addFeed(t, db, "https://a.example/rss", "A")
	fb := addFeed(t, db, "https://b.example/rss", "B")
	first := art(fa, "a.example", "1", 10, "Quake hits", "text one")
	first.Byline, first.Image, first.ContentHash = "By X", "https://a.example/i.jpg", "h1"
	save(t, db, first, Assignment{})
	if first.ID == 0 || first.StoryID == 0 || first.DuplicateOf != 0 {
		t.Fatalf("first = %+v", first)
	}
	// An earlier copy from b joins and becomes representative; it names the origin.
	second := art(fb, "b.example", "1", 0, "Earthquake hits", "text one")
	save(t, db, second, Assignment{DuplicateOf: first.ID, Score: 0.93, Reason: "minhash", Origin: "Reuters"})
	if second.StoryID != first.StoryID || second.DuplicateOf != first.ID || second.Score != 0.93 ||
		second.Reason != "minhash" || second.Origin != "Reuters" {
		t.Fatalf("second = %+v", second)
	}
	third := art(fb, "b.example", "2", 20, "Quake update", "text one more")
	save(t, db, third, Assignment{DuplicateOf: second.ID, Score: 0.8, Reason: "simhash", Origin: "AP"})

	s, err := db.Story(ctx, first.StoryID)
	if err != nil {
		t.Fatal(err)
	}
	want := news.Story{
		ID: first.StoryID, Title: "Earthquake hits", Lang: "en", Origin: "Reuters", Representative: second.ID,
		FirstOutlet: "b.example", FirstSeen: t0, LastSeen: t0.Add(20 * time.Minute), Articles: 3,
		Outlets: []string{"b.example", "a.example"},
	}
	members := s.Members
	s.Members = nil
	if !reflect.DeepEqual(s, want) {
		t.Errorf("story:\n got %+v\nwant %+v", s, want)
	}
	if len(members) != 3 || !reflect.DeepEqual(members[1], *first) || members[0].ID != second.ID {
		t.Errorf("members:\n got %+v\nwant [second, %+v, third]", members, *first)
	}
	got, err := db.Article(ctx, first.ID)
	if err != nil || !reflect.DeepEqual(got, *first) {
		t.Errorf("Article = %+v, %v; want %+v", got, err, *first)
	}
	f, err := db.Feed(ctx, fb)
	if err != nil || f.ItemCount != 2 {
		t.Errorf("feed b items = %d, %v; want 2", f.ItemCount, err)
	}
}

func testSaveDuplicate(t *testing.T, db *DB) {
	ctx := context.Background()
	fa := addFeed(t, db, "https://a.example/rss", "A")
	fb := addFeed(t, db, "https://b.example/rss", "B")
	orig := save(t, db, art(fa, "a.example", "1", 0, "T", "x"), Assignment{})
	before, err := db.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sameGUID := art(fa, "a.example", "1", 5, "T2", "y")
	sameGUID.CanonicalURL = "https://a.example/other"
	sameURL := art(fb, "b.example", "9", 5, "T3", "z")
	sameURL.CanonicalURL = orig.CanonicalURL
	for name, a := range map[string]*news.Article{"same feed and guid": sameGUID, "same canonical url": sameURL} {
		t.Run(name, func(t *testing.T) {
			for _, as := range []Assignment{{}, {DuplicateOf: orig.ID, Score: 1}} {
				cp := *a
				err := saveArticle(ctx, db, &cp, as)
				if !errors.Is(err, ErrDuplicate) {
					t.Fatalf("SaveArticle = %v; want ErrDuplicate", err)
				}
				if cp.ID != 0 || cp.StoryID != 0 {
					t.Errorf("article changed on failure: %+v", cp)
				}
			}
		})
	}
	after, err := db.Counts(ctx)
	if err != nil || after != before {
		t.Errorf("counts after duplicates = %+v, %v; want %+v", after, err, before)
	}
	s, err := db.Story(ctx, orig.StoryID)
	if err != nil || s.Articles != 1 || len(s.Members) != 1 {
		t.Errorf("story after duplicates = %+v, %v", s, err)
	}
	if f, err := db.Feed(ctx, fa); err != nil || f.ItemCount != 1 {
		t.Errorf("item count = %d, %v; want 1", f.ItemCount, err)
	}
	// Articles without GUID, canonical URL or any date never collide.
	for range 2 {
		a := art(fa, "a.example", "", 1, "no ids", "x")
		a.CanonicalURL, a.Published, a.Fetched = "", time.Time{}, time.Time{}
		save(t, db, a, Assignment{})
	}
}

func testSaveUnknownDup(t *testing.T, db *DB) {
	ctx := context.Background()
	fa := addFeed(t, db, "https://a.example/rss", "A")
	err := saveArticle(ctx, db, art(fa, "a.example", "1", 0, "T", "x"), Assignment{DuplicateOf: 12345})
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("SaveArticle = %v; want ErrNotFound", err)
	}
	if c, err := db.Counts(ctx); err != nil || c.Articles != 0 || c.Stories != 0 {
		t.Errorf("counts = %+v, %v; want nothing written", c, err)
	}
}

func testSaveCancelled(t *testing.T, db *DB) {
	fa := addFeed(t, db, "https://a.example/rss", "A")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := saveArticle(ctx, db, art(fa, "a.example", "1", 0, "T", "x"), Assignment{}); err == nil {
		t.Fatal("SaveArticle with cancelled ctx succeeded")
	}
	// Cancel at every point of the transaction: each attempt either commits
	// whole or leaves nothing.
	for i := range 40 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(i*50)*time.Microsecond)
		a := art(fa, "a.example", "c"+string(rune('A'+i)), i, "T", "x")
		err := saveArticle(ctx, db, a, Assignment{})
		cancel()
		if err == nil || ambiguousCommit(err) {
			continue
		}
		known, kerr := db.KnownItems(context.Background(), fa, []ItemKey{{GUID: a.GUID}})
		if kerr != nil {
			t.Fatal(kerr)
		}
		if known[0].ArticleID != 0 {
			t.Errorf("attempt %d failed (%v) but its article is stored", i, err)
		}
	}
	assertConsistent(t, db)
}

// ambiguousCommit tells a commit whose context ended while the server was
// taking it: over a network the outcome is unknown (the server may have
// committed before the client gave up), as with any database client.
func ambiguousCommit(err error) bool {
	return strings.HasPrefix(err.Error(), "commit: ") &&
		(errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled))
}

// assertConsistent checks that every story's aggregates match its members
// and no story is empty, and that item counts match articles.
func assertConsistent(t *testing.T, db *DB) {
	t.Helper()
	ctx := context.Background()
	c, err := db.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ss, err := db.Stories(ctx, news.StoryQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(ss)) != c.Stories {
		t.Errorf("listed %d stories of %d", len(ss), c.Stories)
	}
	var members int64
	for _, s := range ss {
		full, err := db.Story(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if full.Articles != len(full.Members) || full.Articles == 0 {
			t.Errorf("story %d: articles %d, members %d", s.ID, full.Articles, len(full.Members))
		}
		members += int64(len(full.Members))
	}
	if members != c.Articles {
		t.Errorf("members %d != articles %d", members, c.Articles)
	}
	fs, err := db.Feeds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		as, err := db.Articles(ctx, news.ArticleQuery{FeedID: f.ID, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(as)) != f.ItemCount {
			t.Errorf("feed %d: item count %d, articles %d", f.ID, f.ItemCount, len(as))
		}
	}
}

func testPrefer(t *testing.T, db *DB) {
	ctx := context.Background()
	fa := addFeed(t, db, "https://a.example/rss", "A")
	db.SetPrefer([]string{"Reuters", "AP"})
	a := save(t, db, art(fa, "early.example", "1", 0, "Early", "x"), Assignment{})
	b := save(t, db, art(fa, "ap", "2", 5, "AP copy", "x"), Assignment{DuplicateOf: a.ID})
	if s, err := db.Story(ctx, a.StoryID); err != nil || s.Representative != b.ID || s.Title != "AP copy" {
		t.Errorf("with AP: representative %d title %q, %v; want %d", s.Representative, s.Title, err, b.ID)
	}
	c := save(t, db, art(fa, "REUTERS", "3", 9, "Reuters copy", "x"), Assignment{DuplicateOf: a.ID})
	if s, err := db.Story(ctx, a.StoryID); err != nil || s.Representative != c.ID || s.FirstOutlet != "early.example" {
		t.Errorf("with Reuters: representative %d first outlet %q, %v; want %d", s.Representative, s.FirstOutlet, err, c.ID)
	}
}

func testNotFound(t *testing.T, db *DB) {
	ctx := context.Background()
	checks := map[string]func() error{
		"feed":    func() error { _, err := db.Feed(ctx, 42); return err },
		"article": func() error { _, err := db.Article(ctx, 42); return err },
		"story":   func() error { _, err := db.Story(ctx, 42); return err },
		"remove":  func() error { return db.RemoveFeed(ctx, 42) },
	}
	for name, check := range checks {
		t.Run(name, func(t *testing.T) {
			if err := check(); !errors.Is(err, ErrNotFound) {
				t.Errorf("err = %v; want ErrNotFound", err)
			}
		})
	}
}
