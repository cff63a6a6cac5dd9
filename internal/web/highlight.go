package web

import (
	"html"
	"html/template"
	"strings"
	"unicode"
	"unicode/utf8"
)

// gramSize is the shingle length, in words, of the side-by-side marking.
const gramSize = 4

// word is one word of a text: its byte range, its normalized form and the
// sentence it belongs to.
type word struct {
	start, end int
	norm       string
	sentence   int
}

// foldRune normalizes a rune for comparison: lower case, Arabic letter
// variants unified, diacritics and tatweel dropped (ok false), Arabic-Indic
// digits as ASCII.
func foldRune(r rune) (rune, bool) {
	switch {
	case r >= 0x064B && r <= 0x065F, r == 0x0670, r == 0x0640:
		return 0, false
	case r == 'أ', r == 'إ', r == 'آ', r == 'ٱ':
		return 'ا', true
	case r == 'ى', r == 'ئ':
		return 'ي', true
	case r == 'ة':
		return 'ه', true
	case r == 'ؤ':
		return 'و', true
	case r >= '٠' && r <= '٩':
		return '0' + (r - '٠'), true
	case unicode.Is(unicode.Mn, r):
		return 0, false
	}
	return unicode.ToLower(r), true
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isSentenceEnd(r rune) bool {
	switch r {
	case '.', '!', '?', '؟', '…', '\n', '۔', '。':
		return true
	}
	return false
}

// splitWords tokenizes text into words with sentence numbers.
func splitWords(text string) []word {
	var out []word
	var norm strings.Builder
	sentence, start := 0, -1
	flush := func(end int) {
		if start >= 0 && norm.Len() > 0 {
			out = append(out, word{start: start, end: end, norm: norm.String(), sentence: sentence})
		}
		norm.Reset()
		start = -1
	}
	for i, r := range text {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			if f, ok := foldRune(r); ok {
				norm.WriteRune(f)
			}
			continue
		}
		flush(i)
		if isSentenceEnd(r) {
			sentence++
		}
	}
	flush(len(text))
	return out
}

func gramKey(ws []word, i, n int) string {
	var b strings.Builder
	for _, w := range ws[i : i+n] {
		b.WriteString(w.norm)
		b.WriteByte(' ')
	}
	return b.String()
}

// sentenceKeys maps each sentence of two words or more to its normalized
// text.
func sentenceKeys(ws []word) map[int]string {
	keys := map[int]string{}
	for i := 0; i < len(ws); {
		j, n := i, 0
		var b strings.Builder
		for ; j < len(ws) && ws[j].sentence == ws[i].sentence; j++ {
			b.WriteString(ws[j].norm)
			b.WriteByte(' ')
			n++
		}
		if n >= 2 {
			keys[ws[i].sentence] = b.String()
		}
		i = j
	}
	return keys
}

// sharedWords marks the words of a that b shares: words in a word 4-gram
// that b also has, and whole sentences whose normalized form b also has
// (which catches sentences shorter than a 4-gram).
func sharedWords(a, b []word) []bool {
	marked := make([]bool, len(a))
	grams := map[string]bool{}
	for i := 0; i+gramSize <= len(b); i++ {
		grams[gramKey(b, i, gramSize)] = true
	}
	for i := 0; i+gramSize <= len(a); i++ {
		if grams[gramKey(a, i, gramSize)] {
			for j := i; j < i+gramSize; j++ {
				marked[j] = true
			}
		}
	}
	other := map[string]bool{}
	for _, k := range sentenceKeys(b) {
		other[k] = true
	}
	mine := sentenceKeys(a)
	for i, w := range a {
		if k, ok := mine[w.sentence]; ok && !marked[i] && other[k] {
			marked[i] = true
		}
	}
	return marked
}

// noNUL replaces the NULs stored text may hold (html.EscapeString and
// the sanitizer pass them) with U+FFFD, as html/template does for text.
func noNUL(s string) string { return strings.ReplaceAll(s, "\x00", "\uFFFD") }

// markedHTML renders text as paragraphs (one per non-blank line), escaped,
// with runs of marked words wrapped in <mark>.

func markedHTML(text string, ws []word, marked []bool) string {
	var b strings.Builder
	k := 0
	for lineStart := 0; lineStart < len(text); {
		lineEnd := strings.IndexByte(text[lineStart:], '\n')
		if lineEnd < 0 {
			lineEnd = len(text)
		} else {
			lineEnd += lineStart
		}
		if strings.TrimSpace(text[lineStart:lineEnd]) != "" {
			b.WriteString("<p>")
			k = markLine(&b, text, lineStart, lineEnd, ws, marked, k)
			b.WriteString("</p>")
		}
		lineStart = lineEnd + 1
	}
	return b.String()
}

// markLine writes text[from:to] with words ws[k:] that lie inside it, and
// returns the index of the first word after the line.
func markLine(b *strings.Builder, text string, from, to int, ws []word, marked []bool, k int) int {
	cursor, in, prevEnd := from, false, from
	for ; k < len(ws) && ws[k].start < to; k++ {
		w := ws[k]
		switch {
		case marked[k] && !in:
			b.WriteString(html.EscapeString(text[cursor:w.start]) + "<mark>")
			cursor, in = w.start, true
		case !marked[k] && in:
			b.WriteString(html.EscapeString(text[cursor:prevEnd]) + "</mark>")
			cursor, in = prevEnd, false
		}
		prevEnd = w.end
	}
	if in {
		b.WriteString(html.EscapeString(text[cursor:prevEnd]) + "</mark>")
		cursor = prevEnd
	}
	b.WriteString(html.EscapeString(text[cursor:to]))
	return k
}

// comparison is the side-by-side view of a representative and a copy.
type comparison struct {
	Rep, Copy template.HTML
	Shared    int // percent of the copy's words also in the representative
	Words     int // words in the copy
}

// maxCompareBytes bounds the text compared, to keep the page fast.
const maxCompareBytes = 200 << 10

// compare marks what rep and cp share and sanitizes the result.
func (s *Server) compare(rep, cp string) comparison {
	rep, cp = clip(rep, maxCompareBytes), clip(cp, maxCompareBytes)
	wr, wc := splitWords(rep), splitWords(cp)
	mr, mc := sharedWords(wr, wc), sharedWords(wc, wr)
	c := comparison{
		// Escaped already; the policy is a second fence around <p> and <mark>.
		Rep:   template.HTML(noNUL(s.policy.Sanitize(markedHTML(rep, wr, mr)))), // #nosec: sanitized
		Copy:  template.HTML(noNUL(s.policy.Sanitize(markedHTML(cp, wc, mc)))),  // #nosec: sanitized
		Words: len(wc),
	}
	n := 0
	for _, m := range mc {
		if m {
			n++
		}
	}
	if len(wc) > 0 {
		c.Shared = n * 100 / len(wc)
	}
	return c
}

// clip cuts s to at most n bytes on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
