package main

import (
	"bufio"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/wiredesk/wiredesk/dedup"
)

// feedCorpusMin is the share of the corpus files with substantive entries
// (by the reference parser) that must yield a stored item.
const feedCorpusMin = 0.95

// corpusRef is one line of the feed corpus's dev.reference.jsonl: what
// Python feedparser reads from one file.
type corpusRef struct {
	File        string   `json:"file"`
	Substantive int      `json:"substantive"`
	Links       []string `json:"links"`
}

// TestFeedCorpus serves the feed-parser corpus (../shared/bench/feeds/dev,
// or WIREDESK_FEED_CORPUS) on a loopback server, polls every file as a feed
// through `wiredesk poll` with scrape.articles false, and compares each
// file with the reference parser: of the files where it finds substantive
// entries, the share that stored an item (or whose links are stored from
// another file) must reach feedCorpusMin, and no title of the encoding
// tests may hold U+FFFD. It also prints the field-level agreement (see
// compareFields). scripts/bench-feeds.sh runs it in CI.
//
//	go test -run TestFeedCorpus -v ./cmd/wiredesk/
func TestFeedCorpus(t *testing.T) {
	dir := os.Getenv("WIREDESK_FEED_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "bench", "feeds")
	}
	if _, err := os.Stat(filepath.Join(dir, "dev.reference.jsonl")); err != nil {
		t.Skipf("feed corpus not found at %s (set WIREDESK_FEED_CORPUS): skipped", dir)
	}
	if testing.Short() {
		t.Skip("feed corpus: skipped in -short mode")
	}
	refs := readCorpusRefs(t, filepath.Join(dir, "dev.reference.jsonl"))
	srv := httptest.NewServer(corpusHandler(filepath.Join(dir, "dev")))
	defer srv.Close()

	work := t.TempDir()
	dbPath := filepath.Join(work, "w.db")
	var cfg strings.Builder
	fmt.Fprintf(&cfg, "store: sqlite:%s\nhttp: {allow_networks: [127.0.0.0/8], timeout: 30s}\n", dbPath)
	cfg.WriteString("poll: {per_host: 8, host_delay: 0s, concurrency: 16}\nscrape: {articles: false, robots: false}\nfeeds:\n")
	for _, r := range refs {
		fmt.Fprintf(&cfg, "  - url: %s/%s\n", srv.URL, r.File)
	}
	cfgPath := filepath.Join(work, "config.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "poll", "-config", cfgPath)
	if code != exitOK && code != exitFeedFailed {
		t.Fatalf("poll: exit %d\n%s\n%s", code, out, errs)
	}
	t.Log(strings.TrimSpace(out))

	st := readCorpusStore(t, dbPath, srv.URL+"/")
	var want, got, viaLink int
	var missed []string
	for _, r := range refs {
		if r.Substantive == 0 {
			continue
		}
		want++
		if st.stored[r.File] > 0 || st.anyLink(r.Links) {
			got++
			if st.stored[r.File] == 0 {
				viaLink++
				t.Logf("stored from another file: %s", r.File)
			}
			continue
		}
		missed = append(missed, fmt.Sprintf("%s (reference %d)", r.File, r.Substantive))
	}
	for _, m := range missed {
		t.Logf("no item stored: %s", m)
	}
	fields := compareFields(t, refs, st, srv.URL+"/")
	for _, b := range st.badTitles {
		t.Errorf("encoding test title holds U+FFFD: %s", b)
	}
	share := float64(got) / float64(max(want, 1))
	fmt.Printf("feed corpus: %d of %d files with substantive entries yield a stored item (%.1f%%; %d of them by links stored from another file)\n",
		got, want, 100*share, viaLink)
	fmt.Printf("feed corpus: %d of %d files store as many entries as the reference (%.1f%%); %d of %d reference links stored (%.1f%%)\n",
		fields.countOK, want, 100*float64(fields.countOK)/float64(max(want, 1)),
		fields.linksOK, fields.links, 100*float64(fields.linksOK)/float64(max(fields.links, 1)))
	if share < feedCorpusMin {
		t.Errorf("feed corpus share %.1f%% under %.0f%%", 100*share, 100*feedCorpusMin)
	}
}

// fieldAgreement is the corpus compared entry by entry: the files whose
// stored entries number the reference's substantive ones (counting those
// whose link was stored first from another file), and the reference's
// links (see refLink) found among the stored ones, from this file or
// another.
type fieldAgreement struct {
	countOK, links, linksOK int
}

func compareFields(t *testing.T, refs []corpusRef, st *corpusStore, prefix string) fieldAgreement {
	t.Helper()
	var fa fieldAgreement
	for _, r := range refs {
		if r.Substantive == 0 {
			continue
		}
		var elsewhere, missing int
		for _, l := range r.Links {
			if l = refLink(prefix+r.File, l); l == "" {
				continue
			}
			fa.links++
			switch {
			case st.fileLinks[r.File][l] || st.fileLinks[r.File][dedup.CanonicalURL(l)]:
				fa.linksOK++
			case st.links[l] || st.links[dedup.CanonicalURL(l)]:
				fa.linksOK++
				elsewhere++
			default:
				missing++
				t.Logf("link not stored: %s: %s", r.File, l)
			}
		}
		n := st.stored[r.File]
		if n == r.Substantive || (n < r.Substantive && n+elsewhere >= r.Substantive) {
			fa.countOK++
		} else {
			t.Logf("entries differ: %s: stored %d, reference %d", r.File, n, r.Substantive)
		}
	}
	return fa
}

// refLink is a reference link as it reads when the document has a URL:
// the reference parser read the bytes alone, so a path is resolved
// against the file's URL here. A link that is neither absolute nor a path
// is an id the reference took as the link ("1", "right"): not compared.
func refLink(docURL, l string) string {
	u, err := url.Parse(strings.TrimSpace(l))
	switch {
	case err != nil || l == "":
		return ""
	case u.IsAbs():
		return l
	case strings.HasPrefix(l, "/"):
		base, _ := url.Parse(docURL)
		return base.ResolveReference(u).String()
	}
	return ""
}

func readCorpusRefs(t *testing.T, path string) []corpusRef {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var refs []corpusRef
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var r corpusRef
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		refs = append(refs, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return refs
}

// corpusHandler serves the corpus files plain: their bytes, with a
// content type by extension and no charset.
func corpusHandler(root string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := filepath.Join(root, filepath.FromSlash(strings.TrimPrefix(r.URL.Path, "/")))
		if !strings.HasPrefix(name, root) {
			http.NotFound(w, r)
			return
		}
		b, err := os.ReadFile(name)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		ct := "application/xml"
		if strings.HasSuffix(name, ".json") {
			ct = "application/json"
		}
		w.Header().Set("Content-Type", ct)
		w.Write(b)
	})
}

