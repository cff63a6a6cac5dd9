package store

import (
	"context"
	"errors"
	"testing"
)

func testMerge(t *testing.T, db *DB) {
	ctx := context.Background()
	fa := addFeed(t, db, "https://a.example/rss", "A")
	fb := addFeed(t, db, "https://b.example/rss", "B")
	// Two workers each started a story for copies of one text.
	a1 := save(t, db, art(fa, "a.example", "1", 5, "A first", "x"), Assignment{})
	a2 := save(t, db, art(fa, "a.example", "2", 9, "A second", "x"), Assignment{DuplicateOf: a1.ID, Score: 0.9})
	b1 := save(t, db, art(fb, "b.example", "1", 0, "B first", "x"), Assignment{Origin: "AP"})
	save(t, db, art(fb, "b.example", "2", 20, "B second", "x"), Assignment{DuplicateOf: b1.ID})
	merged, err := db.MergeStoriesOf(ctx, b1.ID, a2.ID, 0.8, "merge")
	if err != nil || !merged {
		t.Fatalf("MergeStoriesOf = %v, %v; want true", merged, err)
	}
	s, err := db.Story(ctx, a1.StoryID) // the older story survives
	if err != nil {
		t.Fatal(err)
	}
	if s.Articles != 4 || s.Representative != b1.ID || s.Origin != "AP" || len(s.Outlets) != 2 {
		t.Errorf("merged story = %+v", s)
	}
	if _, err := db.Story(ctx, b1.StoryID); !errors.Is(err, ErrNotFound) {
		t.Errorf("dropped story: %v; want ErrNotFound", err)
	}
	got, err := db.Article(ctx, b1.ID)
	if err != nil || got.DuplicateOf != a2.ID || got.Score != 0.8 || got.Reason != "merge" || got.StoryID != a1.StoryID {
		t.Errorf("b1 after merge = %+v, %v", got, err)
	}
	if c, err := db.Counts(ctx); err != nil || c.Stories != 1 || c.Duplicates != 3 {
		t.Errorf("counts = %+v, %v", c, err)
	}
	if merged, err := db.MergeStoriesOf(ctx, a1.ID, b1.ID, 1, "again"); err != nil || merged {
		t.Errorf("second merge = %v, %v; want false", merged, err)
	}
	if _, err := db.MergeStoriesOf(ctx, a1.ID, 999, 1, "x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("merge with unknown article: %v", err)
	}
	assertConsistent(t, db)
}
