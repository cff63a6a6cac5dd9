package demo

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// goldenStart is when the newsroom of the golden files opens: the shift
// of the fixture dates is a function of it, so the files never move with
// the calendar.
var goldenStart = time.Date(2026, 12, 1, 7, 15, 30, 0, time.UTC)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// TestGolden renders chosen resources of some outlets for a fixed base URL
// and compares them with testdata/golden/*.golden (windows-1256 bytes are
// decoded first so that the golden files stay readable).
func TestGolden(t *testing.T) {
	specs, arts, err := loadManifest(fixtures)
	if err != nil {
		t.Fatalf("loadManifest: %v", err)
	}
	shiftArticles(arts, goldenStart)
	bySlug := map[string]outletSpec{}
	for _, o := range specs {
		bySlug[o.Slug] = o
	}
	tests := []struct {
		name, slug, path string
	}{
		{"sputnik-rss", "sputnik-ar", "/export/rss2/archive/index.xml"},
		{"sahil-rss-windows-1256", "sahil-ar", "/rss.xml"},
		{"manara-atom", "manara-ar", "/feeds/latest.atom"},
		{"valley-json", "valley-en", "/feed.json"},
		{"urdupoint-sputnik-page", "urdupoint-ar", "/arabic/news/2022-01-28/nato-chief-ready-to-sit-at-negotiating-table-with-russia-1456789.html"},
		{"sahil-sputnik-page", "sahil-ar", "/intl/2022/01/28/87412.html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := bySlug[tt.slug]
			s, err := buildSite(fixtures, o, arts[tt.slug], "http://"+tt.slug+".test")
			if err != nil {
				t.Fatalf("buildSite: %v", err)
			}
			res, ok := s.res[tt.path]
			if !ok {
				t.Fatalf("no resource at %s", tt.path)
			}
			got := res.body
			if o.Charset == "windows-1256" {
				if got, err = charmap.Windows1256.NewDecoder().Bytes(got); err != nil {
					t.Fatalf("decode: %v", err)
				}
			}
			file := filepath.Join("testdata", "golden", tt.name+".golden")
			if *update {
				if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("read golden (run with -update to create it): %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s; run go test -run TestGolden -update and review the diff", tt.path, file)
			}
		})
	}
}

func TestShiftArticles(t *testing.T) {
	_, orig, err := loadManifest(fixtures)
	if err != nil {
		t.Fatal(err)
	}
	_, arts, err := loadManifest(fixtures)
	if err != nil {
		t.Fatal(err)
	}
	shift := shiftArticles(arts, goldenStart)
	if shift%time.Minute != 0 {
		t.Errorf("shift %v: want whole minutes", shift)
	}
	var newest time.Time
	for slug, as := range arts {
		for i, a := range as {
			o := orig[slug][i]
			if a.Published.Sub(o.Published) != shift {
				t.Errorf("%s %s: moved by %v, want %v", slug, a.Path, a.Published.Sub(o.Published), shift)
			}
			if a.Published.Location() != o.Published.Location() {
				t.Errorf("%s %s: zone %v, want %v", slug, a.Path, a.Published.Location(), o.Published.Location())
			}
			if a.Published.After(newest) {
				newest = a.Published
			}
		}
	}
	if want := time.Date(2026, 12, 1, 7, 8, 0, 0, time.UTC); !newest.Equal(want) {
		t.Errorf("newest article at %v, want %v (a few minutes before the start)", newest, want)
	}
}
