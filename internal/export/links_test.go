package export

import (
	"bytes"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

func TestSafeURL(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"http":              {"http://a.example/x?y=1", "http://a.example/x?y=1"},
		"https upper":       {"HTTPS://a.example/x", "HTTPS://a.example/x"},
		"spaces trimmed":    {"  https://a.example/x \n", "https://a.example/x"},
		"javascript":        {"javascript:alert(1)", ""},
		"javascript mixed":  {"JaVaScRiPt:alert(1)", ""},
		"javascript tab":    {"java\tscript:alert(1)", ""},
		"javascript nl":     {"java\nscript:alert(1)", ""},
		"javascript entity": {"&#106;avascript:alert(1)", ""},
		"javascript hex":    {"&#x6A;avascript&#x3A;alert(1)", ""},
		"colon entity":      {"javascript&colon;alert(1)", ""},
		"vbscript":          {"vbscript:msgbox(1)", ""},
		"vbscript upper":    {"VBScript:msgbox(1)", ""},
		"data":              {"data:text/html;base64,PHNjcmlwdD4=", ""},
		"data upper":        {"DATA:text/html,<script>", ""},
		"file":              {"file:///etc/passwd", ""},
		"ftp":               {"ftp://a.example/x", ""},
		"no host":           {"https:/a.example/x", ""},
		"opaque":            {"https:a.example", ""},
		"relative":          {"/stories/1", ""},
		"protocol relative": {"//evil.example/x", ""},
		"bare guid":         {"1", ""},
		"hash":              {"sha256:ab12", ""},
		"backslash":         {"https:\\\\evil.example", ""},
		"nul":               {"https://a.example/\x00", ""},
		"empty":             {"", ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			if got := SafeURL(tc.in); got != tc.want {
				t.Errorf("SafeURL(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestFeedsCarryOnlyHTTPLinks: whatever the store holds as a
// representative's link, no feed format carries anything but http(s), and
// entries whose link is not a URL point at the story's dashboard page.
func TestFeedsCarryOnlyHTTPLinks(t *testing.T) {
	bad := []string{"javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "vbscript:msgbox(1)",
		"VBSCRIPT:x", "data:text/html,<script>alert(1)</script>", "DaTa:text/html;base64,PHNjcmlwdD4=",
		"&#106;avascript:alert(1)", "sha256:0123abcd", "1", "urn:x"}
	t0 := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	var stories []news.Story
	for i, u := range bad {
		id := int64(100 + i)
		stories = append(stories, news.Story{ID: id, Title: "t", Representative: id, FirstSeen: t0, LastSeen: t0,
			Members: []news.Article{{ID: id, URL: u, CanonicalURL: u, Title: "t", Text: "x"}}})
	}
	for name, write := range feedFormats() {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := write(&b, feedChannel(), stories); err != nil {
				t.Fatal(err)
			}
			low := strings.ToLower(b.String())
			for _, s := range []string{"javascript", "vbscript", "data:", "sha256:", "urn:x", "&amp;#106;"} {
				if strings.Contains(low, s) {
					t.Errorf("%s feed carries %q", name, s)
				}
			}
			for i := range bad {
				if page := storyURL(feedChannel().Link, int64(100+i)); !strings.Contains(b.String(), page) {
					t.Errorf("%s feed: no story page %s for link %q", name, page, bad[i])
				}
			}
		})
	}
}

// FuzzSafeURL: whatever the input, SafeURL gives "" or an absolute http(s)
// URL with a host and nothing a browser would clean up.
func FuzzSafeURL(f *testing.F) {
	for _, s := range []string{"https://a.example/x", "java\tscript:alert(1)", "&#106;avascript:x", "HTTP://A", "//x", "https:\\\\x", "data:,x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := SafeURL(in)
		if out == "" {
			return
		}
		low := strings.ToLower(out)
		if !strings.HasPrefix(low, "http://") && !strings.HasPrefix(low, "https://") {
			t.Fatalf("SafeURL(%q) = %q: not http(s)", in, out)
		}
		for _, c := range []byte(out) {
			if c <= ' ' || c == 0x7f || c == '\\' {
				t.Fatalf("SafeURL(%q) = %q holds %q", in, out, c)
			}
		}
		if u, err := url.Parse(out); err != nil || u.Host == "" {
			t.Fatalf("SafeURL(%q) = %q: no host (%v)", in, out, err)
		}
	})
}
