package extract

import (
	"bytes"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// fallbackParas splits a page the parser refused into paragraphs at block
// tags with a linear tokenizer pass, skipping scripts and styles.
func fallbackParas(src []byte) []para {
	z := html.NewTokenizer(bytes.NewReader(src))
	r := &renderer{space: true}
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			r.flush()
			return r.out
		case html.TextToken:
			if skip == 0 {
				r.write(string(z.Text()))
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch {
			case a == atom.Script || a == atom.Style || a == atom.Noscript || a == atom.Template:
				if tt == html.StartTagToken {
					skip++
				} else if skip > 0 {
					skip--
				}
			case !inlineTags[a]:
				r.flush()
			}
		}
	}
}
