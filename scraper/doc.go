// Package scraper fetches feeds and pages safely and politely, and parses
// feeds, OPML and robots.txt. It receives plain option structs and speaks in
// news types; it knows nothing of the store or the config file.
//
// Safety. Every connection's destination address is checked when it is
// dialed (after DNS, on every redirect): loopback, private, link-local,
// CGNAT, benchmarking, documentation, multicast, reserved and broadcast
// IPv4 ranges, and IPv6 unique-local, link-local, multicast, NAT64, 6to4,
// Teredo and documentation ranges are refused (IPv4-mapped addresses are
// checked as IPv4) unless Options.AllowNetworks covers the address. Only
// http and https are fetched, redirects are capped, the body is capped
// after decompression (gzip is requested and decoded here, so a gzip bomb
// stops at the cap), and each request has a total and a first-byte
// deadline. No proxy is used unless Options.Proxy names one (HTTP_PROXY is
// ignored); through a proxy, the proxy resolves names, so only IP-literal
// destinations are checked here.
//
// Politeness. Requests to one host (name, plus port when not the
// default) share one budget whatever their kind: at most PerHost in
// flight, and starts at least HostDelay apart (a rate.Limiter with burst
// 1, plus a guard on the time the previous request reached the wire). A
// robots.txt Crawl-delay raises the spacing (capped at a minute). A 429,
// or a 503 with Retry-After, makes Fetch refuse the host until then
// (ErrHostBackoff, carrying the *HTTPError). The wait for a slot is not
// part of Options.Timeout; bound it with ctx. Redirects to another host
// are spaced by the first host's budget only.
//
// Errors name their input and Class maps them to a short class for
// operators and metrics.
package scraper
