package scraper

import (
	"net/http"
	"testing"
	"time"
)

func TestCacheHints(t *testing.T) {
	now := time.Date(2026, 11, 29, 1, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header map[string]string
		want   time.Duration
	}{
		{"none", nil, 0},
		{"max-age", map[string]string{"Cache-Control": "public, max-age=300"}, 5 * time.Minute},
		{"max-age minus age", map[string]string{"Cache-Control": "max-age=300", "Age": "100"}, 200 * time.Second},
		{"age beyond max-age", map[string]string{"Cache-Control": "max-age=60", "Age": "100"}, 0},
		{"s-maxage wins", map[string]string{"Cache-Control": "max-age=60, s-maxage=600"}, 10 * time.Minute},
		{"quoted", map[string]string{"Cache-Control": `max-age="120"`}, 2 * time.Minute},
		{"no-store", map[string]string{"Cache-Control": "no-store, max-age=600"}, 0},
		{"no-cache", map[string]string{"Cache-Control": "no-cache"}, 0},
		{"expires with date", map[string]string{"Expires": "Sun, 29 Nov 2026 02:00:00 GMT", "Date": "Sun, 29 Nov 2026 01:30:00 GMT"}, 30 * time.Minute},
		{"expires against now", map[string]string{"Expires": "Sun, 29 Nov 2026 01:10:00 GMT"}, 10 * time.Minute},
		{"expires in the past", map[string]string{"Expires": "Sat, 28 Nov 2026 01:10:00 GMT"}, 0},
		{"expires zero", map[string]string{"Expires": "0"}, 0},
		{"max-age beats expires", map[string]string{"Cache-Control": "max-age=60", "Expires": "Sun, 29 Nov 2026 05:00:00 GMT"}, time.Minute},
		{"bad max-age", map[string]string{"Cache-Control": "max-age=soon"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tc.header {
				h.Set(k, v)
			}
			if got := CacheHints(h, now); got != tc.want {
				t.Errorf("CacheHints = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 29, 1, 0, 0, 0, time.UTC)
	tests := []struct {
		name, value string
		want        time.Time
	}{
		{"empty", "", time.Time{}},
		{"seconds", "120", now.Add(2 * time.Minute)},
		{"zero seconds", "0", now},
		{"spaces", "  30 ", now.Add(30 * time.Second)},
		{"negative", "-5", time.Time{}},
		{"http-date", "Sun, 29 Nov 2026 01:05:00 GMT", now.Add(5 * time.Minute)},
		{"rfc850 date", "Sunday, 29-Nov-26 01:05:00 GMT", now.Add(5 * time.Minute)},
		{"past date", "Sat, 28 Nov 2026 01:05:00 GMT", now},
		{"garbage", "soon", time.Time{}},
		{"huge seconds capped", "99999999999", now.Add(30 * 24 * time.Hour)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := RetryAfter(tc.value, now); !got.Equal(tc.want) {
				t.Errorf("RetryAfter(%q) = %v, want %v", tc.value, got, tc.want)
			}
		})
	}
}

func TestHostKey(t *testing.T) {
	tests := []struct{ scheme, host, want string }{
		{"https", "Example.ORG", "example.org"},
		{"https", "example.org:443", "example.org"},
		{"http", "example.org:80", "example.org"},
		{"http", "example.org.", "example.org"},
		{"http", "example.org:8080", "example.org:8080"},
		{"https", "example.org:80", "example.org:80"},
		{"", "example.org:443", "example.org"},
		{"http", "[::1]:8080", "[::1]:8080"},
		{"http", "[::1]", "::1"},
		{"http", "127.0.0.1:3456", "127.0.0.1:3456"},
	}
	for _, tc := range tests {
		t.Run(tc.scheme+" "+tc.host, func(t *testing.T) {
			if got := hostKey(tc.scheme, tc.host); got != tc.want {
				t.Errorf("hostKey(%q, %q) = %q, want %q", tc.scheme, tc.host, got, tc.want)
			}
		})
	}
}
