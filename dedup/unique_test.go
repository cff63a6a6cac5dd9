package dedup

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkUniqueStream measures the serial part of a large first poll
// pass (QueryFingerprint and Insert of pre-fingerprinted documents, as the
// poller's writer does) on documents that never share a shingle: four
// paragraphs of 40 words drawn from 4,000, like the load newsroom's items.
// It is the worst case for the table: every shingle is new, and past the
// default budget the oldest stories are thinned. DEDUP_UNIQUE=N sets the
// number of documents (default 200,000).
func BenchmarkUniqueStream(b *testing.B) {
	n := 200_000
	if v, err := strconv.Atoi(os.Getenv("DEDUP_UNIQUE")); err == nil && v > 0 {
		n = v
	}
	words := make([]string, 4000)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range words {
		w := make([]byte, 3+rng.IntN(7))
		for j := range w {
			w[j] = byte('a' + rng.IntN(26))
		}
		words[i] = string(w)
	}
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	for b.Loop() {
		b.StopTimer()
		ix := NewIndex(Options{})
		fpr := NewFingerprinter()
		const chunk = 10_000
		docs := make([]Doc, chunk)
		fps := make([]*Fingerprint, chunk)
		for start := 0; start < n; start += chunk {
			b.StopTimer()
			for i := range docs {
				var paras []string
				for range 4 {
					ws := make([]string, 40)
					for j := range ws {
						ws[j] = words[rng.IntN(len(words))]
					}
					paras = append(paras, strings.Join(ws, " "))
				}
				docs[i] = Doc{Outlet: "o" + strconv.Itoa(rng.IntN(500)), URL: fmt.Sprintf("http://h/%d", start+i),
					Title: strings.Join(strings.Fields(paras[0])[:8], " "), Text: strings.Join(paras, "\n\n"), Published: t0}
				fps[i] = fpr.Fingerprint(&docs[i])
			}
			b.StartTimer()
			for i := range docs {
				d := &docs[i]
				r := ix.QueryFingerprint(d, fps[i])
				d.ID = strconv.Itoa(start + i)
				if r.Cluster == "" {
					r.Cluster = d.ID
				}
				ix.Insert(d, r)
			}
		}
		b.StopTimer()
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/doc")
		b.ReportMetric(float64(MappedBytes())/(1<<20), "mapped-MB")
		b.StartTimer()
	}
}
