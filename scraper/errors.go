package scraper

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"time"
)

// Sentinel errors. Match them with errors.Is; Class names them.
var (
	// ErrNotModified is a 304 answer to a conditional GET; no body was read.
	ErrNotModified = errors.New("not modified")
	// ErrTooLarge is a body over Options.MaxBody after decompression.
	ErrTooLarge = errors.New("body too large")
	// ErrBlocked is a destination address that is not public and not in
	// Options.AllowNetworks, or a URL scheme other than http and https.
	ErrBlocked = errors.New("destination not allowed")
	// ErrNotFeed is a document that is not RSS, Atom or JSON Feed.
	ErrNotFeed = errors.New("not a feed")
	// ErrEmpty is an empty (or all-whitespace) body where a document was
	// expected. It matches ErrNotFeed too.
	ErrEmpty = fmt.Errorf("empty body: %w", ErrNotFeed)
	// ErrCharset is a document in an encoding whose name we do not know,
	// that did not parse as a feed when read as undeclared either.
	ErrCharset = errors.New("unknown charset")
	// ErrRobots is a URL that robots.txt disallows. Fetch does not check
	// robots.txt itself: callers ask Allowed and return (a wrap of) ErrRobots.
	ErrRobots = errors.New("disallowed by robots.txt")
	// ErrTooManyRedirects is a redirect chain longer than Options.MaxRedirects.
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrHostBackoff is a request refused without contacting the host because
	// the host asked us to wait (429 or 503 with Retry-After). The error also
	// carries an *HTTPError with the status that asked and RetryAfter set, so
	// Class reports "http_429" (or "http_5xx" for a 503).
	ErrHostBackoff = errors.New("host asked to back off")
)

// HTTPError is a non-2xx answer (other than 304).
type HTTPError struct {
	URL        string
	StatusCode int
	RetryAfter time.Time // zero if none
}

// Error omits the URL: Fetch's wrapping ("fetch URL: ...") names it.
func (e *HTTPError) Error() string {
	if !e.RetryAfter.IsZero() {
		return fmt.Sprintf("http status %d (retry after %s)", e.StatusCode, e.RetryAfter.UTC().Format(time.RFC3339))
	}
	return fmt.Sprintf("http status %d", e.StatusCode)
}

// ParseError is a document that claims to be a feed (or OPML) but is
// malformed. Class reports "parse".
type ParseError struct {
	URL string
	Err error
}

func (e *ParseError) Error() string { return fmt.Sprintf("parse %s: %v", e.URL, e.Err) }
func (e *ParseError) Unwrap() error { return e.Err }

// Class names an error for operators and metrics: "dns", "refused",
// "timeout", "tls", "blocked", "too_large", "redirects", "http_404",
// "http_410", "http_429", "http_4xx", "http_5xx", "parse", "not_feed",
// "empty", "robots", "canceled", "other"; "not_modified" for ErrNotModified
// and "" for nil.
func Class(err error) string {
	if err == nil {
		return ""
	}
	if c := sentinelClass(err); c != "" {
		return c
	}
	var he *HTTPError
	if errors.As(err, &he) {
		return httpClass(he.StatusCode)
	}
	var pe *ParseError
	if errors.As(err, &pe) {
		return "parse"
	}
	return netClass(err)
}

func sentinelClass(err error) string {
	switch {
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, ErrNotModified):
		return "not_modified"
	case errors.Is(err, ErrBlocked):
		return "blocked"
	case errors.Is(err, ErrTooLarge):
		return "too_large"
	case errors.Is(err, ErrTooManyRedirects):
		return "redirects"
	case errors.Is(err, ErrCharset):
		return "charset"
	case errors.Is(err, ErrEmpty):
		return "empty"
	case errors.Is(err, ErrNotFeed):
		return "not_feed"
	case errors.Is(err, ErrRobots):
		return "robots"
	}
	return ""
}

func httpClass(code int) string {
	switch {
	case code == 404:
		return "http_404"
	case code == 410:
		return "http_410"
	case code == 429:
		return "http_429"
	case code >= 500:
		return "http_5xx"
	case code >= 400:
		return "http_4xx"
	}
	return "other"
}

func netClass(err error) string {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var recErr tls.RecordHeaderError
	var alert tls.AlertError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var ne net.Error
	switch {
	case errors.As(err, &dnsErr):
		if dnsErr.IsTimeout {
			return "timeout"
		}
		return "dns"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "refused"
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return "timeout"
	case errors.As(err, &certErr), errors.As(err, &recErr), errors.As(err, &alert),
		errors.As(err, &unknownAuth), errors.As(err, &hostErr), errors.As(err, &invalid):
		return "tls"
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	}
	return "other"
}
