package dedup

import (
	"fmt"
	"testing"
)

func TestDebugScores(t *testing.T) {
	for _, src := range []string{"dev", "dense"} {
		var docs []labeledDoc
		if src == "dev" {
			docs = loadDev(t)
		} else {
			docs = newDenseGen(1).stream(3, 400, 12)
		}
		ix := NewIndex(Options{})
		story := map[string]string{}
		hist := map[string][2]int{}
		for i := range docs {
			r := ix.Add(&docs[i].Doc)
			story[docs[i].ID] = docs[i].Story
			if r.DuplicateOf != "" && r.Reason[0] == 't' {
				b := fmt.Sprintf("%.1f", float64(int(r.Score*10))/10)
				h := hist[b]
				if story[r.DuplicateOf] == docs[i].Story {
					h[0]++
				} else {
					h[1]++
				}
				hist[b] = h
			}
		}
		t.Log(src, hist)
	}
}
