package scraper

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// TextTitle turns a feed's title into text: markup is stripped (the text
// of <script> and <style> with it), entities are decoded and whitespace
// runs collapse to one space. A title is text wherever it goes (the API,
// the exports, the republished feeds), whatever the source put in it.
func TextTitle(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return clean(s)
	}
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(s))
	skip := 0 // inside <script> or <style>
	for {
		switch z.Next() {
		case html.ErrorToken:
			return clean(b.String())
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken:
			a := tagAtom(z)
			if a == atom.Script || a == atom.Style {
				skip++
			}
			if breaks(a) {
				b.WriteByte(' ')
			}
		case html.EndTagToken:
			a := tagAtom(z)
			if (a == atom.Script || a == atom.Style) && skip > 0 {
				skip--
			}
			if breaks(a) {
				b.WriteByte(' ')
			}
		}
	}
}

func tagAtom(z *html.Tokenizer) atom.Atom {
	name, _ := z.TagName()
	return atom.Lookup(name)
}

// breaks reports whether a tag separates words (a block or a line break;
// inline tags such as <b> do not).
func breaks(a atom.Atom) bool {
	switch a {
	case atom.B, atom.I, atom.Em, atom.Strong, atom.Span, atom.A, atom.U, atom.Sub, atom.Sup,
		atom.Small, atom.Big, atom.Code, atom.Abbr, atom.Q, atom.S, atom.Strike, atom.Font, atom.Mark, atom.Tt:
		return false
	}
	return true
}
