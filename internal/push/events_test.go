package push

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/news"
	"github.com/wiredesk/wiredesk/store"
)

// eventsStore is a store with n stories of two copies each, every first
// copy revised once: article, story, revision and alert events.
func eventsStore(tb testing.TB, n int) *store.DB {
	tb.Helper()
	db := pushStore(tb, store.AlertRule{Name: "two", MinOutlets: 2, To: []string{"ops"}})
	ctx := context.Background()
	now := time.Now()
	copyOf := func(outlet string, i int) news.Article {
		return news.Article{Outlet: outlet, GUID: fmt.Sprint(i), URL: fmt.Sprintf("https://%s/%d", outlet, i),
			Title: fmt.Sprintf("Story %d", i), Text: "text", Lang: "en", Published: now, Fetched: now}
	}
	for i := range n {
		err := db.Ingest(ctx, func(b *store.Batch) error {
			a, c := copyOf("a.example", i), copyOf("b.example", i)
			if err := b.SaveArticle(&a, store.Assignment{}); err != nil {
				return err
			}
			if err := b.SaveArticle(&c, store.Assignment{DuplicateOf: a.ID, Score: 1, Reason: "text"}); err != nil {
				return err
			}
			_, _, err := b.ReviseArticle(store.Revise{ArticleID: a.ID, Title: a.Title, Text: "text, updated", Seen: now},
				func(news.Article) (float64, string, bool) { return 0, "", false })
			return err
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	return db
}

// hiding is a store that has lost some articles since their events.
type hiding struct {
	*store.DB
	gone map[int64]bool
}

func (h hiding) ArticlesByID(ctx context.Context, ids []int64) (map[int64]news.Article, error) {
	m, err := h.DB.ArticlesByID(ctx, ids)
	for id := range h.gone {
		delete(m, id)
	}
	return m, err
}

func (h hiding) RevisionsByRef(ctx context.Context, refs []store.RevisionRef) (map[store.RevisionRef]news.Revision, error) {
	m, err := h.DB.RevisionsByRef(ctx, refs)
	for r := range m {
		if h.gone[r.ArticleID] {
			delete(m, r)
		}
	}
	return m, err
}

// TestEventsRender checks each event's data against the single reads: an
// article and a story as the API serves them, a revision, an alert's
// envelope, and {"id":N,"deleted":true} for what is gone.
func TestEventsRender(t *testing.T) {
	db := eventsStore(t, 3)
	ctx := context.Background()
	pes, err := db.EventsAfter(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	gone := pes[0].Ref // the first article event's article
	evs, err := (&Events{St: hiding{db, map[int64]bool{gone: true}}}).After(ctx, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != len(pes) {
		t.Fatalf("%d events; want %d", len(evs), len(pes))
	}
	kinds := map[string]int{}
	for i, e := range evs {
		pe := pes[i]
		kinds[pe.Kind]++
		var want any
		var err error
		switch pe.Kind {
		case "article":
			want, err = db.Article(ctx, pe.Ref)
		case "story":
			want, err = db.Story(ctx, pe.Ref)
		case "revision":
			var revs []news.Revision
			revs, err = db.ArticleRevisions(ctx, pe.Ref)
			for _, r := range revs {
				if r.Rev == pe.Rev {
					want = r
				}
			}
		case "alert":
			var a store.Alert
			a, err = db.Alert(ctx, pe.Ref)
			want = NewEnvelope(a)
		}
		if err != nil {
			t.Fatal(err)
		}
		if (pe.Kind == "article" || pe.Kind == "revision") && pe.Ref == gone {
			want = deleted{pe.Ref, true}
		}
		data, _ := json.Marshal(want)
		if e.Seq != pe.Seq || e.Kind != pe.Kind || string(e.Data) != string(data) {
			t.Errorf("event %d: %d %s %s; want %d %s %s", i, e.Seq, e.Kind, e.Data, pe.Seq, pe.Kind, data)
		}
	}
	if kinds["article"] != 6 || kinds["revision"] != 3 || kinds["story"] == 0 || kinds["alert"] != 3 {
		t.Errorf("event kinds %v; want 6 articles, 3 revisions, stories and 3 alerts", kinds)
	}
	if _, err := (&Events{St: db}).After(ctx, pes[len(pes)-1].Seq, 10); err != nil {
		t.Errorf("after the last event: %v", err)
	}
}

// BenchmarkEventsAfter renders a page of 500 events, as the live stream
// and the NATS publisher read them.
func BenchmarkEventsAfter(b *testing.B) {
	db := eventsStore(b, 200)
	ev := &Events{St: db}
	ctx := context.Background()
	for b.Loop() {
		evs, err := ev.After(ctx, 0, 500)
		if err != nil || len(evs) != 500 {
			b.Fatalf("%d events, %v", len(evs), err)
		}
	}
}
