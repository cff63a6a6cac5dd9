package news

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxLine is the longest single-line field (an article's title, byline),
// in characters, that an article keeps: a 5 MB title would make every
// list page 5 MB. Longer ones are cut and end in "…".
const MaxLine = 1000

// SingleLine makes s one line of at most max characters: control
// characters (NUL, line breaks) become spaces, whitespace runs collapse,
// and a longer line is cut at max. It reports whether s was cut.
func SingleLine(s string, max int) (string, bool) {
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		s = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return ' '
			}
			return r
		}, s)
	}
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= max {
		return s, false
	}
	n := 0
	for i := range s {
		if n == max-1 {
			return strings.TrimSpace(s[:i]) + "…", true
		}
		n++
	}
	return s, false
}

// StripNUL removes NUL characters, which no consumer of a text wants
// (PostgreSQL refuses them, HTML shows them raw).
func StripNUL(s string) string {
	if strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(s, "\x00", "")
}
