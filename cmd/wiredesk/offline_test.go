package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExtractCommand runs `wiredesk extract` over a directory with a good
// page, a gzipped one's stand-in and a file that is not a page.
func TestExtractCommand(t *testing.T) {
	dir := t.TempDir()
	page := `<html lang="en"><head><title>Harbor ferry adds sailings</title>
<link rel="canonical" href="https://harbor.example/ferry"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Harbor ferry adds sailings</h1>
<p>The operator of the cross-harbor ferry will add two extra weekday sailings starting Monday, after months of complaints from commuters about crowded boats.</p>
<p>The new departures leave at 7:10 and 8:40 in the morning and return in the evening rush, the operator said in a statement on Thursday.</p>
<p>Rider groups welcomed the change but said weekend service still needed work.</p></article>
<footer>© Harbor Times</footer></body></html>`
	if err := os.WriteFile(filepath.Join(dir, "ferry.html"), []byte(page), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a page"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "extract", dir)
	if code != exitOK {
		t.Fatalf("extract: exit %d: %s", code, errs)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &got); err != nil {
		t.Fatalf("output is not one JSON line: %v\n%s", err, out)
	}
	for k, want := range map[string]string{"id": "ferry", "title": "Harbor ferry adds sailings", "canonical_url": "https://harbor.example/ferry", "lang": "en"} {
		if got[k] != want {
			t.Errorf("%s = %v, want %q", k, got[k], want)
		}
	}
	text, _ := got["text"].(string)
	if strings.Count(text, "\n\n") != 2 || strings.Contains(text, "Home") || strings.Contains(text, "©") {
		t.Errorf("text is not the three paragraphs alone:\n%s", text)
	}
	if code, _, errs := runCLI(t, "extract", filepath.Join(dir, "missing.html")); code == exitOK || !strings.Contains(errs, "missing.html") {
		t.Errorf("missing file: exit %d, stderr %q", code, errs)
	}
}

// TestDedupCommand runs `wiredesk dedup` on a small stream with a copy, a
// new story and a malformed line.
func TestDedupCommand(t *testing.T) {
	body := "The European Union agreed a new package of sanctions early on Friday after talks that ran through the night in Brussels, officials said.\n\n" +
		"The measures target banks, shipping and a list of officials, and take effect next week once they are published in the official journal.\n\n" +
		"Diplomats said the talks stalled twice over energy exemptions before a compromise was found shortly before dawn."
	other := "The city council approved a budget for the coming year on Tuesday evening, raising spending on schools and road repairs by a small margin.\n\n" +
		"Council members argued for hours over the parks department, which will see its budget cut for a second year in a row."
	lines := []map[string]string{
		{"id": "a1", "outlet": "wire", "url": "https://wire.example/eu?utm_source=rss", "title": "EU agrees sanctions", "text": body, "published": "2026-11-28T06:00:00Z"},
		{"id": "a2", "outlet": "daily", "url": "https://daily.example/x", "title": "Sanctions deal reached", "text": "BRUSSELS (Reuters) - " + body, "published": "2026-11-28T07:00:00Z"},
		{"id": "a3", "text": other},
	}
	var in strings.Builder
	for _, l := range lines {
		b, _ := json.Marshal(l)
		in.Write(b)
		in.WriteByte('\n')
	}
	path := writeFile(t, "in.jsonl", in.String())
	code, out, errs := runCLI(t, "dedup", path)
	if code != exitOK {
		t.Fatalf("dedup: exit %d: %s", code, errs)
	}
	var res []struct{ ID, Cluster, DuplicateOf, Reason string }
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var r struct {
			ID          string `json:"id"`
			Cluster     string `json:"cluster"`
			DuplicateOf string `json:"duplicate_of"`
			Reason      string `json:"reason"`
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("bad output line %q: %v", l, err)
		}
		res = append(res, struct{ ID, Cluster, DuplicateOf, Reason string }{r.ID, r.Cluster, r.DuplicateOf, r.Reason})
	}
	if len(res) != 3 || res[1].Cluster != res[0].Cluster || res[1].DuplicateOf != "a1" || res[1].Reason == "" || res[2].Cluster == res[0].Cluster {
		t.Errorf("stories: %+v", res)
	}
	bad := writeFile(t, "bad.jsonl", in.String()+"{not json\n")
	if code, _, errs := runCLI(t, "dedup", bad); code == exitOK || !strings.Contains(errs, "4") {
		t.Errorf("malformed line: exit %d, stderr %q (want the line number)", code, errs)
	}
}
