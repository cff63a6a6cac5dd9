package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// seedQueries stores three stories: s1 (en, wire, 2 members), s2 (ar, 1),
// s3 (en, 1, 100% in its title).
func seedQueries(t *testing.T, db *DB) (fa, fb int64, s1, s2, s3 *news.Article) {
	fa = addFeed(t, db, "https://a.example/rss", "A", "wire")
	fb = addFeed(t, db, "https://b.example/rss", "B", "local")
	s1 = save(t, db, art(fa, "a.example", "1", 0, "Quake Hits Coast", "Rescue teams arrive."), Assignment{})
	save(t, db, art(fb, "b.example", "1", 30, "Coast quake", "Rescue teams arrive today."), Assignment{DuplicateOf: s1.ID})
	s2 = art(fb, "b.example", "2", 10, "زلزال يضرب الساحل", "وصلت فرق الإنقاذ")
	s2.Lang = "ar"
	save(t, db, s2, Assignment{})
	s3 = save(t, db, art(fb, "b.example", "3", 20, "Prices up 100% in_year", "Markets."), Assignment{})
	return
}

func storyIDs(ss []news.Story) []int64 {
	ids := []int64{}
	for _, s := range ss {
		ids = append(ids, s.ID)
	}
	return ids
}

func testStoriesFilters(t *testing.T, db *DB) {
	_, _, s1, s2, s3 := seedQueries(t, db)
	cases := []struct {
		name string
		q    news.StoryQuery
		want []int64
	}{
		{"all newest first", news.StoryQuery{}, []int64{s1.StoryID, s3.StoryID, s2.StoryID}},
		{"lang", news.StoryQuery{Lang: "ar"}, []int64{s2.StoryID}},
		{"tag of any member", news.StoryQuery{Tag: "wire"}, []int64{s1.StoryID}},
		{"tag local", news.StoryQuery{Tag: "local"}, []int64{s1.StoryID, s3.StoryID, s2.StoryID}},
		{"search title case-insensitive", news.StoryQuery{Search: "QUAKE"}, []int64{s1.StoryID}},
		{"search member text", news.StoryQuery{Search: "today"}, []int64{s1.StoryID}},
		{"search arabic", news.StoryQuery{Search: "فرق"}, []int64{s2.StoryID}},
		{"search number with percent", news.StoryQuery{Search: "100%"}, []int64{s3.StoryID}},
		{"search words split at punctuation", news.StoryQuery{Search: "in_year"}, []int64{s3.StoryID}},
		{"search without words", news.StoryQuery{Search: "%"}, []int64{}},
		{"since", news.StoryQuery{Since: t0.Add(15 * time.Minute)}, []int64{s1.StoryID, s3.StoryID}},
		{"limit offset", news.StoryQuery{Limit: 1, Offset: 1}, []int64{s3.StoryID}},
		{"no match", news.StoryQuery{Search: "nothing"}, []int64{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ss, err := db.Stories(context.Background(), c.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := storyIDs(ss); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %v; want %v", got, c.want)
			}
		})
	}
	ss, err := db.Stories(context.Background(), news.StoryQuery{Lang: "en", Limit: 1})
	if err != nil || len(ss) != 1 || !reflect.DeepEqual(ss[0].Outlets, []string{"a.example", "b.example"}) || ss[0].Members != nil {
		t.Errorf("story outlets: %+v, %v", ss, err)
	}
}

func testArticlesFilters(t *testing.T, db *DB) {
	fa, fb, s1, s2, s3 := seedQueries(t, db)
	all, err := db.Articles(context.Background(), news.ArticleQuery{})
	if err != nil || len(all) != 4 {
		t.Fatalf("all = %d, %v", len(all), err)
	}
	copyID := all[0].ID // the copy at +30 min is newest
	cases := []struct {
		name string
		q    news.ArticleQuery
		want []int64
	}{
		{"all newest first", news.ArticleQuery{}, []int64{copyID, s3.ID, s2.ID, s1.ID}},
		{"feed", news.ArticleQuery{FeedID: fa}, []int64{s1.ID}},
		{"feed b", news.ArticleQuery{FeedID: fb, Limit: 2}, []int64{copyID, s3.ID}},
		{"lang", news.ArticleQuery{Lang: "ar"}, []int64{s2.ID}},
		{"tag", news.ArticleQuery{Tag: "wire"}, []int64{s1.ID}},
		{"search", news.ArticleQuery{Search: "rescue"}, []int64{copyID, s1.ID}},
		{"since", news.ArticleQuery{Since: t0.Add(10 * time.Minute)}, []int64{copyID, s3.ID, s2.ID}},
		{"offset", news.ArticleQuery{Offset: 3}, []int64{s1.ID}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			as, err := db.Articles(context.Background(), c.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := articleIDs(as); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %v; want %v", got, c.want)
			}
		})
	}
}

func articleIDs(as []news.Article) []int64 {
	ids := []int64{}
	for _, a := range as {
		ids = append(ids, a.ID)
	}
	return ids
}

