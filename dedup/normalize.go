package dedup

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns the normalized form of s used for matching: compatibility
// normalization (NFKC; combining marks are then dropped, so accented and
// vocalised spellings agree), lower case, Arabic orthographic folding
// (diacritics and tatweel removed; alef, yeh, teh marbuta, kaf and heh forms
// unified; Persian letter forms; Arabic-Indic digits to ASCII), bidi and
// zero-width marks removed. Words (runs of letters and digits) are separated
// by one space and lines by "\n"; punctuation is dropped and empty lines are
// removed.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	n := normalizer{emit: func(tok []byte, newPara bool) {
		if b.Len() > 0 {
			if newPara {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		}
		b.Write(tok)
	}}
	n.run(s)
	return b.String()
}

// normalizer splits text into normalized words. emit receives each word
// (valid only during the call) and whether a line break preceded it.
type normalizer struct {
	emit    func(tok []byte, newPara bool)
	tok     []byte
	newPara bool
}

func (n *normalizer) run(s string) {
	n.tok = n.tok[:0]
	n.newPara = false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if !lowerAlnum(c) {
				n.ascii(c)
				i++
				continue
			}
			j := i + 1
			for j < len(s) && lowerAlnum(s[j]) {
				j++
			}
			n.tok = append(n.tok, s[i:j]...)
			i = j
			continue
		}
		if j := arabicRun(s, i); j > i {
			n.tok = append(n.tok, s[i:j]...)
			i = j
			continue
		}
		if c&0xE0 == 0xC0 && c >= 0xC2 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			// two-byte sequence (Arabic, Latin accents) decoded inline
			r := rune(c&0x1F)<<6 | rune(s[i+1]&0x3F)
			if o := uint(r - 0x0620); o >= 64 || arabicDrop>>o&1 == 0 {
				n.rune(r, 0)
			} // else tatweel, harakat: dropped
			i += 2
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n.rune(r, 0)
	}
	n.flush()
}

func lowerAlnum(c byte) bool { return c-'a' < 26 || c-'0' < 10 }

// arabicRun returns the end of the run of common Arabic letters, kept as
// they are, that starts at i (i itself when there is none).
func arabicRun(s string, i int) int {
	for i+1 < len(s) {
		c, d := s[i], s[i+1]
		if c != 0xD8 && c != 0xD9 || d&0xC0 != 0x80 {
			break
		}
		r := rune(c&0x1F)<<6 | rune(d&0x3F)
		if o := uint(r - 0x0620); o >= 64 || arabicKeep>>o&1 == 0 {
			break
		}
		i += 2
	}
	return i
}

func (n *normalizer) ascii(c byte) {
	switch {
	case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		n.tok = append(n.tok, c)
	case 'A' <= c && c <= 'Z':
		n.tok = append(n.tok, c+'a'-'A')
	case c == '\n':
		n.flush()
		n.newPara = true
	default:
		n.flush()
	}
}
func (n *normalizer) flush() {
	if len(n.tok) == 0 {
		return
	}
	n.emit(n.tok, n.newPara)
	n.tok = n.tok[:0]
	n.newPara = false
}

// Bit sets over U+0620..U+065F for the common Arabic letters kept as they
// are and the marks dropped, so the usual text needs no table lookup.
const (
	arabicKeep = 1<<0x01 | 1<<0x07 | 1<<0x08 | (1<<27-1)&^(1<<10-1) | (1<<41-1)&^(1<<33-1) | 1<<0x2A
	arabicDrop = 1<<0x20 | (1<<51-1)&^(1<<43-1)
)

