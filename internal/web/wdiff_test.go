package web

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// marked writes ops compactly: [-deleted-] {+inserted+}, ¶ for a break.
func marked(ops []diffOp) string {
	var parts []string
	for _, op := range ops {
		s := strings.ReplaceAll(strings.Join(op.Words, " "), paraBreak, "¶")
		switch op.Kind {
		case opDel:
			s = "[-" + s + "-]"
		case opIns:
			s = "{+" + s + "+}"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestWordDiff(t *testing.T) {
	tests := map[string]struct {
		old, new, want string
	}{
		"same":         {"a b c", "a  b\nc", "a b c"},
		"both empty":   {"", "", ""},
		"from nothing": {"", "one two", "{+one two+}"},
		"to nothing":   {"one two", "", "[-one two-]"},
		"word changed": {"the cat sat", "the dog sat", "the [-cat-] {+dog+} sat"},
		"word added":   {"prices rose", "prices rose sharply", "prices rose {+sharply+}"},
		"update appended": {"First para.\n\nSecond para.", "First para.\n\nSecond para.\n\nUPDATE 2: more.",
			"First para. ¶ Second para. {+¶ UPDATE 2: more.+}"},
		"paragraph dropped": {"A a.\n\nB b.\n\nC c.", "A a.\n\nC c.", "A a. [-¶ B b.-] ¶ C c."},
		"paragraph first":   {"B b.", "A a.\n\nB b.", "{+A a. ¶+} B b."},
		"arabic": {"قال الأمين العام إن الحلف مستعد\n\n(تستمر)", "قال الأمين العام إن الحلف مستعد تماما\n\nوأضاف أن المحادثات ستبدأ",
			"قال الأمين العام إن الحلف مستعد {+تماما+} ¶ [-(تستمر)-] {+وأضاف أن المحادثات ستبدأ+}"},
		"html-looking": {`<b>bold</b> & text`, `<b>bold</b> <script>alert(1)</script> & text`,
			`<b>bold</b> {+<script>alert(1)</script>+} & text`},
		"mixed direction": {"Brent rose 2% إلى 84 دولارا", "Brent rose 3% إلى 85 دولارا",
			"Brent rose [-2%-] {+3%+} إلى [-84-] {+85+} دولارا"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			ops := wordDiff(tt.old, tt.new)
			if got := marked(ops); got != tt.want {
				t.Errorf("wordDiff(%q, %q)\n got %s\nwant %s", tt.old, tt.new, got, tt.want)
			}
			checkSides(t, tt.old, tt.new, ops)
		})
	}
}

// checkSides is the diff's defining property: the shared and deleted
// words give the old text, the shared and inserted ones the new.
func checkSides(t *testing.T, old, new string, ops []diffOp) {
	t.Helper()
	if got, want := side(ops, opDel), normalized(old); got != want {
		t.Errorf("old side = %q, want %q", got, want)
	}
	if got, want := side(ops, opIns), normalized(new); got != want {
		t.Errorf("new side = %q, want %q", got, want)
	}
	for i, op := range ops {
		if len(op.Words) == 0 {
			t.Errorf("op %d is empty", i)
		}
		if i > 0 && ops[i-1].Kind == op.Kind {
			t.Errorf("ops %d and %d have the same kind", i-1, i)
		}
	}
}

// TestWordDiffRandom edits random texts and checks both sides and that
// a diff of a text with itself marks nothing.
func TestWordDiffRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 15))
	words := []string{"oil", "rose", "النفط", "ارتفع", "2%", "<p>", "&amp;", "\u200f", "UPDATE", "(تستمر)"}
	text := func() string {
		var b strings.Builder
		for range rng.IntN(40) {
			switch rng.IntN(8) {
			case 0:
				b.WriteString("\n\n")
			case 1:
				b.WriteString("\n \n\n")
			default:
				b.WriteString(words[rng.IntN(len(words))] + " ")
			}
		}
		return b.String()
	}
	for range 2000 {
		a, b := text(), text()
		checkSides(t, a, b, wordDiff(a, b))
		if ins, del := diffCounts(wordDiff(a, a)); ins+del != 0 {
			t.Fatalf("wordDiff(a, a) of %q changes %d words", a, ins+del)
		}
	}
}

func TestWordDiffLarge(t *testing.T) {
	// Two unrelated long paragraphs pass the table bound: the run is
	// deleted and inserted whole, still correct.
	var a, b strings.Builder
	for i := range 3000 {
		a.WriteString("a" + strings.Repeat("x", i%7) + " ")
		b.WriteString("b" + strings.Repeat("y", i%5) + " ")
	}
	ops := wordDiff(a.String(), b.String())
	checkSides(t, a.String(), b.String(), ops)
	if len(ops) != 2 {
		t.Errorf("got %d ops, want a deletion and an insertion", len(ops))
	}
}

func TestRenderDiff(t *testing.T) {
	ops := wordDiff("Kept para.\n\nOld para.\n\nThe cat sat.", "Kept para.\n\nThe dog sat.\n\nNew para.")
	got := renderDiff(ops)
	var kinds []string
	for _, p := range got {
		kinds = append(kinds, p.Kind)
	}
	if want := "eq del eq ins"; strings.Join(kinds, " ") != want {
		t.Errorf("paragraph kinds = %v, want %s (%s)", kinds, want, marked(ops))
	}
}

func FuzzWordDiff(f *testing.F) {
	f.Add("a b c", "a c d")
	f.Add("قال\n\nالحلف", "قال الأمين\n\n\n\nالحلف")
	f.Add("<b>x</b>", "<i>x</i>\r\n\r\ny")
	f.Fuzz(func(t *testing.T, old, new string) {
		if len(old)+len(new) > 1<<14 {
			t.Skip()
		}
		checkSides(t, old, new, wordDiff(old, new))
	})
}

// side rebuilds one version's text from the ops: old (opDel) or new
// (opIns), with the words that both share.
func side(ops []diffOp, k opKind) string {
	var b strings.Builder
	sep := ""
	for _, op := range ops {
		if op.Kind != opEq && op.Kind != k {
			continue
		}
		for _, w := range op.Words {
			if w == paraBreak {
				b.WriteString(paraBreak)
				sep = ""
				continue
			}
			b.WriteString(sep + w)
			sep = " "
		}
	}
	return b.String()
}

// normalized is text as side rebuilds it: paragraphs of single-spaced
// words.
func normalized(text string) string {
	ps := diffParagraphs(text)
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = strings.Join(p, " ")
	}
	return strings.Join(out, paraBreak)
}
