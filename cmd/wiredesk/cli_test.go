package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/store"
)

// runCLI runs wiredesk in-process and returns its exit status and output.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := exitCode(run(context.Background(), args, &out, &errb), &errb)
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestUsageAndConfigErrors(t *testing.T) {
	bad := writeFile(t, "bad.yaml", "store: mysql://x\npoll:\n  per_host: 0\nfeeds:\n  - url: ftp://x\n")
	unknown := writeFile(t, "unknown.yaml", "colour: blue\n")
	t.Setenv("WIREDESK_TOKEN", "tok-123-0123456789")
	good, _ := filepath.Abs(filepath.Join("..", "..", "config.yaml"))
	cases := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{"no command", nil, exitUsage, nil, []string{"usage: wiredesk"}},
		{"unknown command", []string{"frobnicate"}, exitUsage, nil, []string{`unknown command "frobnicate"`}},
		{"bad flag", []string{"poll", "-nope"}, exitUsage, nil, []string{"-nope"}},
		{"every config problem", []string{"check", "-config", bad}, exitUsage, nil,
			[]string{bad, "store:", "poll.per_host", "feeds[0].url"}},
		{"unknown key", []string{"check", "-config", unknown}, exitUsage, nil, []string{"colour"}},
		{"missing explicit config", []string{"check", "-config", "/nonexistent/c.yaml"}, exitUsage, nil, []string{"/nonexistent/c.yaml"}},
		{"valid config redacted", []string{"check", "-config", good}, exitOK, []string{"valid", "REDACTED", "per_host: 2"}, nil},
		{"export bad format", []string{"export", "-format", "xml"}, exitUsage, nil, []string{"xml"}},
		{"export revisions as a feed", []string{"export", "-revisions", "-format", "atom"}, exitUsage, nil, []string{"-revisions"}},
		{"export revisions of stories", []string{"export", "-revisions", "-stories"}, exitUsage, nil, []string{"-revisions"}},
		{"feeds bad subcommand", []string{"feeds", "sing"}, exitUsage, nil, []string{"sing"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runCLI(t, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.code, out, errs)
			}
			for _, w := range c.stdout {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			for _, w := range c.stderr {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
			if strings.Contains(out+errs, "tok-123-0123456789") {
				t.Error("the token leaked into the output")
			}
		})
	}
}

func TestDemoOnceAndExport(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "demo.db")
	code, out, errs := runCLI(t, "demo", "-once", "-store", dbPath)
	if code != exitOK {
		t.Fatalf("demo -once: exit %d\n%s\n%s", code, out, errs)
	}
	for _, w := range []string{"0 failed", "stories:", "Sputnik Arabic", "UrduPoint Arabic", ", 3 articles)", "1 revision(s) stored"} {
		if !strings.Contains(out, w) {
			t.Errorf("demo output lacks %q:\n%s", w, out)
		}
	}
	t.Setenv("WIREDESK_STORE", "sqlite:"+dbPath)
	code, out, errs = runCLI(t, "export", "-format", "jsonl", "-config", writeFile(t, "c.yaml", ""))
	if code != exitOK {
		t.Fatalf("export: exit %d: %s", code, errs)
	}
	// The export format's field list (export.ArticleRecord), exactly.
	keys := []string{"id", "story", "feed", "outlet", "url", "canonical_url", "title", "byline", "published",
		"seen", "updated", "revisions", "fetched", "lang", "text", "duplicate_of", "score", "reason", "origin"}
	lines, revised := 0, 0
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		lines++
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d: %v", lines, err)
		}
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				t.Errorf("line %d lacks %q", lines, k)
			}
		}
		if len(m) != len(keys) {
			t.Errorf("line %d has %d fields, want %d", lines, len(m), len(keys))
		}
		switch {
		case m["revisions"] == 2.0 && m["seen"] != "" && m["updated"].(string) > m["seen"].(string):
			revised++ // the story the demo's outlet updates
		case m["revisions"] != 1.0 || m["seen"] == "" || m["updated"] != m["seen"]:
			t.Errorf("line %d: revisions %v, seen %v, updated %v: want 1 version, updated = seen", lines, m["revisions"], m["seen"], m["updated"])
		}
	}
	if revised != 1 {
		t.Errorf("%d revised articles, want the demo's 1", revised)
	}
	if lines < 20 {
		t.Errorf("exported %d articles, want the demo's 20+", lines)
	}
	code, revs, errs := runCLI(t, "export", "-revisions", "-config", writeFile(t, "c.yaml", ""))
	if n := strings.Count(revs, "\n"); code != exitOK || n != lines+1 || !strings.Contains(revs, `"rev":2,`) {
		t.Errorf("export -revisions: exit %d, %d lines (want one version per article and the revision, %d): %s", code, n, lines+1, errs)
	}
	for _, format := range []string{"csv", "rss", "atom", "jsonfeed"} {
		code, out, errs = runCLI(t, "export", "-format", format, "-config", writeFile(t, "c.yaml", ""))
		if code != exitOK || len(out) < 100 {
			t.Errorf("export -format %s: exit %d, %d bytes: %s", format, code, len(out), errs)
		}
	}
}

