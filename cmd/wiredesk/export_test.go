package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/news"
	"github.com/wiredesk/wiredesk/store"
)

// TestExportRevisions revises an article twice through the store's write
// path and exports it: the article line carries the latest version and its
// count, -revisions one line per version, and the Atom entry of its story
// moves its updated time to the latest revision.
func TestExportRevisions(t *testing.T) {
	ctx := context.Background()
	db, path, fid := wireStore(t)
	seen := time.Now().UTC().Add(-3 * time.Hour).Truncate(time.Second)
	a := &news.Article{FeedID: fid, Outlet: "Wire", GUID: "g1", URL: "https://wire.example/1", CanonicalURL: "https://wire.example/1",
		Title: "Quake hits coast", Text: "A quake hit the coast.", Lang: "en", Published: seen, Fetched: seen}
	saveNew(t, db, a)
	versions := []struct {
		title, text string
		at          time.Time
	}{
		{"Quake hits coast", "A quake hit the coast.\n\nUPDATE 1: No damage was reported.", seen.Add(time.Hour)},
		{"Quake of 5.8 hits coast", "A quake of 5.8 hit the coast.\n\nUPDATE 1: No damage was reported.\n\nUPDATE 2: Aftershocks followed.", seen.Add(2 * time.Hour)},
	}
	for i, v := range versions {
		if err := db.Ingest(ctx, func(b *store.Batch) error {
			_, _, err := b.ReviseArticle(store.Revise{ArticleID: a.ID, Title: v.title, Text: v.text, ContentHash: fmt.Sprintf("h%d", i+2), Seen: v.at},
				func(news.Article) (float64, string, bool) { return 0, "", false })
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	t.Setenv("WIREDESK_STORE", "sqlite:"+path)
	cfg := writeFile(t, "c.yaml", "")
	last := versions[1].at.Format(time.RFC3339)

	code, out, errs := runCLI(t, "export", "-config", cfg)
	var rec map[string]any
	if err := json.Unmarshal([]byte(out), &rec); code != exitOK || err != nil {
		t.Fatalf("export: exit %d, %v: %s", code, err, errs)
	}
	if rec["revisions"] != 3.0 || rec["updated"] != last || rec["seen"] != seen.Format(time.RFC3339) ||
		rec["title"] != versions[1].title || !strings.Contains(rec["text"].(string), "UPDATE 2") {
		t.Errorf("article line = %v", rec)
	}

	code, out, errs = runCLI(t, "export", "-revisions", "-config", cfg)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != exitOK || len(lines) != 3 {
		t.Fatalf("export -revisions: exit %d, %d lines: %s", code, len(lines), errs)
	}
	for i, l := range lines {
		var r struct {
			Article int64  `json:"article"`
			Rev     int    `json:"rev"`
			Seen    string `json:"seen"`
			Title   string `json:"title"`
		}
		if err := json.Unmarshal([]byte(l), &r); err != nil || r.Article != a.ID || r.Rev != i+1 {
			t.Errorf("version line %d = %s (%v)", i, l, err)
		}
		if i == 2 && (r.Seen != last || r.Title != versions[1].title) {
			t.Errorf("latest version = %+v", r)
		}
	}

	code, out, errs = runCLI(t, "export", "-revisions", "-format", "csv", "-config", cfg)
	if code != exitOK || strings.Count(out, "\n") < 4 || !strings.HasPrefix(out, "article,rev,seen,title,content_hash,text\n") {
		t.Errorf("export -revisions -format csv: exit %d: %s%s", code, out, errs)
	}

	code, out, errs = runCLI(t, "export", "-format", "atom", "-config", cfg)
	if code != exitOK || !strings.Contains(out, "<updated>"+last+"</updated>") {
		t.Errorf("atom export lacks the revision's <updated>%s</updated>: exit %d\n%s%s", last, code, out, errs)
	}
}

// wireStore opens a fresh SQLite store at path holding one feed, "Wire"
// (id fid).
func wireStore(t *testing.T) (db *store.DB, path string, fid int64) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "w.db")
	db, err := store.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	fid, err = db.UpsertFeed(context.Background(), news.Feed{URL: "https://wire.example/rss", Name: "Wire"})
	if err != nil {
		t.Fatal(err)
	}
	return db, path, fid
}

// saveNew stores a as the first article of a new story, as the pipeline
// writes.
func saveNew(t *testing.T, db *store.DB, a *news.Article) {
	t.Helper()
	if err := db.Ingest(context.Background(), func(b *store.Batch) error { return b.SaveArticle(a, store.Assignment{}) }); err != nil {
		t.Fatal(err)
	}
}
