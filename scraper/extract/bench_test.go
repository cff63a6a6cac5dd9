package extract

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"golang.org/x/net/html"
)

// benchDir is the shared extraction benchmark, outside the repository.
const benchDir = "../../../shared/bench/extraction"

// loadCorpus reads every page of one benchmark corpus, skipping when the
// benchmark data is absent (a clone without ../shared).
func loadCorpus(tb testing.TB, corpus string) map[string][]byte {
	tb.Helper()
	files, _ := filepath.Glob(filepath.Join(benchDir, corpus, "*.html.gz"))
	if len(files) == 0 {
		tb.Skipf("benchmark corpus %s not found under %s", corpus, benchDir)
	}
	sort.Strings(files)
	pages := make(map[string][]byte, len(files))
	for _, f := range files {
		data, err := readGz(f)
		if err != nil {
			tb.Fatalf("read %s: %v", f, err)
		}
		pages[filepath.Base(f)] = data
	}
	return pages
}

func readGz(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

func benchCorpus(b *testing.B, corpus string) {
	pages := loadCorpus(b, corpus)
	names := make([]string, 0, len(pages))
	var size int64
	for n, p := range pages {
		names = append(names, n)
		size += int64(len(p))
	}
	sort.Strings(names)
	b.SetBytes(size / int64(len(names)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		name := names[i%len(names)]
		if _, err := Extract(pages[name], "", Options{}); err != nil {
			b.Fatalf("%s: %v", name, err)
		}
	}
}

func BenchmarkExtractScrapinghub(b *testing.B) { benchCorpus(b, "scrapinghub-dev") }
func BenchmarkExtractReadability(b *testing.B) { benchCorpus(b, "mozilla-readability") }
func BenchmarkExtractWCXB(b *testing.B)        { benchCorpus(b, "wcxb-dev-articles") }

// BenchmarkParseOnly is the floor: x/net/html parsing of the same pages.
func BenchmarkParseOnly(b *testing.B) {
	pages := loadCorpus(b, "scrapinghub-dev")
	var all [][]byte
	for _, p := range pages {
		all = append(all, p)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := html.Parse(bytes.NewReader(all[i%len(all)])); err != nil {
			b.Fatal(err)
		}
	}
}
