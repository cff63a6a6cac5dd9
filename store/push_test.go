package store

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

func TestPush(t *testing.T) {
	cases := []backendCase{
		{"story rules decide once in the write", testPushStoryRules},
		{"events in commit order", testPushEvents},
		{"claim and settle deliveries", testPushClaim},
		{"feed health alerts", testPushFeedHealth},
		{"cursor lease", testPushCursor},
		{"reads by id match the single reads", testPushByID},
	}
	runOnBackends(t, cases)
}

// ingest saves a in one batch, joining the story of dupOf (0: a new one).
func ingest(t *testing.T, db *DB, a *news.Article, dupOf int64) {
	t.Helper()
	save(t, db, a, Assignment{DuplicateOf: dupOf, Score: 1, Reason: "text"})
}

func alertsOf(t *testing.T, db *DB) map[string]int {
	t.Helper()
	rows, err := db.r.Query(`SELECT rule, count(*) FROM alerts GROUP BY rule`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]int{}
	for rows.Next() {
		var r string
		var n int
		if err := rows.Scan(&r, &n); err != nil {
			t.Fatal(err)
		}
		got[r] = n
	}
	return got
}

func testPushStoryRules(t *testing.T, db *DB) {
	var mu sync.Mutex
	notified := map[string]int{}
	db.SetPush(PushOptions{Events: true, Rules: []AlertRule{
		{Name: "wide", MinOutlets: 3, Within: 6 * time.Hour, To: []string{"ops", "bus"}},
		{Name: "arabic", MinOutlets: 2, Lang: []string{"ar"}, To: []string{"ops"}},
		{Name: "words", Words: []string{"central bank"}, To: []string{"ops"}},
		{Name: "late", MinOutlets: 3, Within: time.Minute, To: []string{"ops"}},
		{Name: "tagged", MinOutlets: 2, Tags: []string{"wire"}, To: []string{"ops"}},
	}, Notify: func(m map[string]int) {
		mu.Lock()
		defer mu.Unlock()
		for k, v := range m {
			notified[k] += v
		}
	}})
	fa := addFeed(t, db, "https://a.example/rss", "A", "wire")
	fb := addFeed(t, db, "https://b.example/rss", "B")
	fc := addFeed(t, db, "https://c.example/rss", "C")
	first := art(fa, "a.example", "1", 0, "Central Bank holds", "The CENTRAL bank held rates.")
	ingest(t, db, first, 0)
	ingest(t, db, art(fb, "b.example", "1", 5, "Bank holds", "held"), first.ID)
	ingest(t, db, art(fb, "b.example", "2", 6, "Bank holds again", "held"), first.ID) // same outlet
	if got := alertsOf(t, db); got["wide"] != 0 || got["words"] != 1 || got["tagged"] != 1 {
		t.Fatalf("after 2 outlets: alerts %v; want words and tagged only", got)
	}
	ingest(t, db, art(fc, "c.example", "1", 10, "Bank holds", "held"), first.ID)
	ingest(t, db, art(fc, "c.example", "2", 11, "Bank holds", "held"), first.ID)
	want := map[string]int{"wide": 1, "words": 1, "tagged": 1}
	got := alertsOf(t, db)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("alerts %v; want %v (one per rule and story; not arabic, not late)", got, want)
	}
	mu.Lock()
	if fmt.Sprint(notified) != fmt.Sprint(want) {
		t.Errorf("notified %v; want %v", notified, want)
	}
	mu.Unlock()
	var body string
	if err := db.r.QueryRow(`SELECT body FROM alerts WHERE rule = 'wide'`).Scan(&body); err != nil {
		t.Fatal(err)
	}
	var s AlertStory
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		t.Fatal(err)
	}
	if s.ID != first.StoryID || len(s.Outlets) != 3 || s.FirstOutlet != "a.example" || s.URL != first.URL {
		t.Errorf("alert story %+v", s)
	}
	var n int
	if err := db.r.QueryRow(`SELECT count(*) FROM alert_deliveries`).Scan(&n); err != nil || n != 4 {
		t.Errorf("deliveries %d (%v); want 4 (wide to 2 sinks, 2 rules to 1)", n, err)
	}
}

