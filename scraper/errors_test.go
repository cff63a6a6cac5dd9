package scraper

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"
)

func TestClass(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"not modified", fmt.Errorf("fetch x: %w", ErrNotModified), "not_modified"},
		{"blocked", fmt.Errorf("fetch x: %w", ErrBlocked), "blocked"},
		{"too large", fmt.Errorf("fetch x: %w", ErrTooLarge), "too_large"},
		{"redirects", fmt.Errorf("fetch x: %w", ErrTooManyRedirects), "redirects"},
		{"empty", fmt.Errorf("feed x: %w", ErrEmpty), "empty"},
		{"not feed", fmt.Errorf("feed x: %w", ErrNotFeed), "not_feed"},
		{"robots", fmt.Errorf("article x: %w", ErrRobots), "robots"},
		{"parse", &ParseError{URL: "x", Err: errors.New("eof")}, "parse"},
		{"404", &HTTPError{StatusCode: 404}, "http_404"},
		{"410", &HTTPError{StatusCode: 410}, "http_410"},
		{"429", &HTTPError{StatusCode: 429}, "http_429"},
		{"451", &HTTPError{StatusCode: 451}, "http_4xx"},
		{"502", &HTTPError{StatusCode: 502}, "http_5xx"},
		{"backoff 503", fmt.Errorf("fetch x: %w: %w", ErrHostBackoff, &HTTPError{StatusCode: 503}), "http_5xx"},
		{"canceled", fmt.Errorf("fetch x: %w", context.Canceled), "canceled"},
		{"deadline", fmt.Errorf("fetch x: %w", context.DeadlineExceeded), "timeout"},
		{"dns", fmt.Errorf("fetch x: %w", &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "nx.example", IsNotFound: true}}), "dns"},
		{"dns timeout", &net.DNSError{Err: "i/o timeout", Name: "slow.example", IsTimeout: true}, "timeout"},
		{"other", errors.New("boom"), "other"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Class(tc.err); got != tc.want {
				t.Errorf("Class(%v) = %q, want %q", tc.err, got, tc.want)
			}
		})
	}
}

// TestFetchClasses covers the classes that need a live loopback peer.
func TestFetchClasses(t *testing.T) {
	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // handshake failures are the point
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { waitOrDone(r, 5*time.Second) }))
	defer slow.Close()
	f := newTestFetcher(t, faultOptions())
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		url  string
		want string
	}{
		{"untrusted certificate", context.Background(), tlsSrv.URL, "tls"},
		{"plain http to tls port", context.Background(), "http" + tlsSrv.URL[len("https"):], "http_4xx"},
		{"closed port", context.Background(), "http://" + closedPort(t), "refused"},
		{"canceled by caller", canceled, slow.URL, "canceled"},
		{"bad url", context.Background(), "http://[::1", "other"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.Fetch(tc.ctx, Request{URL: tc.url, Kind: "feed"})
			if got := Class(err); got != tc.want {
				t.Errorf("Class = %q (%v), want %q", got, err, tc.want)
			}
		})
	}
}

// TestMemoryBounded checks that an oversized body costs about MaxBody of
// allocation, not its full size: a 40 MB feed and a 1 GiB gzip bomb.
func TestMemoryBounded(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"40 MB feed", hugeFeed(40 << 20)},
		{"gzip bomb", gzipBomb(t)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			opt := faultOptions() // MaxBody 2 MiB
			f := newTestFetcher(t, opt)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := f.Fetch(context.Background(), Request{URL: srv.URL, Kind: "feed"})
			runtime.ReadMemStats(&after)
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("err = %v, want ErrTooLarge", err)
			}
			// Server and client share the process; both stay far below the
			// 40 MB / 1 GiB a naive reader would allocate.
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8*uint64(opt.MaxBody) {
				t.Errorf("allocated %d MiB for a %d MiB cap", alloc>>20, opt.MaxBody>>20)
			} else {
				t.Logf("allocated %.1f MiB for a %d MiB cap", float64(alloc)/(1<<20), opt.MaxBody>>20)
			}
		})
	}
}
