package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// TestConformance runs every case on a fresh store of each backend.
func TestConformance(t *testing.T) {
	cases := []backendCase{
		{"feed upsert and read", testFeedUpsert},
		{"feed remove keeps articles", testFeedRemove},
		{"feed state round trip", testFeedState},
		{"frontier feed leases", testLease},
		{"lease frontier", testLeaseFrontier},
		{"known items", testKnownItems},
		{"save article new and joined story", testSaveArticle},
		{"save article duplicate writes nothing", testSaveDuplicate},
		{"save article unknown duplicate_of", testSaveUnknownDup},
		{"save article cancelled", testSaveCancelled},
		{"batch ingest", testBatch},
		{"batch rollback", testBatchRollback},
		{"batch missing story", testBatchMissingStory},
		{"batch many rows", testBatchManyRows},
		{"merge split stories", testMerge},
		{"representative preferred outlet", testPrefer},
		{"stories filters", testStoriesFilters},
		{"articles filters", testArticlesFilters},
		{"search", testSearch},
		{"search stories", testSearchStories},
		{"search index follows articles", testSearchIndexing},
		{"walk articles", testWalk},
		{"tail", testTail},
		{"feed daily", testFeedDaily},
		{"counts", testCounts},
		{"named locks", testLocks},
		{"not found", testNotFound},
		{"first sight and revisions", testFirstSight},
		{"revise article", testRevise},
		{"walk sketches", testWalkSketches},
	}
	runOnBackends(t, cases)
}

// backendCase is a named test of a fresh store.
type backendCase struct {
	name string
	run  func(t *testing.T, db *DB)
}

// runOnBackends runs every case on a fresh store of each backend.
func runOnBackends(t *testing.T, cases []backendCase) {
	for name, dsn := range backends(t) {
		t.Run(name, func(t *testing.T) {
			requireBackend(t, name)
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					c.run(t, openTest(t, dsn(t)))
				})
			}
		})
	}
}

func addFeed(t *testing.T, db *DB, url, name string, tags ...string) int64 {
	t.Helper()
	id, err := db.UpsertFeed(context.Background(), news.Feed{URL: url, Name: name, Tags: tags})
	if err != nil {
		t.Fatalf("UpsertFeed %s: %v", url, err)
	}
	return id
}

// art makes an article published, fetched and so first seen at t0+min
// minutes.
func art(feed int64, outlet, guid string, min int, title, text string) *news.Article {
	at := t0.Add(time.Duration(min) * time.Minute)
	return &news.Article{
		FeedID: feed, Outlet: outlet, GUID: guid, URL: "https://" + outlet + "/" + guid,
		CanonicalURL: "https://" + outlet + "/" + guid, Title: title, Text: text, Lang: "en",
		Published: at, Fetched: at,
	}
}

func save(t *testing.T, db *DB, a *news.Article, as Assignment) *news.Article {
	t.Helper()
	if err := saveArticle(context.Background(), db, a, as); err != nil {
		t.Fatalf("SaveArticle %s: %v", a.GUID, err)
	}
	return a
}

func testFeedUpsert(t *testing.T, db *DB) {
	ctx := context.Background()
	id1 := addFeed(t, db, "https://a.example/rss", "A", "wire", "en")
	id2 := addFeed(t, db, "https://b.example/rss", "B")
	if id1 == id2 {
		t.Fatalf("ids equal: %d", id1)
	}
	f, err := db.Feed(ctx, id1)
	if err != nil {
		t.Fatal(err)
	}
	if f.Status != news.StatusNew || f.NextPoll.After(time.Now()) || f.Created.IsZero() {
		t.Errorf("new feed: status %q next %v created %v", f.Status, f.NextPoll, f.Created)
	}
	if !reflect.DeepEqual(f.Tags, []string{"wire", "en"}) {
		t.Errorf("tags = %q", f.Tags)
	}
	f.Status, f.Failures, f.NextPoll = news.StatusError, 3, t0
	if err := db.SaveFeedState(ctx, f, ""); err != nil {
		t.Fatal(err)
	}
	rules := &news.Rules{Body: "div.story", Remove: []string{".share"}}
	again, err := db.UpsertFeed(ctx, news.Feed{URL: "https://a.example/rss", Name: "A2", Tags: []string{"ar"}, Rules: rules})
	if err != nil || again != id1 {
		t.Fatalf("re-upsert = %d, %v; want %d", again, err, id1)
	}
	g, err := db.Feed(ctx, id1)
	if err != nil {
		t.Fatal(err)
	}
	if g.Name != "A2" || !reflect.DeepEqual(g.Tags, []string{"ar"}) || !reflect.DeepEqual(g.Rules, rules) {
		t.Errorf("updated feed = %+v", g)
	}
	if g.Status != news.StatusError || g.Failures != 3 || !g.NextPoll.Equal(t0) {
		t.Errorf("re-upsert touched state: %+v", g)
	}
	fs, err := db.Feeds(ctx)
	if err != nil || len(fs) != 2 || fs[0].ID != id1 || fs[1].ID != id2 {
		t.Fatalf("Feeds = %+v, %v", fs, err)
	}
	if fs[1].Tags == nil || len(fs[1].Tags) != 0 {
		t.Errorf("feed without tags: %#v", fs[1].Tags)
	}
}

