package scraper

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestPoliteness checks the per-host in-flight cap and the spacing of
// request starts, with feed and article fetches sharing the budget.
func TestPoliteness(t *testing.T) {
	tests := []struct {
		name     string
		perHost  int
		delay    time.Duration
		requests int
	}{
		{"two in flight, 50ms apart", 2, 50 * time.Millisecond, 8},
		{"one in flight, 40ms apart", 1, 40 * time.Millisecond, 6},
		{"three in flight, 40ms apart", 3, 40 * time.Millisecond, 9},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var inflight, maxInflight atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := inflight.Add(1)
				defer inflight.Add(-1)
				for m := maxInflight.Load(); n > m && !maxInflight.CompareAndSwap(m, n); m = maxInflight.Load() {
				}
				time.Sleep(3 * tc.delay) // long enough that requests overlap
				_, _ = w.Write([]byte("ok"))
			}))
			defer srv.Close()
			opt := testOptions()
			opt.PerHost, opt.HostDelay = tc.perHost, tc.delay
			f := newTestFetcher(t, opt)
			rec := &startRecorder{next: f.client.Transport}
			f.client.Transport = rec

			var wg sync.WaitGroup
			for i := range tc.requests {
				kind := "feed"
				if i%2 == 1 {
					kind = "article"
				}
				wg.Go(func() {
					if _, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/x", Kind: kind}); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			if got := maxInflight.Load(); got > int64(tc.perHost) {
				t.Errorf("max in flight = %d, want ≤ %d", got, tc.perHost)
			}
			if len(rec.starts) != tc.requests {
				t.Fatalf("%d requests sent, want %d", len(rec.starts), tc.requests)
			}
			checkSpacing(t, rec.starts, tc.delay)
		})
	}
}

// startRecorder records when each request leaves the Fetcher's politeness
// gates (RoundTrip runs right after them). Server-side arrival times are
// not used for spacing: on a shared machine under -race they jitter by
// tens of milliseconds.
type startRecorder struct {
	next   http.RoundTripper
	mu     sync.Mutex
	starts []time.Time
}

func (s *startRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.starts = append(s.starts, time.Now())
	s.mu.Unlock()
	return s.next.RoundTrip(r)
}

// checkSpacing asserts consecutive request starts are at least delay apart
// (less 1ms for timer granularity).
func checkSpacing(t *testing.T, starts []time.Time, delay time.Duration) {
	t.Helper()
	slices.SortFunc(starts, func(a, b time.Time) int { return a.Compare(b) })
	const slack = time.Millisecond
	for i := 1; i < len(starts); i++ {
		if gap := starts[i].Sub(starts[i-1]); gap < delay-slack {
			t.Errorf("starts %d and %d only %v apart, want ≥ %v", i-1, i, gap, delay)
		}
	}
}

// TestPolitenessHostsIndependent checks that a slow host does not hold
// back another host.
func TestPolitenessHostsIndependent(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		waitOrDone(r, 150*time.Millisecond)
	}))
	defer slow.Close()
	fast := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer fast.Close()
	opt := testOptions()
	opt.PerHost = 1
	f := newTestFetcher(t, opt)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() { _, _ = f.Fetch(context.Background(), Request{URL: slow.URL, Kind: "feed"}) })
	}
	time.Sleep(20 * time.Millisecond)
	start := time.Now()
	if _, err := f.Fetch(context.Background(), Request{URL: fast.URL, Kind: "feed"}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 200*time.Millisecond {
		t.Errorf("fast host waited %v behind the slow one", d)
	}
	wg.Wait()
}

func TestHostEviction(t *testing.T) {
	h := newHosts(2, time.Millisecond, time.Minute)
	now := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	h.now = func() time.Time { return now }
	ctx := context.Background()
	busy, _, err := h.acquire(ctx, "busy:80")
	if err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"a:80", "b:80", "c:80"} {
		hs, _, err := h.acquire(ctx, host)
		if err != nil {
			t.Fatal(err)
		}
		h.release(hs)
	}
	h.setBackoff("waiting:80", now.Add(time.Hour), 429)
	now = now.Add(2 * time.Minute)
	h.mu.Lock()
	h.getLocked("new:80")
	h.mu.Unlock()
	tests := []struct {
		host string
		kept bool
	}{
		{"a:80", false}, {"b:80", false}, {"c:80", false},
		{"busy:80", true}, {"waiting:80", true}, {"new:80", true},
	}
	for _, tc := range tests {
		t.Run(tc.host, func(t *testing.T) {
			h.mu.Lock()
			_, ok := h.m[tc.host]
			h.mu.Unlock()
			if ok != tc.kept {
				t.Errorf("kept = %v, want %v", ok, tc.kept)
			}
		})
	}
	h.release(busy)
	if n := h.len(); n != 3 {
		t.Errorf("hosts = %d, want 3", n)
	}
}

// TestBackoffStopsQueuedRequests checks that requests already waiting for
// a host slot do not go out once the host answered 429.
func TestBackoffStopsQueuedRequests(t *testing.T) {
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		time.Sleep(50 * time.Millisecond)
		w.Header().Set("Retry-After", "60")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	}))
	defer srv.Close()
	opt := testOptions()
	opt.PerHost = 1
	f := newTestFetcher(t, opt)
	var wg sync.WaitGroup
	var backoffs atomic.Int64
	for range 5 {
		wg.Go(func() {
			_, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/feed", Kind: "feed"})
			if Class(err) != "http_429" {
				t.Errorf("Class = %q (%v), want http_429", Class(err), err)
			}
			if errors.Is(err, ErrHostBackoff) {
				backoffs.Add(1)
			}
		})
	}
	wg.Wait()
	if n := hits.Load(); n != 1 {
		t.Errorf("host saw %d requests, want 1 (the rest refused by backoff)", n)
	}
	if n := backoffs.Load(); n != 4 {
		t.Errorf("%d requests refused by backoff, want 4", n)
	}
}
