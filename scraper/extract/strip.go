package extract

import (
	"bytes"
)

// stripRaw removes the bodies of <script> (except JSON-LD), <style> and
// <svg> elements and HTML comments before parsing. They are never article
// text, and the tokenizer reads raw text byte by byte, so skipping them here
// with IndexByte is the cheapest way to make parsing faster.
func stripRaw(src []byte) []byte {
	var out []byte
	last := 0 // src[last:] not yet copied
	for i := 0; i < len(src); {
		j := bytes.IndexByte(src[i:], '<')
		if j < 0 {
			break
		}
		i += j
		start, end := rawSpan(src, i)
		if end <= start {
			i++
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(src))
		}
		out = append(out, src[last:start]...)
		last, i = end, end
	}
	if out == nil {
		return src
	}
	return append(out, src[last:]...)
}

// rawSpan returns the byte range to delete for a raw element or comment
// starting at src[i] == '<': for elements the content between the start
// and end tag (the tags stay), for comments the whole comment.
func rawSpan(src []byte, i int) (int, int) {
	rest := src[i+1:]
	if bytes.HasPrefix(rest, []byte("!--")) {
		k := bytes.Index(rest[3:], []byte("-->"))
		if k < 0 {
			return 0, 0
		}
		return i, i + 1 + 3 + k + 3
	}
	var name string
	switch {
	case hasPrefixFold(rest, "script"):
		name = "script"
	case hasPrefixFold(rest, "style"):
		name = "style"
	case hasPrefixFold(rest, "svg"):
		name = "svg"
	default:
		return 0, 0
	}
	if len(rest) > len(name) {
		if c := rest[len(name)]; c != '>' && c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '/' {
			return 0, 0 // <scripts>, <styleX>
		}
	}
	gt := bytes.IndexByte(rest, '>')
	if gt < 0 {
		return 0, 0
	}
	tag := rest[:gt]
	if name == "script" && bytes.Contains(bytes.ToLower(tag), []byte("ld+json")) {
		return 0, 0
	}
	if tag[len(tag)-1] == '/' {
		return 0, 0 // self-closing
	}
	open := i + 1 + gt + 1
	close := indexFold(src[open:], "</"+name)
	if close < 0 {
		return 0, 0
	}
	return open, open + close
}

func hasPrefixFold(b []byte, lower string) bool {
	if len(b) < len(lower) {
		return false
	}
	for k := 0; k < len(lower); k++ {
		if b[k]|0x20 != lower[k] {
			return false
		}
	}
	return true
}

// indexFold finds lower (an ASCII lower-case string starting with '<') in b,
// ignoring ASCII case.
func indexFold(b []byte, lower string) int {
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], '<')
		if j < 0 {
			return -1
		}
		i += j
		if hasPrefixFold(b[i+1:], lower[1:]) {
			return i
		}
		i++
	}
	return -1
}
