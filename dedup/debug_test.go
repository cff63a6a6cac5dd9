package dedup

import (
	"os"
	"strings"
	"testing"
)

func TestDebugDocs(t *testing.T) {
	ids := os.Getenv("DEDUP_DEBUG")
	if ids == "" {
		t.Skip()
	}
	want := map[string]bool{}
	for _, id := range strings.Split(ids, ",") {
		want[id] = true
	}
	docs := loadDev(t)
	ix := NewIndex(Options{})
	story := map[string]string{}
	for i := range docs {
		d := &docs[i]
		if want[d.ID] {
			f := ix.fp.features(d.Text)
			inf, none, df2 := 0, 0, 0
			hits := map[uint32]int{}
			for _, h := range f.shingles {
				e, ok := ix.shingles.get(h)
				if !ok || ix.live(e.owner) == nil {
					inf++
					none++
					continue
				}
				if e.df >= 2 {
					df2++
					continue
				}
				inf++
				hits[e.owner]++
			}
			t.Logf("%s story=%s words=%d sampled=%d inf=%d new=%d df2=%d", d.ID, d.Story, f.words, len(f.shingles), inf, none, df2)
			for num, c := range hits {
				s := ix.live(num)
				t.Logf("   cand %s (true %s) hits=%d owned=%d", s.key, story[s.key], c, s.owned)
			}
		}
		r := ix.Add(&d.Doc)
		story[d.ID] = d.Story
		_ = r
	}
}