// corpusStore is what the poll stored: articles per corpus file, every
// stored link, and the encoding tests' titles holding U+FFFD.
type corpusStore struct {
	stored    map[string]int
	links     map[string]bool
	fileLinks map[string]map[string]bool
	badTitles []string
}

func (s *corpusStore) anyLink(links []string) bool {
	for _, l := range links {
		if l != "" && (s.links[l] || s.links[dedup.CanonicalURL(l)]) {
			return true
		}
	}
	return false
}

func readCorpusStore(t *testing.T, dbPath, prefix string) *corpusStore {
	t.Helper()
	db, err := sql.Open("sqlite", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT f.url, a.url, COALESCE(a.canonical_url, ''), a.title FROM articles a JOIN feeds f ON f.id = a.feed_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	st := &corpusStore{stored: map[string]int{}, links: map[string]bool{}, fileLinks: map[string]map[string]bool{}}
	for rows.Next() {
		var feed, u, cu, title string
		if err := rows.Scan(&feed, &u, &cu, &title); err != nil {
			t.Fatal(err)
		}
		file := strings.TrimPrefix(feed, prefix)
		st.stored[file]++
		st.links[u], st.links[cu] = true, true
		if st.fileLinks[file] == nil {
			st.fileLinks[file] = map[string]bool{}
		}
		st.fileLinks[file][u], st.fileLinks[file][cu] = true, true
		if strings.HasPrefix(file, "encoding/") && strings.ContainsRune(title, '\uFFFD') {
			st.badTitles = append(st.badTitles, fmt.Sprintf("%s: %q", file, title))
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Strings(st.badTitles)
	return st
}
