package extract

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/wiredesk/wiredesk/news"
)

// FuzzExtract checks that no input panics, takes unbounded time or yields
// invalid UTF-8. Seeds live in testdata/fuzz/FuzzExtract.
func FuzzExtract(f *testing.F) {
	f.Add([]byte("<html><body><article><p>Hello, world. This is a paragraph.</p></article></body></html>"), "text/html; charset=utf-8", "")
	f.Add([]byte(strings.Repeat("<div>", 600)+"x"), "", "div")
	f.Add([]byte("<p>(تستمر)</p><p>\xe1\xe4\xc7\xca\xe6</p>"), "text/html; charset=windows-1256", "p")
	f.Add([]byte(`<script type="application/ld+json">{"@graph":[{"@type":"NewsArticle","author":[[[{}]]]}]}</script>`), "", "")
	f.Fuzz(func(t *testing.T, body []byte, contentType, selector string) {
		var rules *news.Rules
		if selector != "" {
			rules = &news.Rules{Body: selector, Remove: []string{selector + " a"}}
		}
		// A watchdog, not a check after the fact: a hang must fail (and
		// leave its input behind) instead of stalling the fuzzer.
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(3 * time.Second):
				panic(fmt.Sprintf("extract took over 3s on %d bytes, content type %q, selector %q", len(body), contentType, selector))
			}
		}()
		p, err := Extract(body, contentType, Options{Rules: rules, MaxBytes: 1 << 20})
		if err != nil {
			return // invalid selectors are errors, not panics
		}
		for _, s := range []string{p.Text, p.Title, p.Byline, p.Lang} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in output %q", s)
			}
		}
		if strings.Contains(p.Text, "\n\n\n") {
			t.Fatalf("paragraphs separated by more than one blank line: %q", p.Text)
		}
	})
}
