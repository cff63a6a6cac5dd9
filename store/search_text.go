package store

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Search words. The search index holds each article's title and text as
// the words searchWords returns, and a query is the words of the user's
// input, so both sides are folded by the same Go code on both dialects:
//
//   - compatibility decomposition (NFKD), then every nonspacing mark is
//     dropped: Latin accents (café → cafe), the Arabic tashkeel and the
//     hamza and madda that make أ إ آ ؤ ئ (→ ا ا ا و ي); ligatures and
//     Arabic presentation forms become their letters;
//   - Arabic: tatweel dropped, alef wasla ٱ → ا, ta marbuta ة → ه, alef
//     maqsura ى → ي, Persian yeh ی → ي and keheh ک → ك, Arabic-Indic
//     digits → 0-9;
//   - lower case (final sigma ς → σ);
//   - a word is a run of letters, digits, marks and private-use
//     characters; anything else separates words. Words are cut at
//     maxWordRunes.
//
// The index is fed the words separated by spaces (searchDoc). SQLite's
// FTS5 tokenizer (unicode61, whose categories hold every rune a word can
// hold) splits exactly there; PostgreSQL splits them into a text[] and
// takes each as a lexeme as it is (array_to_tsvector), without its own
// text parser.

// maxWordRunes cuts long words (base64 blobs, URLs of letters) so that an
// index entry stays small; a query word is cut the same way.
const maxWordRunes = 64

// searchFold maps one rune of NFKD text: -1 drops it.
func searchFold(r rune) rune {
	switch {
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	case unicode.Is(unicode.Mn, r), r == 'ـ': // marks, tatweel
		return -1
	case 'ٰ' <= r && r <= 'ۿ':
		switch r {
		case 'ٱ':
			return 'ا'
		case 'ی':
			return 'ي'
		case 'ک':
			return 'ك'
		}
		if '۰' <= r && r <= '۹' {
			return '0' + r - '۰'
		}
		return r
	case r == 'ة':
		return 'ه'
	case r == 'ى':
		return 'ي'
	case '٠' <= r && r <= '٩':
		return '0' + r - '٠'
	case r == 'ς':
		return 'σ'
	}
	return unicode.ToLower(r)
}

// isWordRune reports whether r, folded, belongs to a word.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r) || unicode.Is(unicode.Co, r)
}

// searchWords returns the folded words of s in order, repeats included.
func searchWords(s string) []string {
	var (
		words []string
		b     strings.Builder
		n     int // runes in b
	)
	flush := func() {
		if b.Len() > 0 {
			words = append(words, b.String())
			b.Reset()
			n = 0
		}
	}
	var it norm.Iter
	it.InitString(norm.NFKD, s)
	for !it.Done() {
		seg := it.Next()
		for len(seg) > 0 {
			r, size := utf8.DecodeRune(seg)
			seg = seg[size:]
			if r == utf8.RuneError && size <= 1 {
				flush()
				continue
			}
			r = searchFold(r)
			switch {
			case r < 0:
			case !isWordRune(r):
				flush()
			case n < maxWordRunes:
				b.WriteRune(r)
				n++
			}
		}
	}
	flush()
	return words
}

// searchDoc is the text the SQLite index is fed for an article: its
// words, separated by spaces.
func searchDoc(title, text string) string {
	return strings.Join(append(searchWords(title), searchWords(text)...), " ")
}