// TestPollFailedFeedExit3 polls a good and a failing feed: the pass goes on,
// the failure is named with its class, and the exit status is 3.
func TestPollFailedFeedExit3(t *testing.T) {
	good := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>` +
			`<item><title>One</title><guid>1</guid><description>Alpha beta gamma delta.</description></item></channel></rss>`))
	}))
	defer good.Close()
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	}))
	defer bad.Close()
	dir := t.TempDir()
	cfg := writeFile(t, "c.yaml", `store: sqlite:`+filepath.Join(dir, "w.db")+`
http: {allow_networks: [127.0.0.1/32]}
scrape: {articles: false}
feeds:
  - url: `+good.URL+`/rss
  - url: `+bad.URL+`/rss
`)
	code, out, errs := runCLI(t, "poll", "-config", cfg)
	if code != exitFeedFailed {
		t.Fatalf("exit %d, want 3\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(errs, bad.URL+"/rss") || !strings.Contains(errs, "http_5xx") {
		t.Errorf("stderr does not name the failed feed and its class:\n%s", errs)
	}
	if !strings.Contains(out, "1 articles stored") {
		t.Errorf("the good feed was not stored: %s", out)
	}

	t.Run("second poll while one runs exits 0", func(t *testing.T) {
		db, err := store.Open(context.Background(), "sqlite:"+filepath.Join(dir, "w.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if ok, err := db.TryLock(context.Background(), "poll", "someone-else", time.Minute); !ok || err != nil {
			t.Fatalf("TryLock: %v %v", ok, err)
		}
		code, _, errs := runCLI(t, "poll", "-config", cfg)
		if code != exitOK || !strings.Contains(errs, "another poll is running") {
			t.Errorf("exit %d, stderr %q", code, errs)
		}
	})
}

func TestUnusableStoreIsFatal(t *testing.T) {
	// A directory in place of the database file: unusable even for root,
	// who ignores file modes.
	dir := t.TempDir()
	notAFile := filepath.Join(dir, "store.db")
	if err := os.Mkdir(notAFile, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("WIREDESK_STORE", "sqlite:"+notAFile)
	code, _, errs := runCLI(t, "poll", "-config", writeFile(t, "c.yaml", ""))
	if code != exitFatal || !strings.Contains(errs, notAFile) {
		t.Errorf("exit %d, stderr %q; want exit 1 naming the store", code, errs)
	}
}

// TestFeedsCommands adds, imports, lists, exports and removes feeds.
func TestFeedsCommands(t *testing.T) {
	t.Setenv("WIREDESK_STORE", "sqlite:"+filepath.Join(t.TempDir(), "w.db"))
	cfg := writeFile(t, "c.yaml", "")
	opml := writeFile(t, "subs.opml", `<?xml version="1.0"?><opml version="2.0"><body>
<outline text="World" title="World"><outline type="rss" text="Wire" xmlUrl="https://wire.example/rss"/></outline>
<outline type="rss" text="Daily" xmlUrl="https://daily.example/feed"/></body></opml>`)
	steps := []struct {
		args []string
		want string
	}{
		{[]string{"feeds", "-config", cfg, "add", "https://example.org/world/rss.xml", "-name", "Example World", "-tags", "wire,en"}, "feed 1"},
		{[]string{"feeds", "-config", cfg, "import", opml}, "imported 2 feeds"},
		{[]string{"feeds", "-config", cfg, "list"}, "Example World"},
		{[]string{"feeds", "-config", cfg, "export"}, "https://wire.example/rss"},
		{[]string{"feeds", "-config", cfg, "rm", "1"}, "removed feed 1"},
	}
	for _, s := range steps {
		code, out, errs := runCLI(t, s.args...)
		if code != exitOK || !strings.Contains(out, s.want) {
			t.Errorf("%v: exit %d, want %q in\n%s%s", s.args[4:], code, s.want, out, errs)
		}
	}
	if code, _, _ := runCLI(t, "feeds", "-config", cfg, "rm", "99"); code != exitFatal {
		t.Errorf("rm of an unknown feed: exit %d, want 1", code)
	}
	if code, _, _ := runCLI(t, "feeds", "-config", cfg, "add", "ftp://x"); code != exitUsage {
		t.Errorf("add of a non-http URL: exit %d, want 2", code)
	}
}
