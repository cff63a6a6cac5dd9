package poll

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/news"
	"github.com/wiredesk/wiredesk/scraper"
	"github.com/wiredesk/wiredesk/store"
)

// newLoopbackPipeline serves the given feed bodies by path on 127.0.0.1
// and returns a poller over a fresh SQLite store holding one feed each.
func newLoopbackPipeline(t *testing.T, feeds map[string]string, maxItems ...int) (*store.DB, *Poller) {
	t.Helper()
	ctx := context.Background()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := feeds[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/xml")
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for path := range feeds {
		if _, err := db.UpsertFeed(ctx, news.Feed{URL: srv.URL + path, Name: strings.Trim(path, "/")}); err != nil {
			t.Fatal(err)
		}
	}
	fetcher, err := scraper.New(scraper.Options{UserAgent: "wiredesk-test", AllowNetworks: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")},
		PerHost: 2, HostDelay: time.Millisecond, Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	p := New(FromDB(db), fetcher, Options{Concurrency: 4, MaxItems: append(maxItems, 0)[0],
		Schedule: Schedule{Start: 30 * time.Minute, Min: 5 * time.Minute, Max: 6 * time.Hour}})
	return db, p
}

func rssItems(outlet string, items ...string) string {
	return `<?xml version="1.0"?><rss version="2.0"><channel><title>` + outlet + `</title>` +
		strings.Join(items, "") + `</channel></rss>`
}

// TestLinklessItemsKeyedByFeed: items without a link are known by (feed,
// GUID) or their content, never by a bare GUID shared across feeds.
func TestLinklessItemsKeyedByFeed(t *testing.T) {
	item := func(guid, text string) string {
		g := ""
		if guid != "" {
			g = "<guid>" + guid + "</guid>"
		}
		return "<item>" + g + "<title>" + text + "</title><description>" + text + " in full.</description></item>"
	}
	tests := []struct {
		name  string
		feeds map[string]string
		want  int
	}{
		{"shared guids 1-3", map[string]string{
			"/a": rssItems("A", item("1", "Ferry adds sailings"), item("2", "Council passes budget"), item("3", "Storm closes port")),
			"/b": rssItems("B", item("1", "Bank raises rates"), item("2", "Team wins final"), item("3", "Museum reopens")),
		}, 6},
		{"same text in two outlets", map[string]string{
			"/a": rssItems("A", item("1", "Example item")),
			"/b": rssItems("B", item("1", "Example item")),
		}, 2},
		{"no guid, content hash", map[string]string{
			"/a": rssItems("A", item("", "Ferry adds sailings"), item("", "Council passes budget")),
			"/b": rssItems("B", item("", "Ferry adds sailings")),
		}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, p := newLoopbackPipeline(t, tt.feeds)
			sum, err := p.Pass(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if sum.Articles != tt.want {
				t.Errorf("pass: %s; want %d articles", sum, tt.want)
			}
			n := 0
			if err := db.WalkArticles(context.Background(), time.Time{}, func(news.Article) error { n++; return nil }); err != nil {
				t.Fatal(err)
			}
			if n != tt.want {
				t.Errorf("%d articles stored, want %d", n, tt.want)
			}
		})
	}
}
