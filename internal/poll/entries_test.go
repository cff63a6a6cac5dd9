package poll

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/wiredesk/wiredesk/news"
)

// TestEntriesAccounted: what a pass does with each entry beyond storing it
// (recovered, empty, over the cap, stored meanwhile, a field cut) is
// counted in wiredesk_feed_entries_total and the summary.
func TestEntriesAccounted(t *testing.T) {
	many := make([]string, 8)
	for i := range many {
		many[i] = fmt.Sprintf("<item><title>Item %d</title><link>http://many.example/%d</link></item>", i, i)
	}
	tests := []struct {
		name     string
		feeds    map[string]string
		maxItems int
		articles int
		outcomes map[string]float64
		meanwhil int
	}{
		{"over the cap", map[string]string{"/a": rssItems("A", many...)}, 5, 5, map[string]float64{"over_cap": 3}, 0},
		{"truncated document recovered", map[string]string{"/a": `<rss version="2.0"><channel><item><title>One</title><guid>1</guid></item><item><title>Two</title><guid>2</guid></item></channel></rss`},
			0, 2, map[string]float64{"recovered": 2}, 0},
		{"empty entry", map[string]string{"/a": rssItems("A", "<item></item>", "<item><title>Kept</title></item>")}, 0, 1, map[string]float64{"empty": 1}, 0},
		{"same link twice", map[string]string{"/a": rssItems("A",
			"<item><title>Shared</title><guid>1</guid><link>http://shared.example/1</link></item>",
			"<item><title>Shared again</title><guid>2</guid><link>http://shared.example/1</link></item>")},
			0, 1, map[string]float64{"stored_meanwhile": 1}, 1},
		{"5 MB title", map[string]string{"/a": rssItems("A", "<item><title>"+strings.Repeat("long\x00 ", 1<<20)+"</title><guid>1</guid></item>")},
			0, 1, map[string]float64{"title_capped": 1}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, p := newLoopbackPipeline(t, tt.feeds, tt.maxItems)
			sum, err := p.Pass(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if sum.Articles != tt.articles || sum.StoredMeanwhile != tt.meanwhil || sum.Articles+sum.StoredMeanwhile != sum.NewItems {
				t.Errorf("pass: %s; want %d articles, %d stored meanwhile", sum, tt.articles, tt.meanwhil)
			}
			for outcome, want := range tt.outcomes {
				if got := entriesCount(t, p, outcome); got != want {
					t.Errorf("entries{outcome=%s} = %v, want %v", outcome, got, want)
				}
			}
			err = db.WalkArticles(context.Background(), time.Time{}, func(a news.Article) error {
				if n := utf8.RuneCountInString(a.Title); n > news.MaxLine || strings.ContainsRune(a.Title, 0) {
					t.Errorf("title of %d characters stored (NUL: %v)", n, strings.ContainsRune(a.Title, 0))
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// entriesCount reads wiredesk_feed_entries_total{outcome} from p's registry.
func entriesCount(t *testing.T, p *Poller, outcome string) float64 {
	t.Helper()
	mfs, err := p.opt.Metrics.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "wiredesk_feed_entries_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "outcome" && l.GetValue() == outcome {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}
