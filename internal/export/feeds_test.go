package export

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/wiredesk/wiredesk/news"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// feedStories is a small deduplicated stream: an Arabic wire story with two
// copies, an English one whose text tries to break out of the markup, and a
// story without members (as a list query returns it).
func feedStories() []news.Story {
	t0 := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	ar := news.Story{ID: 7, Title: "روسيا تعلن عن محادثات جديدة", Lang: "ar", Origin: "Sputnik",
		Representative: 70, FirstOutlet: "سبوتنيك", FirstSeen: t0, LastSeen: t0.Add(42 * time.Minute), Articles: 3,
		Outlets: []string{"سبوتنيك", "UrduPoint", "Al Bawaba"},
		Members: []news.Article{
			{ID: 70, Outlet: "سبوتنيك", URL: "https://sputnik.example/ar/1?utm_source=x", CanonicalURL: "https://sputnik.example/ar/1",
				Title: "روسيا تعلن عن محادثات جديدة", Lang: "ar", Published: t0,
				Text: "موسكو (سبوتنيك) - أعلنت روسيا اليوم عن محادثات جديدة.\n\nوقال المتحدث إن المحادثات ستبدأ الأسبوع المقبل."},
			{ID: 71, Outlet: "UrduPoint", URL: "https://urdupoint.example/ar/9", Title: "محادثات جديدة", Lang: "ar",
				Published: t0.Add(12 * time.Minute), DuplicateOf: 70, Score: 0.93, Reason: "text"},
			{ID: 72, Outlet: "Al Bawaba", URL: "https://albawaba.example/x", Title: "روسيا: محادثات", Lang: "ar",
				Published: t0.Add(42 * time.Minute), DuplicateOf: 70, Score: 0.88, Reason: "text"},
		}}
	en := news.Story{ID: 8, Title: `Markets </title><script>alert("x")</script> & "rally"`, Lang: "en", Origin: "Reuters",
		Representative: 80, FirstOutlet: "Wire & Co", FirstSeen: t0.Add(time.Hour), LastSeen: t0.Add(time.Hour), Articles: 1,
		Outlets: []string{"Wire & Co"},
		Members: []news.Article{{ID: 80, Outlet: "Wire & Co", URL: "https://wire.example/a?b=1&c=2",
			Title: `Markets </title><script>alert("x")</script> & "rally"`, Lang: "en", Published: t0.Add(time.Hour),
			Text: strings.Repeat("Stocks rose <b>sharply</b> ]]> on Monday. ", 30)}}}
	bare := news.Story{ID: 9, Title: "Storm hits coast", Lang: "en", FirstOutlet: "AP", Outlets: []string{"AP", "BBC"},
		Articles: 2, FirstSeen: t0.Add(2 * time.Hour), LastSeen: t0.Add(3 * time.Hour)}
	return []news.Story{bare, en, ar}
}

func feedChannel() Channel {
	return Channel{Title: "wiredesk stories", Link: "http://127.0.0.1:8080/", Description: "One entry per story",
		Updated: time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC), FeedURL: "http://127.0.0.1:8080/feed.xml"}
}

type feedWriter func(w *bytes.Buffer, ch Channel, s []news.Story) error

func feedFormats() map[string]feedWriter {
	return map[string]feedWriter{
		"rss":  func(w *bytes.Buffer, ch Channel, s []news.Story) error { return WriteRSS(w, ch, s) },
		"atom": func(w *bytes.Buffer, ch Channel, s []news.Story) error { return WriteAtom(w, ch, s) },
		"json": func(w *bytes.Buffer, ch Channel, s []news.Story) error { return WriteJSONFeed(w, ch, s) },
	}
}

func TestFeedsGolden(t *testing.T) {
	for name, write := range feedFormats() {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := write(&buf, feedChannel(), feedStories()); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "feed_"+name+".golden")
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("output differs from %s (run with -update to accept):\n%s", golden, buf.String())
			}
		})
	}
}

