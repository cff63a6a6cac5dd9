package poll

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// plainText turns a feed item's HTML (or plain text) into paragraphs
// separated by a blank line, with the white space inside a paragraph
// collapsed to single spaces. It writes into one builder: splitting into
// words and joining them again was a twentieth of a large pass's
// allocations.
func plainText(src string) string {
	var w paraWriter
	w.b.Grow(len(src))
	if !strings.ContainsAny(src, "<&") {
		for p := range strings.SplitSeq(src, "\n\n") {
			w.text(p)
			w.flush()
		}
		return w.b.String()
	}
	z := html.NewTokenizer(strings.NewReader(src))
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return w.b.String()
		case html.TextToken:
			if skip == 0 {
				w.text(string(z.Text()))
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				skip++
			case "p", "div", "br", "li", "h1", "h2", "h3", "h4", "blockquote", "tr":
				w.flush()
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				skip = max(0, skip-1)
			case "p", "div", "li", "h1", "h2", "h3", "h4", "blockquote", "tr":
				w.flush()
			}
		}
	}
}

// paraWriter builds paragraphs of words: text adds to the current
// paragraph, flush ends it. Empty paragraphs are dropped.
type paraWriter struct {
	b       strings.Builder
	inPara  bool // the current paragraph has a word
	pending bool // white space seen since its last word
}

func (w *paraWriter) text(s string) {
	for i := 0; i < len(s); {
		size := spaceAt(s, i)
		if size > 0 {
			w.pending = w.inPara
			i += size
			continue
		}
		// A word: copied whole, up to the next white space.
		j := i + 1
		for j < len(s) && spaceAt(s, j) == 0 {
			j++
		}
		switch {
		case w.pending:
			w.b.WriteByte(' ')
		case !w.inPara && w.b.Len() > 0:
			w.b.WriteString("\n\n")
		}
		w.inPara, w.pending = true, false
		w.b.WriteString(s[i:j])
		i = j
	}
}

// spaceAt returns the length of the white space rune (unicode.IsSpace)
// at s[i], 0 when s[i] starts anything else.
func spaceAt(s string, i int) int {
	c := s[i]
	if c < utf8.RuneSelf {
		if asciiSpace[c] {
			return 1
		}
		return 0
	}
	if c&0xC0 == 0x80 {
		return 0 // inside a word's rune
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	if unicode.IsSpace(r) {
		return size
	}
	return 0
}

// asciiSpace is unicode.IsSpace over ASCII.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

func (w *paraWriter) flush() { w.inPara, w.pending = false, false }
