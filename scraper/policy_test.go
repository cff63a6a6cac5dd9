package scraper

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
)

func TestAddrPolicy(t *testing.T) {
	strict := addrPolicy{deny: deniedPrefixes()}
	allowLo := addrPolicy{allow: loopback32, deny: deniedPrefixes()}
	tests := []struct {
		name   string
		p      addrPolicy
		addr   string
		permit bool
	}{
		{"public v4", strict, "93.184.215.14", true},
		{"public v6", strict, "2606:2800:21f:cb07:6820:80da:af6b:8b2c", true},
		{"this network", strict, "0.0.0.0", false},
		{"private 10", strict, "10.1.2.3", false},
		{"private 172.16", strict, "172.31.255.1", false},
		{"172.32 is public", strict, "172.32.0.1", true},
		{"private 192.168", strict, "192.168.1.1", false},
		{"loopback", strict, "127.0.0.1", false},
		{"loopback other", strict, "127.0.0.2", false},
		{"link-local metadata", strict, "169.254.169.254", false},
		{"cgnat", strict, "100.64.0.1", false},
		{"cgnat end", strict, "100.127.255.254", false},
		{"benchmarking", strict, "198.19.0.1", false},
		{"documentation", strict, "203.0.113.9", false},
		{"multicast", strict, "224.0.0.251", false},
		{"reserved", strict, "240.0.0.1", false},
		{"broadcast", strict, "255.255.255.255", false},
		{"v6 loopback", strict, "::1", false},
		{"v6 unspecified", strict, "::", false},
		{"v6 unique local", strict, "fd00::1", false},
		{"v6 link-local", strict, "fe80::1", false},
		{"v6 multicast", strict, "ff02::1", false},
		{"nat64", strict, "64:ff9b::a9fe:a9fe", false},
		{"local nat64", strict, "64:ff9b:1::1", false},
		{"v4-mapped metadata", strict, "::ffff:169.254.169.254", false},
		{"v4-mapped public", strict, "::ffff:93.184.215.14", true},
		{"6to4", strict, "2002:a9fe:a9fe::1", false},
		{"teredo", strict, "2001:0:4136:e378::1", false},
		{"v6 documentation", strict, "2001:db8::1", false},
		{"allowed loopback /32", allowLo, "127.0.0.1", true},
		{"outside allowed /32", allowLo, "127.0.0.2", false},
		{"allowed, v4-mapped", allowLo, "::ffff:127.0.0.1", true},
		{"allow does not open others", allowLo, "10.0.0.1", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.permitted(netip.MustParseAddr(tc.addr)); got != tc.permit {
				t.Errorf("permitted(%s) = %v, want %v", tc.addr, got, tc.permit)
			}
		})
	}
}

// TestFetchBlockedByDefault checks that without allow_networks even the
// test's own loopback server is refused at dial time, and that schemes
// other than http(s) never go out.
func TestFetchBlockedByDefault(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	opt := testOptions()
	opt.AllowNetworks = nil
	f := newTestFetcher(t, opt)
	tests := []struct{ name, url string }{
		{"loopback by ip", srv.URL},
		{"loopback by name", strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)},
		{"file scheme", "file:///etc/passwd"},
		{"gopher scheme", "gopher://127.0.0.1:70/"},
		{"no host", "http:///x"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.Fetch(context.Background(), Request{URL: tc.url, Kind: "feed"})
			if Class(err) != "blocked" {
				t.Fatalf("Class = %q (%v), want blocked", Class(err), err)
			}
		})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("server saw %d requests", n)
	}
}

// TestProxyIgnoresEnvironment checks that HTTP_PROXY is not used.
func TestProxyIgnoresEnvironment(t *testing.T) {
	var proxyHits atomic.Int64
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { proxyHits.Add(1) }))
	defer proxy.Close()
	t.Setenv("HTTP_PROXY", proxy.URL)
	t.Setenv("http_proxy", proxy.URL)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("direct")) }))
	defer srv.Close()
	f := newTestFetcher(t, testOptions())
	resp, err := f.Fetch(context.Background(), Request{URL: srv.URL, Kind: "article"})
	if err != nil {
		t.Fatal(err)
	}
	if string(resp.Body) != "direct" || proxyHits.Load() != 0 {
		t.Errorf("body %q, proxy hits %d: environment proxy was used", resp.Body, proxyHits.Load())
	}
}

func TestConfiguredProxy(t *testing.T) {
	var seen atomic.Value
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Store(r.URL.String())
		_, _ = w.Write([]byte("via proxy"))
	}))
	defer proxy.Close()
	opt := testOptions()
	opt.Proxy = proxy.URL
	f := newTestFetcher(t, opt)
	tests := []struct {
		name, url, class string
	}{
		{"name goes through proxy", "http://news.example.org/feed", ""},
		{"ip literal still checked", "http://169.254.169.254/latest/", "blocked"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			seen.Store("")
			_, err := f.Fetch(context.Background(), Request{URL: tc.url, Kind: "feed"})
			if Class(err) != tc.class {
				t.Fatalf("Class = %q (%v), want %q", Class(err), err, tc.class)
			}
			if tc.class == "" && seen.Load() != tc.url {
				t.Errorf("proxy saw %q, want %q", seen.Load(), tc.url)
			}
		})
	}
}
