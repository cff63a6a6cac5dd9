package poll

import (
	"strings"

	"golang.org/x/net/html"
)

// plainText turns a feed item's HTML (or plain text) into paragraphs
// separated by a blank line.
func plainText(src string) string {
	if !strings.ContainsAny(src, "<&") {
		return joinParas(strings.Split(src, "\n\n"))
	}
	z := html.NewTokenizer(strings.NewReader(src))
	var paras []string
	var cur strings.Builder
	flush := func() {
		if s := strings.Join(strings.Fields(cur.String()), " "); s != "" {
			paras = append(paras, s)
		}
		cur.Reset()
	}
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			flush()
			return strings.Join(paras, "\n\n")
		case html.TextToken:
			if skip == 0 {
				cur.Write(z.Text())
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				skip++
			case "p", "div", "br", "li", "h1", "h2", "h3", "h4", "blockquote", "tr":
				flush()
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style":
				skip = max(0, skip-1)
			case "p", "div", "li", "h1", "h2", "h3", "h4", "blockquote", "tr":
				flush()
			}
		}
	}
}

func joinParas(ps []string) string {
	out := ps[:0]
	for _, p := range ps {
		if s := strings.Join(strings.Fields(p), " "); s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, "\n\n")
}
