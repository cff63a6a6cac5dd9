package dedup

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// testTexts returns n distinct article texts of a few paragraphs.
func testTexts(n int) []string {
	g := newDenseGen(42)
	out := make([]string, n)
	for i := range out {
		names := strings.Fields(g.sentence("en", 8))
		var ps []string
		for range 5 {
			ps = append(ps, g.paragraph("en", names))
		}
		out[i] = strings.Join(ps, "\n\n")
	}
	return out
}

func TestIndexAPI(t *testing.T) {
	texts := testTexts(3)
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	orig := Doc{ID: "a1", Outlet: "wire", URL: "https://wire.example/a1", Title: "Original", Text: "LONDON (Reuters) - " + texts[0], Published: t0}
	copyText := "Daily Planet | Menu | Subscribe\n\n" + texts[0][:len(texts[0])*2/3] + "\n\nRead more: something else entirely"
	tests := []struct {
		name        string
		doc         Doc
		wantCluster string
		wantDup     string
		wantReason  string
		wantKind    Kind
	}{
		{"republished copy", Doc{ID: "b1", Outlet: "planet", URL: "https://planet.example/x", Text: copyText, Published: t0.Add(time.Hour)}, "a1", "a1", "text containment", TextContainment},
		{"same canonical URL", Doc{ID: "c1", URL: "HTTPS://WIRE.example:443/a1?utm_source=tw#top", Text: texts[1], Published: t0.Add(2 * time.Hour)}, "a1", "a1", "same canonical URL", SameURL},
		{"same content hash", Doc{ID: "d1", URL: "https://other.example/z", Text: strings.ToUpper("london (reuters) " + texts[0]), Published: t0.Add(3 * time.Hour)}, "a1", "a1", "same content hash", SameContent},
		{"different story", Doc{ID: "e1", Outlet: "planet", URL: "https://planet.example/y", Text: texts[2], Published: t0.Add(4 * time.Hour)}, "e1", "", "", NoMatch},
		{"outside the window", Doc{ID: "f1", URL: "https://late.example/f", Text: copyText, Published: t0.Add(100 * time.Hour)}, "f1", "", "", NoMatch},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ix := NewIndex(Options{Window: 72 * time.Hour})
			r0 := ix.Add(&orig)
			if r0.Cluster != "a1" || r0.DuplicateOf != "" || r0.Origin != "Reuters" {
				t.Fatalf("first doc: %+v, want a new story with origin Reuters", r0)
			}
			r := ix.Add(&tc.doc)
			if r.Cluster != tc.wantCluster || r.DuplicateOf != tc.wantDup || !strings.HasPrefix(r.Reason, tc.wantReason) || r.Kind != tc.wantKind {
				t.Errorf("got %+v, want cluster %q duplicate_of %q reason %q... kind %v", r, tc.wantCluster, tc.wantDup, tc.wantReason, tc.wantKind)
			}
			if tc.wantDup != "" && (r.Score <= 0 || r.Score > 1) {
				t.Errorf("score %v out of (0, 1]", r.Score)
			}
		})
	}
}

func TestQueryDoesNotInsert(t *testing.T) {
	texts := testTexts(1)
	ix := NewIndex(Options{})
	d := Doc{ID: "x", Text: texts[0], Published: time.Unix(1e9, 0)}
	for range 2 {
		if r := ix.Query(&d); r.DuplicateOf != "" || r.Cluster != "x" {
			t.Fatalf("Query on an empty index = %+v", r)
		}
	}
	if ix.Len() != 0 {
		t.Fatalf("Len = %d after queries, want 0", ix.Len())
	}
	ix.Insert(&d, Result{Cluster: "story-7"})
	d2 := Doc{ID: "y", Text: texts[0] + "\n\nExtra closing line.", Published: time.Unix(1e9+60, 0)}
	r := ix.Query(&d2)
	if r.Cluster != "story-7" || r.DuplicateOf != "x" {
		t.Fatalf("Query after Insert = %+v, want story-7 via x", r)
	}
	if ix.Len() != 1 {
		t.Fatalf("Len = %d, want 1", ix.Len())
	}
}

// TestRebuild checks that an index rebuilt with Insert from stored
// verdicts answers as the original does (restart from the store).
func TestRebuild(t *testing.T) {
	docs := newDenseGen(5).stream(2, 150, 6)
	live := NewIndex(Options{})
	half := len(docs) / 2
	var stored []Result
	for i := range docs[:half] {
		stored = append(stored, live.Add(&docs[i].Doc))
	}
	rebuilt := NewIndex(Options{})
	for i := range docs[:half] {
		rebuilt.Insert(&docs[i].Doc, stored[i])
	}
	if rebuilt.Len() != live.Len() {
		t.Fatalf("rebuilt Len = %d, want %d", rebuilt.Len(), live.Len())
	}
	for i := half; i < len(docs); i++ {
		a, b := live.Add(&docs[i].Doc), rebuilt.Add(&docs[i].Doc)
		if a.Cluster != b.Cluster || a.DuplicateOf != b.DuplicateOf {
			t.Fatalf("doc %s: live %+v, rebuilt %+v", docs[i].ID, a, b)
		}
	}
}