func TestFeedsGofeed(t *testing.T) {
	for name, write := range feedFormats() {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := write(&buf, feedChannel(), feedStories()); err != nil {
				t.Fatal(err)
			}
			f, err := gofeed.NewParser().ParseString(buf.String())
			if err != nil {
				t.Fatalf("gofeed: %v\n%s", err, buf.String())
			}
			checkParsed(t, f)
		})
	}
}

func checkParsed(t *testing.T, f *gofeed.Feed) {
	t.Helper()
	if f.Title != "wiredesk stories" || len(f.Items) != 3 {
		t.Fatalf("title %q, %d items; want wiredesk stories, 3", f.Title, len(f.Items))
	}
	want := []struct{ id, title, link string }{
		{"http://127.0.0.1:8080/stories/9", "Storm hits coast", "http://127.0.0.1:8080/stories/9"},
		{"http://127.0.0.1:8080/stories/8", `Markets </title><script>alert("x")</script> & "rally"`, "https://wire.example/a?b=1&c=2"},
		{"http://127.0.0.1:8080/stories/7", "روسيا تعلن عن محادثات جديدة", "https://sputnik.example/ar/1"},
	}
	for i, w := range want {
		it := f.Items[i]
		if it.GUID != w.id || it.Title != w.title || it.Link != w.link {
			t.Errorf("item %d = {%q %q %q}, want {%q %q %q}", i, it.GUID, it.Title, it.Link, w.id, w.title, w.link)
		}
		body := it.Content // HTML; Description is the plain-text summary, except in RSS
		if body == "" {
			body = it.Description
		}
		if strings.Contains(body, "<script") || strings.Contains(body, "<b>") {
			t.Errorf("item %d body carries live markup: %s", i, body)
		}
	}
	ar := f.Items[2].Content + f.Items[2].Description
	for _, s := range []string{"UrduPoint (+12m)", "Al Bawaba (+42m)", "أعلنت روسيا"} {
		if !strings.Contains(ar, s) {
			t.Errorf("arabic item lacks %q: %s", s, ar)
		}
	}
}

// pyFeedparser is an independent consumer: Debian's python3-feedparser.
const pyFeedparser = `import sys, json, feedparser
out = []
for p in sys.argv[1:]:
    d = feedparser.parse(p)
    out.append({"bozo": bool(d.bozo), "err": str(d.get("bozo_exception", "")), "version": d.version,
        "items": [[e.get("id", ""), e.get("title", ""), e.get("link", "")] for e in d.entries]})
print(json.dumps(out))
`

