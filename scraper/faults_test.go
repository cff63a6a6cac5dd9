package scraper

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The fault-injection newsroom: one loopback server per fault, so each sits
// on its own host:port like a separate outlet. faultOptions are the short
// limits the faults are measured against.
func faultOptions() Options {
	return Options{
		UserAgent:     "wiredesk-test/0.1",
		Timeout:       4 * time.Second,
		HeaderTimeout: 2 * time.Second, // generous: the machine is shared and -race is slow
		MaxBody:       2 << 20,
		AllowNetworks: loopback32,
		HostDelay:     time.Millisecond,
		PerHost:       2,
	}
}

// fault is one misbehaving outlet: handler serves it, class is the Class
// of fetching and parsing its feed ("" = success), check (optional) looks
// further at the outcome.
type fault struct {
	name    string
	handler http.HandlerFunc
	class   string
	check   func(t *testing.T, f *Fetcher, o outcome)
}

// outcome is what poll saw for one feed.
type outcome struct {
	url   string
	err   error
	items int
	title string
	first string // first item's title
}

// poll fetches and parses one feed the way the pipeline does.
func poll(ctx context.Context, f *Fetcher, url string) outcome {
	o := outcome{url: url}
	resp, err := f.Fetch(ctx, Request{URL: url, Kind: "feed"})
	if err != nil {
		o.err = err
		return o
	}
	pf, err := ParseFeedType(resp.Body, resp.ContentType, resp.URL, 0)
	if err != nil {
		o.err = err
		return o
	}
	o.items, o.title = len(pf.Items), pf.Title
	if len(pf.Items) > 0 {
		o.first = pf.Items[0].Title
	}
	return o
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "feeds", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// serveBytes serves b as an RSS document.
func serveBytes(b []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write(b)
	}
}

// waitOrDone sleeps d unless the client goes away first.
func waitOrDone(r *http.Request, d time.Duration) bool {
	select {
	case <-r.Context().Done():
		return false
	case <-time.After(d):
		return true
	}
}

// closedPort returns a loopback address where nothing listens: port 1,
// below the ephemeral range, so no test server of this run can take it
// (a just-closed ephemeral port could be handed to a parallel test).
func closedPort(t *testing.T) string {
	t.Helper()
	const addr = "127.0.0.1:1"
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Skipf("something listens on %s", addr)
	}
	return addr
}

// metadataTarget is a listener on 127.0.0.2, outside the allowed
// 127.0.0.1/32: it stands in for 169.254.169.254 and counts requests.
func metadataTarget(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("cannot listen on 127.0.0.2: %v", err)
	}
	var hits atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		fmt.Fprint(w, `{"AccessKeyId":"secret"}`)
	}))
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &hits
}

func TestFaultNewsroom(t *testing.T) {
	before := runtime.NumGoroutine()
	// Everything runs inside one subtest so its cleanups (servers, the
	// fetcher) have run before goroutines are counted.
	t.Run("newsroom", func(t *testing.T) {
		f := newTestFetcher(t, faultOptions())
		t.Run("faults", func(t *testing.T) {
			for _, fc := range newsroomFaults(t) {
				srv := httptest.NewServer(fc.handler)
				t.Cleanup(srv.Close)
				t.Run(fc.name, func(t *testing.T) {
					t.Parallel()
					runFault(t, f, fc, srv.URL+"/feed")
				})
			}
		})
		t.Run("healthy feed after faults", func(t *testing.T) {
			srv := httptest.NewServer(serveBytes(readFixture(t, "rss2.xml")))
			defer srv.Close()
			if o := poll(context.Background(), f, srv.URL+"/feed"); o.err != nil || o.items != 3 {
				t.Fatalf("healthy feed: %d items, err %v", o.items, o.err)
			}
		})
	})
	checkGoroutines(t, before)
}

