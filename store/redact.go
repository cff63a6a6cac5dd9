package store

import (
	"errors"
	"net/url"
	"regexp"
	"strings"
)

// redacted replaces every secret RedactDSN hides.
const redacted = "REDACTED"

// secretParam is a secret given as key=value: in a URL query
// (?password=, &sslpassword=), in a key=value DSN ("host=h password=p",
// quoted or not) or in SQLite options (_auth_pass=).
var secretParam = regexp.MustCompile(`(?i)(^|[?&;\s])((?:ssl)?password|passwd|pwd|_auth_pass|secret|token|api_?key)(\s*=\s*)('(?:[^'\\]|\\.)*'?|"[^"]*"?|[^&;\s]*)`)

// RedactDSN hides every secret of a store DSN in all its forms: the
// password of URL userinfo (even with an unescaped '@', '/' or '?' in it),
// secret query parameters, key=value DSNs, SQLite auth options. It works
// on the text, so a DSN too malformed to parse is redacted too. It is the
// one redaction of DSNs: config, check and every error use it.
func RedactDSN(dsn string) string {
	if i := strings.Index(dsn, "://"); i >= 0 {
		rest := dsn[i+3:]
		// The userinfo ends at the last '@': a password may hold '@', '/'
		// or '?' unescaped; hiding too much is the safe side.
		if at := strings.LastIndexByte(rest, '@'); at >= 0 {
			if colon := strings.IndexByte(rest[:at], ':'); colon >= 0 {
				dsn = dsn[:i+3] + rest[:colon+1] + redacted + rest[at:]
			}
		}
	}
	return secretParam.ReplaceAllString(dsn, "${1}${2}${3}"+redacted)
}

// redact is RedactDSN.
func redact(dsn string) string { return RedactDSN(dsn) }

// parseErr is err without the input a URL parse error echoes (it holds the
// DSN's password).
func parseErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
