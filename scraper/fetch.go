package scraper

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// Options configure a Fetcher. Zero fields take the documented defaults.
type Options struct {
	UserAgent     string
	Timeout       time.Duration  // total per request incl. body (default 20s)
	HeaderTimeout time.Duration  // time to first byte (default 10s)
	MaxBody       int64          // cap after decompression (default 10 MiB); over it → ErrTooLarge
	AllowNetworks []netip.Prefix // non-public ranges allowed anyway
	Proxy         string         // optional proxy URL; otherwise no proxy (HTTP_PROXY is ignored)
	PerHost       int            // max requests in flight per host (default 2)
	HostDelay     time.Duration  // min spacing between request starts per host (default 500ms; negative: none)
	MaxRedirects  int            // default 10
	RobotsTTL     time.Duration  // robots.txt cache lifetime (default 24h)
	HostIdle      time.Duration  // per-host state of hosts idle this long is dropped (default 1h)
}

// Defaults.
const (
	DefaultUserAgent     = "wiredesk/0.1"
	DefaultTimeout       = 20 * time.Second
	DefaultHeaderTimeout = 10 * time.Second
	DefaultMaxBody       = 10 << 20
	DefaultPerHost       = 2
	DefaultHostDelay     = 500 * time.Millisecond
	DefaultMaxRedirects  = 10
	DefaultRobotsTTL     = 24 * time.Hour
	defaultHostIdle      = time.Hour
)

func (o Options) withDefaults() Options {
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	setDur(&o.Timeout, DefaultTimeout)
	setDur(&o.HeaderTimeout, DefaultHeaderTimeout)
	setDur(&o.HostDelay, DefaultHostDelay)
	setDur(&o.RobotsTTL, DefaultRobotsTTL)
	setDur(&o.HostIdle, defaultHostIdle)
	if o.HostDelay < 0 {
		o.HostDelay = 0
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.PerHost <= 0 {
		o.PerHost = DefaultPerHost
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = DefaultMaxRedirects
	}
	return o
}

func setDur(d *time.Duration, def time.Duration) {
	if *d == 0 {
		*d = def
	}
}

// Request is one GET. Kind is "feed", "article" or "robots"; all kinds share
// the per-host budget.
type Request struct {
	URL, ETag, LastModified string
	Kind                    string
	// Hold keeps a large body's slot (see Fetcher.big) until the
	// caller's Response.Release, so that the body's parse counts too:
	// set it only where Release is sure to follow.
	Hold bool
}

// Response is a successful (2xx) answer.
type Response struct {
	URL                string // final URL after redirects
	StatusCode         int
	Header             http.Header
	ContentType        string
	Body               []byte // decompressed, capped
	ETag, LastModified string
	Elapsed            time.Duration
	release            func()
}

// Release frees the large-body slot a Request with Hold kept (a no-op
// otherwise, and after the first call); the Body must not be used after.
func (r *Response) Release() {
	if r != nil && r.release != nil {
		r.release()
		r.release = nil
	}
}

// Fetcher does safe, polite GETs. It is safe for concurrent use.
type Fetcher struct {
	opt       Options
	client    *http.Client
	transport *http.Transport
	policy    addrPolicy
	hosts     *hosts
	proxied   bool
	// big holds a slot for each body over bigBody being read (and, with
	// Request.Hold, parsed): a pass holds at most bigBodies large bodies
	// at once, whatever its concurrency, which bounds its memory.
	big chan struct{}
}

// New returns a Fetcher for opt.
func New(opt Options) (*Fetcher, error) {
	opt = opt.withDefaults()
	f := &Fetcher{
		opt:    opt,
		policy: addrPolicy{allow: opt.AllowNetworks, deny: deniedPrefixes()},
		hosts:  newHosts(opt.PerHost, opt.HostDelay, opt.HostIdle),
		big:    make(chan struct{}, bigBodies),
	}
	dialer := &net.Dialer{Timeout: min(opt.Timeout, 10*time.Second), KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		DialContext:       dialer.DialContext,
		ForceAttemptHTTP2: true,
		// Idle connections are reused per host; past MaxIdleConns the
		// oldest is evicted, which at 100 broke requests in flight on
		// passes over thousands of hosts.
		MaxIdleConns:          4096,
		MaxIdleConnsPerHost:   opt.PerHost,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   min(opt.Timeout, 10*time.Second),
		ResponseHeaderTimeout: opt.HeaderTimeout,
		DisableCompression:    true,
	}
	if opt.Proxy != "" {
		pu, err := url.Parse(opt.Proxy)
		if err != nil || pu.Host == "" {
			return nil, fmt.Errorf("proxy %q: invalid url", opt.Proxy)
		}
		// The proxy comes from config and is trusted: dials go to it, and
		// destination addresses are the proxy's to police. IP-literal
		// destinations are still checked before the request.
		tr.Proxy = http.ProxyURL(pu)
		f.proxied = true
	} else {
		dialer.Control = f.policy.control
	}
	f.transport = tr
	f.client = &http.Client{Transport: tr, CheckRedirect: f.checkRedirect}
	return f, nil
}

// Close releases idle connections.
func (f *Fetcher) Close() { f.transport.CloseIdleConnections() }

func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > f.opt.MaxRedirects {
		return fmt.Errorf("after %d redirects: %w", len(via)-1, ErrTooManyRedirects)
	}
	return f.checkURL(req.URL)
}