func runFault(t *testing.T, f *Fetcher, fc fault, url string) {
	o := poll(context.Background(), f, url)
	if got := Class(o.err); got != fc.class {
		t.Fatalf("Class = %q (err %v), want %q", got, o.err, fc.class)
	}
	if o.err != nil && !strings.Contains(o.err.Error(), url) {
		t.Errorf("error %q does not name the feed %s", o.err, url)
	}
	if fc.check != nil {
		fc.check(t, f, o)
	}
}

// checkGoroutines fails if goroutines stay above before after a settle loop.
func checkGoroutines(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= before {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("goroutine leak: %d before, %d after\n%s", before, n, buf)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func newsroomFaults(t *testing.T) []fault {
	good := readFixture(t, "rss2.xml")
	return []fault{
		{name: "healthy", handler: serveBytes(good), check: wantItems(3)},
		{name: "slow first byte", class: "timeout", handler: func(w http.ResponseWriter, r *http.Request) {
			waitOrDone(r, 10*time.Second)
		}},
		{name: "dripping body", class: "timeout", handler: drip},
		{name: "404", class: "http_404", handler: status(404)},
		{name: "410", class: "http_410", handler: status(410)},
		{name: "403", class: "http_4xx", handler: status(403)},
		{name: "500", class: "http_5xx", handler: status(500)},
		{name: "429 retry-after seconds", class: "http_429", handler: backoffHandler(429, func() string { return "120" }), check: wantBackoff(120 * time.Second)},
		{name: "503 retry-after http-date", class: "http_5xx", handler: backoffHandler(503, func() string { return time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat) }), check: wantBackoff(90 * time.Second)},
		{name: "truncated xml", class: "parse", handler: serveBytes(readFixture(t, "truncated.xml"))},
		{name: "invalid utf-8 repaired", handler: serveBytes(readFixture(t, "invalid-utf8.xml")), check: wantFirstTitle("Ministers ÿþ meet in Riyadh â€ الرياض")}, // invalid bytes read as windows-1252
		{name: "undeclared windows-1256", handler: serveBytes(readFixture(t, "windows-1256.xml")), check: wantFirstTitle("وزراء الخارجية يجتمعون في الرياض")},
		{name: "gzip bomb", class: "too_large", handler: gzipBomb(t)},
		{name: "40 MB feed", class: "too_large", handler: hugeFeed(40 << 20)},
		{name: "redirect loop", class: "redirects", handler: redirectLoop},
		{name: "redirect to metadata address", class: "blocked", handler: metadataRedirect(t)},
		{name: "redirect to file scheme", class: "blocked", handler: redirectTo("file:///etc/passwd")},
		{name: "html instead of feed", class: "not_feed", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write(readFixture(t, "page.html"))
		}},
		{name: "empty 200", class: "empty", handler: func(w http.ResponseWriter, r *http.Request) {}},
		{name: "item links to closed ports", handler: closedPortFeed(t), check: wantItemClass("refused")},
	}
}

func status(code int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { http.Error(w, "nope", code) }
}

func drip(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/rss+xml")
	w.WriteHeader(http.StatusOK)
	for i := 0; i < 1000; i++ {
		if _, err := w.Write([]byte("<")); err != nil {
			return
		}
		w.(http.Flusher).Flush()
		if !waitOrDone(r, 50*time.Millisecond) {
			return
		}
	}
}

func backoffHandler(code int, retryAfter func() string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", retryAfter())
		http.Error(w, "slow down", code)
	}
}

// gzipBomb serves 1 GiB of zeros as gzip: one 4 MiB member, compressed
// once (about 4 KB), sent 256 times (Go's gzip reader reads concatenated
// members as one stream).
func gzipBomb(tb testing.TB) http.HandlerFunc {
	member := gzipBytes(tb, make([]byte, 4<<20))
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Type", "application/rss+xml")
		for i := 0; i < 256; i++ {
			if _, err := w.Write(member); err != nil {
				return
			}
		}
	}
}

