package dedup

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzNormalize checks that Normalize never panics, returns valid UTF-8
// without empty words, and is idempotent.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"", "Hello, World!", "مُحَمَّدٌ ﻻ ٢٠١٥", "a\u200Fb\n\nc", "ＡＢＣ ﬁ Café", "\xff\xfe broken", "کیری یحذّر"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if !utf8.ValidString(n) {
			t.Fatalf("Normalize(%q) = %q: invalid UTF-8", s, n)
		}
		if strings.Contains(n, "  ") || strings.HasPrefix(n, " ") || strings.HasSuffix(n, " ") {
			t.Fatalf("Normalize(%q) = %q: empty word", s, n)
		}
		if again := Normalize(n); again != n {
			t.Fatalf("not idempotent: Normalize(%q) = %q, Normalize of that = %q", s, n, again)
		}
	})
}

// FuzzCanonicalURL checks that CanonicalURL never panics and is
// idempotent.
func FuzzCanonicalURL(f *testing.F) {
	for _, s := range []string{"", "https://Example.com:443/a?b=1&utm_source=x#f", "http://[::1]:80/", "not a url", "https://h/%zz", "mailto:a@b", "//host/path?ref=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := CanonicalURL(s)
		if again := CanonicalURL(c); again != c {
			t.Fatalf("not idempotent: CanonicalURL(%q) = %q, then %q", s, c, again)
		}
	})
}

// FuzzOrigin checks that Origin never panics on arbitrary text.
func FuzzOrigin(f *testing.F) {
	for _, s := range []string{"", "LONDON (Reuters) - x", "المصدر: سبوتنيك", "\n\n\n", "(((--::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = Origin(s)
	})
}
