package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/wiredesk/wiredesk/scraper/extract"
)

// Soft memory limit for `wiredesk extract`: a base plus a share per extra job.
const (
	extractMemLimit  = 20 << 20
	extractMemPerJob = 16 << 20
)

// extractRecord is one line of `wiredesk extract` output.
type extractRecord struct {
	ID           string `json:"id"`
	Title        string `json:"title"`
	Text         string `json:"text"`
	Byline       string `json:"byline"`
	Published    string `json:"published"`
	Lang         string `json:"lang"`
	CanonicalURL string `json:"canonical_url"`
	Image        string `json:"image"`
}

// runExtract implements `wiredesk extract [-url U] [-j N] PATH...`.
func runExtract(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("extract", flag.ContinueOnError)
	fs.SetOutput(stderr)
	pageURL := fs.String("url", "", "page URL for resolving relative links")
	jobs := fs.Int("j", 1, "pages extracted in parallel (output order stays the same)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: wiredesk extract [-url U] [-j N] PATH...\n\nPATH is an .html, .htm or .html.gz file or a directory of them (not recursive).")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("extract: no PATH given")
	}
	if *jobs < 1 {
		return usagef("extract: -j must be at least 1")
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// A batch keeps one page's tree alive at a time (per job).
		// A soft limit stops the heap from doubling on the largest pages;
		// under it the collector may run less often than GOGC=100 would.
		debug.SetMemoryLimit(extractMemLimit + int64(*jobs-1)*extractMemPerJob)
		debug.SetGCPercent(200)
	}
	files, badPaths := extractInputs(fs.Args(), stderr)
	w := bufio.NewWriter(stdout)
	failed := badPaths + extractFiles(ctx, files, *pageURL, *jobs, w, stderr)
	if err := w.Flush(); err != nil {
		return fmt.Errorf("extract: write output: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("extract: %w", err)
	}
	if failed > 0 {
		return fmt.Errorf("extract: %d of %d inputs failed", failed, len(files)+badPaths)
	}
	return nil
}

// extractInputs expands the paths into a sorted list of page files; bad
// paths are reported on stderr and counted.
func extractInputs(paths []string, stderr io.Writer) ([]string, int) {
	var files []string
	failed := 0
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			fmt.Fprintf(stderr, "wiredesk: extract %s: %v\n", p, err)
			failed++
			continue
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			fmt.Fprintf(stderr, "wiredesk: extract %s: %v\n", p, err)
			failed++
			continue
		}
		var dir []string
		for _, e := range entries {
			if !e.IsDir() && pageID(e.Name()) != "" {
				dir = append(dir, filepath.Join(p, e.Name()))
			}
		}
		sort.Strings(dir)
		files = append(files, dir...)
	}
	return files, failed
}

// pageID is the file name without .html/.htm/.gz, or "" for other files.
func pageID(name string) string {
	base := strings.TrimSuffix(name, ".gz")
	for _, ext := range []string{".html", ".htm"} {
		if strings.HasSuffix(strings.ToLower(base), ext) {
			return base[:len(base)-len(ext)]
		}
	}
	return ""
}

type extractResult struct {
	line []byte
	err  error
}

// rawPage is a page read (and gunzipped) ahead of extraction.
type rawPage struct {
	i    int
	data []byte
	err  error
}

// extractFiles extracts every file with jobs extraction goroutines, while
// one more goroutine reads and gunzips up to two pages ahead; results are
// written in input order. It returns the number of failures.
func extractFiles(ctx context.Context, files []string, pageURL string, jobs int, w io.Writer, stderr io.Writer) int {
	results := make([]chan extractResult, len(files))
	for i := range results {
		results[i] = make(chan extractResult, 1)
	}
	pages := make(chan rawPage, 2)
	go func() {
		defer close(pages)
		for i, f := range files {
			if ctx.Err() != nil {
				pages <- rawPage{i: i, err: ctx.Err()}
				continue
			}
			data, err := readPage(f)
			pages <- rawPage{i: i, data: data, err: err}
		}
	}()
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for pg := range pages {
				if pg.err != nil {
					results[pg.i] <- extractResult{err: pg.err}
					continue
				}
				line, err := extractLine(files[pg.i], pg.data, pageURL)
				results[pg.i] <- extractResult{line, err}
			}
		}()
	}
	failed := 0
	for i, f := range files {
		r := <-results[i]
		if r.err != nil {
			fmt.Fprintf(stderr, "wiredesk: extract %s: %v\n", f, r.err)
			failed++
			continue
		}
		if _, err := w.Write(r.line); err != nil {
			fmt.Fprintf(stderr, "wiredesk: extract: write output: %v\n", err)
			failed++
		}
	}
	wg.Wait()
	return failed
}

// extractLine extracts one page read from path and returns its JSON line.
func extractLine(path string, data []byte, pageURL string) ([]byte, error) {
	p, err := extract.Extract(data, "", extract.Options{URL: pageURL})
	if err != nil {
		return nil, err
	}
	rec := extractRecord{
		ID: pageID(filepath.Base(path)), Title: p.Title, Text: p.Text, Byline: p.Byline,
		Lang: p.Lang, CanonicalURL: p.CanonicalURL, Image: p.Image,
	}
	if rec.ID == "" {
		rec.ID = filepath.Base(path)
	}
	if !p.Published.IsZero() {
		rec.Published = p.Published.Format(time.RFC3339)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rec); err != nil {
		return nil, fmt.Errorf("encode: %w", err)
	}
	return buf.Bytes(), nil
}

// errPageTooLarge is a page over the extractor's cap: it is refused,
// never read whole (a 300 MB file, /dev/zero).
var errPageTooLarge = fmt.Errorf("too_large: over %d bytes, the extractor's cap", extract.DefaultMaxBytes)

// readPage reads one page, gunzipping .gz files, into a buffer sized from
// the file (or the gzip size trailer) so that it is not regrown. It reads
// at most one byte past the extractor's cap, and a page over the cap is
// errPageTooLarge, however large (or endless, or bomb-like) the input is.
func readPage(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var src io.Reader = f
	hint := extract.DefaultMaxBytes + 1
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() < int64(hint) {
		hint = int(st.Size())
	}
	if strings.HasSuffix(path, ".gz") {
		hint = gzipSizeHint(f)
		zr, err := gzip.NewReader(bufio.NewReader(f))
		if err != nil {
			return nil, fmt.Errorf("gunzip: %w", err)
		}
		defer zr.Close()
		src = zr
	}
	// Room for the hint and two MinReads: ReadFrom grows the buffer when
	// less than MinRead is free, even before the read that returns EOF.
	buf := bytes.NewBuffer(make([]byte, 0, min(hint, extract.DefaultMaxBytes+1)+2*bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(src, extract.DefaultMaxBytes+1)); err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	if buf.Len() > extract.DefaultMaxBytes {
		return nil, errPageTooLarge
	}
	return buf.Bytes(), nil
}

// gzipSizeHint is the uncompressed size a regular gzip file's trailer
// gives (ISIZE, modulo 2^32), capped at one byte past the extractor's cap
// (the cap when it cannot be read). ReadAt leaves f at its start.
func gzipSizeHint(f *os.File) int {
	hint := extract.DefaultMaxBytes + 1
	var tail [4]byte
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() < 4 {
		return hint
	}
	if _, err := f.ReadAt(tail[:], st.Size()-4); err != nil {
		return hint
	}
	n := int(tail[0]) | int(tail[1])<<8 | int(tail[2])<<16 | int(tail[3])<<24
	return min(hint, n)
}
