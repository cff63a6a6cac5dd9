package scraper

import (
	"bytes"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// xmlEncodingRE finds the encoding of an XML declaration.
var xmlEncodingRE = regexp.MustCompile(`^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)

// ToUTF8 returns body as UTF-8 for the feed parser:
//   - a document whose XML declaration names a non-UTF-8 encoding is left
//     alone (the parser decodes it);
//   - a document that declares no encoding but whose Content-Type names a
//     charset other than UTF-8 is decoded here;
//   - a UTF-16 or UTF-8 byte order mark decides (UTF-16 is decoded here);
//   - otherwise valid UTF-8 passes through, and invalid UTF-8 is repaired
//     with U+FFFD, except that a body holding no valid multi-byte sequence
//     at all (undeclared, or mislabeled UTF-8) is guessed to be
//     windows-1256 when its high bytes are mostly Arabic letters in that
//     code page, else windows-1252.
func ToUTF8(body []byte, contentType string) []byte {
	if out, ok := decodeBOM(body); ok {
		return out
	}
	head := body[:min(len(body), 512)]
	m := xmlEncodingRE.FindSubmatch(head)
	if m != nil && !isUTF8Label(string(m[1])) {
		return body
	}
	if cs := contentCharset(contentType); m == nil && cs != "" && !isUTF8Label(cs) {
		if enc, _ := charset.Lookup(cs); enc != nil {
			if out, _, err := transform.Bytes(enc.NewDecoder(), body); err == nil {
				return stripXMLEncoding(out)
			}
		}
	}
	if utf8.Valid(body) {
		return body
	}
	if validMulti, invalid := utf8Stats(body); validMulti == 0 && invalid > 0 {
		cm := charmap.Windows1252
		if looksArabic1256(body) {
			cm = charmap.Windows1256
		}
		if out, _, err := transform.Bytes(cm.NewDecoder(), body); err == nil {
			return stripXMLEncoding(out)
		}
	}
	return bytes.ToValidUTF8(body, []byte("\uFFFD"))
}

func isUTF8Label(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	return s == "utf-8" || s == "utf8"
}

func contentCharset(ct string) string {
	if ct == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return ""
	}
	return params["charset"]
}

// stripXMLEncoding rewrites a declared encoding to UTF-8 once the bytes have
// been decoded, so the parser does not decode them twice.
func stripXMLEncoding(b []byte) []byte {
	loc := xmlEncodingRE.FindSubmatchIndex(b[:min(len(b), 512)])
	if loc == nil {
		return b
	}
	out := make([]byte, 0, len(b))
	out = append(out, b[:loc[2]]...)
	out = append(out, "UTF-8"...)
	return append(out, b[loc[3]:]...)
}

// utf8Stats counts valid multi-byte runes and invalid bytes.
func utf8Stats(b []byte) (validMulti, invalid int) {
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && n == 1:
			invalid++
		case n > 1:
			validMulti++
		}
		b = b[n:]
	}
	return validMulti, invalid
}

// looksArabic1256 reports whether most high bytes are windows-1256 Arabic
// letters (0xC1–0xFE less the few Latin letters kept in that range).
func looksArabic1256(b []byte) bool {
	high, arabic := 0, 0
	for _, c := range b {
		if c < 0x80 {
			continue
		}
		high++
		if c >= 0xC1 && c <= 0xFE && !latinIn1256(c) {
			arabic++
		}
	}
	return high > 0 && arabic*10 >= high*7
}

func latinIn1256(c byte) bool {
	switch c {
	case 0xD7, 0xE0, 0xE2, 0xE7, 0xE8, 0xE9, 0xEA, 0xEB, 0xEE, 0xEF, 0xF4, 0xF7, 0xF9, 0xFB, 0xFC:
		return true
	}
	return false
}

// decodeBOM handles a byte order mark: UTF-16 is decoded to UTF-8 (and its
// encoding declaration rewritten), a UTF-8 BOM is dropped, and an invalid
// byte after it repaired.
func decodeBOM(body []byte) ([]byte, bool) {
	switch {
	case bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}):
		return bytes.ToValidUTF8(body[3:], []byte("\uFFFD")), true
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}), bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		out, _, err := transform.Bytes(dec, body)
		if err != nil {
			return nil, false
		}
		return stripXMLEncoding(out), true
	}
	return nil, false
}