func testWalk(t *testing.T, db *DB) {
	_, _, s1, s2, s3 := seedQueries(t, db)
	ctx := context.Background()
	// An article with no publication date walks at its fetch time.
	undated := art(s1.FeedID, "a.example", "u", 0, "Undated", "x")
	undated.Published, undated.Fetched = time.Time{}, t0.Add(15*time.Minute)
	save(t, db, undated, Assignment{})
	var got []int64
	err := db.WalkArticles(ctx, t0.Add(5*time.Minute), func(a news.Article) error {
		got = append(got, a.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || !reflect.DeepEqual(got[:3], []int64{s2.ID, undated.ID, s3.ID}) {
		t.Errorf("walk = %v; want [%d %d %d copy]", got, s2.ID, undated.ID, s3.ID)
	}
	stop := errors.New("stop")
	var n int
	err = db.WalkArticles(ctx, time.Time{}, func(news.Article) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("walk stop = %v after %d", err, n)
	}
}

func testTail(t *testing.T, db *DB) {
	ctx := context.Background()
	seedQueries(t, db)
	walked := 0
	end, err := db.WalkWindow(ctx, time.Time{}, func(news.Article) error { walked++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	all, err := db.Tail(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != walked || len(all) < 4 {
		t.Fatalf("tail from the start has %d articles, the walk %d", len(all), walked)
	}
	for i := 1; i < len(all); i++ {
		if all[i].Pos <= all[i-1].Pos {
			t.Errorf("positions out of order: %d after %d", all[i].Pos, all[i-1].Pos)
		}
	}
	if last := all[len(all)-1].Pos; end != last {
		t.Errorf("walk ends at position %d, the tail at %d", end, last)
	}
	page, err := db.Tail(ctx, all[0].Pos, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 2 || page[0].ID != all[1].ID || page[1].ID != all[2].ID {
		t.Errorf("page after the first = %+v", page)
	}
	if rest, err := db.Tail(ctx, end, 10); err != nil || len(rest) != 0 {
		t.Errorf("after the end = %v, %v", rest, err)
	}
	// An article stored later comes after the end.
	f := addFeed(t, db, "https://late.example/rss", "Late")
	late := news.Article{FeedID: f, GUID: "late", URL: "https://late.example/1", Title: "Late", Text: "late words"}
	if err := saveArticle(ctx, db, &late, Assignment{}); err != nil {
		t.Fatal(err)
	}
	rest, err := db.Tail(ctx, end, 10)
	if err != nil || len(rest) != 1 || rest[0].ID != late.ID || rest[0].Pos <= end {
		t.Errorf("after the end, once one more is stored = %+v, %v", rest, err)
	}
}

func testFeedDaily(t *testing.T, db *DB) {
	fa := addFeed(t, db, "https://a.example/rss", "A")
	fb := addFeed(t, db, "https://b.example/rss", "B")
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	for i, at := range []time.Time{
		now.Add(-1 * time.Hour), now.Add(-2 * time.Hour), // today
		now.Add(-24 * time.Hour), // yesterday
		now.Add(-72 * time.Hour), // out of range for days=3
		now.Add(2 * time.Hour),   // later today still counts on today
	} {
		a := art(fa, "a.example", string(rune('a'+i)), 0, "T", "x")
		a.Published, a.Fetched = at, at
		save(t, db, a, Assignment{})
	}
	got, err := db.FeedDaily(context.Background(), 3, now)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64][]int{fa: {0, 1, 3}, fb: {0, 0, 0}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("FeedDaily = %v; want %v", got, want)
	}
}

func testCounts(t *testing.T, db *DB) {
	seedQueries(t, db)
	c, err := db.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := (Counts{Feeds: 2, Articles: 4, Stories: 3, Duplicates: 1}); c != want {
		t.Errorf("Counts = %+v; want %+v", c, want)
	}
}

func testLocks(t *testing.T, db *DB) {
	ctx := context.Background()
	steps := []struct {
		name string
		do   func() (bool, error)
		want bool
	}{
		{"a takes", func() (bool, error) { return db.TryLock(ctx, "poll", "a", time.Hour) }, true},
		{"a renews", func() (bool, error) { return db.TryLock(ctx, "poll", "a", time.Hour) }, true},
		{"b refused", func() (bool, error) { return db.TryLock(ctx, "poll", "b", time.Hour) }, false},
		{"other name free", func() (bool, error) { return db.TryLock(ctx, "other", "b", time.Hour) }, true},
		{"a refreshes", func() (bool, error) { return true, db.RefreshLock(ctx, "poll", "a", -time.Second) }, true},
		{"b takes expired", func() (bool, error) { return db.TryLock(ctx, "poll", "b", time.Hour) }, true},
		{"a lost it", func() (bool, error) {
			err := db.RefreshLock(ctx, "poll", "a", time.Hour)
			return errors.Is(err, ErrNotFound), nil
		}, true},
		{"a unlock is a no-op", func() (bool, error) { return true, db.Unlock(ctx, "poll", "a") }, true},
		{"c still refused", func() (bool, error) { return db.TryLock(ctx, "poll", "c", time.Hour) }, false},
		{"b unlocks", func() (bool, error) { return true, db.Unlock(ctx, "poll", "b") }, true},
		{"c takes", func() (bool, error) { return db.TryLock(ctx, "poll", "c", time.Hour) }, true},
	}
	for _, s := range steps {
		got, err := s.do()
		if err != nil || got != s.want {
			t.Fatalf("%s: got %v, %v; want %v", s.name, got, err, s.want)
		}
	}
}
