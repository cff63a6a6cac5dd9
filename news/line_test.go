package news

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSingleLine(t *testing.T) {
	tests := []struct {
		name, in string
		max      int
		want     string
		cut      bool
	}{
		{"short", "Ferry adds sailings", 100, "Ferry adds sailings", false},
		{"nul and breaks", "Ferry\x00adds\r\nsailings\t", 100, "Ferry adds sailings", false},
		{"cut", "abcdefghij", 5, "abcd…", true},
		{"cut multibyte", "ééééééé", 3, "éé…", true},
		{"exactly max", "abcde", 5, "abcde", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, cut := SingleLine(tc.in, tc.max)
			if got != tc.want || cut != tc.cut {
				t.Errorf("SingleLine(%q, %d) = %q, %v; want %q, %v", tc.in, tc.max, got, cut, tc.want, tc.cut)
			}
		})
	}
	big, cut := SingleLine(strings.Repeat("word ", 1<<20), MaxLine)
	if !cut || utf8.RuneCountInString(big) != MaxLine {
		t.Errorf("5 MB title: %d characters, cut %v", utf8.RuneCountInString(big), cut)
	}
}

func TestStripNUL(t *testing.T) {
	if got := StripNUL("a\x00b"); got != "ab" {
		t.Errorf("StripNUL = %q", got)
	}
}
