package news

import (
	"net"
	"net/url"
	"strings"
)

// HostKey names a host for politeness: the lowercase name, with the port
// only when it is not the scheme's default (so http and https share one
// budget). The fetcher keys its per-host budget by it and the store its
// feeds' host column, so the frontier's queues and the budget agree.
func HostKey(scheme, hostport string) string {
	h, port, err := net.SplitHostPort(hostport)
	if err != nil {
		h, port = strings.Trim(hostport, "[]"), ""
	}
	h = strings.ToLower(strings.TrimSuffix(h, "."))
	switch {
	case port == "", port == "80" && scheme != "https", port == "443" && scheme != "http":
		return h
	}
	return net.JoinHostPort(h, port)
}

// FeedHost is the HostKey of a feed URL; "" when it has no host.
func FeedHost(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		return ""
	}
	return HostKey(u.Scheme, u.Host)
}
