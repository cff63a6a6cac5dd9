package dedup

import (
	"slices"
	"testing"
	"time"
)

func TestStory(t *testing.T) {
	texts := testTexts(1)
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	docs := []Doc{
		{ID: "a", Outlet: "local-daily", Text: texts[0], Published: t0},
		{ID: "b", Outlet: "Wire", Text: "BEIRUT (AFP) - " + texts[0] + "\n\nextra", Published: t0.Add(time.Hour)},
		{ID: "c", Outlet: "other", Text: texts[0] + "\n\nmore words here", Published: t0.Add(2 * time.Hour)},
	}
	tests := []struct {
		name     string
		prefer   []string
		wantRep  string
		wantOrig string
	}{
		{"earliest", nil, "a", "AFP"},
		{"preferred outlet", []string{"wire"}, "b", "AFP"},
		{"preference order", []string{"other", "wire"}, "c", "AFP"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ix := NewIndex(Options{Prefer: tc.prefer})
			for i := range docs {
				ix.Add(&docs[i])
			}
			s, ok := ix.Story("a")
			if !ok {
				t.Fatal("story a not found")
			}
			if s.Representative != tc.wantRep || s.Origin != tc.wantOrig || !slices.Equal(s.Members, []string{"a", "b", "c"}) {
				t.Errorf("story = %+v, want representative %s origin %s members a b c", s, tc.wantRep, tc.wantOrig)
			}
			if _, ok := ix.Story("nope"); ok {
				t.Error("unknown story found")
			}
		})
	}
}