// rune handles one non-ASCII rune; depth bounds decomposition recursion.
func (n *normalizer) rune(r rune, depth int) {
	if r < utf8.RuneSelf {
		n.ascii(byte(r))
		return
	}
	if f, ok := foldArabic(r); ok {
		switch {
		case f == 0:
		case f < utf8.RuneSelf:
			n.tok = append(n.tok, byte(f))
		default: // the Arabic block is two bytes long in UTF-8
			n.tok = append(n.tok, byte(0xC0|f>>6), byte(0x80|f&0x3F))
		}
		return
	}
	if invisible(r) {
		return
	}
	if depth < 4 && needsDecomposition(r) {
		var buf [utf8.UTFMax]byte
		k := utf8.EncodeRune(buf[:], r)
		d := norm.NFKD.Properties(buf[:k]).Decomposition()
		if d != nil {
			for len(d) > 0 {
				dr, size := utf8.DecodeRune(d)
				d = d[size:]
				n.rune(dr, depth+1)
			}
			return
		}
	}
	switch {
	case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r):
		// combining marks carry no matching signal
	case r == '\u2028' || r == '\u2029' || r == '\u0085':
		n.flush()
		n.newPara = true
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		n.tok = utf8.AppendRune(n.tok, unicode.ToLower(r))
	case unicode.IsNumber(r) || unicode.Is(unicode.Mc, r):
		n.tok = utf8.AppendRune(n.tok, r)
	default:
		n.flush()
	}
}

// needsDecomposition reports whether r may change under compatibility
// decomposition. Arabic base letters and most scripts' letters do not; the
// quick check avoids a table lookup for them.
func needsDecomposition(r rune) bool {
	switch {
	case r >= 0x0621 && r <= 0x06FF: // Arabic block: handled by foldArabic
		return false
	case r >= 0x3400 && r <= 0x9FFF: // CJK ideographs
		return false
	case r >= 0xAC00 && r <= 0xD7A3: // Hangul syllables: composed form kept
		return false
	}
	return true
}

// invisible reports bidi controls, zero-width characters and other format
// characters that must not split or change a word.
func invisible(r rune) bool {
	switch r {
	case '\u00AD', '\u061C', '\u180E', '\uFEFF':
		return true
	}
	switch {
	case r >= 0x200B && r <= 0x200F, r >= 0x202A && r <= 0x202E, r >= 0x2060 && r <= 0x2069:
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// foldArabic folds Arabic letter variants. ok is false outside the Arabic
// block; a zero rune with ok means "drop".
func foldArabic(r rune) (rune, bool) {
	if r < 0x0600 || r > 0x06FF {
		return 0, false
	}
	switch {
	case r >= 0x064B && r <= 0x065F, r == 0x0670, r >= 0x06D6 && r <= 0x06ED, r >= 0x0610 && r <= 0x061A:
		return 0, true // harakat, superscript alef, Quranic marks
	case r >= 0x0660 && r <= 0x0669:
		return '0' + r - 0x0660, true
	case r >= 0x06F0 && r <= 0x06F9:
		return '0' + r - 0x06F0, true
	}
	switch r {
	case 0x0640: // tatweel
		return 0, true
	case 0x0622, 0x0623, 0x0625, 0x0671, 0x0672, 0x0673, 0x0675: // alef forms
		return 0x0627, true
	case 0x0649, 0x06CC, 0x06D0, 0x06D2, 0x0626, 0x06CD, 0x064A: // yeh forms, hamza on yeh
		return 0x064A, true
	case 0x0629, 0x06C0, 0x06C1, 0x06C3, 0x06D5, 0x06BE: // teh marbuta, heh forms
		return 0x0647, true
	case 0x06A9, 0x06AA, 0x06AF: // keheh, swash kaf, gaf
		return 0x0643, true
	case 0x0624: // waw with hamza
		return 0x0648, true
	case 0x06CF, 0x06C6, 0x06C7, 0x06C8, 0x06CB:
		return 0x0648, true
	}
	if arabicLetter(r) {
		return r, true
	}
	return 0, false
}

// arabicLetter reports the letters of the Arabic block (U+0600-U+06FF)
// left after folding, without a Unicode table lookup.
func arabicLetter(r rune) bool {
	switch {
	case r >= 0x0620 && r <= 0x063F, r >= 0x0641 && r <= 0x064A, r == 0x066E, r == 0x066F,
		r >= 0x0671 && r <= 0x06D3, r == 0x06D5, r == 0x06EE, r == 0x06EF, r >= 0x06FA && r <= 0x06FC, r == 0x06FF:
		return true
	}
	return false
}
