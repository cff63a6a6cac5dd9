package extract

import (
	"bytes"
	"io"
	"strings"
)

// stripRaw returns src without the bodies of <script> (except JSON-LD),
// <style> and <svg> elements and without HTML comments, as a reader over
// src: they are never article text, and the tokenizer reads raw text byte
// by byte, so skipping them here with IndexByte is the cheapest way to
// make parsing faster. The reader copies nothing up front.
//
// Runs of white space after a tag or comment (a pretty-printed page's
// indentation: a third of the markup of some pages) shrink to their first
// character, outside <pre>: white space is collapsed when rendered.
//
// With attrs, start tags also lose the attributes the extractor never
// reads (srcset, data-*, event handlers, ...: see keptAttr), which the
// tokenizer would otherwise copy, unescape and allocate one by one. Site
// rules may select on any attribute, so they parse the page whole.
func stripRaw(src []byte, attrs bool) *rawStripper {
	r := &rawStripper{src: src, attrs: attrs}
	for i := 0; i < len(src); {
		j := bytes.IndexByte(src[i:], '<')
		if j < 0 {
			break
		}
		i += j
		start, end := rawSpan(src, i)
		switch {
		case end > start:
			r.skip(start, end)
			comment := start == i
			i = end
			if !comment {
				continue // an element's raw text: its end tag follows
			}
		case i+1 < len(src) && isASCIILetter(src[i+1]):
			i = r.startTag(i)
		case i+1 < len(src) && src[i+1] == '/':
			gt := bytes.IndexByte(src[i:], '>')
			if gt < 0 {
				i = len(src)
				continue
			}
			i += gt + 1
		default:
			i++
			continue
		}
		i = r.collapse(i)
	}
	if r.last < len(src) {
		r.keep = append(r.keep, [2]int{r.last, len(src)})
	}
	return r
}

// skip drops src[start:end] (start >= the end of the last skip).
func (r *rawStripper) skip(start, end int) {
	if start > r.last {
		r.keep = append(r.keep, [2]int{r.last, start})
	}
	r.last = end
}

// collapse skips all but the first of the white-space characters at
// src[k:], outside <pre>, and returns where they end.
func (r *rawStripper) collapse(k int) int {
	src := r.src
	if k >= len(src) || !isHTMLSpace(src[k]) || k < r.pre {
		return k
	}
	e := k + 1
	for e < len(src) && isHTMLSpace(src[e]) {
		e++
	}
	if e-k >= 2 {
		r.skip(k+1, e)
	}
	return e
}

// startTag scans the start tag at src[i] == '<' the way the tokenizer
// does, skipping the attributes keptAttr turns down, and returns
// where scanning goes on: after the tag, or after the text of an element
// whose content is raw text (a JSON-LD script, <title>, <textarea>, ...).
func (r *rawStripper) startTag(i int) int {
	src, n := r.src, len(r.src)
	k := i + 1
	for k < n && !isHTMLSpace(src[k]) && src[k] != '/' && src[k] != '>' {
		k++
	}
	name := src[i+1 : k]
	for k < n {
		ws := k
		for k < n && (isHTMLSpace(src[k]) || src[k] == '/') {
			k++
		}
		if k >= n {
			return n
		}
		if src[k] == '>' {
			k++
			break
		}
		a0 := k
		k++ // a name never starts empty, even at '='
		for k < n && !isHTMLSpace(src[k]) && src[k] != '/' && src[k] != '>' && src[k] != '=' {
			k++
		}
		a1 := k
		for k < n && isHTMLSpace(src[k]) {
			k++
		}
		v0, v1 := k, k
		if k < n && src[k] == '=' {
			k++
			for k < n && isHTMLSpace(src[k]) {
				k++
			}
			if k < n && (src[k] == '"' || src[k] == '\'') {
				q := bytes.IndexByte(src[k+1:], src[k])
				if q < 0 {
					return n // unterminated: leave the rest alone
				}
				v0, v1 = k+1, k+1+q
				k = v1 + 1
			} else {
				v0 = k
				for k < n && !isHTMLSpace(src[k]) && src[k] != '>' {
					k++
				}
				v1 = k
			}
		} else {
			k = a1 // no value: what follows is the next attribute
		}
		separated := k >= n || isHTMLSpace(src[k]) || src[k] == '/' || src[k] == '>'
		if r.attrs && ws < a0 && separated && !keptAttr(src[a0:a1], src[v0:v1]) {
			r.skip(ws, k)
		}
	}
	if raw := rawTextEnd(src, k, name); raw > k {
		return raw
	}
	if asciiEqualFold(name, "pre") || asciiEqualFold(name, "listing") {
		if c := indexFold(src[k:], "</"+strings.ToLower(string(name))); c >= 0 {
			r.pre = k + c
		} else {
			r.pre = n
		}
	}
	return k
}

