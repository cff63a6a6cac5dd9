package dedup

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkRebuildWindow loads an index of DEDUP_REBUILD_DOCS (default 20,000)
// documents of random words (the load newsroom's worst case: no shared
// shingles) from their sketches and, for comparison, from their texts.
//
//	DEDUP_REBUILD_DOCS=200000 go test -run '^$' -bench RebuildWindow -benchtime 1x ./dedup
func BenchmarkRebuildWindow(b *testing.B) {
	n, _ := strconv.Atoi(os.Getenv("DEDUP_REBUILD_DOCS"))
	if n <= 0 {
		n = 20000
	}
	rng := rand.New(rand.NewPCG(1, 2))
	vocab := make([]string, 4000)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("w%dx", rng.IntN(1<<30))
	}
	t0 := time.Now().Add(-48 * time.Hour)
	docs := make([]Doc, n)
	sketches := make([][]byte, n)
	total := int64(0)
	fpr := NewFingerprinter()
	for i := range docs {
		var ws []string
		for range 160 {
			ws = append(ws, vocab[rng.IntN(len(vocab))])
		}
		docs[i] = Doc{ID: strconv.Itoa(i), Outlet: "o" + strconv.Itoa(i%500), URL: fmt.Sprintf("https://h%d.example/%d", i%500, i),
			Title: "Story " + strconv.Itoa(i), Text: strings.Join(ws, " "), Published: t0.Add(time.Duration(i) * 48 * time.Hour / time.Duration(n))}
		sketches[i], _ = fpr.Fingerprint(&docs[i]).MarshalBinary()
		total += int64(len(sketches[i]))
	}
	b.Run("sketches", func(b *testing.B) {
		for b.Loop() {
			ix := NewIndex(Options{})
			ix.Grow(SketchShingles(total, n))
			var p Fingerprint
			for i := range docs {
				d := docs[i]
				d.Text, d.URL = "", ""
				if err := p.UnmarshalBinary(sketches[i]); err != nil {
					b.Fatal(err)
				}
				ix.InsertFingerprint(&d, &p, Result{Cluster: d.ID})
			}
		}
	})
	b.Run("snapshot", func(b *testing.B) {
		ix := NewIndex(Options{})
		var p Fingerprint
		for i := range docs {
			d := docs[i]
			d.Text, d.URL = "", ""
			if err := p.UnmarshalBinary(sketches[i]); err != nil {
				b.Fatal(err)
			}
			ix.InsertFingerprint(&d, &p, Result{Cluster: d.ID})
		}
		path := filepath.Join(b.TempDir(), "ix")
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		n, err := ix.WriteTo(f)
		if err != nil || f.Close() != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n)/float64(len(docs)), "bytes/doc")
		b.ResetTimer()
		for b.Loop() {
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := ReadIndex(f, Options{}); err != nil {
				b.Fatal(err)
			}
			f.Close()
		}
	})
	b.Run("texts", func(b *testing.B) {
		for b.Loop() {
			ix := NewIndex(Options{})
			for i := range docs {
				ix.Insert(&docs[i], Result{Cluster: docs[i].ID})
			}
		}
	})
}
