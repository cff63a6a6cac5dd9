package web

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fromAddr is a client whose connections leave from the loopback address
// ip, so that the server sees distinct client addresses.
func fromAddr(t *testing.T, ip string) *http.Client {
	t.Helper()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	tr := &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 4}
	t.Cleanup(tr.CloseIdleConnections)
	c := noRedirect()
	c.Transport = tr
	return c
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLoginDuringFlood: eight clients guess wrong as fast as they can; the
// operator, from another address, logs in with the right token every time,
// the guessers are throttled, and the refusals take one log line.
func TestLoginDuringFlood(t *testing.T) {
	if testing.Short() {
		t.Skip("floods the login for two seconds")
	}
	var logs syncBuffer
	srv := New(demoStore(), Options{Token: testToken, Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		IsNotFound: func(err error) bool { return errors.Is(err, errFakeNotFound) }})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var wrong, throttled atomic.Int64
	for i := range 8 {
		c := fromAddr(t, "127.0.0."+string(rune('2'+i)))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL+"/login",
					strings.NewReader(url.Values{"token": {"guess"}}.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				resp, err := c.Do(req)
				if err != nil {
					continue
				}
				resp.Body.Close()
				switch resp.StatusCode {
				case http.StatusUnauthorized:
					wrong.Add(1)
				case http.StatusTooManyRequests:
					throttled.Add(1)
				default:
					t.Errorf("a wrong guess got %d", resp.StatusCode)
				}
			}
		}()
	}
	time.Sleep(100 * time.Millisecond)
	op := fromAddr(t, "127.0.0.10")
	ok := 0
	for range 8 {
		r := postForm(t, op, ts.URL+"/login", url.Values{"token": {testToken}, "next": {"/feeds"}})
		if r.status == http.StatusSeeOther && r.header.Get("Location") == "/feeds" {
			ok++
		}
		time.Sleep(200 * time.Millisecond)
	}
	stop()
	wg.Wait()
	if ok < 7 {
		t.Errorf("the right token logged in %d of 8 times during the flood, want at least 7", ok)
	}
	// 8 addresses × (10 at once + about 2 s at one a second).
	if n := wrong.Load(); n > 8*(loginBurst+4) || throttled.Load() == 0 {
		t.Errorf("guessers: %d wrong-token answers, %d throttled: want at most %d wrong", n, throttled.Load(), 8*(loginBurst+4))
	}
	if n := strings.Count(logs.String(), "logins refused"); n != 1 {
		t.Errorf("%d refusal log lines for %d refusals, want 1 per minute:\n%s", n, wrong.Load()+throttled.Load(), logs.String())
	}
	t.Logf("operator: %d/8 logged in; guessers: %d wrong, %d throttled", ok, wrong.Load(), throttled.Load())
}

func TestSessionExpiry(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for name, c := range map[string]struct {
		uses []time.Duration // checks after login
		want bool            // the last check
	}{
		"fresh":           {[]time.Duration{time.Minute}, true},
		"idle too long":   {[]time.Duration{sessionIdle + time.Minute}, false},
		"kept in use":     {[]time.Duration{6 * 24 * time.Hour, 12 * 24 * time.Hour, 18 * 24 * time.Hour}, true},
		"past max age":    {[]time.Duration{6 * 24 * time.Hour, 12 * 24 * time.Hour, 18 * 24 * time.Hour, 24 * 24 * time.Hour, 30*24*time.Hour + time.Minute}, false},
		"unknown id only": {nil, false},
	} {
		t.Run(name, func(t *testing.T) {
			var tab memSessions
			ctx := context.Background()
			id, _ := tab.add(ctx, t0)
			got := false
			for _, d := range c.uses {
				got = tab.check(ctx, id, t0.Add(d))
			}
			if c.uses == nil {
				got = tab.check(ctx, newSessionID(), t0)
			}
			if got != c.want {
				t.Errorf("check = %v, want %v", got, c.want)
			}
		})
	}
	t.Run("bounded", func(t *testing.T) {
		var tab memSessions
		ctx := context.Background()
		first, _ := tab.add(ctx, t0)
		for i := range maxSessions + 10 {
			tab.add(ctx, t0.Add(time.Duration(i+1)*time.Second))
		}
		if len(tab.live) > maxSessions || tab.check(ctx, first, t0.Add(time.Hour)) {
			t.Errorf("%d sessions kept, oldest still live: want at most %d, the least recently used gone", len(tab.live), maxSessions)
		}
	})
}

// TestLoginParallelGuesses: fifty guesses at once from one address get at
// most the burst (plus what refills meanwhile) checked.
func TestLoginParallelGuesses(t *testing.T) {
	ts := newTestServer(t, demoStore(), testToken)
	var wrong atomic.Int64
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			c := &http.Client{}
			resp, err := c.PostForm(ts.URL+"/login", url.Values{"token": {"guess"}})
			if err != nil {
				return
			}
			resp.Body.Close()
			if resp.StatusCode == http.StatusUnauthorized {
				wrong.Add(1)
			}
		})
	}
	wg.Wait()
	if n := wrong.Load(); n > loginBurst+2 {
		t.Errorf("%d of 50 parallel guesses checked, want at most %d", n, loginBurst+2)
	}
}
