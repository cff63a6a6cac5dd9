package store

import (
	"context"
	"errors"
	"testing"

	"github.com/wiredesk/wiredesk/news"
)

func testBatch(t *testing.T, db *DB) {
	ctx := context.Background()
	fa := addFeed(t, db, "https://a.example/rss", "A")
	fb := addFeed(t, db, "https://b.example/rss", "B")
	old := save(t, db, art(fa, "a.example", "old", 0, "Old", "x"), Assignment{})
	var first, copyInBatch, joinOld *news.Article
	err := db.Ingest(ctx, func(b *Batch) error {
		first = art(fb, "b.example", "1", 5, "New story", "y")
		if err := b.SaveArticle(first, Assignment{}); err != nil {
			return err
		}
		copyInBatch = art(fb, "b.example", "2", 6, "New story copy", "y")
		if err := b.SaveArticle(copyInBatch, Assignment{DuplicateOf: first.ID, Score: 0.9, Origin: "AFP"}); err != nil {
			return err
		}
		joinOld = art(fb, "b.example", "3", 1, "Old copy", "x")
		if err := b.SaveArticle(joinOld, Assignment{DuplicateOf: old.ID}); err != nil {
			return err
		}
		// Duplicates (stored earlier, or earlier in this batch) write
		// nothing and leave no empty story; the batch goes on.
		for _, as := range []Assignment{{}, {DuplicateOf: old.ID}} {
			dup := art(fa, "a.example", "old", 0, "Old again", "x")
			if err := b.SaveArticle(dup, as); !errors.Is(err, ErrDuplicate) {
				t.Errorf("duplicate in batch: %v", err)
			}
			dup = art(fb, "b.example", "1", 0, "again", "x")
			if err := b.SaveArticle(dup, as); !errors.Is(err, ErrDuplicate) {
				t.Errorf("duplicate of batch article: %v", err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if copyInBatch.StoryID != first.StoryID || joinOld.StoryID != old.StoryID || first.StoryID == old.StoryID {
		t.Errorf("stories: first %d copy %d old %d joinOld %d", first.StoryID, copyInBatch.StoryID, old.StoryID, joinOld.StoryID)
	}
	s, err := db.Story(ctx, first.StoryID)
	if err != nil || s.Articles != 2 || s.Origin != "AFP" || s.Representative != first.ID {
		t.Errorf("batch story = %+v, %v", s, err)
	}
	s, err = db.Story(ctx, old.StoryID)
	if err != nil || s.Articles != 2 || s.Representative != old.ID || s.FirstOutlet != "a.example" {
		t.Errorf("old story = %+v, %v", s, err)
	}
	if c, err := db.Counts(ctx); err != nil || c != (Counts{Feeds: 2, Articles: 4, Stories: 2, Duplicates: 2}) {
		t.Errorf("counts = %+v, %v", c, err)
	}
	assertConsistent(t, db)
}

func testBatchRollback(t *testing.T, db *DB) {
	ctx := context.Background()
	fa := addFeed(t, db, "https://a.example/rss", "A")
	old := save(t, db, art(fa, "a.example", "old", 0, "Old", "x"), Assignment{})
	boom := errors.New("boom")
	err := db.Ingest(ctx, func(b *Batch) error {
		if err := b.SaveArticle(art(fa, "a.example", "1", 5, "New", "y"), Assignment{}); err != nil {
			return err
		}
		if err := b.SaveArticle(art(fa, "a.example", "2", 5, "Copy", "x"), Assignment{DuplicateOf: old.ID}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Ingest = %v; want boom", err)
	}
	if c, err := db.Counts(ctx); err != nil || c != (Counts{Feeds: 1, Articles: 1, Stories: 1}) {
		t.Errorf("counts after rollback = %+v, %v", c, err)
	}
	if s, err := db.Story(ctx, old.StoryID); err != nil || s.Articles != 1 {
		t.Errorf("old story after rollback = %+v, %v", s, err)
	}
	assertConsistent(t, db)
}

// testBatchMissingStory: an article whose story row never comes fails the
// batch with an error (at the insert, or at the commit where the foreign
// key check is deferred), stores nothing, and leaves the writer ready: the
// next batch commits.
func testBatchMissingStory(t *testing.T, db *DB) {
	ctx := context.Background()
	fa := addFeed(t, db, "https://a.example/rss", "A")
	err := db.Ingest(ctx, func(b *Batch) error {
		a := art(fa, "a.example", "orphan", 0, "Orphan", "x")
		a.StoryID = 1 << 40 // no such story, and none made
		_, _, err := db.insertArticle(ctx, b.tx, a, 0, a.Fetched, nil)
		return err // nil where the check waits for the commit (PostgreSQL)
	})
	if err == nil {
		t.Fatal("Ingest of an article without its story: no error")
	}
	if c, err := db.Counts(ctx); err != nil || c != (Counts{Feeds: 1}) {
		t.Errorf("counts after the failed batch = %+v, %v", c, err)
	}
	err = db.Ingest(ctx, func(b *Batch) error {
		return b.SaveArticle(art(fa, "a.example", "1", 0, "New", "y"), Assignment{})
	})
	if err != nil {
		t.Fatalf("batch after a failed commit: %v", err)
	}
	if c, err := db.Counts(ctx); err != nil || c != (Counts{Feeds: 1, Articles: 1, Stories: 1}) {
		t.Errorf("counts = %+v, %v", c, err)
	}
	assertConsistent(t, db)
}