func TestFeedsPythonFeedparser(t *testing.T) {
	py := "/usr/bin/python3"
	if _, err := os.Stat(py); err != nil {
		t.Skip("no /usr/bin/python3; install python3-feedparser to run this test")
	}
	if err := exec.Command(py, "-c", "import feedparser").Run(); err != nil {
		t.Skip("python3-feedparser missing: apt-get install -y python3-feedparser")
	}
	dir := t.TempDir()
	names := []string{"rss", "atom"}
	var paths []string
	for _, n := range names {
		var buf bytes.Buffer
		if err := feedFormats()[n](&buf, feedChannel(), feedStories()); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, n+".xml")
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	out, err := exec.Command(py, append([]string{"-c", pyFeedparser}, paths...)...).Output()
	if err != nil {
		t.Fatalf("feedparser: %v", err)
	}
	var got []struct {
		Bozo    bool       `json:"bozo"`
		Err     string     `json:"err"`
		Version string     `json:"version"`
		Items   [][]string `json:"items"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("decode %s: %v", out, err)
	}
	for i, n := range names {
		t.Run(n, func(t *testing.T) {
			g := got[i]
			if g.Bozo || len(g.Items) != 3 {
				t.Fatalf("%s: bozo=%v (%s) version=%s items=%d", n, g.Bozo, g.Err, g.Version, len(g.Items))
			}
			if g.Items[2][0] != "http://127.0.0.1:8080/stories/7" || g.Items[2][1] != "روسيا تعلن عن محادثات جديدة" {
				t.Errorf("%s: arabic item = %q", n, g.Items[2])
			}
			if g.Items[1][1] != `Markets </title><script>alert("x")</script> & "rally"` {
				t.Errorf("%s: hostile title = %q", n, g.Items[1][1])
			}
		})
	}
}

func TestLag(t *testing.T) {
	for name, c := range map[string]struct {
		d    time.Duration
		want string
	}{
		"seconds": {45 * time.Second, "+45s"},
		"minutes": {12 * time.Minute, "+12m"},
		"hours":   {3*time.Hour + 5*time.Minute, "+3h05m"},
		"days":    {51 * time.Hour, "+2d3h"},
		"earlier": {-4 * time.Minute, "-4m"},
	} {
		t.Run(name, func(t *testing.T) {
			if got := Lag(c.d); got != c.want {
				t.Errorf("Lag(%v) = %q, want %q", c.d, got, c.want)
			}
		})
	}
}

func TestExcerpt(t *testing.T) {
	for name, c := range map[string]struct {
		in   string
		n    int
		want string
	}{
		"short":  {"a  b\n\nc", 10, "a b c"},
		"cut":    {"alpha beta gamma delta", 12, "alpha beta…"},
		"arabic": {"أعلنت روسيا اليوم عن محادثات", 14, "أعلنت روسيا…"},
	} {
		t.Run(name, func(t *testing.T) {
			if got := Excerpt(c.in, c.n); got != c.want {
				t.Errorf("Excerpt(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
			}
		})
	}
}

// TestFeedsRevisedRepresentative: when a story's representative is
// revised, the Atom entry's <updated> and the JSON Feed item's
// date_modified move to the revision; RSS items have no such date.
func TestFeedsRevisedRepresentative(t *testing.T) {
	stories := feedStories()
	ar := stories[2]
	revised := ar.LastSeen.Add(3 * time.Hour)
	ar.Members = append([]news.Article(nil), ar.Members...)
	ar.Members[0].Updated, ar.Members[0].Revisions = revised, 2
	older := ar
	older.Members = append([]news.Article(nil), ar.Members...)
	older.Members[0].Updated = ar.FirstSeen.Add(time.Minute) // before the last copy: no move
	copyRevised := feedStories()[2]
	copyRevised.Members = append([]news.Article(nil), copyRevised.Members...)
	copyRevised.Members[1].Updated = revised // a copy, not the representative
	for name, c := range map[string]struct {
		story news.Story
		want  time.Time
	}{
		"representative revised":       {ar, revised},
		"revised before the last copy": {older, ar.LastSeen},
		"copy revised":                 {copyRevised, ar.LastSeen},
	} {
		t.Run(name, func(t *testing.T) {
			want := rfc3339(c.want)
			var atom, jf bytes.Buffer
			if err := WriteAtom(&atom, feedChannel(), []news.Story{c.story}); err != nil {
				t.Fatal(err)
			}
			if err := WriteJSONFeed(&jf, feedChannel(), []news.Story{c.story}); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(atom.String(), "<updated>"+want+"</updated>\n    <published>") {
				t.Errorf("atom entry lacks <updated>%s</updated>:\n%s", want, atom.String())
			}
			if !strings.Contains(jf.String(), `"date_modified": "`+want+`"`) {
				t.Errorf("json feed lacks date_modified %s:\n%s", want, jf.String())
			}
		})
	}
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// TestOtherOutletsLag: the lags in a feed entry count from the earliest
// publication among the members, not from the story's first sight.
func TestOtherOutletsLag(t *testing.T) {
	s := feedStories()[2]
	s.FirstSeen = s.FirstSeen.Add(30 * time.Hour) // first seen a day after it ran
	got := otherOutlets(s, s.Representative)
	if len(got) != 2 || got[0] != "UrduPoint (+12m)" || got[1] != "Al Bawaba (+42m)" {
		t.Errorf("otherOutlets = %q", got)
	}
}
