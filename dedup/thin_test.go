package dedup

import (
	"fmt"
	"runtime"
	"slices"
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

// TestThinAndEvict runs a dense stream through a short window and a small
// budget, so that closings, sweeps, thinnings and compactions interleave,
// and checks after every document that the story it joined is whole: its
// key, its members in order with their outlets, and the member it matched.
func TestThinAndEvict(t *testing.T) {
	docs := newDenseGen(3).stream(4, 300, 10)
	t.Run("heap", func(t *testing.T) { thinAndEvict(t, docs) })
	t.Run("mapped", func(t *testing.T) {
		// every array of the index in its own mapping, moved and released
		defer func(n int) { offHeapMin = n }(offHeapMin)
		offHeapMin = 1
		thinAndEvict(t, docs)
		runtime.GC() // the cleanup releases what the index still held
	})
}

func thinAndEvict(t *testing.T, docs []labeledDoc) {
	ix := NewIndex(Options{Window: 6 * time.Hour, Memory: 256 << 10})
	members := map[string][]string{} // story key -> member IDs, as the results say
	sweeps, thinned := 0, false
	for i := range docs {
		d := &docs[i].Doc
		firstNum := ix.firstNum
		r := ix.Add(d)
		if ix.firstNum != firstNum {
			sweeps++
		}
		thinned = thinned || ix.levelOf(ix.firstNum) > 0
		if r.DuplicateOf == "" && r.Cluster == d.ID {
			members[r.Cluster] = nil
		}
		members[r.Cluster] = append(members[r.Cluster], d.ID)
		st, ok := ix.Story(r.Cluster)
		if !ok {
			t.Fatalf("doc %d: story %s of its result is not live", i, r.Cluster)
		}
		if want := members[r.Cluster]; !slices.Equal(st.Members, want) {
			t.Fatalf("doc %d: story %s has members %v, want %v", i, r.Cluster, st.Members, want)
		}
		if st.Outlets[len(st.Outlets)-1] != d.Outlet {
			t.Fatalf("doc %d: last outlet %q, want %q", i, st.Outlets[len(st.Outlets)-1], d.Outlet)
		}
		if r.DuplicateOf != "" && !slices.Contains(st.Members, r.DuplicateOf) {
			t.Fatalf("doc %d: matched %s, not a member of %s", i, r.DuplicateOf, r.Cluster)
		}
	}
	if sweeps == 0 || !thinned {
		t.Errorf("closings %d, thinned %v: the stream did not exercise both", sweeps, thinned)
	}
}
