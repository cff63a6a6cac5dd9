package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestFeedsURLRule: feeds add and feeds import refuse the same URLs, and
// an address outside http.allow_networks is added with a warning at once.
func TestFeedsURLRule(t *testing.T) {
	t.Setenv("WIREDESK_STORE", "sqlite:"+filepath.Join(t.TempDir(), "w.db"))
	cfg := writeFile(t, "c.yaml", "")
	allowCfg := writeFile(t, "allow.yaml", "http:\n  allow_networks: [127.0.0.0/8]\n")
	for _, bad := range []string{"ftp://x.example/rss", "javascript:alert(1)", "file:///etc/passwd", "JavaScript:alert(1)", "data:text/xml,<rss/>", "/relative"} {
		t.Run("add "+bad, func(t *testing.T) {
			if code, _, errs := runCLI(t, "feeds", "-config", cfg, "add", bad); code != exitUsage || !strings.Contains(errs, "not an http or https URL") {
				t.Errorf("feeds add %s: exit %d, want 2: %s", bad, code, errs)
			}
		})
		t.Run("import "+bad, func(t *testing.T) {
			opml := writeFile(t, "s.opml", `<?xml version="1.0"?><opml version="2.0"><body>`+
				`<outline type="rss" text="Good" xmlUrl="https://good.example/rss"/>`+
				`<outline type="rss" text="Bad" xmlUrl="`+strings.ReplaceAll(bad, "<", "&lt;")+`"/></body></opml>`)
			code, out, errs := runCLI(t, "feeds", "-config", cfg, "import", opml)
			if code != exitUsage || !strings.Contains(errs, "not an http or https URL") || !strings.Contains(errs, "nothing imported") {
				t.Errorf("feeds import of %s: exit %d, want 2 naming it: %s%s", bad, code, out, errs)
			}
		})
	}
	if _, out, _ := runCLI(t, "feeds", "-config", cfg, "list"); strings.Contains(out, "good.example") {
		t.Errorf("a refused import left feeds behind:\n%s", out)
	}
	for name, c := range map[string]struct {
		cfg, url string
		warn     bool
	}{
		"loopback":         {cfg, "http://127.0.0.1:8080/rss", true},
		"private":          {cfg, "http://10.1.2.3/rss", true},
		"localhost":        {cfg, "http://localhost:9/rss", true},
		"ipv6 loopback":    {cfg, "http://[::1]:9/rss", true},
		"allowed loopback": {allowCfg, "http://127.0.0.2/rss", false},
		"public literal":   {cfg, "http://93.184.215.14/rss", false},
		"name":             {cfg, "https://news.example/rss", false},
	} {
		t.Run(name, func(t *testing.T) {
			code, out, errs := runCLI(t, "feeds", "-config", c.cfg, "add", c.url)
			if code != exitOK || !strings.Contains(out, "feed ") {
				t.Fatalf("feeds add %s: exit %d: %s%s", c.url, code, out, errs)
			}
			if got := strings.Contains(errs, "warning:") && strings.Contains(errs, "allow_networks"); got != c.warn {
				t.Errorf("feeds add %s: warning %v, want %v: %q", c.url, got, c.warn, errs)
			}
		})
	}
}
