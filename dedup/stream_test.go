package dedup

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// devDir is the shared dev benchmark stream, relative to this package.
const devDir = "../../shared/bench/dedup/dev"

// labeledDoc is a document of a labeled stream.
type labeledDoc struct {
	Doc
	Story string
}

type devLine struct {
	ID        string    `json:"id"`
	Outlet    string    `json:"outlet"`
	URL       string    `json:"url"`
	Title     string    `json:"title"`
	Text      string    `json:"text"`
	Published time.Time `json:"published"`
	Lang      string    `json:"lang"`
}

// loadDev reads the dev stream and its labels, skipping when absent.
func loadDev(tb testing.TB) []labeledDoc {
	tb.Helper()
	f, err := os.Open(filepath.Join(devDir, "articles.jsonl.gz"))
	if os.IsNotExist(err) {
		tb.Skipf("dedup dev stream not found at %s (needs ../shared/bench)", devDir)
	}
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	var docs []labeledDoc
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var l devLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			tb.Fatal(err)
		}
		docs = append(docs, labeledDoc{Doc: Doc{ID: l.ID, Outlet: l.Outlet, URL: l.URL, Title: l.Title, Text: l.Text, Published: l.Published, Lang: l.Lang}})
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	lf, err := os.Open(filepath.Join(devDir, "labels.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	defer lf.Close()
	sc = bufio.NewScanner(lf)
	i := 0
	for sc.Scan() {
		var l struct{ ID, Story string }
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			tb.Fatal(err)
		}
		if i >= len(docs) || docs[i].ID != l.ID {
			tb.Fatalf("labels out of step with articles at %d", i)
		}
		docs[i].Story = l.Story
		i++
	}
	return docs
}

// pairScore is pair precision, recall and F1 of a clustering.
type pairScore struct {
	P, R, F1 float64
	clusters int
}

// scorePairs computes pair precision/recall/F1 over docs whose lang is
// lang ("" for all), as the shared scorer does.
func scorePairs(docs []labeledDoc, pred []string, lang string) pairScore {
	type sc struct{ s, c string }
	ns, nc, nsc := map[string]int64{}, map[string]int64{}, map[sc]int64{}
	for i, d := range docs {
		if lang != "" && d.Lang != lang {
			continue
		}
		ns[d.Story]++
		nc[pred[i]]++
		nsc[sc{d.Story, pred[i]}]++
	}
	pairs := func(n int64) int64 { return n * (n - 1) / 2 }
	var t, p, b int64
	for _, n := range ns {
		t += pairs(n)
	}
	for _, n := range nc {
		p += pairs(n)
	}
	for _, n := range nsc {
		b += pairs(n)
	}
	r := pairScore{P: 1, R: 1, clusters: len(nc)}
	if p > 0 {
		r.P = float64(b) / float64(p)
	}
	if t > 0 {
		r.R = float64(b) / float64(t)
	}
	if r.P+r.R > 0 {
		r.F1 = 2 * r.P * r.R / (r.P + r.R)
	}
	return r
}

// runStream adds docs to a fresh index and returns the clusters.
func runStream(docs []labeledDoc, opt Options) []string {
	ix := NewIndex(opt)
	pred := make([]string, len(docs))
	for i := range docs {
		pred[i] = ix.Add(&docs[i].Doc).Cluster
	}
	return pred
}

func TestDevQuality(t *testing.T) {
	if testing.Short() {
		t.Skip("dev stream quality test skipped in -short mode")
	}
	docs := loadDev(t)
	pred := runStream(docs, Options{})
	if out := os.Getenv("DEDUP_PRED"); out != "" {
		writePred(t, out, docs, pred)
	}
	tests := []struct {
		name        string
		lang        string
		minF1, minP float64
		minR        float64
	}{
		{"all", "", 0.99, 0.995, 0.985},
		{"ar", "ar", 0.985, 0, 0},
		{"en", "en", 0.985, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := scorePairs(docs, pred, tc.lang)
			t.Logf("F1=%.4f P=%.4f R=%.4f clusters=%d", s.F1, s.P, s.R, s.clusters)
			if s.F1 < tc.minF1 || s.P < tc.minP || s.R < tc.minR {
				t.Errorf("F1=%.4f P=%.4f R=%.4f, want F1>=%.3f P>=%.3f R>=%.3f", s.F1, s.P, s.R, tc.minF1, tc.minP, tc.minR)
			}
		})
	}
}

func writePred(t *testing.T, path string, docs []labeledDoc, pred []string) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for i, d := range docs {
		enc.Encode(map[string]string{"id": d.ID, "cluster": pred[i]})
	}
	w.Flush()
	f.Close()
}

func BenchmarkDevStream(b *testing.B) {
	docs := loadDev(b)
	b.ResetTimer()
	cpu := processCPU()
	for b.Loop() {
		runStream(docs, Options{})
	}
	// per CPU-second of the process (GC included): the machine is shared
	b.ReportMetric(float64(len(docs)*b.N)/(processCPU()-cpu).Seconds(), "docs/cpu-s")
}

// TestDevStats bounds the shingle entries kept per article on the dev
// stream (a table slot is 8 bytes, 10-13 an entry).
func TestDevStats(t *testing.T) {
	docs := loadDev(t)
	ix := NewIndex(Options{Window: 1000 * time.Hour})
	for i := range docs {
		ix.Add(&docs[i].Doc)
	}
	perDoc := float64(ix.shingles.len()) / float64(ix.Len())
	t.Logf("docs=%d stories=%d shingles=%d per-doc=%.1f", ix.Len(), ix.nstories, ix.shingles.len(), perDoc)
	if perDoc > 40 {
		t.Errorf("%.1f shingle entries per article, want at most 40", perDoc)
	}
}

// BenchmarkRebuild measures rebuilding an index from stored verdicts
// (Insert only), as after a restart.
func BenchmarkRebuild(b *testing.B) {
	docs := loadDev(b)
	ix := NewIndex(Options{})
	res := make([]Result, len(docs))
	for i := range docs {
		res[i] = ix.Add(&docs[i].Doc)
	}
	b.ResetTimer()
	cpu := processCPU()
	for b.Loop() {
		ix := NewIndex(Options{})
		for i := range docs {
			ix.Insert(&docs[i].Doc, res[i])
		}
	}
	b.ReportMetric(float64(len(docs)*b.N)/(processCPU()-cpu).Seconds(), "docs/cpu-s")
}