// hugeFeed streams a valid RSS document of about n bytes.
func hugeFeed(n int) http.HandlerFunc {
	item := []byte(strings.Repeat("<item><title>filler</title><link>https://example.org/x</link></item>\n", 1000))
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		if _, err := w.Write([]byte(`<rss version="2.0"><channel><title>huge</title>`)); err != nil {
			return
		}
		for sent := 0; sent < n; sent += len(item) {
			if _, err := w.Write(item); err != nil {
				return
			}
		}
		_, _ = w.Write([]byte(`</channel></rss>`))
	}
}

func redirectLoop(w http.ResponseWriter, r *http.Request) {
	next := "/a"
	if r.URL.Path == "/a" {
		next = "/b"
	}
	http.Redirect(w, r, next, http.StatusFound)
}

func redirectTo(target string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target, http.StatusFound)
	}
}

// metadataRedirect redirects to the 127.0.0.2 stand-in for a cloud metadata
// service and checks, when the test ends, that it never saw a request.
func metadataRedirect(t *testing.T) http.HandlerFunc {
	target, hits := metadataTarget(t)
	t.Cleanup(func() {
		if n := hits.Load(); n != 0 {
			t.Errorf("metadata stand-in received %d requests", n)
		}
	})
	return redirectTo(target.URL + "/latest/meta-data/iam/security-credentials/")
}

// closedPortFeed is a valid feed whose item links point at a closed port.
func closedPortFeed(t *testing.T) http.HandlerFunc {
	addr := closedPort(t)
	doc := fmt.Sprintf(`<rss version="2.0"><channel><title>closed</title>
<item><title>one</title><link>http://%s/one</link></item>
<item><title>two</title><link>http://%s/two</link></item></channel></rss>`, addr, addr)
	return serveBytes([]byte(doc))
}

func wantItems(n int) func(*testing.T, *Fetcher, outcome) {
	return func(t *testing.T, _ *Fetcher, o outcome) {
		if o.items != n {
			t.Errorf("items = %d, want %d", o.items, n)
		}
	}
}

func wantFirstTitle(title string) func(*testing.T, *Fetcher, outcome) {
	return func(t *testing.T, _ *Fetcher, o outcome) {
		if o.first != title {
			t.Errorf("first title = %q, want %q", o.first, title)
		}
	}
}

// wantBackoff checks the host's backoff and that a second fetch is refused
// without contacting the host.
func wantBackoff(d time.Duration) func(*testing.T, *Fetcher, outcome) {
	return func(t *testing.T, f *Fetcher, o outcome) {
		var he *HTTPError
		if !errors.As(o.err, &he) || he.RetryAfter.IsZero() {
			t.Fatalf("no RetryAfter in %v", o.err)
		}
		host := strings.TrimPrefix(strings.TrimSuffix(o.url, "/feed"), "http://")
		until := f.HostBackoff(host)
		if wait := time.Until(until); wait < d-5*time.Second || wait > d+time.Second { // HTTP-date has 1s resolution
			t.Errorf("HostBackoff in %v, want about %v", wait, d)
		}
		again := poll(context.Background(), f, o.url)
		if !errors.Is(again.err, ErrHostBackoff) || Class(again.err) != Class(o.err) {
			t.Errorf("second fetch: %v (class %s), want ErrHostBackoff with class %s", again.err, Class(again.err), Class(o.err))
		}
	}
}

// wantItemClass fetches every item link as an article and checks its class.
func wantItemClass(class string) func(*testing.T, *Fetcher, outcome) {
	return func(t *testing.T, f *Fetcher, o outcome) {
		resp, err := f.Fetch(context.Background(), Request{URL: o.url, Kind: "feed"})
		if err != nil {
			t.Fatal(err)
		}
		pf, err := ParseFeed(resp.Body, o.url, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range pf.Items {
			_, err := f.Fetch(context.Background(), Request{URL: it.URL, Kind: "article"})
			if got := Class(err); got != class {
				t.Errorf("article %s: class %q (%v), want %q", it.URL, got, err, class)
			}
		}
	}
}
