package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// TestExportFeedsOnlyHTTPLinks: export -format rss|atom|jsonfeed over a
// store holding script, data and non-URL links carries none of them.
func TestExportFeedsOnlyHTTPLinks(t *testing.T) {
	db, path, fid := wireStore(t)
	seen := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	bad := []string{"javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "vbscript:msgbox(1)",
		"data:text/html,<script>alert(1)</script>", "&#106;avascript:alert(1)", "sha256:0123abcd", "1"}
	for i, u := range bad {
		a := &news.Article{FeedID: fid, Outlet: "Wire", GUID: fmt.Sprint("g", i), URL: u, CanonicalURL: u,
			Title: fmt.Sprintf("Story number %d about something else entirely %d", i, i*7919),
			Text:  strings.Repeat(fmt.Sprintf("Distinct text %d word%d. ", i, i*31), 20), Published: seen, Fetched: seen}
		saveNew(t, db, a)
	}
	db.Close()
	t.Setenv("WIREDESK_STORE", "sqlite:"+path)
	cfg := writeFile(t, "c.yaml", "")
	for _, format := range []string{"rss", "atom", "jsonfeed"} {
		t.Run(format, func(t *testing.T) {
			code, out, errs := runCLI(t, "export", "-format", format, "-config", cfg)
			if code != exitOK {
				t.Fatalf("export: exit %d: %s", code, errs)
			}
			low := strings.ToLower(out)
			for _, s := range []string{"javascript", "vbscript", "data:", "sha256:", "<link>1<", `"url": "1"`, "&amp;#106;"} {
				if strings.Contains(low, s) {
					t.Errorf("export -format %s carries %q", format, s)
				}
			}
			if strings.Count(out, "/stories/") < len(bad) {
				t.Errorf("export -format %s: entries do not link to their story pages:\n%s", format, out)
			}
		})
	}
}
