package demo

import (
	"strings"
	"testing"
	"time"
)

func TestParseArticle(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr string
		paras   int
	}{
		{"ok", "story: s\npath: /a\ntitle: T\npublished: 2022-01-28T13:40:00+03:00\n\nOne\ntwo.\n\nThree.\n", "", 2},
		{"crlf", "story: s\r\npath: /a\r\ntitle: T\r\npublished: 2022-01-28T13:40:00Z\r\n\r\nOne.\r\n", "", 1},
		{"no body", "story: s\npath: /a\ntitle: T\npublished: 2022-01-28T13:40:00Z\n", "no blank line", 0},
		{"empty body", "story: s\npath: /a\ntitle: T\npublished: 2022-01-28T13:40:00Z\n\n\n\n", "no paragraphs", 0},
		{"missing story", "path: /a\ntitle: T\npublished: 2022-01-28T13:40:00Z\n\nx\n", "required", 0},
		{"bad date", "story: s\npath: /a\ntitle: T\npublished: yesterday\n\nx\n", "published", 0},
		{"unknown key", "story: s\nflavour: x\n\nx\n", "unknown header key", 0},
		{"no colon", "story s\n\nx\n", "want key: value", 0},
		{"relative path", "story: s\npath: a\ntitle: T\npublished: 2022-01-28T13:40:00Z\n\nx\n", "must start with /", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := parseArticle(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if len(a.Paragraphs) != tt.paras || a.Summary == "" {
				t.Errorf("paragraphs %q, summary %q", a.Paragraphs, a.Summary)
			}
		})
	}
}

func FuzzParseArticle(f *testing.F) {
	f.Add("story: s\npath: /a\ntitle: T\npublished: 2022-01-28T13:40:00+03:00\n\nOne\ntwo.\n\nThree.\n")
	f.Add("story: s\n\n")
	f.Add(":\n\n\n")
	f.Fuzz(func(t *testing.T, s string) {
		a, err := parseArticle(s)
		if err != nil {
			return
		}
		if a.Story == "" || len(a.Paragraphs) == 0 || !strings.HasPrefix(a.Path, "/") {
			t.Errorf("accepted an incomplete article: %+v", a)
		}
		for _, p := range a.Paragraphs {
			if p == "" || strings.Contains(p, "\n") {
				t.Errorf("paragraph %q: want non-empty, one line", p)
			}
		}
	})
}

func TestSummarize(t *testing.T) {
	tests := []struct {
		name, in string
		n        int
		want     string
	}{
		{"short", "a b c", 10, "a b c"},
		{"cut at word", "alpha beta gamma", 12, "alpha beta …"},
		{"arabic runes", "أعلن الأمين العام", 10, "أعلن …"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := summarize(tt.in, tt.n); got != tt.want {
				t.Errorf("summarize(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
		})
	}
}

func TestArDate(t *testing.T) {
	ts := time.Date(2022, time.January, 28, 13, 40, 0, 0, time.UTC)
	tests := []struct {
		name, style string
		clock       bool
		want        string
	}{
		{"levant", "levant", false, "28 كانون الثاني 2022"},
		{"egyptian with clock", "eg", true, "28 يناير 2022 13:40"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := arDate(tt.style, tt.clock, ts); got != tt.want {
				t.Errorf("arDate = %q, want %q", got, tt.want)
			}
		})
	}
}
