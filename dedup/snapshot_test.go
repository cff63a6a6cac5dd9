package dedup

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"time"
)

// TestSnapshot: an index loaded from a snapshot judges and grows exactly
// as the index it was taken from, in the heap and with every array mapped.
func TestSnapshot(t *testing.T) {
	for _, mapped := range []bool{false, true} {
		t.Run(fmt.Sprint("mapped=", mapped), func(t *testing.T) {
			if mapped {
				defer func(n int) { offHeapMin = n }(offHeapMin)
				offHeapMin = 1
			}
			texts := testTexts(60)
			t0 := time.Now().Add(-50 * time.Hour)
			doc := func(i int) Doc {
				text := texts[i%60]
				if i >= 60 {
					text = fmt.Sprintf("Outlet %d | Home\n\n%s\n\nRead more", i%7, text[:len(text)*3/4])
				}
				return Doc{ID: fmt.Sprint(i), Outlet: fmt.Sprintf("o%d", i%7), URL: fmt.Sprintf("https://o%d.example/%d", i%7, i),
					Title: fmt.Sprintf("Story %d", i%60), Text: text, Published: t0.Add(time.Duration(i) * 20 * time.Minute)}
			}
			opt := Options{Memory: 64 << 10} // small: thinned stories too
			ix := NewIndex(opt)
			for i := range 100 {
				d := doc(i)
				ix.Add(&d)
			}
			var buf bytes.Buffer
			if _, err := ix.WriteTo(&buf); err != nil {
				t.Fatal(err)
			}
			snap := buf.Bytes()
			loaded, err := ReadIndex(bytes.NewReader(snap), opt)
			if err != nil {
				t.Fatal(err)
			}
			for i := 100; i < 160; i++ {
				a, b := doc(i), doc(i)
				if ra, rb := ix.Add(&a), loaded.Add(&b); ra != rb {
					t.Errorf("doc %d: original %+v, loaded %+v", i, ra, rb)
				}
			}
			if _, err := ReadIndex(bytes.NewReader(snap), Options{Memory: 128 << 10}); !errors.Is(err, ErrSnapshot) {
				t.Errorf("other options: %v", err)
			}
			for _, cut := range []int{0, 10, len(snap) / 2, len(snap) - 1} {
				if _, err := ReadIndex(bytes.NewReader(snap[:cut]), opt); !errors.Is(err, ErrSnapshot) {
					t.Errorf("truncated at %d: %v", cut, err)
				}
			}
			bad := bytes.Clone(snap)
			bad[len(bad)/3] ^= 0x40
			if _, err := ReadIndex(bytes.NewReader(bad), opt); !errors.Is(err, ErrSnapshot) {
				t.Errorf("damaged: %v", err)
			}
		})
	}
}
