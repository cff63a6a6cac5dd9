package extract

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/wiredesk/wiredesk/scraper/sniff"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
)

// ToUTF8 decodes a page to UTF-8 once, returning the charset name used.
// The order is: byte order mark, the charset parameter of contentType,
// <meta charset> or <meta http-equiv> in the first 1024 bytes (a declared
// legacy charset loses to a body that is valid multi-byte UTF-8), then
// sniffing (see sniffEncoding).
func ToUTF8(body []byte, contentType string) ([]byte, string, error) {
	enc, name := declaredEncoding(body, contentType)
	if enc != nil && name != "utf-8" && !hasBOM(body) && looksUTF8(body) {
		// Legacy encodings practically never produce valid multi-byte
		// UTF-8, while pages re-encoded to UTF-8 often keep a stale label.
		enc, name = unicode.UTF8, "utf-8"
	}
	if enc == nil {
		enc, name = sniffEncoding(body)
	}
	if name == "utf-8" {
		return utf8Clean(body), name, nil
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return nil, name, fmt.Errorf("decode %s: %w", name, err)
	}
	return out, name, nil
}

func hasBOM(b []byte) bool {
	return bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) ||
		bytes.HasPrefix(b, []byte{0xFF, 0xFE})
}

// looksUTF8 reports whether b is valid UTF-8 with some multi-byte sequences.
func looksUTF8(b []byte) bool {
	multi := 0
	for i := 0; i < len(b) && multi < 8; i++ {
		if b[i] >= 0xC2 && b[i] <= 0xF4 {
			multi++
		}
	}
	return multi >= 8 && utf8.Valid(b)
}

// declaredEncoding returns the encoding a BOM, the Content-Type header or a
// meta tag declares, or nil when nothing declares one.
func declaredEncoding(body []byte, contentType string) (encoding.Encoding, string) {
	switch {
	case bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}):
		return unicode.UTF8BOM, "utf-8"
	case bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), "utf-16be"
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), "utf-16le"
	}
	// Index the lowered string itself: lowering can change byte lengths.
	if lct := strings.ToLower(contentType); strings.Contains(lct, "charset=") {
		i := strings.Index(lct, "charset=")
		label := strings.Trim(strings.TrimSpace(lct[i+len("charset="):]), `"';`)
		if j := strings.IndexAny(label, " ;"); j >= 0 {
			label = label[:j]
		}
		if enc, name := charset.Lookup(label); enc != nil {
			return enc, normalizeName(name)
		}
	}
	prefix := body[:min(len(body), 1024)]
	if !bytes.Contains(bytes.ToLower(prefix), []byte("charset")) {
		return nil, ""
	}
	// With no content type, DetermineEncoding consults only the meta prescan
	// before falling back to its own guess, which we discard below.
	enc, name, _ := charset.DetermineEncoding(prefix, "text/html")
	name = normalizeName(name)
	if name == "windows-1252" || name == "utf-8" {
		// Either declared or DetermineEncoding's default: decide by sniffing,
		// because pages labelled latin-1 or utf-8 are often neither.
		return nil, ""
	}
	return enc, name
}

func normalizeName(name string) string {
	n := strings.ToLower(name)
	switch n {
	case "utf8":
		return "utf-8"
	case "iso-8859-1", "latin1", "us-ascii", "ascii":
		return "windows-1252"
	}
	return n
}

// sniffEncoding guesses the encoding of an undeclared page: valid UTF-8
// stays UTF-8; otherwise a legacy encoding whose script the bytes plainly
// read as (sniff.Legacy: Arabic, Cyrillic, Hebrew, Thai, Japanese, Korean,
// Chinese); then a mostly valid UTF-8 page with a few broken bytes is
// UTF-8, and anything else windows-1252 as browsers do.
func sniffEncoding(body []byte) (encoding.Encoding, string) {
	if utf8.Valid(body) {
		return unicode.UTF8, "utf-8"
	}
	if enc := sniff.Legacy(body); enc != nil {
		if name, err := htmlindex.Name(enc); err == nil {
			return enc, name
		}
	}
	// Mostly-UTF-8 pages with a few broken bytes are far more common than
	// Latin-1 pages with multi-byte UTF-8 look-alikes.
	if validShare(body) >= 0.98 {
		return unicode.UTF8, "utf-8"
	}
	return charmap.Windows1252, "windows-1252"
}

// validShare is the share of non-ASCII bytes that belong to valid UTF-8 sequences.
func validShare(body []byte) float64 {
	high, ok := 0, 0
	for i := 0; i < len(body); {
		if body[i] < 0x80 {
			i++
			continue
		}
		r, n := utf8.DecodeRune(body[i:])
		high += n
		if r != utf8.RuneError || n > 1 {
			ok += n
		}
		i += n
	}
	if high == 0 {
		return 1
	}
	return float64(ok) / float64(high)
}

// utf8Clean returns body without a BOM and with invalid sequences replaced.
func utf8Clean(body []byte) []byte {
	body = bytes.TrimPrefix(body, []byte{0xEF, 0xBB, 0xBF})
	if utf8.Valid(body) {
		return body
	}
	return bytes.ToValidUTF8(body, []byte("\uFFFD"))
}
