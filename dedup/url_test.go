package dedup

import "testing"

func TestCanonicalURL(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"lowercase scheme and host", "HTTPS://Example.COM/Path/A", "https://example.com/Path/A"},
		{"default https port", "https://example.com:443/a", "https://example.com/a"},
		{"default http port", "http://example.com:80/a", "http://example.com/a"},
		{"other port kept", "http://example.com:8080/a", "http://example.com:8080/a"},
		{"fragment dropped", "https://example.com/a#comments", "https://example.com/a"},
		{"utm dropped", "https://example.com/a?utm_source=x&utm_medium=y", "https://example.com/a"},
		{"tracking dropped rest sorted", "https://example.com/a?b=2&fbclid=z&a=1&ref=home&gclid=q", "https://example.com/a?a=1&b=2"},
		{"empty path", "https://example.com", "https://example.com/"},
		{"percent-encoded arabic path kept", "https://makkahdaily.com/2015/07/21/%D8%AA%D9%88%D9%81%D8%B1-881599?utm_campaign=x", "https://makkahdaily.com/2015/07/21/%D8%AA%D9%88%D9%81%D8%B1-881599"},
		{"surrounding space", "  https://example.com/a  ", "https://example.com/a"},
		{"trailing dot host", "https://example.com./a", "https://example.com/a"},
		{"not a url", "not a url", "not a url"},
		{"empty", "", ""},
		{"bad escape", "https://example.com/%zz", "https://example.com/%zz"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := CanonicalURL(tc.in); got != tc.want {
				t.Errorf("CanonicalURL(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
