// Command anchors runs another Go extractor over a corpus of the shared
// extraction benchmark and writes its predictions in the scorer's format
// ({"id","text"} per line), so that wiredesk can be measured side by side
// with it in one run (scripts/bench-anchors.sh). It is a benchmark tool in a
// module of its own: the extractors it links are never part of wiredesk.
//
//	go run . -x trafilatura-fallback DIR > pred.jsonl
//
// Extractors: trafilatura, trafilatura-fallback (go-trafilatura with its
// readability and dom-distiller fallback), readeck (readeck/go-readability).
// One goroutine, pages in id order.
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	trafilatura "github.com/markusmobius/go-trafilatura"
)

// extractors maps a name to a function from page bytes and URL to text.
var extractors = map[string]func(page []byte, u *url.URL) (string, error){
	"trafilatura": func(page []byte, u *url.URL) (string, error) {
		return viaTrafilatura(page, u, false)
	},
	"trafilatura-fallback": func(page []byte, u *url.URL) (string, error) {
		return viaTrafilatura(page, u, true)
	},
	"readeck": func(page []byte, u *url.URL) (string, error) {
		a, err := readability.FromReader(bytes.NewReader(page), u)
		if err != nil {
			return "", err
		}
		if a.Node == nil {
			return "", nil
		}
		var sb strings.Builder
		if err := a.RenderText(&sb); err != nil {
			return "", err
		}
		return sb.String(), nil
	},
}

func viaTrafilatura(page []byte, u *url.URL, fallback bool) (string, error) {
	r, err := trafilatura.Extract(bytes.NewReader(page), trafilatura.Options{
		OriginalURL:     u,
		EnableFallback:  fallback,
		ExcludeComments: true,
	})
	if err != nil {
		return "", err
	}
	return r.ContentText, nil
}

func main() {
	name := flag.String("x", "trafilatura-fallback", "extractor: trafilatura, trafilatura-fallback or readeck")
	flag.Parse()
	extract, ok := extractors[*name]
	if !ok || flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: anchors -x trafilatura|trafilatura-fallback|readeck CORPUS_DIR")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), extract, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "anchors:", err)
		os.Exit(1)
	}
}

func run(dir string, extract func([]byte, *url.URL) (string, error), out io.Writer) error {
	urls, err := pageURLs(filepath.Join(dir, "ground-truth.jsonl"))
	if err != nil {
		return err
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.html.gz"))
	if err != nil {
		return err
	}
	sort.Strings(files)
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	for _, f := range files {
		id := strings.TrimSuffix(filepath.Base(f), ".html.gz")
		page, err := gunzip(f)
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		u, _ := url.Parse(urls[id])
		text, err := extract(page, u)
		if err != nil {
			// A failed page is an empty prediction, as the scorer counts it.
			fmt.Fprintf(os.Stderr, "anchors: %s: %v\n", f, err)
			text = ""
		}
		if err := enc.Encode(struct {
			ID   string `json:"id"`
			Text string `json:"text"`
		}{id, text}); err != nil {
			return err
		}
	}
	return w.Flush()
}

func gunzip(path string) ([]byte, error) {
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

// pageURLs reads each page's URL from the corpus' ground truth.
func pageURLs(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	urls := map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var rec struct{ ID, URL string }
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		urls[rec.ID] = rec.URL
	}
	return urls, sc.Err()
}
