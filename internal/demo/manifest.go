package demo

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"
)

// manifest describes the outlets of the newsroom. Articles are not listed:
// each outlet's articles are the files testdata/outlets/<slug>/articles/*.txt.
type manifest struct {
	Outlets []outletSpec `json:"outlets"`
}

// outletSpec is one outlet as the manifest describes it.
type outletSpec struct {
	Slug        string   `json:"slug"`
	Name        string   `json:"name"`
	Title       string   `json:"title"` // feed and site title
	Description string   `json:"description"`
	Lang        string   `json:"lang"`
	Format      string   `json:"format"` // "rss", "atom" or "json"
	Tags        []string `json:"tags"`
	Charset     string   `json:"charset"`   // "utf-8" (default) or "windows-1256"
	FeedPath    string   `json:"feed_path"` // path of the feed on the outlet's host
	Tracking    string   `json:"tracking"`  // query appended to item links, if any
	GUID        string   `json:"guid"`      // "permalink" or "id" (default)
}

// article is one article page of an outlet, read from its text file: a
// header of "key: value" lines, a blank line, then paragraphs separated by
// blank lines.
type article struct {
	Story      string
	Path       string // page path on the outlet's host
	Title      string
	Byline     string
	Section    string
	Summary    string
	Published  time.Time
	Updated    time.Time // when a later version was published (Develop); zero for the first
	Paragraphs []string
}

// loadManifest reads the manifest and every outlet's articles from fsys.
func loadManifest(fsys fs.FS) ([]outletSpec, map[string][]article, error) {
	b, err := fs.ReadFile(fsys, "testdata/manifest.json")
	if err != nil {
		return nil, nil, fmt.Errorf("read manifest: %w", err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, nil, fmt.Errorf("parse manifest: %w", err)
	}
	arts := make(map[string][]article, len(m.Outlets))
	for _, o := range m.Outlets {
		if err := o.validate(); err != nil {
			return nil, nil, err
		}
		as, err := loadArticles(fsys, path.Join("testdata/outlets", o.Slug, "articles"))
		if err != nil {
			return nil, nil, fmt.Errorf("outlet %s: %w", o.Slug, err)
		}
		arts[o.Slug] = as
	}
	return m.Outlets, arts, nil
}

func (o outletSpec) validate() error {
	switch {
	case o.Slug == "" || o.Name == "" || o.Lang == "" || o.FeedPath == "":
		return fmt.Errorf("outlet %q: slug, name, lang and feed_path are required", o.Slug)
	case o.Format != "rss" && o.Format != "atom" && o.Format != "json":
		return fmt.Errorf("outlet %s: unknown format %q", o.Slug, o.Format)
	case o.Charset != "" && o.Charset != "utf-8" && o.Charset != "windows-1256":
		return fmt.Errorf("outlet %s: unsupported charset %q", o.Slug, o.Charset)
	}
	return nil
}

// loadUpdates reads the later versions of articles, testdata/outlets/
// <slug>/updates/*.txt (optional): each names the path of an article of its
// outlet in arts, whose publication date it keeps.
func loadUpdates(fsys fs.FS, specs []outletSpec, arts map[string][]article) (map[string][]article, error) {
	out := map[string][]article{}
	for _, o := range specs {
		dir := path.Join("testdata/outlets", o.Slug, "updates")
		if _, err := fs.Stat(fsys, dir); err != nil {
			continue
		}
		ups, err := loadArticles(fsys, dir)
		if err != nil {
			return nil, fmt.Errorf("outlet %s: %w", o.Slug, err)
		}
		for _, u := range ups {
			if !hasPath(arts[o.Slug], u.Path) {
				return nil, fmt.Errorf("outlet %s: update of %s: no such article", o.Slug, u.Path)
			}
		}
		out[o.Slug] = ups
	}
	return out, nil
}

func hasPath(arts []article, p string) bool {
	for _, a := range arts {
		if a.Path == p {
			return true
		}
	}
	return false
}

// loadArticles reads every *.txt file of dir, newest publication first.
func loadArticles(fsys fs.FS, dir string) ([]article, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.txt"))
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", dir, err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no articles in %s", dir)
	}
	out := make([]article, 0, len(names))
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		a, err := parseArticle(string(b))
		if err != nil {
			return nil, fmt.Errorf("article %s: %w", name, err)
		}
		out = append(out, a)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Published.After(out[j].Published) })
	return out, nil
}

// parseArticle parses an article file: header, blank line, paragraphs.
func parseArticle(s string) (article, error) {
	var a article
	head, body, ok := strings.Cut(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n")
	if !ok {
		return a, fmt.Errorf("no blank line after the header")
	}
	sc := bufio.NewScanner(strings.NewReader(head))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			return a, fmt.Errorf("header line %q: want key: value", sc.Text())
		}
		if err := a.set(strings.TrimSpace(k), strings.TrimSpace(v)); err != nil {
			return a, err
		}
	}
	for _, p := range strings.Split(body, "\n\n") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			a.Paragraphs = append(a.Paragraphs, p)
		}
	}
	switch {
	case a.Story == "" || a.Path == "" || a.Title == "" || a.Published.IsZero():
		return a, fmt.Errorf("story, path, title and published are required")
	case !strings.HasPrefix(a.Path, "/"):
		return a, fmt.Errorf("path %q: must start with /", a.Path)
	case len(a.Paragraphs) == 0:
		return a, fmt.Errorf("no paragraphs")
	}
	if a.Summary == "" {
		a.Summary = summarize(a.Paragraphs[0], 240)
	}
	return a, nil
}

func (a *article) set(k, v string) error {
	switch k {
	case "story":
		a.Story = v
	case "path":
		a.Path = v
	case "title":
		a.Title = v
	case "byline":
		a.Byline = v
	case "section":
		a.Section = v
	case "summary":
		a.Summary = v
	case "published":
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return fmt.Errorf("published %q: %w", v, err)
		}
		a.Published = t
	default:
		return fmt.Errorf("unknown header key %q", k)
	}
	return nil
}

// summarize cuts s at a word boundary to at most n runes, adding "…".
func summarize(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > 0 {
		cut = cut[:i]
	}
	return cut + " …"
}
