package extract

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"unicode"
)

// TestCorpusQuality scores the extractor on the shared benchmark with the
// benchmark's own metric (see ../shared/bench/extraction/score) and fails
// on a regression below the floors. Skipped when the data is absent.
func TestCorpusQuality(t *testing.T) {
	if testing.Short() {
		t.Skip("corpus quality check skipped in -short mode")
	}
	// wcxb-dev-articles: the 793 development articles of WCXB (2025–26
	// blogs, news, guides, reviews); 0.912 before the modern-layout work,
	// 0.947 after, 0.951 after the third round, 0.952 after the fourth.
	floors := map[string]float64{"scrapinghub-dev": 0.975, "mozilla-readability": 0.977, "wcxb-dev-articles": 0.958}
	for corpus, floor := range floors {
		t.Run(corpus, func(t *testing.T) {
			pages := loadCorpus(t, corpus)
			truth := loadTruth(t, filepath.Join(benchDir, corpus, "ground-truth.jsonl"))
			var sumP, sumR float64
			var nP, nR int
			for id, text := range truth {
				body, ok := pages[id+".html.gz"]
				if !ok {
					t.Fatalf("page %s missing", id)
				}
				p, err := Extract(body, "", Options{})
				if err != nil {
					t.Fatalf("%s: %v", id, err)
				}
				tp, fp, fn := shingleScore(words(text), words(p.Text))
				if tp+fp > 0 {
					sumP += pageRatio(tp, fp, fn, fp)
					nP++
				}
				if tp+fn > 0 {
					sumR += pageRatio(tp, fp, fn, fn)
					nR++
				}
			}
			prec, rec := sumP/float64(max(nP, 1)), sumR/float64(max(nR, 1))
			f1 := 2 * prec * rec / (prec + rec)
			t.Logf("%s: F1=%.3f precision=%.3f recall=%.3f pages=%d", corpus, f1, prec, rec, len(truth))
			if f1 < floor {
				t.Errorf("F1 %.3f below floor %.3f", f1, floor)
			}
		})
	}
}

func loadTruth(t *testing.T, path string) map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	dec := json.NewDecoder(bufio.NewReader(f))
	for dec.More() {
		var r struct{ ID, Text string }
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out[r.ID] = r.Text
	}
	return out
}

// words splits s into runs of letters, numbers and '_' (Python's \w+).
func words(s string) []string {
	var out []string
	start := -1
	for i, r := range s {
		w := r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
		switch {
		case w && start < 0:
			start = i
		case !w && start >= 0:
			out = append(out, s[start:i])
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

func shingleCounts(toks []string) map[[4]string]int {
	m := map[[4]string]int{}
	if len(toks) == 0 {
		return m
	}
	for i := 0; i < max(1, len(toks)-3); i++ {
		var k [4]string
		copy(k[:], toks[i:min(i+4, len(toks))])
		m[k]++
	}
	return m
}

// shingleScore returns tp, fp, fn over 4-token shingles, normalised to sum 1.
func shingleScore(truth, pred []string) (tp, fp, fn float64) {
	tm, pm := shingleCounts(truth), shingleCounts(pred)
	for k, tc := range tm {
		pc := pm[k]
		tp += float64(min(tc, pc))
		fn += float64(max(0, tc-pc))
		fp += float64(max(0, pc-tc))
	}
	for k, pc := range pm {
		if _, ok := tm[k]; !ok {
			fp += float64(pc)
		}
	}
	if s := tp + fp + fn; s > 0 {
		tp, fp, fn = tp/s, fp/s, fn/s
	}
	return tp, fp, fn
}

// pageRatio is tp/(tp+miss), 1 when the page is exact.
func pageRatio(tp, fp, fn, miss float64) float64 {
	if fp == 0 && fn == 0 {
		return 1
	}
	if tp+miss == 0 {
		return 0
	}
	return tp / (tp + miss)
}
