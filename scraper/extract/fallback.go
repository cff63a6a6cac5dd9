package extract

import (
	"bytes"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxDepth caps element nesting when the parser refused a page: x/net/html
// stops at 512 open elements, and it can open more than the tags it reads.
const maxDepth = 256

// flattenDeep rewrites src without the start tags (and their end tags)
// that would nest deeper than maxDepth, counting open elements the simple
// way; one linear tokenizer pass.
func flattenDeep(src []byte) []byte {
	z := html.NewTokenizer(bytes.NewReader(src))
	out := make([]byte, 0, len(src))
	var open []atom.Atom // open elements, by tag
	dropped := map[atom.Atom]int{}
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		raw := z.Raw()
		switch tt {
		case html.StartTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if voidTags[a] {
				break
			}
			if len(open) >= maxDepth {
				dropped[a]++
				continue
			}
			open = append(open, a)
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if dropped[a] > 0 {
				dropped[a]--
				continue
			}
			for k := len(open) - 1; k >= 0; k-- {
				if open[k] == a {
					open = open[:k]
					break
				}
			}
		}
		out = append(out, raw...)
	}
}

var voidTags = map[atom.Atom]bool{
	atom.Area: true, atom.Base: true, atom.Br: true, atom.Col: true, atom.Embed: true, atom.Hr: true,
	atom.Img: true, atom.Input: true, atom.Link: true, atom.Meta: true, atom.Source: true,
	atom.Track: true, atom.Wbr: true, atom.Param: true,
}

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
