package demo

import (
	"html"
	"io/fs"
	"net/url"
	"path"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// outletByHost maps each outlet's host to its manifest entry.
func outletByHost(t *testing.T, n *Newsroom) map[string]outletSpec {
	t.Helper()
	specs, _, err := loadManifest(fixtures)
	if err != nil {
		t.Fatalf("loadManifest: %v", err)
	}
	out := map[string]outletSpec{}
	for i, o := range n.Outlets() {
		u, err := url.Parse(o.FeedURL)
		if err != nil {
			t.Fatalf("feed url %q: %v", o.FeedURL, err)
		}
		out[u.Host] = specs[i]
	}
	return out
}

// TestWindows1256 checks that the windows-1256 outlet really sends
// windows-1256 bytes (not UTF-8) that decode back to the UTF-8 sources.
func TestWindows1256(t *testing.T) {
	n := startRoom(t)
	_, arts, err := loadManifest(fixtures)
	if err != nil {
		t.Fatalf("loadManifest: %v", err)
	}
	found := false
	for host, o := range outletByHost(t, n) {
		if o.Charset != "windows-1256" {
			continue
		}
		found = true
		base := "http://" + host
		urls := []string{base + o.FeedPath}
		for _, a := range arts[o.Slug] {
			urls = append(urls, base+a.Path)
		}
		for i, u := range urls {
			t.Run(u, func(t *testing.T) {
				resp, body := get(t, u, nil)
				if ct := resp.Header.Get("Content-Type"); !strings.HasSuffix(ct, "charset=windows-1256") {
					t.Errorf("content type %q, want charset=windows-1256", ct)
				}
				if utf8.Valid(body) {
					t.Fatal("body is valid UTF-8, want windows-1256 bytes")
				}
				dec, err := charmap.Windows1256.NewDecoder().Bytes(body)
				if err != nil {
					t.Fatalf("decode: %v", err)
				}
				want := `encoding="windows-1256"`
				if i > 0 {
					want = arts[o.Slug][i-1].Paragraphs[0]
				}
				if !strings.Contains(html.UnescapeString(string(dec)), want) {
					t.Errorf("decoded body lacks %q", want)
				}
			})
		}
	}
	if !found {
		t.Fatal("no windows-1256 outlet")
	}
}

// TestSputnikCopies checks the three copies of the Sputnik story, and that
// the UrduPoint copy carries exactly the chrome of
// ../shared/fixtures/sputnik-via-urdupoint-ar.txt.
func TestSputnikCopies(t *testing.T) {
	n := startRoom(t)
	urls := n.SputnikURLs()
	if len(urls) != 3 {
		t.Fatalf("SputnikURLs() = %v, want 3", urls)
	}
	hosts := outletByHost(t, n)
	const headline = "الأمين العام للناتو: مستعدون للجلوس إلى طاولة المفاوضات مع روسيا"
	tests := map[string]struct {
		want   []string
		counts map[string]int
	}{
		"sputnik-ar": {want: []string{"أعلن الأمين العام لحلف شمال الأطلسي", "شارك"}, counts: map[string]int{"(تستمر)": 0}},
		"urdupoint-ar": {
			want:   []string{"( أردو بوینت نتورك ۔ / سبوتنيك - 28 كانون الثاني 2022ء)", "أفكارك وتعليقاتك"},
			counts: map[string]int{"(تستمر)": 1, "<h1": 1, "<h2 class=\"fs20 ar_font\">" + headline: 1},
		},
		"sahil-ar": {want: []string{"موسكو - (سبوتنيك):", "اقرأ أيضا"}, counts: map[string]int{"(تستمر)": 0}},
	}
	for _, u := range urls {
		pu, err := url.Parse(u)
		if err != nil {
			t.Fatalf("url %q: %v", u, err)
		}
		o := hosts[pu.Host]
		tt, ok := tests[o.Slug]
		if !ok {
			t.Errorf("Sputnik copy on unexpected outlet %s", o.Slug)
			continue
		}
		t.Run(o.Slug, func(t *testing.T) {
			_, body := get(t, u, nil)
			if o.Charset == "windows-1256" {
				b, err := charmap.Windows1256.NewDecoder().Bytes(body)
				if err != nil {
					t.Fatalf("decode: %v", err)
				}
				body = b
			}
			page := string(body)
			for _, w := range tt.want {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for w, c := range tt.counts {
				if got := strings.Count(page, w); got != c {
					t.Errorf("page has %q %d times, want %d", w, got, c)
				}
			}
		})
	}
}

// TestUrduPointMatchesSharedFixture compares the UrduPoint copy's text with
// the shared fixture, when it is present.
func TestUrduPointMatchesSharedFixture(t *testing.T) {
	const shared = "../../../shared/fixtures/sputnik-via-urdupoint-ar.txt"
	want, err := readShared(shared)
	if err != nil {
		t.Skipf("shared fixture not available (%v); skipping", err)
	}
	_, arts, err := loadManifest(fixtures)
	if err != nil {
		t.Fatalf("loadManifest: %v", err)
	}
	var got []string
	for _, a := range arts["urdupoint-ar"] {
		if a.Story == SputnikStory {
			got = append([]string{a.Title, a.Title}, a.Paragraphs...) // the page repeats the headline
			got = append(got, "أفكارك وتعليقاتك")                     // and ends with the comments prompt
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("UrduPoint copy differs from %s:\ngot  %q\nwant %q", shared, got, want)
	}
}

// TestArticleFiles checks every article file against the rules of the
// fixture: originals are long enough and every outlet has a template.
func TestArticleFiles(t *testing.T) {
	specs, arts, err := loadManifest(fixtures)
	if err != nil {
		t.Fatalf("loadManifest: %v", err)
	}
	for _, o := range specs {
		t.Run(o.Slug, func(t *testing.T) {
			if _, err := fs.Stat(fixtures, path.Join("testdata/outlets", o.Slug, "page.html")); err != nil {
				t.Errorf("no page template: %v", err)
			}
			for _, a := range arts[o.Slug] {
				words := 0
				for _, p := range a.Paragraphs {
					words += len(strings.Fields(p))
				}
				if len(a.Paragraphs) < 3 || words < 100 {
					t.Errorf("%s: %d paragraphs, %d words; want a real article", a.Path, len(a.Paragraphs), words)
				}
			}
		})
	}
}

// TestPublicationSpan keeps every article within one dedup window (72h by
// default): a story's copies are folded only while the story is open, and
// one pass over the newsroom takes the feeds in any order.
func TestPublicationSpan(t *testing.T) {
	_, arts, err := loadManifest(fixtures)
	if err != nil {
		t.Fatalf("loadManifest: %v", err)
	}
	var first, last time.Time
	for _, as := range arts {
		for _, a := range as {
			if first.IsZero() || a.Published.Before(first) {
				first = a.Published
			}
			if a.Published.After(last) {
				last = a.Published
			}
		}
	}
	if span := last.Sub(first); span >= 72*time.Hour {
		t.Errorf("articles span %v (%v to %v), want < 72h", span, first.UTC(), last.UTC())
	}
}