// pushStory stores, with push events on and rule "two" (a story at two
// outlets), a story of two copies from feeds A and B; the first copy is
// then revised once per text, an hour apart. It returns both copies and B.
func pushStory(t *testing.T, db *DB, revisions ...string) (first, second *news.Article, fb int64) {
	t.Helper()
	db.SetPush(PushOptions{Events: true, Rules: []AlertRule{{Name: "two", MinOutlets: 2, To: []string{"ops"}}}})
	fa := addFeed(t, db, "https://a.example/rss", "A")
	fb = addFeed(t, db, "https://b.example/rss", "B")
	first = art(fa, "a.example", "1", 0, "Bank holds", "held")
	ingest(t, db, first, 0)
	second = art(fb, "b.example", "1", 5, "Bank holds", "held")
	ingest(t, db, second, first.ID)
	for i, text := range revisions {
		err := db.Ingest(context.Background(), func(b *Batch) error {
			_, _, err := b.ReviseArticle(Revise{ArticleID: first.ID, Title: "Bank holds rates", Text: text,
				Seen: t0.Add(time.Duration(i+1) * time.Hour)}, func(news.Article) (float64, string, bool) { return 0, "", false })
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return first, second, fb
}

func testPushEvents(t *testing.T, db *DB) {
	ctx := context.Background()
	first, second, _ := pushStory(t, db, "held, update")
	evs, err := db.EventsAfter(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range evs {
		got = append(got, fmt.Sprintf("%s:%d:%d", e.Kind, e.Ref, e.Rev))
	}
	want := []string{
		fmt.Sprintf("article:%d:0", first.ID), fmt.Sprintf("story:%d:0", first.StoryID),
		fmt.Sprintf("article:%d:0", second.ID), fmt.Sprintf("story:%d:0", first.StoryID), "alert:1:0",
		fmt.Sprintf("revision:%d:2", first.ID), fmt.Sprintf("story:%d:0", first.StoryID),
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("events %v; want %v", got, want)
	}
	last, err := db.LastEvent(ctx)
	if err != nil || last != evs[len(evs)-1].Seq {
		t.Errorf("LastEvent %d, %v; want %d", last, err, evs[len(evs)-1].Seq)
	}
	rest, err := db.EventsAfter(ctx, evs[2].Seq, 100)
	if err != nil || len(rest) != len(evs)-3 || rest[0].Seq != evs[3].Seq {
		t.Errorf("EventsAfter(%d) = %v, %v; want the events from %d", evs[2].Seq, rest, err, evs[3].Seq)
	}
}

// testPushByID checks that the batch reads the live streams use give what
// the single reads give, and leave out what does not exist.
func testPushByID(t *testing.T, db *DB) {
	ctx := context.Background()
	first, second, fb := pushStory(t, db, "held, update", "held, second update")
	other := art(fb, "b.example", "2", 9, "Storm nears", "rain")
	ingest(t, db, other, 0)
	const missing = 1 << 40
	ids := []int64{first.ID, second.ID, other.ID, first.ID, missing}
	arts, err := db.ArticlesByID(ctx, ids)
	if err != nil || len(arts) != 3 {
		t.Fatalf("ArticlesByID = %d articles, %v; want 3", len(arts), err)
	}
	for _, id := range ids[:3] {
		one, err := db.Article(ctx, id)
		if err != nil || !reflect.DeepEqual(arts[id], one) {
			t.Errorf("ArticlesByID[%d] = %+v; Article gives %+v, %v", id, arts[id], one, err)
		}
	}
	sids := []int64{first.StoryID, other.StoryID, missing}
	stories, err := db.StoriesByID(ctx, sids)
	if err != nil || len(stories) != 2 {
		t.Fatalf("StoriesByID = %d stories, %v; want 2", len(stories), err)
	}
	for _, id := range sids[:2] {
		one, err := db.Story(ctx, id)
		if err != nil || !reflect.DeepEqual(stories[id], one) {
			t.Errorf("StoriesByID[%d] = %+v; Story gives %+v, %v", id, stories[id], one, err)
		}
	}
	if n := len(stories[first.StoryID].Members); n != 2 {
		t.Errorf("story %d has %d members; want 2", first.StoryID, n)
	}
	all, err := db.ArticleRevisions(ctx, first.ID)
	if err != nil || len(all) != 3 {
		t.Fatalf("ArticleRevisions = %d, %v; want 3 versions", len(all), err)
	}
	refs := []RevisionRef{{first.ID, 1}, {first.ID, 3}, {first.ID, 9}, {second.ID, 1}, {missing, 1}}
	revs, err := db.RevisionsByRef(ctx, refs)
	if err != nil || len(revs) != 3 {
		t.Fatalf("RevisionsByRef = %v, %v; want 3 versions", revs, err)
	}
	for _, want := range all[:1:1] {
		if got := revs[RevisionRef{first.ID, want.Rev}]; !reflect.DeepEqual(got, want) {
			t.Errorf("kept version %d = %+v; want %+v", want.Rev, got, want)
		}
	}
	if got := revs[RevisionRef{first.ID, 3}]; !reflect.DeepEqual(got, all[2]) {
		t.Errorf("current version = %+v; want %+v", got, all[2])
	}
	alerts, err := db.AlertsByID(ctx, []int64{1, missing})
	if err != nil || len(alerts) != 1 {
		t.Fatalf("AlertsByID = %v, %v; want alert 1", alerts, err)
	}
	if one, err := db.Alert(ctx, 1); err != nil || !reflect.DeepEqual(alerts[1], one) {
		t.Errorf("AlertsByID[1] = %+v; Alert gives %+v, %v", alerts[1], one, err)
	}
}

func testPushClaim(t *testing.T, db *DB) {
	ctx := context.Background()
	db.SetPush(PushOptions{Rules: []AlertRule{{Name: "one", To: []string{"ops", "bus"}}}})
	fa := addFeed(t, db, "https://a.example/rss", "A")
	for i := range 10 {
		ingest(t, db, art(fa, "a.example", fmt.Sprint(i), i, fmt.Sprintf("Story %d", i), "text"), 0)
	}
	now := time.Now()
	// Two deliverers claim at once: each delivery goes to one of them.
	var wg sync.WaitGroup
	claimed := make([][]Delivery, 2)
	for w := range 2 {
		wg.Go(func() {
			for {
				ds, err := db.ClaimDeliveries(ctx, fmt.Sprint("w", w), now, time.Minute, 3)
				if err != nil {
					t.Error(err)
					return
				}
				if len(ds) == 0 {
					return
				}
				claimed[w] = append(claimed[w], ds...)
			}
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, ds := range claimed {
		for _, d := range ds {
			k := fmt.Sprint(d.ID, d.Sink)
			if seen[k] || d.Attempts != 1 || d.Rule != "one" || len(d.Body) == 0 {
				t.Errorf("delivery %+v claimed twice or wrong", d)
			}
			seen[k] = true
		}
	}
	if len(seen) != 20 {
		t.Fatalf("claimed %d deliveries; want 20", len(seen))
	}
	w := 0
	if len(claimed[0]) == 0 {
		w = 1
	}
	d, owner := claimed[w][0], fmt.Sprint("w", w)
	if err := db.Settle(ctx, d, "other", DeliveryDelivered, now, now, ""); err == nil {
		t.Error("settled a delivery claimed by another owner")
	}
	if err := db.Settle(ctx, d, owner, DeliveryPending, now, now.Add(time.Second), "500"); err != nil {
		t.Fatal(err)
	}
	if ds, _ := db.ClaimDeliveries(ctx, "w2", now, time.Minute, 10); len(ds) != 0 {
		t.Errorf("claimed %d before the retry time", len(ds))
	}
	ds, err := db.ClaimDeliveries(ctx, "w2", now.Add(2*time.Second), time.Minute, 10)
	if err != nil || len(ds) != 1 || ds[0].ID != d.ID || ds[0].Attempts != 2 {
		t.Fatalf("retry claim %+v, %v", ds, err)
	}
	// An expired claim (a killed deliverer) is taken again.
	late := now.Add(2 * time.Minute)
	ds, err = db.ClaimDeliveries(ctx, "w3", late, time.Minute, 100)
	if err != nil || len(ds) != 20 {
		t.Fatalf("claims after expiry: %d, %v; want all 20 (the retried one's claim expired too)", len(ds), err)
	}
	if err := db.Settle(ctx, ds[0], "w3", DeliveryDelivered, late, late, ""); err != nil {
		t.Fatal(err)
	}
	log, err := db.DeliveryLog(ctx, 100)
	if err != nil || len(log) != 20 {
		t.Fatalf("log %d, %v", len(log), err)
	}
}

func testPushFeedHealth(t *testing.T, db *DB) {
	ctx := context.Background()
	db.SetPush(PushOptions{Rules: []AlertRule{{Name: "feeds", FeedHealth: []string{"failing", "stale"}, To: []string{"ops"}}}})
	id := addFeed(t, db, "https://a.example/rss", "A")
	f, err := db.Feed(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		status string
		gap    bool
		want   int
	}{
		{"ok", false, 0},
		{news.StatusFailing, false, 1},
		{news.StatusFailing, false, 1},
		{"ok", true, 2}, // failing ended; gap is not watched
	}
	for i, s := range steps {
		f.Status, f.Gap = s.status, s.gap
		if i%2 == 0 {
			err = db.SaveFeedState(ctx, f, "")
		} else {
			err = db.Ingest(ctx, func(b *Batch) error { return b.SaveFeedState(f, "") })
		}
		if err != nil {
			t.Fatal(err)
		}
		if got := alertsOf(t, db)["feeds"]; got != s.want {
			t.Errorf("step %d (%s): %d alerts; want %d", i, s.status, got, s.want)
		}
	}
}

func testPushCursor(t *testing.T, db *DB) {
	ctx := context.Background()
	now := time.Now()
	seq, ok, err := db.LeaseCursor(ctx, "s", "a", now, now.Add(time.Minute))
	if err != nil || !ok || seq != 0 {
		t.Fatalf("lease: %d %v %v", seq, ok, err)
	}
	if _, ok, _ := db.LeaseCursor(ctx, "s", "b", now, now.Add(time.Minute)); ok {
		t.Error("b took a's cursor")
	}
	if err := db.SaveCursor(ctx, "s", "a", 7); err != nil {
		t.Fatal(err)
	}
	seq, ok, err = db.LeaseCursor(ctx, "s", "b", now.Add(2*time.Minute), now.Add(3*time.Minute))
	if err != nil || !ok || seq != 7 {
		t.Errorf("b after expiry: %d %v %v; want 7", seq, ok, err)
	}
}