// checkURL refuses schemes other than http and https, and, when a proxy
// hides the dial, IP-literal hosts outside the policy.
func (f *Fetcher) checkURL(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("scheme %q is not http or https: %w", u.Scheme, ErrBlocked)
	}
	if u.Host == "" {
		return fmt.Errorf("no host: %w", ErrBlocked)
	}
	if a, err := netip.ParseAddr(strings.Trim(u.Hostname(), "[]")); err == nil && f.proxied && !f.policy.permitted(a) {
		return fmt.Errorf("host %s is not a public address: %w", u.Hostname(), ErrBlocked)
	}
	return nil
}

// HostBackoff reports until when host (a URL's Host, "name[:port]") asked
// us to wait; zero if it did not. Fetch refuses to contact the host before
// then with an error matching ErrHostBackoff and carrying an *HTTPError.
func (f *Fetcher) HostBackoff(host string) time.Time {
	t, _ := f.hosts.backoffUntil(hostKey("", host))
	return t
}

// hostKey names a host for politeness (news.HostKey).
func hostKey(scheme, hostport string) string { return news.HostKey(scheme, hostport) }

// Fetch does one polite GET. A 304 returns ErrNotModified (no body read).
// Non-2xx → *HTTPError. It waits for the host's in-flight slot and spacing.
func (f *Fetcher) Fetch(ctx context.Context, req Request) (*Response, error) {
	u, err := url.Parse(req.URL)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", req.URL, err)
	}
	if err := f.checkURL(u); err != nil {
		return nil, fmt.Errorf("fetch %s: %w", req.URL, err)
	}
	host := hostKey(u.Scheme, u.Host)
	if err := f.backoffErr(host, req.URL); err != nil {
		return nil, err
	}
	hs, ans, err := f.hosts.acquire(ctx, host)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: wait for host slot: %w", req.URL, err)
	}
	defer f.hosts.release(hs)
	defer f.hosts.answered(hs, 0, ans) // refused or failed before any answer: free the next start
	// The host may have asked to back off while this request waited.
	if err := f.backoffErr(host, req.URL); err != nil {
		return nil, err
	}
	resp, err := f.do(ctx, hs, ans, host, req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", req.URL, err)
	}
	return resp, nil
}

// backoffErr is the refusal to contact a host that asked us to wait.
func (f *Fetcher) backoffErr(host, rawURL string) error {
	until, code := f.hosts.backoffUntil(host)
	if !time.Now().Before(until) {
		return nil
	}
	he := &HTTPError{URL: rawURL, StatusCode: code, RetryAfter: until}
	return fmt.Errorf("fetch %s: %w: %w", rawURL, ErrHostBackoff, he)
}

