package extract

import (
	"bytes"
	"io"
)

// stripRaw returns src without the bodies of <script> (except JSON-LD),
// <style> and <svg> elements and without HTML comments, as a reader over
// src: they are never article text, and the tokenizer reads raw text byte
// by byte, so skipping them here with IndexByte is the cheapest way to
// make parsing faster. The reader copies nothing up front.
func stripRaw(src []byte) *rawStripper {
	r := &rawStripper{src: src}
	last := 0 // src[last:] not yet kept
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
		if start > last {
			r.keep = append(r.keep, [2]int{last, start})
		}
		last, i = end, end
	}
	if last < len(src) {
		r.keep = append(r.keep, [2]int{last, len(src)})
	}
	return r
}

// rawStripper reads the kept ranges of src in order.
type rawStripper struct {
	src  []byte
	keep [][2]int // byte ranges kept
	k    int      // range being read
	off  int      // bytes of it already read
}

func (r *rawStripper) Read(p []byte) (int, error) {
	for r.k < len(r.keep) {
		start, end := r.keep[r.k][0]+r.off, r.keep[r.k][1]
		if start >= end {
			r.k, r.off = r.k+1, 0
			continue
		}
		n := copy(p, r.src[start:end])
		r.off += n
		return n, nil
	}
	return 0, io.EOF
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
