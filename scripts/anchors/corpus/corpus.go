// Package corpus runs an extractor over a corpus of the shared extraction
// benchmark and writes its predictions in the scorer's format ({"id","text"}
// per line), one goroutine, pages in id order.
package corpus

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Main runs extract over the corpus directory named on the command line
// and writes the predictions to stdout; usage names the command.
func Main(usage string, args []string, extract func(page []byte, u *url.URL) (string, error)) {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage:", usage)
		os.Exit(2)
	}
	if err := Run(args[0], extract, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// Run writes extract's text of every page of dir to out. A page that fails
// is an empty prediction, as the scorer counts it, and is reported on stderr.
func Run(dir string, extract func([]byte, *url.URL) (string, error), out io.Writer) error {
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
			fmt.Fprintf(os.Stderr, "%s: %v\n", f, err)
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
