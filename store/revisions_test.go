package store

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/news"
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

// testRevise: a changed page becomes the current version, the previous
// one is kept, the story follows its representative's new title, and an
// unchanged page only records the item hash.
func testRevise(t *testing.T, db *DB) {
	ctx := context.Background()
	f := addFeed(t, db, "https://a.example/feed", "A")
	a := save(t, db, art(f, "a.example", "dev", 0, "Quake hits", "first text"), Assignment{})
	c := save(t, db, art(f, "a.example", "copy", 5, "Quake", "first text, copied"), Assignment{DuplicateOf: a.ID, Score: 0.9, Reason: "text containment 0.90"})
	revise := func(rv Revise, score float64) (bool, error) {
		var revised bool
		err := db.Ingest(ctx, func(b *Batch) error {
			cur, ok, err := b.ReviseArticle(rv, func(cur news.Article) (float64, string, bool) {
				return score, "text containment 0.55", cur.DuplicateOf != 0
			})
			if err == nil && cur.ID != rv.ArticleID {
				t.Errorf("current article %d, want %d", cur.ID, rv.ArticleID)
			}
			revised = ok
			return err
		})
		return revised, err
	}
	at := t0.Add(2 * time.Hour)
	ok, err := revise(Revise{ArticleID: a.ID, Title: "Quake toll rises", Text: "first text\n\nUPDATE 1: more", ContentHash: "h2", ItemHash: "i2", Seen: at}, 0)
	if err != nil || !ok {
		t.Fatalf("revise: %v %v", ok, err)
	}
	got, err := db.Article(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Quake toll rises" || got.Revisions != 2 || !got.Updated.Equal(at) || !got.Seen.Equal(t0) || got.StoryID != a.StoryID {
		t.Errorf("revised article: %+v", got)
	}
	revs, err := db.ArticleRevisions(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 2 || revs[0].Rev != 1 || revs[0].Text != "first text" || !revs[0].Seen.Equal(t0) ||
		revs[1].Rev != 2 || revs[1].Title != "Quake toll rises" || !revs[1].Seen.Equal(at) {
		t.Errorf("revisions: %+v", revs)
	}
	if s, err := db.Story(ctx, a.StoryID); err != nil || s.Title != "Quake toll rises" || s.Articles != 2 {
		t.Errorf("story after revision: %+v, %v", s, err)
	}
	// A copy's revision is re-scored; an unchanged page is no revision.
	if ok, err := revise(Revise{ArticleID: c.ID, Title: "Quake", Text: "other", ItemHash: "i3", Seen: at}, 0.55); err != nil || !ok {
		t.Fatalf("revise copy: %v %v", ok, err)
	}
	if got, _ := db.Article(ctx, c.ID); got.Score != 0.55 || got.DuplicateOf != a.ID || got.Revisions != 2 {
		t.Errorf("re-scored copy: %+v", got)
	}
	if ok, err := revise(Revise{ArticleID: c.ID, Title: "Quake", Text: "other", ItemHash: "i4", Seen: at.Add(time.Hour)}, 0); err != nil || ok {
		t.Errorf("unchanged page: revised %v, %v", ok, err)
	}
	known, err := db.KnownItems(ctx, f, []ItemKey{{GUID: "copy"}})
	if err != nil || known[0].ItemHash != "i4" {
		t.Errorf("item hash after an unchanged page: %+v, %v", known, err)
	}
	var n int
	if err := db.WalkRevisions(ctx, at, func(news.Revision) error { n++; return nil }); err != nil || n != 4 {
		t.Errorf("walk revisions since the update: %d versions, %v; want 4", n, err)
	}
}

// testWalkSketches: the compact walk gives the sketch, or the text of an
// article stored without one.
func testWalkSketches(t *testing.T, db *DB) {
	ctx := context.Background()
	f := addFeed(t, db, "https://a.example/feed", "A")
	a := save(t, db, art(f, "a.example", "s1", 0, "With sketch", "text one"), Assignment{Sketch: []byte{1, 2, 3}})
	b := save(t, db, art(f, "a.example", "s2", 1, "Without", "text two"), Assignment{DuplicateOf: a.ID, Score: 0.8, Origin: "AFP"})
	type row struct {
		id, story, dup int64
		sketch         string
		text, url      string
		score          float64
		origin         string
	}
	var got []row
	pos, err := db.WalkSketches(ctx, t0.Add(-time.Minute), func(s *Sketched) error {
		got = append(got, row{s.ID, s.StoryID, s.DuplicateOf, string(s.Sketch), s.Text, s.URL, s.Score, s.Origin})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []row{
		{a.ID, a.StoryID, 0, "\x01\x02\x03", "", "", 0, ""},
		{b.ID, a.StoryID, a.ID, "", "text two", b.URL, 0.8, "AFP"},
	}
	if !reflect.DeepEqual(got, want) || pos == 0 {
		t.Errorf("walk sketches = %+v (position %d); want %+v", got, pos, want)
	}
	n, size, err := db.SketchBytes(ctx, t0.Add(-time.Minute))
	if err != nil || n != 1 || size != 3 {
		t.Errorf("SketchBytes = %d, %d, %v; want 1, 3", n, size, err)
	}
}
