package store

import (
	"context"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/internal/news"
)

// TestStoryUpdates sums up revised members per story, on every backend.
// Revisions are written straight into the rows: this reads them.
func TestStoryUpdates(t *testing.T) {
	for name, dsn := range backends(t) {
		t.Run(name, func(t *testing.T) {
			requireBackend(t, name)
			db := openTest(t, dsn(t))
			ctx := context.Background()
			f := addFeed(t, db, "https://a.example/feed", "A")
			g := addFeed(t, db, "https://b.example/feed", "B")
			a1 := save(t, db, art(f, "a.example", "1", 0, "One", "text one"), Assignment{})
			a2 := save(t, db, art(g, "b.example", "2", 5, "One again", "text one"), Assignment{DuplicateOf: a1.ID, Score: 1, Reason: "text"})
			a3 := save(t, db, art(f, "a.example", "3", 10, "Three", "text three"), Assignment{})
			a4 := save(t, db, art(f, "a.example", "4", 15, "Four", "text four"), Assignment{})
			revise := func(id int64, revisions int, at time.Time) {
				if _, err := db.w.ExecContext(ctx, db.q(`UPDATE articles SET revisions = ?, updated = ? WHERE id = ?`),
					revisions, db.tv(at), id); err != nil {
					t.Fatal(err)
				}
			}
			revise(a1.ID, 3, t0.Add(2*time.Hour))
			revise(a2.ID, 2, t0.Add(3*time.Hour))
			revise(a3.ID, 2, t0.Add(time.Hour))
			got, err := db.StoryUpdates(ctx, []int64{a1.StoryID, a3.StoryID, a4.StoryID, 999})
			if err != nil {
				t.Fatal(err)
			}
			want := map[int64]news.Updates{
				a1.StoryID: {Articles: 2, Versions: 3, Last: t0.Add(3 * time.Hour)},
				a3.StoryID: {Articles: 1, Versions: 1, Last: t0.Add(time.Hour)},
			}
			if len(got) != len(want) {
				t.Errorf("StoryUpdates = %+v, want %+v", got, want)
			}
			for id, w := range want {
				if g := got[id]; g.Articles != w.Articles || g.Versions != w.Versions || !g.Last.Equal(w.Last) {
					t.Errorf("story %d: %+v, want %+v", id, g, w)
				}
			}
			if got, err := db.StoryUpdates(ctx, nil); err != nil || len(got) != 0 {
				t.Errorf("no stories: %v, %v", got, err)
			}
		})
	}
}
