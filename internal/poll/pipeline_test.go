package poll

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/dedup"
	"github.com/wiredesk/wiredesk/internal/demo"
	"github.com/wiredesk/wiredesk/news"
	"github.com/wiredesk/wiredesk/scraper"
	"github.com/wiredesk/wiredesk/store"
)

// newDemoPipeline starts the fixture newsroom and a poller over a fresh
// SQLite store holding its feeds.
func newDemoPipeline(t *testing.T) (*demo.Newsroom, *store.DB, *Poller) {
	t.Helper()
	ctx := context.Background()
	room, err := demo.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(room.Close)
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, f := range room.Feeds() {
		if _, err := db.UpsertFeed(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	fetcher, err := scraper.New(scraper.Options{UserAgent: "wiredesk-test", AllowNetworks: room.AllowNetworks(),
		PerHost: 2, HostDelay: time.Millisecond, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	p := New(FromDB(db), fetcher, Options{Concurrency: 8, Articles: true, Robots: true,
		Schedule: Schedule{Start: 30 * time.Minute, Min: 5 * time.Minute, Max: 6 * time.Hour}})
	return room, db, p
}

func TestDemoPassGroupsStories(t *testing.T) {
	ctx := context.Background()
	room, db, p := newDemoPipeline(t)
	sum, err := p.Pass(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed != 0 || sum.Feeds != len(room.Feeds()) {
		t.Fatalf("pass: %s; failures %+v", sum, sum.Failures)
	}
	byURL := map[string]news.Article{}
	err = db.WalkArticles(ctx, time.Time{}, func(a news.Article) error {
		byURL[a.URL] = a
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	storyOf := map[int64]string{} // store story → ground-truth story
	for key, urls := range room.Stories() {
		t.Run(key, func(t *testing.T) {
			var first int64
			for _, u := range urls {
				a, ok := byURL[u]
				if !ok {
					t.Fatalf("article %s not stored", u)
				}
				if first == 0 {
					first = a.StoryID
				}
				if a.StoryID != first {
					t.Errorf("%s landed in story %d, its first copy in %d (reason %q)", u, a.StoryID, first, a.Reason)
				}
				if other, ok := storyOf[a.StoryID]; ok && other != key {
					t.Errorf("stories %s and %s merged into store story %d", key, other, a.StoryID)
				}
				storyOf[a.StoryID] = key
			}
		})
	}

	t.Run("second pass is conditional", func(t *testing.T) {
		// Make every feed due again, as the scheduler would later.
		p.opt.Now = func() time.Time { return time.Now().Add(7 * time.Hour) }
		sum, err := p.Pass(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if sum.NotModified != sum.Feeds || sum.Articles != 0 {
			t.Errorf("second pass: %s", sum)
		}
	})
}

func TestDemoSputnikCopiesClean(t *testing.T) {
	ctx := context.Background()
	room, db, p := newDemoPipeline(t)
	if _, err := p.Pass(ctx); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, u := range room.SputnikURLs() {
		want[dedup.CanonicalURL(u)] = true
	}
	seen := 0
	err := db.WalkArticles(ctx, time.Time{}, func(a news.Article) error {
		if !want[a.CanonicalURL] {
			return nil
		}
		seen++
		for _, bad := range []string{"(تستمر)", "أفكارك وتعليقاتك"} {
			if strings.Contains(a.Text, bad) {
				t.Errorf("%s: text carries %q", a.URL, bad)
			}
		}
		if first, _, _ := strings.Cut(a.Text, "\n\n"); strings.TrimSpace(first) == strings.TrimSpace(a.Title) {
			t.Errorf("%s: text starts with the repeated headline %q", a.URL, a.Title)
		}
		if n := strings.Count(a.Text, "الأمين العام للناتو: مستعدون للجلوس"); n > 0 {
			t.Errorf("%s: headline repeated %d times in the text", a.URL, n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen != 3 {
		t.Errorf("found %d Sputnik copies, want 3", seen)
	}
}
