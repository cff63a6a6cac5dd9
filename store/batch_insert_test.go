package store

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/wiredesk/wiredesk/news"
)

// testBatchManyRows: a batch of more articles than one insert statement
// holds stores them all, with the same duplicate verdicts whether or not
// the batch was told of the items first (Expect), copies of articles the
// batch has not written yet join their stories, and a revision or item
// hash of such an article finds it.
func testBatchManyRows(t *testing.T, db *DB) {
	ctx := context.Background()
	tests := []struct {
		name   string
		expect bool
	}{
		{"looked up one by one", false},
		{"told first", true},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			host := fmt.Sprintf("m%d.example", i)
			fa := addFeed(t, db, "https://"+host+"/a", "A")
			fb := addFeed(t, db, "https://"+host+"/b", "B")
			stored := save(t, db, art(fa, host, "stored", 0, "Stored", "s"), Assignment{})
			before, err := db.Counts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			n := articlesPerInsert*2 + 7
			ids := map[int64]bool{}
			var lead, otherID int64
			err = db.Ingest(ctx, func(b *Batch) error {
				if tc.expect {
					keys := []ItemKey{{GUID: "stored", CanonicalURL: "https://" + host + "/stored"}}
					for k := range n {
						g := fmt.Sprint(k)
						keys = append(keys, ItemKey{GUID: g, CanonicalURL: "https://" + host + "/" + g})
					}
					if err := b.Expect(fa, keys); err != nil {
						return err
					}
				}
				for k := range n {
					a := art(fa, host, fmt.Sprint(k), k, fmt.Sprint("Title ", k), "t")
					as := Assignment{}
					if k > 0 {
						as.DuplicateOf = lead // a copy of an article not written yet
					}
					if err := b.SaveArticle(a, as); err != nil {
						return fmt.Errorf("article %d: %w", k, err)
					}
					if k == 0 {
						lead = a.ID
					}
					ids[a.ID] = true
				}
				dups := []struct {
					feed int64
					guid string
				}{{fa, "stored"}, {fa, "0"}, {fa, fmt.Sprint(n - 1)}}
				for _, d := range dups {
					if err := b.SaveArticle(art(d.feed, host, d.guid, 0, "again", "x"), Assignment{}); !errors.Is(err, ErrDuplicate) {
						t.Errorf("duplicate %s: %v", d.guid, err)
					}
				}
				// Another feed, another canonical URL of the same host: stored.
				other := art(fb, host, "other", 1, "Other", "o")
				if err := b.SaveArticle(other, Assignment{}); err != nil {
					return err
				}
				ids[other.ID], otherID = true, other.ID
				if err := b.SetItemHash(lead, "h1"); err != nil {
					return err
				}
				_, revised, err := b.ReviseArticle(Revise{ArticleID: other.ID, Title: "Other, revised", Text: "o2", ItemHash: "h2", Seen: t0},
					func(news.Article) (float64, string, bool) { return 0, "", false })
				if err != nil || !revised {
					return fmt.Errorf("revise an article of the batch: %v, %v", revised, err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			after, err := db.Counts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got := after.Articles - before.Articles; got != int64(n+1) || len(ids) != n+1 {
				t.Errorf("stored %d articles (%d ids), want %d", got, len(ids), n+1)
			}
			a, err := db.Article(ctx, lead)
			if err != nil {
				t.Fatal(err)
			}
			if s, err := db.Story(ctx, a.StoryID); err != nil || s.Articles != n || s.Representative != lead {
				t.Errorf("story of the batch = %+v, %v", s, err)
			}
			if k, err := db.KnownItems(ctx, fa, []ItemKey{{GUID: "0"}}); err != nil || k[0].ArticleID != lead || k[0].ItemHash != "h1" {
				t.Errorf("item hash of an article of the batch: %+v, %v", k, err)
			}
			if a, err := db.Article(ctx, otherID); err != nil || a.Title != "Other, revised" || a.Revisions != 2 {
				t.Errorf("revised article of the batch = %+v, %v", a, err)
			}
			if a, err := db.Article(ctx, stored.ID); err != nil || a.Title != "Stored" {
				t.Errorf("stored article = %+v, %v", a, err)
			}
			assertConsistent(t, db)
		})
	}
}
