package scraper

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// CacheHints returns the freshness lifetime the server asked for: Cache-Control
// s-maxage or max-age (minus Age), else Expires minus Date (or now); 0 if
// none, or if no-store / no-cache.
func CacheHints(h http.Header, now time.Time) time.Duration {
	cc := strings.ToLower(strings.Join(h.Values("Cache-Control"), ","))
	maxAge, sMaxAge := -1, -1
	for _, d := range strings.Split(cc, ",") {
		name, val, _ := strings.Cut(strings.TrimSpace(d), "=")
		val = strings.Trim(strings.TrimSpace(val), `"`)
		switch strings.TrimSpace(name) {
		case "no-store", "no-cache":
			return 0
		case "max-age":
			maxAge = atoiOr(val, -1)
		case "s-maxage":
			sMaxAge = atoiOr(val, -1)
		}
	}
	age := time.Duration(max(atoiOr(h.Get("Age"), 0), 0)) * time.Second
	if sMaxAge >= 0 {
		maxAge = sMaxAge
	}
	if maxAge >= 0 {
		return max(time.Duration(maxAge)*time.Second-age, 0)
	}
	exp, err := http.ParseTime(h.Get("Expires"))
	if err != nil {
		return 0
	}
	base := now
	if d, err := http.ParseTime(h.Get("Date")); err == nil {
		base = d
	}
	return max(exp.Sub(base), 0)
}

func atoiOr(s string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return def
	}
	return n
}

// RetryAfter parses a Retry-After header value (delta-seconds or HTTP-date)
// into the time to wait until; zero if v is empty or unparsable. A date in
// the past returns now.
func RetryAfter(v string, now time.Time) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return time.Time{}
		}
		n = min(n, int64(30*24*time.Hour/time.Second))
		return now.Add(time.Duration(n) * time.Second)
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return time.Time{}
	}
	if t.Before(now) {
		return now
	}
	return t
}
