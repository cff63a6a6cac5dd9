package export

import (
	"net/url"
	"strings"
)

// SafeURL returns raw when it is an absolute http or https URL with a host,
// and "" otherwise. It is the only gate through which a stored link or
// image URL (as a feed gave it, so hostile) leaves wiredesk: javascript:,
// vbscript:, data:, file: and relative links, in any case and however
// disguised by tabs, newlines or entity text, are refused because only the
// two schemes are allowed, never because others are recognised.
func SafeURL(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > maxURLLen {
		return ""
	}
	for i := 0; i < len(raw); i++ {
		if c := raw[i]; c <= ' ' || c == 0x7f || c == '\\' {
			return "" // browsers drop or rewrite these, so what they open is not what was checked
		}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return raw
	}
	return ""
}

// maxURLLen bounds a link copied into a feed.
const maxURLLen = 4096