func testFeedRemove(t *testing.T, db *DB) {
	ctx := context.Background()
	id := addFeed(t, db, "https://a.example/rss", "A", "wire")
	a := save(t, db, art(id, "a.example", "1", 0, "T", "x"), Assignment{})
	if err := db.RemoveFeed(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := db.RemoveFeed(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Errorf("second remove: %v", err)
	}
	got, err := db.Article(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.FeedID != 0 || got.Title != "T" {
		t.Errorf("article after remove = %+v", got)
	}
}

func testFeedState(t *testing.T, db *DB) {
	ctx := context.Background()
	id := addFeed(t, db, "https://a.example/rss", "A")
	want, err := db.Feed(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want.ETag, want.LastModified, want.Status = `"abc"`, "Wed, 21 Oct 2026 07:28:00 GMT", news.StatusFailing
	want.ErrorClass, want.LastError, want.Failures = "timeout", "fetch: timeout", 4
	want.LastPolled, want.NextPoll = t0.Add(123456789*time.Nanosecond), t0.Add(time.Hour)
	want.Interval, want.LatencyMS, want.LastItemAt = 45*time.Minute, 321, t0.Add(-time.Hour)
	want.Gap, want.Stale = true, true
	if err := db.SaveFeedState(ctx, want, "nobody"); err != nil {
		t.Fatal(err)
	}
	got, err := db.Feed(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want.LastPolled = want.LastPolled.Truncate(time.Microsecond)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
	}
	if err := db.SaveFeedState(ctx, news.Feed{ID: 999}, ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("save unknown feed: %v", err)
	}
}

// testLease: the feed leases under LeaseFrontier, as the poller takes
// them. A feed is never leased twice, not even when its host changes hands
// while it is being written; saving its state or releasing it frees it;
// a dead worker's feeds and hosts are taken over once their lease expires.
func testLease(t *testing.T, db *DB) {
	ctx := context.Background()
	feed := func(url string, next time.Time) int64 {
		t.Helper()
		id := addFeed(t, db, url, "F")
		f, err := db.Feed(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		f.NextPoll = next
		if err := db.SaveFeedState(ctx, f, ""); err != nil {
			t.Fatal(err)
		}
		return id
	}
	a0 := feed("https://a.example/0", t0.Add(-3*time.Minute))
	a1 := feed("https://a.example/1", t0.Add(-time.Minute))
	b0 := feed("https://b.example/0", t0.Add(-2*time.Minute))
	b1 := feed("https://b.example/1", t0.Add(-time.Hour))
	feed("https://c.example/0", t0.Add(time.Hour)) // not due
	if n, err := db.DueCount(ctx, t0); err != nil || n != 4 {
		t.Errorf("DueCount = %d, %v; want 4", n, err)
	}
	round := func(now time.Time, owner string, limit int) []int64 {
		t.Helper()
		l, err := db.LeaseFrontier(ctx, LeaseSpec{Now: now, Owner: owner, Lease: time.Minute, Limit: limit})
		if err != nil {
			t.Fatal(err)
		}
		return feedIDs(l.Feeds)
	}
	// Alone, w1 claims both hosts with due feeds and takes the first due
	// feed of each, longest due first.
	if got := round(t0, "w1", 2); !reflect.DeepEqual(got, []int64{b1, a0}) {
		t.Errorf("w1 leased %v; want %v", got, []int64{b1, a0})
	}
	if got := round(t0, "w2", 10); len(got) != 0 {
		t.Errorf("w2 leased %v of w1's hosts; want none", got)
	}
	if got := round(t0, "w1", 10); !reflect.DeepEqual(got, []int64{b0, a1}) {
		t.Errorf("w1's second round leased %v; want %v", got, []int64{b0, a1})
	}
	// w1 hands host a over while it still writes a0: w2 gets a1, not a0.
	if err := db.HandOver(ctx, "w1", HostLease{Host: "a.example"}, []int64{a1}); err != nil {
		t.Fatal(err)
	}
	if got := round(t0, "w2", 10); !reflect.DeepEqual(got, []int64{a1}) {
		t.Errorf("w2 leased %v after the hand-over; want %v", got, []int64{a1})
	}
	if got := round(t0, "w3", 10); len(got) != 0 {
		t.Errorf("w3 leased %v; want none", got)
	}
	// w1 stores b1 and gives a0 up, then dies with b0; w2 dies with a1.
	f, err := db.Feed(ctx, b1)
	if err != nil {
		t.Fatal(err)
	}
	f.Status, f.NextPoll = news.StatusOK, t0.Add(time.Hour)
	if err := db.SaveFeedState(ctx, f, "w1"); err != nil {
		t.Fatal(err)
	}
	if err := db.ReleaseLease(ctx, a0, "w1"); err != nil {
		t.Fatal(err)
	}
	if got := round(t0.Add(30*time.Second), "w3", 10); len(got) != 0 {
		t.Errorf("w3 leased %v before the leases expired; want none", got)
	}
	if got, want := round(t0.Add(2*time.Minute), "w3", 10), []int64{a0, b0, a1}; !reflect.DeepEqual(got, want) {
		t.Errorf("w3 after expiry leased %v; want %v", got, want)
	}
	if l, err := db.LeaseFrontier(ctx, LeaseSpec{Now: t0, Owner: "w4", Lease: time.Minute}); err != nil || len(l.Feeds) != 0 || len(l.Hosts) != 0 {
		t.Errorf("limit 0: %+v, %v", l, err)
	}
}

func feedIDs(fs []news.Feed) []int64 {
	ids := []int64{}
	for _, f := range fs {
		ids = append(ids, f.ID)
	}
	return ids
}

func testKnownItems(t *testing.T, db *DB) {
	ctx := context.Background()
	fa := addFeed(t, db, "https://a.example/rss", "A")
	fb := addFeed(t, db, "https://b.example/rss", "B")
	a := art(fa, "a.example", "g1", 0, "T", "x")
	a.ItemHash = "h1"
	save(t, db, a, Assignment{})
	mine, theirs := Known{ArticleID: a.ID, ItemHash: "h1", Own: true}, Known{ArticleID: a.ID, ItemHash: "h1"}
	keys := []ItemKey{
		{GUID: "g1"}, // same feed, same GUID
		{GUID: "g2", CanonicalURL: "https://a.example/g1"}, // same canonical URL
		{GUID: "g3", CanonicalURL: "https://a.example/g3"}, // new
		{}, // empty never matches
	}
	got, err := db.KnownItems(ctx, fa, keys)
	if err != nil {
		t.Fatal(err)
	}
	if want := []Known{mine, mine, {}, {}}; !reflect.DeepEqual(got, want) {
		t.Errorf("feed a: %v; want %v", got, want)
	}
	got, err = db.KnownItems(ctx, fb, keys)
	if err != nil {
		t.Fatal(err)
	}
	if want := []Known{{}, theirs, {}, {}}; !reflect.DeepEqual(got, want) {
		t.Errorf("feed b: %v; want %v", got, want)
	}
	many := make([]ItemKey, 450)
	for i := range many {
		many[i] = ItemKey{GUID: fmt.Sprintf("x%d", i)}
	}
	many[420].GUID = "g1"
	got, err = db.KnownItems(ctx, fa, many)
	if err != nil || len(got) != 450 || got[420] != mine || got[419] != (Known{}) {
		t.Errorf("batched: len %d, [420]=%v, err %v", len(got), got[420], err)
	}
}
