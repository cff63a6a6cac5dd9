package dedup

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestThinning checks the table budget: past it, the oldest stories are
// thinned, the table stays near the budget, and copies of the oldest
// stories (trimmed, re-headlined) still find them.
func TestThinning(t *testing.T) {
	const n = 3000
	texts := testTexts(n)
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		memory int64
		thin   bool
	}{
		{"no limit", -1, false},
		{"default", 0, false},
		{"2MiB", 2 << 20, true},
		{"1MiB", 1 << 20, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ix := NewIndex(Options{Memory: tc.memory})
			for i, text := range texts {
				ix.Add(&Doc{ID: fmt.Sprint("a", i), Outlet: "wire", Text: text, Published: t0.Add(time.Duration(i) * time.Second)})
			}
			if tc.memory > 0 && ix.shingles.bytes() > tc.memory {
				t.Errorf("table takes %d bytes, budget %d", ix.shingles.bytes(), tc.memory)
			}
			if thinned := ix.levelOf(ix.firstNum) > 0; thinned != tc.thin {
				t.Errorf("oldest story at level %d, want thinned=%v", ix.levelOf(ix.firstNum), tc.thin)
			}
			at := t0.Add(n * time.Second)
			for _, i := range []int{0, 1, 2, n / 2, n - 1} {
				paras := strings.Split(texts[i], "\n\n")
				trimmed := "Another Outlet | News\n\n" + strings.Join(paras[:4], "\n\n")
				r := ix.Add(&Doc{ID: fmt.Sprint("copy", i), Outlet: "other", Text: trimmed, Published: at})
				if want := fmt.Sprint("a", i); r.Cluster != want {
					t.Errorf("trimmed copy of story %d (level %d): %+v, want cluster %s", i, ix.levelOf(ix.firstNum+uint32(i)), r, want)
				}
			}
			for _, i := range []int{3, 4} {
				r := ix.Add(&Doc{ID: fmt.Sprint("other", i), Outlet: "other", Text: texts[i][:len(texts[i])/3] + " " + texts[i+100][len(texts[i+100])/3:], Published: at})
				if r.DuplicateOf != "" && r.Score >= 0.9 {
					t.Errorf("a third of story %d matched at %.2f (%s)", i, r.Score, r.Reason)
				}
			}
		})
	}
}
