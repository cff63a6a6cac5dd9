package store

import (
	"context"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/internal/news"
)

// testFirstSight: an article is seen when it was fetched, whatever date
// the outlet printed, and a never-revised article is its one version.
func testFirstSight(t *testing.T, db *DB) {
	ctx := context.Background()
	f := addFeed(t, db, "https://a.example/feed", "A")
	a := art(f, "a.example", "old", 0, "Old news", "printed long ago")
	a.Published = t0.Add(-30 * 24 * time.Hour)
	save(t, db, a, Assignment{})
	got, err := db.Article(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Seen.Equal(t0) || !got.Published.Equal(a.Published) || !got.Updated.IsZero() || got.Revisions != 1 {
		t.Errorf("article: seen %v published %v updated %v revisions %d; want seen %v, published kept, never updated, 1",
			got.Seen, got.Published, got.Updated, got.Revisions, t0)
	}
	if !a.Seen.Equal(t0) || a.Revisions != 1 {
		t.Errorf("saved article: seen %v revisions %d", a.Seen, a.Revisions)
	}
	revs, err := db.ArticleRevisions(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := news.Revision{ArticleID: a.ID, Rev: 1, Seen: t0, Title: a.Title, Text: a.Text, ContentHash: a.ContentHash}
	if len(revs) != 1 || revs[0] != want {
		t.Errorf("revisions = %+v; want [%+v]", revs, want)
	}
	var walked []news.Revision
	if err := db.WalkRevisions(ctx, t0.Add(-time.Minute), func(r news.Revision) error {
		walked = append(walked, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(walked) != 1 || walked[0] != want {
		t.Errorf("walk revisions = %+v; want [%+v]", walked, want)
	}
	if _, err := db.ArticleRevisions(ctx, a.ID+100); err == nil {
		t.Error("revisions of a missing article: no error")
	}
}
