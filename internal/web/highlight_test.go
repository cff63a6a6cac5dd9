package web

import (
	"html"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCompare(t *testing.T) {
	s := New(newFakeStore(), Options{})
	for name, c := range map[string]struct {
		rep, cp  string
		copyHTML string
		shared   int
	}{
		"identical": {"One two three four five.", "One two three four five.",
			"<p><mark>One two three four five</mark>.</p>", 100},
		"shared 4-gram": {"the quick brown fox jumps", "a quick brown fox jumps high",
			"<p>a <mark>quick brown fox jumps</mark> high</p>", 66},
		"short sentence": {"Hello world. Other text here.", "Hello, world! Unrelated stuff.",
			"<p><mark>Hello, world</mark>! Unrelated stuff.</p>", 50},
		"nothing shared": {"alpha beta gamma delta", "one two three four", "<p>one two three four</p>", 0},
		"escaped": {"x <b>bold</b> & y z", "x <b>bold</b> & y z w <script>",
			"<p><mark>x &lt;b&gt;bold&lt;/b&gt; &amp; y z</mark> w &lt;script&gt;</p>", 75},
		"paragraphs": {"a b c d\n\ne f g h", "a b c d\n\ne f g h\n\ni",
			"<p><mark>a b c d</mark></p><p><mark>e f g h</mark></p><p>i</p>", 88},
		"arabic variants": {"أعلن الأمين العامُّ للحلف اليوم", "اعلن الامين العام للحلف اليوم (تستمر)",
			"<p><mark>اعلن الامين العام للحلف اليوم</mark> (تستمر)</p>", 83},
		"raw NUL": {"nul\x00here and more words", "nul\x00here and more words",
			"<p><mark>nul\uFFFDhere and more words</mark></p>", 100},
		"case and space": {"Oil   Prices ROSE sharply", "oil prices rose sharply",
			"<p><mark>oil prices rose sharply</mark></p>", 100},
	} {
		t.Run(name, func(t *testing.T) {
			got := s.compare(c.rep, c.cp)
			if string(got.Copy) != c.copyHTML {
				t.Errorf("copy HTML\n got %s\nwant %s", got.Copy, c.copyHTML)
			}
			if got.Shared != c.shared {
				t.Errorf("shared = %d%%, want %d%%", got.Shared, c.shared)
			}
		})
	}
}

// stripMarks undoes markedHTML: the text of its non-blank lines.
func stripMarks(s string) string {
	for _, tag := range []string{"<mark>", "</mark>", "</p>"} {
		s = strings.ReplaceAll(s, tag, "")
	}
	return html.UnescapeString(strings.ReplaceAll(s, "<p>", "\n"))
}

func FuzzMarkedHTML(f *testing.F) {
	for _, seed := range [][2]string{
		{"a b c d e", "b c d e f"},
		{"x <b>y</b> & z\n\nw", "<b>y</b> & z"},
		{"أعلن الأمين العام\n\n(تستمر)", "اعلن الامين العام"},
		{"", "\n\n\n"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if !utf8.ValidString(a) || !utf8.ValidString(b) {
			t.Skip()
		}
		wa, wb := splitWords(a), splitWords(b)
		out := markedHTML(a, wa, sharedWords(wa, wb))
		rest := out
		for _, tag := range []string{"<p>", "</p>", "<mark>", "</mark>"} {
			rest = strings.ReplaceAll(rest, tag, "")
		}
		if strings.ContainsAny(rest, "<>") {
			t.Fatalf("markup leaked: %q", out)
		}
		if strings.Count(out, "<mark>") != strings.Count(out, "</mark>") {
			t.Fatalf("unbalanced marks: %q", out)
		}
		var want []string
		for _, line := range strings.Split(a, "\n") {
			if strings.TrimSpace(line) != "" {
				want = append(want, "\n"+line)
			}
		}
		if got := stripMarks(out); got != strings.Join(want, "") {
			t.Fatalf("text changed:\n got %q\nwant %q", got, strings.Join(want, ""))
		}
	})
}
