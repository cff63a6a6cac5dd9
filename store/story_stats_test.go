package store

import (
	"context"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// TestStoryStats sums up members per story, on every backend. Revisions
// are written straight into the rows: this reads them.
func TestStoryStats(t *testing.T) {
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
			got, err := db.StoryStats(ctx, []int64{a1.StoryID, a3.StoryID, a4.StoryID, 999})
			if err != nil {
				t.Fatal(err)
			}
			want := map[int64]news.StoryStats{
				a1.StoryID: {FirstPublished: t0, LastPublished: t0.Add(5 * time.Minute), Revised: 2, Versions: 3, Updated: t0.Add(3 * time.Hour)},
				a3.StoryID: {FirstPublished: t0.Add(10 * time.Minute), LastPublished: t0.Add(10 * time.Minute), Revised: 1, Versions: 1, Updated: t0.Add(time.Hour)},
				a4.StoryID: {FirstPublished: t0.Add(15 * time.Minute), LastPublished: t0.Add(15 * time.Minute)},
			}
			if len(got) != len(want) {
				t.Errorf("StoryStats = %+v, want %+v", got, want)
			}
			for id, w := range want {
				g := got[id]
				if g.Revised != w.Revised || g.Versions != w.Versions || !g.Updated.Equal(w.Updated) ||
					!g.FirstPublished.Equal(w.FirstPublished) || !g.LastPublished.Equal(w.LastPublished) {
					t.Errorf("story %d: %+v, want %+v", id, g, w)
				}
			}
			if got, err := db.StoryStats(ctx, nil); err != nil || len(got) != 0 {
				t.Errorf("no stories: %v, %v", got, err)
			}
		})
	}
}
