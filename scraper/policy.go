package scraper

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
)

// deniedPrefixes returns the non-public ranges refused at dial time unless
// Options.AllowNetworks covers the address. IPv4-mapped IPv6 addresses are
// unmapped and checked as IPv4.
func deniedPrefixes() []netip.Prefix {
	return mustPrefixes(
		// IPv4
		"0.0.0.0/8",          // "this network"
		"10.0.0.0/8",         // private
		"100.64.0.0/10",      // CGNAT
		"127.0.0.0/8",        // loopback
		"169.254.0.0/16",     // link-local (cloud metadata)
		"172.16.0.0/12",      // private
		"192.0.0.0/24",       // IETF protocol assignments
		"192.0.2.0/24",       // documentation TEST-NET-1
		"192.88.99.0/24",     // 6to4 relay anycast
		"192.168.0.0/16",     // private
		"198.18.0.0/15",      // benchmarking
		"198.51.100.0/24",    // documentation TEST-NET-2
		"203.0.113.0/24",     // documentation TEST-NET-3
		"224.0.0.0/4",        // multicast
		"240.0.0.0/4",        // reserved, includes broadcast
		"255.255.255.255/32", // broadcast
		// IPv6
		"::/96",          // unspecified, loopback, IPv4-compatible
		"100::/64",       // discard-only
		"64:ff9b::/96",   // NAT64
		"64:ff9b:1::/48", // local-use NAT64
		"2001::/23",      // IETF protocol assignments (Teredo, benchmarking, ORCHID)
		"2001:db8::/32",  // documentation
		"2002::/16",      // 6to4: embeds an IPv4 address
		"3fff::/20",      // documentation
		"fc00::/7",       // unique local
		"fe80::/10",      // link-local
		"fec0::/10",      // site-local (deprecated)
		"ff00::/8",       // multicast
	)
}

func mustPrefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

// addrPolicy decides which destination addresses may be dialed.
type addrPolicy struct {
	allow []netip.Prefix
	deny  []netip.Prefix
}

// permitted reports whether addr may be contacted.
func (p addrPolicy) permitted(addr netip.Addr) bool {
	addr = addr.Unmap().WithZone("")
	for _, pr := range p.allow {
		if pr.Contains(addr) {
			return true
		}
	}
	if !addr.IsValid() {
		return false
	}
	for _, pr := range p.deny {
		if pr.Contains(addr) {
			return false
		}
	}
	return true
}

// control is a net.Dialer.Control hook: it runs after DNS resolution with
// the address actually being dialed, on every connection (so on every
// redirect too).
func (p addrPolicy) control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil || !p.permitted(ap.Addr()) {
		return fmt.Errorf("not a public address: %w", ErrBlocked)
	}
	return nil
}

// CheckAddress returns an ErrBlocked error naming the address when rawURL's
// host is an address the dial-time policy would refuse (loopback, private
// and other non-public addresses outside Options.AllowNetworks), so that a
// feed can be questioned when it is added rather than fail at its first
// poll. It looks at IP literals and localhost names only: resolving other
// names here would put DNS on the path of `feeds add` (the dial-time check
// still holds for them).
func (f *Fetcher) CheckAddress(rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil || u.Hostname() == "" {
		return fmt.Errorf("check %s: not a URL", rawURL)
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	a, err := netip.ParseAddr(host)
	if err != nil {
		if host != "localhost" && !strings.HasSuffix(host, ".localhost") {
			return nil
		}
		a = netip.MustParseAddr("127.0.0.1")
	}
	if !f.policy.permitted(a) {
		return fmt.Errorf("%s is %s, not public and outside http.allow_networks: %w", u.Host, a, ErrBlocked)
	}
	return nil
}
