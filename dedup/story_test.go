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
	ix := NewIndex(Options{})
	for i := range docs {
		ix.Add(&docs[i])
	}
	s, ok := ix.Story("a")
	if !ok {
		t.Fatal("story a not found")
	}
	if s.Origin != "AFP" || !slices.Equal(s.Members, []string{"a", "b", "c"}) || !slices.Equal(s.Outlets, []string{"local-daily", "Wire", "other"}) {
		t.Errorf("story = %+v, want origin AFP, members a b c of local-daily, Wire, other", s)
	}
	if _, ok := ix.Story("nope"); ok {
		t.Error("unknown story found")
	}
}
