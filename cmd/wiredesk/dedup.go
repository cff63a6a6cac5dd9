package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/wiredesk/wiredesk/dedup"
)

// dedupIn is one input line of `wiredesk dedup`.
type dedupIn struct {
	ID        *string `json:"id"`
	Outlet    string  `json:"outlet"`
	URL       string  `json:"url"`
	Title     string  `json:"title"`
	Text      *string `json:"text"`
	Published string  `json:"published"`
	Lang      string  `json:"lang"`
}

// dedupOut is one output line of `wiredesk dedup`.
type dedupOut struct {
	ID          string  `json:"id"`
	Cluster     string  `json:"cluster"`
	DuplicateOf string  `json:"duplicate_of"`
	Score       float64 `json:"score"`
	Reason      string  `json:"reason"`
}

func runDedup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("dedup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	window := fs.Duration("window", dedup.DefaultWindow, "compare against stories first seen this recently")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: wiredesk dedup [-window D] [FILE|-]\n\nFILE is JSON Lines (optionally .gz); - or no FILE reads stdin.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usagef("dedup: at most one FILE, got %d", fs.NArg())
	}
	if *window <= 0 {
		return usagef("dedup: -window must be positive, got %s", *window)
	}
	name := "-"
	if fs.NArg() == 1 {
		name = fs.Arg(0)
	}
	r, closeIn, err := openDedupInput(name)
	if err != nil {
		return err
	}
	defer closeIn()
	if name == "-" {
		name = "stdin"
	}
	return dedupStream(ctx, r, name, stdout, dedup.Options{Window: *window})
}

// openDedupInput opens FILE or stdin, decompressing gzip when the data is
// gzip (whatever the name).
func openDedupInput(name string) (io.Reader, func(), error) {
	var f *os.File
	if name == "-" {
		f = os.Stdin
	} else {
		var err error
		if f, err = os.Open(name); err != nil {
			return nil, nil, fmt.Errorf("read articles: %w", err)
		}
	}
	closeFn := func() {
		if f != os.Stdin {
			f.Close()
		}
	}
	br := bufio.NewReaderSize(f, 1<<20)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			closeFn()
			return nil, nil, fmt.Errorf("read %s: %w", name, err)
		}
		return bufio.NewReaderSize(zr, 1<<20), closeFn, nil
	}
	return br, closeFn, nil
}

// dedupStream deduplicates the JSON Lines on r in order. The verdicts of
// the lines before an error are written out.
func dedupStream(ctx context.Context, r io.Reader, name string, stdout io.Writer, opt dedup.Options) error {
	w := bufio.NewWriterSize(stdout, 1<<16)
	err := dedupLines(ctx, r, name, w, opt)
	if ferr := w.Flush(); ferr != nil && err == nil {
		err = fmt.Errorf("write output: %w", ferr)
	}
	return err
}

// dedupBatch is a run of parsed input lines; err ends the input.
type dedupBatch struct {
	docs []dedup.Doc
	err  error
}

// dedupBatchSize is the number of lines parsed ahead in one batch.
const dedupBatchSize = 256

// dedupLines runs the index over the documents that readDedupLines
// parses in another goroutine, so JSON decoding overlaps matching.
func dedupLines(ctx context.Context, r io.Reader, name string, w io.Writer, opt dedup.Options) error {
	batches := make(chan dedupBatch, 4)
	done := make(chan struct{})
	defer close(done)
	go readDedupLines(r, name, batches, done)
	ix := dedup.NewIndex(opt)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for b := range batches {
		if err := ctx.Err(); err != nil {
			return err
		}
		for i := range b.docs {
			res := ix.Add(&b.docs[i])
			out := dedupOut{ID: b.docs[i].ID, Cluster: res.Cluster, DuplicateOf: res.DuplicateOf, Score: res.Score, Reason: res.Reason}
			if err := enc.Encode(out); err != nil {
				return fmt.Errorf("write output: %w", err)
			}
		}
		if b.err != nil {
			return b.err
		}
	}
	return nil
}

// readDedupLines parses the JSON Lines on r into batches until the input
// ends, a line is malformed or done is closed.
func readDedupLines(r io.Reader, name string, out chan<- dedupBatch, done <-chan struct{}) {
	defer close(out)
	send := func(b dedupBatch) bool {
		select {
		case out <- b:
			return true
		case <-done:
			return false
		}
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	var batch []dedup.Doc
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		d, err := parseDedupLine(b)
		if err != nil {
			send(dedupBatch{docs: batch, err: fmt.Errorf("%s: line %d: %w", name, line, err)})
			return
		}
		if batch = append(batch, d); len(batch) == dedupBatchSize {
			if !send(dedupBatch{docs: batch}) {
				return
			}
			batch = nil
		}
	}
	var err error
	if serr := sc.Err(); serr != nil {
		err = fmt.Errorf("%s: line %d: %w", name, line+1, serr)
	}
	send(dedupBatch{docs: batch, err: err})
}

func parseDedupLine(b []byte) (dedup.Doc, error) {
	var in dedupIn
	if err := json.Unmarshal(b, &in); err != nil {
		return dedup.Doc{}, fmt.Errorf("malformed JSON: %w", err)
	}
	if in.ID == nil || *in.ID == "" {
		return dedup.Doc{}, errors.New("missing \"id\"")
	}
	if in.Text == nil {
		return dedup.Doc{}, fmt.Errorf("article %s: missing \"text\"", *in.ID)
	}
	d := dedup.Doc{ID: *in.ID, Outlet: in.Outlet, URL: in.URL, Title: in.Title, Text: *in.Text, Lang: in.Lang}
	if p := strings.TrimSpace(in.Published); p != "" {
		t, err := time.Parse(time.RFC3339, p)
		if err != nil {
			return dedup.Doc{}, fmt.Errorf("article %s: published %q: %w", *in.ID, p, err)
		}
		d.Published = t
	}
	return d, nil
}