// keptAttr reports whether the attribute named name (any case) with value
// v is one the extractor reads (readAttrs, meta, JSON-LD, MathML); a
// style matters only when it may hide the element.
func keptAttr(name, v []byte) bool {
	if len(name) > 13 {
		return false
	}
	var buf [13]byte
	for i, c := range name {
		buf[i] = c | 0x20 // ASCII lower case; other bytes never match
	}
	switch string(buf[:len(name)]) {
	case "class", "id", "hidden", "aria-hidden", "href", "itemprop", "role", "property", "name",
		"http-equiv", "content", "datetime", "display", "lang", "rel", "type", "charset", "aria-expanded":
		return true
	case "style":
		return bytes.Contains(v, []byte("none")) || bytes.Contains(v, []byte("hidden")) ||
			bytes.Contains(v, []byte("NONE")) || bytes.Contains(v, []byte("HIDDEN"))
	}
	return false
}

// rawTextEnd returns where the raw text of the element named name, whose
// start tag ends at k, closes ("</name"); k when name has no raw text.
func rawTextEnd(src []byte, k int, name []byte) int {
	var end string
	switch {
	case asciiEqualFold(name, "script"):
		end = "</script"
	case asciiEqualFold(name, "style"):
		end = "</style"
	case asciiEqualFold(name, "title"):
		end = "</title"
	case asciiEqualFold(name, "textarea"):
		end = "</textarea"
	case asciiEqualFold(name, "noscript"):
		end = "</noscript"
	case asciiEqualFold(name, "iframe"):
		end = "</iframe"
	case asciiEqualFold(name, "xmp"):
		end = "</xmp"
	case asciiEqualFold(name, "noembed"):
		end = "</noembed"
	case asciiEqualFold(name, "noframes"):
		end = "</noframes"
	case asciiEqualFold(name, "plaintext"):
		return len(src)
	default:
		return k
	}
	c := indexFold(src[k:], end)
	if c < 0 {
		return len(src)
	}
	return k + c
}

func asciiEqualFold(b []byte, lower string) bool {
	return len(b) == len(lower) && hasPrefixFold(b, lower)
}

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f'
}

// rawStripper reads the kept ranges of src in order.
type rawStripper struct {
	src   []byte
	attrs bool     // drop unread attributes (while scanning)
	last  int      // src[last:] not yet kept or skipped (while scanning)
	pre   int      // end of the <pre> being scanned: white space kept before it
	keep  [][2]int // byte ranges kept
	k     int      // range being read
	off   int      // bytes of it already read
}

func (r *rawStripper) Read(p []byte) (int, error) {
	n := 0
	for r.k < len(r.keep) && n < len(p) {
		start, end := r.keep[r.k][0]+r.off, r.keep[r.k][1]
		c := copy(p[n:], r.src[start:end])
		n += c
		if r.off += c; start+c >= end {
			r.k, r.off = r.k+1, 0
		}
	}
	if n == 0 && len(p) > 0 {
		return 0, io.EOF
	}
	return n, nil
}

// bytes returns all the kept ranges as one slice, however much was read.
func (r *rawStripper) bytes() []byte {
	var out []byte
	for _, k := range r.keep {
		out = append(out, r.src[k[0]:k[1]]...)
	}
	return out
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
