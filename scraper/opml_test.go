package scraper

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseOPMLGolden(t *testing.T) {
	for _, name := range []string{"miniflux", "freshrss", "feedly", "old"} {
		t.Run(name, func(t *testing.T) {
			fh, err := os.Open(filepath.Join("testdata", "opml", name+".opml"))
			if err != nil {
				t.Fatal(err)
			}
			defer fh.Close()
			feeds, err := ParseOPML(fh)
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(feeds, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("opml", name), append(got, '\n'))
		})
	}
}

func TestParseOPMLErrors(t *testing.T) {
	tests := []struct {
		name, doc, class string
	}{
		{"empty", "", "parse"},
		{"html", "<!DOCTYPE html><html><body>hi</body></html>", "parse"},
		{"no feeds", `<opml version="2.0"><head/><body><outline text="empty"/></body></opml>`, "not_feed"},
		{"truncated", `<opml version="2.0"><body><outline text="a" xmlUrl="https://e.org/f"`, "parse"},
		{"too deep", `<opml><body>` + strings.Repeat(`<outline text="x">`, 40) + `<outline xmlUrl="https://e.org/f"/>` + strings.Repeat(`</outline>`, 40) + `</body></opml>`, "parse"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseOPML(strings.NewReader(tc.doc))
			if got := Class(err); got != tc.class {
				t.Errorf("Class = %q (%v), want %q", got, err, tc.class)
			}
		})
	}
}

func TestOPMLRoundTrip(t *testing.T) {
	feeds := []OPMLFeed{
		{URL: "https://example.org/world/rss.xml", Title: "Example World", SiteURL: "https://example.org/world/", Tags: []string{"wire", "en"}},
		{URL: "https://ar.example.org/rss?a=1&b=2", Title: "سبوتنيك عربي", Tags: []string{"ar"}},
		{URL: "https://loose.example.org/atom.xml", Title: "Loose <feed>"},
		{URL: "https://wire.example.com/ap.xml", Title: "AP", Tags: []string{"wire"}},
	}
	var buf bytes.Buffer
	if err := WriteOPML(&buf, "wiredesk feeds", feeds); err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join("opml", "export"), buf.Bytes())
	back, err := ParseOPML(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	byURL := map[string]OPMLFeed{}
	for _, f := range back {
		byURL[f.URL] = f
	}
	for _, want := range feeds {
		t.Run(want.URL, func(t *testing.T) {
			got, ok := byURL[want.URL]
			if !ok {
				t.Fatalf("feed lost in round trip")
			}
			if got.Title != want.Title || got.SiteURL != want.SiteURL || !reflect.DeepEqual(got.Tags, want.Tags) {
				t.Errorf("round trip = %+v, want %+v", got, want)
			}
		})
	}
}