func (f *Fetcher) do(ctx context.Context, hs *hostState, ans *answer, host string, req Request) (*Response, error) {
	ctx, cancel := context.WithTimeout(ctx, f.opt.Timeout)
	defer cancel()
	// Spacing counts from when the request went on the wire, not from when
	// it left the gate, so a slow dial cannot bunch two starts together.
	// When no other request started since, the spacing then counts from
	// its first response byte: the server saw the request by then, so a
	// request delayed on its way in cannot land close behind the next one
	// as the server counts (on a slow host other requests have started
	// meanwhile, and nothing changes).
	var wrote atomic.Int64 // the transport's write and read loops call these
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest:         func(httptrace.WroteRequestInfo) { wrote.Store(f.hosts.started(hs).UnixNano()) },
		GotFirstResponseByte: func() { f.hosts.answered(hs, wrote.Load(), ans) },
	})
	defer func() { f.hosts.answered(hs, wrote.Load(), ans) }() // no answer at all: free the next start
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, req.URL, nil)
	if err != nil {
		return nil, err
	}
	f.setHeaders(hreq, req)
	start := time.Now()
	hresp, err := f.client.Do(hreq)
	if err != nil && brokenIdle(err) && ctx.Err() == nil {
		// A pooled connection was closed under the request before
		// anything was read: one retry, as the transport does for other
		// closed idle connections.
		hreq, _ = http.NewRequestWithContext(ctx, http.MethodGet, req.URL, nil)
		f.setHeaders(hreq, req)
		hresp, err = f.client.Do(hreq)
	}
	if err != nil {
		return nil, unwrapURLError(err)
	}
	defer hresp.Body.Close()
	switch {
	case hresp.StatusCode == http.StatusNotModified:
		return nil, ErrNotModified
	case hresp.StatusCode < 200 || hresp.StatusCode > 299:
		return nil, f.statusError(host, req.URL, hresp)
	}
	body, release, err := readBody(ctx, hresp, f.opt.MaxBody, f.big)
	if err != nil {
		return nil, err
	}
	if !req.Hold {
		release()
		release = nil
	}
	return &Response{
		release:      release,
		URL:          hresp.Request.URL.String(),
		StatusCode:   hresp.StatusCode,
		Header:       hresp.Header,
		ContentType:  hresp.Header.Get("Content-Type"),
		Body:         body,
		ETag:         hresp.Header.Get("ETag"),
		LastModified: hresp.Header.Get("Last-Modified"),
		Elapsed:      time.Since(start),
	}, nil
}

func (f *Fetcher) setHeaders(hreq *http.Request, req Request) {
	hreq.Header.Set("User-Agent", f.opt.UserAgent)
	hreq.Header.Set("Accept-Encoding", "gzip")
	switch req.Kind {
	case "feed":
		hreq.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5")
	case "robots":
		hreq.Header.Set("Accept", "text/plain, */*;q=0.5")
	default:
		hreq.Header.Set("Accept", "text/html, application/xhtml+xml, */*;q=0.8")
	}
	if req.ETag != "" {
		hreq.Header.Set("If-None-Match", req.ETag)
	}
	if req.LastModified != "" {
		hreq.Header.Set("If-Modified-Since", req.LastModified)
	}
}

// statusError builds the *HTTPError for a non-2xx answer and records the
// host's backoff for 429 and 503.
func (f *Fetcher) statusError(host, rawURL string, hresp *http.Response) error {
	now := time.Now()
	he := &HTTPError{URL: rawURL, StatusCode: hresp.StatusCode, RetryAfter: RetryAfter(hresp.Header.Get("Retry-After"), now)}
	if he.StatusCode == http.StatusTooManyRequests && he.RetryAfter.IsZero() {
		he.RetryAfter = now.Add(defaultTooManyWait)
	}
	if !he.RetryAfter.IsZero() && (he.StatusCode == http.StatusTooManyRequests || he.StatusCode == http.StatusServiceUnavailable) {
		until := he.RetryAfter
		if until.After(now.Add(maxBackoff)) {
			until = now.Add(maxBackoff)
		}
		f.hosts.setBackoff(host, until, he.StatusCode)
	}
	// Drain a little so the connection can be reused; do not read a big body.
	_, _ = io.CopyN(io.Discard, hresp.Body, 4<<10)
	return he
}

// Backoff bounds: a 429 without Retry-After waits defaultTooManyWait; no
// Retry-After holds a host longer than maxBackoff.
const (
	defaultTooManyWait = time.Minute
	maxBackoff         = 6 * time.Hour
)

// unwrapURLError drops *url.Error's "Get \"...\":" prefix (the caller names
// the URL) while keeping the chain for errors.Is and Class.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}

// brokenIdle reports the transport's error for a reused connection that
// was closed while the request was being sent.
func brokenIdle(err error) bool {
	return strings.Contains(err.Error(), "transport connection broken")
}
