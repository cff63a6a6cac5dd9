package web

import (
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// TestMemberLags: a copy's lag counts from the earliest publication among
// the members, not from when wiredesk first saw the story (a desk that
// starts polling, or a late feed, sees days-old copies at once).
func TestMemberLags(t *testing.T) {
	pub := testNow.Add(-30 * time.Hour)
	st := news.Story{ID: 1, Representative: 1, FirstSeen: testNow, LastSeen: testNow,
		Members: []news.Article{
			{ID: 1, Outlet: "Sputnik", Published: pub, Seen: testNow},
			{ID: 2, Outlet: "UrduPoint", Published: pub.Add(45 * time.Minute), Seen: testNow, DuplicateOf: 1},
			{ID: 3, Outlet: "Sahil", Published: pub.Add(5*time.Hour + 25*time.Minute), Seen: testNow, DuplicateOf: 1},
			{ID: 4, Outlet: "Undated", Seen: testNow, DuplicateOf: 1},
		}}
	rows, _, _ := memberRows(st, 0)
	want := []time.Duration{0, 45 * time.Minute, 5*time.Hour + 25*time.Minute, 0}
	for i, r := range rows {
		if r.Lag != want[i] {
			t.Errorf("member %d (%s): lag %v, want %v", r.ID, r.Outlet, r.Lag, want[i])
		}
	}
}

// TestNewStoryRow: the list's "within" is the publishing spread of the
// copies when they carry dates (a desk that polls a backlog sees them all
// at once), else the spread of first sight.
func TestNewStoryRow(t *testing.T) {
	st := news.Story{ID: 1, FirstSeen: testNow, LastSeen: testNow.Add(time.Second)}
	pub := testNow.Add(-30 * time.Hour)
	for name, c := range map[string]struct {
		stats  news.StoryStats
		spread time.Duration
		note   string
	}{
		"published": {news.StoryStats{FirstPublished: pub, LastPublished: pub.Add(5*time.Hour + 25*time.Minute)}, 5*time.Hour + 25*time.Minute, ""},
		"undated":   {news.StoryStats{}, time.Second, ""},
		"revised": {news.StoryStats{FirstPublished: pub, LastPublished: pub, Revised: 1, Versions: 2, Updated: testNow.Add(2 * time.Hour)},
			0, "updated 2×, last +2h00m"},
	} {
		t.Run(name, func(t *testing.T) {
			r := newStoryRow(st, c.stats)
			if r.Spread != c.spread || r.Updated != c.note {
				t.Errorf("row: spread %v, note %q; want %v, %q", r.Spread, r.Updated, c.spread, c.note)
			}
		})
	}
}