func TestEviction(t *testing.T) {
	texts := testTexts(1)
	ix := NewIndex(Options{Window: time.Hour})
	base := time.Unix(1.7e9, 0)
	n := minSweep * 3
	for i := range n {
		text := texts[0] + " " + strings.Repeat("z", i%50+1)
		ix.Add(&Doc{ID: "d" + string(rune('a'+i%26)) + time.Duration(i).String(), Text: text + " " + time.Duration(i).String(), Published: base.Add(time.Duration(i) * time.Minute)})
	}
	// stories are closed in steps of window/8: at most 67.5 minutes stay
	if ix.Len() > 68 {
		t.Errorf("Len = %d, want at most the documents of the last 68 minutes", ix.Len())
	}
	if ix.shingles.len() > 50000 {
		t.Errorf("shingle table holds %d entries after eviction", ix.shingles.len())
	}
}

// TestFurniture checks that an outlet's page furniture, larger than the
// short stories it wraps, does not merge them, also before it has been seen
// in many stories, and does not hide a copy published elsewhere.
func TestFurniture(t *testing.T) {
	g := newDenseGen(11)
	header := g.sentence("en", 25) + "\n\n" + g.sentence("en", 12)
	footer := g.sentence("en", 40)
	page := func(body string) string { return header + "\n\n" + body + "\n\n" + footer }
	var bodies []string
	for range 4 {
		bodies = append(bodies, g.paragraph("en", strings.Fields(g.sentence("en", 6))))
	}
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	ix := NewIndex(Options{})
	for i, b := range bodies {
		d := Doc{ID: string(rune('a' + i)), Outlet: "chrome-heavy", Text: page(b), Published: t0.Add(time.Duration(i) * time.Minute)}
		if r := ix.Add(&d); r.DuplicateOf != "" {
			t.Fatalf("story %d of the outlet matched %s (%s): furniture taken for text", i, r.DuplicateOf, r.Reason)
		}
	}
	cp := Doc{ID: "copy", Outlet: "elsewhere", Text: "Elsewhere | Home\n\n" + bodies[1], Published: t0.Add(time.Hour)}
	if r := ix.Add(&cp); r.Cluster != "b" {
		t.Errorf("copy of story b elsewhere: %+v, want cluster b", r)
	}
}

// TestFutureDate checks that one article dated far in the future does not
// close the stories of the window.
func TestFutureDate(t *testing.T) {
	texts := testTexts(3)
	t0 := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	ix := NewIndex(Options{})
	ix.Add(&Doc{ID: "a", Text: texts[0], Published: t0})
	ix.Add(&Doc{ID: "bogus", Text: texts[1], Published: time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)})
	r := ix.Add(&Doc{ID: "c", Text: texts[0] + "\n\nUpdated.", Published: t0.Add(time.Hour)})
	if r.Cluster != "a" {
		t.Errorf("copy after a future-dated article: %+v, want cluster a", r)
	}
}

// TestQueryThenInsertMatchesAdd checks that the store-then-insert pattern
// (Query, then Insert of the same document, which reuses Query's
// fingerprint) gives the same stories as Add.
func TestQueryThenInsertMatchesAdd(t *testing.T) {
	texts := testTexts(40)
	var docs []Doc
	for i, txt := range texts {
		docs = append(docs, Doc{ID: fmt.Sprint("d", i), Text: txt, Published: time.Unix(1e9+int64(i)*60, 0)})
		// a trimmed copy of every other text
		if i%2 == 0 {
			paras := strings.Split(txt, "\n\n")
			docs = append(docs, Doc{ID: fmt.Sprint("c", i), Text: strings.Join(paras[:max(1, len(paras)-1)], "\n\n"),
				Published: time.Unix(1e9+int64(i)*60+30, 0)})
		}
	}
	add, split, pre := NewIndex(Options{}), NewIndex(Options{}), NewIndex(Options{})
	fpr := NewFingerprinter()
	matched := 0
	for i := range docs {
		a := docs[i]
		want := add.Add(&a)
		if want.DuplicateOf != "" {
			matched++
		}
		for name, ix := range map[string]*Index{"Query": split, "QueryFingerprint": pre} {
			b := docs[i]
			id := b.ID
			b.ID = ""
			var got Result
			if ix == pre {
				got = ix.QueryFingerprint(&b, fpr.Fingerprint(&b))
			} else {
				got = ix.Query(&b)
			}
			b.ID = id
			if got.Cluster == "" {
				got.Cluster = id
			}
			ix.Insert(&b, got)
			if got.Cluster != want.Cluster || got.DuplicateOf != want.DuplicateOf || got.Reason != want.Reason || got.Kind != want.Kind {
				t.Errorf("%s: %s+Insert %+v, Add %+v", id, name, got, want)
			}
		}
	}
	if matched < len(texts)/2 {
		t.Errorf("only %d copies matched: the test does not exercise matching", matched)
	}
}

// TestKindLabels checks that a match's Kind gives the metric label its
// human-readable reason names (the label was once read from the reason).
func TestKindLabels(t *testing.T) {
	docs := newDenseGen(3).stream(2, 60, 4)
	ix := NewIndex(Options{})
	kinds := map[Kind]int{}
	for i := range docs {
		r := ix.Add(&docs[i].Doc)
		kinds[r.Kind]++
		reason := strings.ToLower(r.Reason)
		var want string
		switch {
		case r.DuplicateOf == "":
		case strings.Contains(reason, "url"):
			want = "url"
		case strings.Contains(reason, "hash"):
			want = "hash"
		case strings.Contains(reason, "title"):
			want = "title"
		default:
			want = "text"
		}
		if got := r.Kind.String(); got != want {
			t.Errorf("%s: reason %q, kind %q, want %q", docs[i].ID, r.Reason, got, want)
		}
	}
	if kinds[TextContainment] == 0 || kinds[NoMatch] == 0 {
		t.Errorf("kinds %v: the stream does not exercise matching", kinds)
	}
}
