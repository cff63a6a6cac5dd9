package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/wiredesk/wiredesk/scraper/extract"
)

// TestExtractTooLarge: a page over the extractor's cap is refused with
// too_large after reading at most the cap, whatever the input: a 300 MB
// file, an endless device, a gzip bomb.
func TestExtractTooLarge(t *testing.T) {
	dir := t.TempDir()
	huge := filepath.Join(dir, "huge.html")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(300 << 20); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zero := make([]byte, 1<<20)
	for range 64 {
		zw.Write(zero)
	}
	zw.Close()
	bombPath := filepath.Join(dir, "bomb.html.gz")
	if err := os.WriteFile(bombPath, bomb.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	atCap := filepath.Join(dir, "cap.html")
	if err := os.WriteFile(atCap, bytes.Repeat([]byte("a"), extract.DefaultMaxBytes), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		path    string
		tooBig  bool
		skipped bool
	}{
		"300 MB file":    {path: huge, tooBig: true},
		"gzip bomb":      {path: bombPath, tooBig: true},
		"/dev/zero":      {path: "/dev/zero", tooBig: true},
		"exactly at cap": {path: atCap},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := os.Stat(c.path); err != nil {
				t.Skip(err)
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			data, err := readPage(c.path)
			runtime.ReadMemStats(&after)
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 2*extract.DefaultMaxBytes+(4<<20) {
				t.Errorf("read allocated %d MB, want at most about the cap (%d MB)", alloc>>20, extract.DefaultMaxBytes>>20)
			}
			if c.tooBig != errors.Is(err, errPageTooLarge) {
				t.Fatalf("readPage = %d bytes, %v; too large: want %v", len(data), err, c.tooBig)
			}
		})
	}
	t.Run("command", func(t *testing.T) {
		code, _, errs := runCLI(t, "extract", huge)
		if code == exitOK || !strings.Contains(errs, "huge.html") || !strings.Contains(errs, "too_large") {
			t.Errorf("extract of a 300 MB file: exit %d, stderr %q; want a failure naming the file and too_large", code, errs)
		}
	})
}
