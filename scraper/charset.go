package scraper

import (
	"bytes"
	"mime"
	"regexp"
	"slices"
	"strings"
	xunicode "unicode"
	"unicode/utf8"

	"github.com/wiredesk/wiredesk/scraper/sniff"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
	"golang.org/x/text/transform"
)

// xmlEncodingRE finds the encoding of an XML declaration.
var xmlEncodingRE = regexp.MustCompile(`^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)

// ToUTF8 returns body as UTF-8 for the feed parser, its encoding
// declaration (if any) rewritten to UTF-8:
//   - a byte order mark decides (UTF-8, UTF-16, UTF-32), and so does the
//     pattern of zero bytes around the first '<' of UTF-16 or UTF-32
//     without one;
//   - a declared encoding (the Content-Type charset, else the XML
//     declaration's: see declaredCharsets) is decoded here, unless the
//     bytes contradict it: a
//     multi-byte encoding whose decoding fails, a single-byte one over
//     bytes that are valid UTF-8, or a Latin one over bytes that are
//     plainly of another script (see sniff.Legacy);
//   - otherwise valid UTF-8 passes through; invalid UTF-8 (undeclared,
//     mislabeled, or contradicted) is guessed by sniff.Legacy (Japanese,
//     Korean, Chinese, Cyrillic, Arabic), else windows-1252 when it holds
//     no valid multi-byte sequence at all, else repaired (repairUTF8).
func ToUTF8(body []byte, contentType string) []byte {
	out, _ := toUTF8(body, contentType)
	return out
}

// toUTF8 is ToUTF8, also returning a declared charset name it does not
// know (the document was then read as undeclared).
func toUTF8(body []byte, contentType string) ([]byte, string) {
	if out, ok := decodeUnicode(body); ok {
		return out, ""
	}
	declared := declaredCharsets(body, contentType)
	if slices.ContainsFunc(declared, isUTF8Label) && utf8.Valid(body) {
		// Said to be UTF-8 (by either) and valid: no other label can
		// read it better, and nothing is decoded twice.
		return stripXMLEncoding(body), ""
	}
	unknown := ""
	for _, declared := range declared {
		if isUTF8Label(declared) {
			continue // not valid, see above
		}
		enc := lookupCharset(declared)
		if enc == nil {
			if unknown == "" {
				unknown = declared
			}
			continue
		}
		if out, _, err := transform.Bytes(enc.NewDecoder(), body); err == nil && !contradicts(body, out, enc) {
			return stripXMLEncoding(otherCyrillic(body, out, enc)), ""
		}
	}
	if utf8.Valid(body) {
		return stripXMLEncoding(body), unknown
	}
	if enc := sniff.Legacy(body); enc != nil {
		if out, _, err := transform.Bytes(enc.NewDecoder(), body); err == nil {
			return stripXMLEncoding(out), unknown
		}
	}
	if validMulti, invalid := utf8Stats(body); validMulti == 0 && invalid > 0 {
		if out, _, err := transform.Bytes(charmap.Windows1252.NewDecoder(), body); err == nil {
			return stripXMLEncoding(out), unknown
		}
	}
	return stripXMLEncoding(repairUTF8(body)), unknown
}

// declaredCharsets returns the encodings a document is declared in, the
// first to try first: the HTTP charset, then the XML declaration's, as
// RFC 3023 and feedparser rank them (for application/xml and text/xml
// alike). A text/xml without a charset is not taken as US-ASCII, as RFC
// 3023 would have it: it names no charset. UTF-16 and UTF-32 labels are
// left out: real UTF-16 and UTF-32 were told by their zero bytes, so
// these bytes are 8-bit whatever they say.
func declaredCharsets(body []byte, contentType string) []string {
	var out []string
	for _, l := range []string{contentCharset(contentType), xmlEncoding(body)} {
		low := strings.ToLower(strings.TrimSpace(l))
		if low == "" || strings.HasPrefix(low, "utf-16") || strings.HasPrefix(low, "utf-32") || strings.HasPrefix(low, "ucs") {
			continue
		}
		out = append(out, l)
	}
	return out
}

// xmlEncoding returns the encoding of body's XML declaration, if any.
func xmlEncoding(body []byte) string {
	if m := xmlEncodingRE.FindSubmatch(body[:min(len(body), 512)]); m != nil {
		return string(m[1])
	}
	return ""
}

// repairUTF8 keeps b's valid UTF-8 and reads each invalid byte as
// windows-1252 (Latin-1 for the five bytes it leaves undefined): the
// commonest cause is Windows text (curly quotes, accents) pasted into a
// UTF-8 document, and a reader shows "’", not U+FFFD.
func repairUTF8(b []byte) []byte {
	if utf8.Valid(b) {
		return b
	}
	out := make([]byte, 0, len(b)+len(b)/8)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			if r = charmap.Windows1252.DecodeByte(b[0]); r == utf8.RuneError {
				r = rune(b[0])
			}
			out = utf8.AppendRune(out, r)
		} else {
			out = append(out, b[:n]...)
		}
		b = b[n:]
	}
	return out
}

// contradicts reports whether body's bytes contradict the encoding enc it
// declares, out being body decoded with enc: a decoding that fails
// (U+FFFD where body has none), a single-byte encoding over bytes that are
// valid UTF-8 with multi-byte sequences, or a Latin code page over bytes
// sniff.Legacy reads as another script.
func contradicts(body, out []byte, enc encoding.Encoding) bool {
	if bytes.Count(out, []byte("\uFFFD")) > bytes.Count(body, []byte("\uFFFD")) {
		return true
	}
	if _, single := enc.(*charmap.Charmap); !single {
		return false
	}
	if validMulti, invalid := utf8Stats(body); validMulti > 0 && invalid == 0 {
		return true
	}
	return isLatin(enc) && sniff.Legacy(body) != nil
}

// isCyrillic reports whether enc is one of the Cyrillic code pages that
// are read for one another (KOI8-R/U, windows-1251, ISO-8859-5, IBM866,
// Mac Cyrillic).
func isCyrillic(enc encoding.Encoding) bool {
	switch enc {
	case charmap.KOI8R, charmap.KOI8U, charmap.Windows1251, charmap.ISO8859_5, charmap.CodePage866, charmap.MacintoshCyrillic:
		return true
	}
	return false
}

// otherCyrillic reads body with another Cyrillic code page when the one
// declared (enc, giving out) makes no Russian-like text of it and the
// other does: the commonest letters (о е а и н т с р в л) are two thirds
// of a Cyrillic text's letters and a third of one read with the wrong
// page (KOI8-R and windows-1251 also swap the cases). Text of fewer than
// 20 letters is kept as declared.
func otherCyrillic(body, out []byte, enc encoding.Encoding) []byte {
	if !isCyrillic(enc) || commonCyrillic(out) >= 0.45 {
		return out
	}
	for _, alt := range []encoding.Encoding{charmap.Windows1251, charmap.KOI8R, charmap.CodePage866, charmap.ISO8859_5} {
		if alt == enc {
			continue
		}
		if o, _, err := transform.Bytes(alt.NewDecoder(), body); err == nil && commonCyrillic(o) >= 0.55 {
			return o
		}
	}
	return out
}

// commonCyrillic is the share of the Cyrillic letters of b among the ten
// commonest in Russian; one half (neither way) under 20 letters.
func commonCyrillic(b []byte) float64 {
	letters, common := 0, 0
	for _, r := range string(b) {
		if r < 0x400 || r > 0x4FF || !xunicode.IsLetter(r) {
			continue
		}
		letters++
		if strings.ContainsRune("оеаинтсрвл", xunicode.ToLower(r)) {
			common++
		}
	}
	if letters < 20 {
		return 0.5
	}
	return float64(common) / float64(letters)
}

func isLatin(enc encoding.Encoding) bool {
	switch enc {
	case charmap.Windows1252, charmap.ISO8859_1, charmap.ISO8859_15:
		return true
	}
	return false
}

// lookupCharset finds an encoding by its WHATWG label (what browsers
// accept), else by its IANA name or alias (cp437, IBM850, ...); nil when
// neither knows it or x/text has no decoder for it.
func lookupCharset(label string) encoding.Encoding {
	if enc, err := htmlindex.Get(strings.TrimSpace(label)); err == nil && enc != nil {
		// Not charset.Lookup: it wraps the code page, which contradicts
		// then does not see as one.
		return enc
	}
	enc, err := ianaindex.IANA.Encoding(strings.TrimSpace(label))
	if err != nil {
		return nil
	}
	return enc
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
	if loc == nil || string(b[loc[2]:loc[3]]) == "UTF-8" {
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

// decodeUnicode handles a byte order mark, and UTF-16 or UTF-32 without
// one (told by the zero bytes around the document's first '<'): UTF-16
// and UTF-32 are decoded to UTF-8 (the encoding declaration rewritten), a
// UTF-8 BOM is dropped and an invalid byte after it repaired (repairUTF8).
func decodeUnicode(body []byte) ([]byte, bool) {
	var dec transform.Transformer
	switch {
	case bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}):
		// The BOM decides: a declaration saying otherwise is rewritten.
		return stripXMLEncoding(repairUTF8(body[3:])), true
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE, 0, 0}), bytes.HasPrefix(body, []byte{'<', 0, 0, 0}):
		dec = utf32.UTF32(utf32.LittleEndian, utf32.UseBOM).NewDecoder()
	case bytes.HasPrefix(body, []byte{0, 0, 0xFE, 0xFF}), bytes.HasPrefix(body, []byte{0, 0, 0, '<'}):
		dec = utf32.UTF32(utf32.BigEndian, utf32.UseBOM).NewDecoder()
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}), bytes.HasPrefix(body, []byte{'<', 0}):
		dec = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder()
	case bytes.HasPrefix(body, []byte{0xFE, 0xFF}), bytes.HasPrefix(body, []byte{0, '<'}):
		dec = unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder()
	default:
		return nil, false
	}
	out, _, err := transform.Bytes(dec, body)
	if err != nil {
		return nil, false
	}
	return stripXMLEncoding(bytes.ToValidUTF8(out, []byte("\uFFFD"))), true
}
