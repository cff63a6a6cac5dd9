package web

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

const (
	// loginBurst tries at once per client address, then one per
	// loginEvery.
	loginBurst = 10
	loginEvery = time.Second
	// maxThrottled bounds the addresses tracked; past it, unknown
	// addresses share one limiter.
	maxThrottled = 4096
	// refusalLogEvery is the interval of the refused-login log line.
	refusalLogEvery = time.Minute
)

// LoginLimiter spends login tries from a budget per client address kept in
// the store, so that every serve instance on it shares one (store.DB
// implements it): burst tries at once, then one per every.
type LoginLimiter interface {
	TakeLogin(ctx context.Context, addr string, now time.Time, every time.Duration, burst int) (bool, error)
}

// allowLogin spends one login try of r's client address. The process's
// own limiter goes first, so that a flood is refused in memory and reaches
// the store at most once a second per address and process; then the
// store's budget, shared by every instance, when there is one. A store
// that fails leaves the decision to the process's limiter (logged at most
// once a minute).
func (s *Server) allowLogin(r *http.Request) bool {
	key := clientKey(r)
	if !s.logins.limiter(key, time.Now()).Allow() {
		return false
	}
	if s.loginStore == nil {
		return true
	}
	ok, err := s.loginStore.TakeLogin(r.Context(), key.String(), time.Now(), loginEvery, loginBurst)
	if err != nil {
		if last := s.loginErrAt.Load(); time.Since(time.Unix(0, last)) >= refusalLogEvery {
			s.loginErrAt.Store(time.Now().UnixNano())
			s.log.Error("login throttle in the store failed; this process's own limit applies", "err", err)
		}
		return true
	}
	return ok
}

// loginThrottle limits wrong tokens per client address (an IPv6 /64
// counts as one address): a guesser slows only itself, so the operator
// logging in from elsewhere is never refused because others guess wrong.
type loginThrottle struct {
	mu       sync.Mutex
	addrs    map[netip.Prefix]*addrLimit
	overflow *rate.Limiter
}

type addrLimit struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLoginThrottle() *loginThrottle {
	return &loginThrottle{addrs: map[netip.Prefix]*addrLimit{},
		overflow: rate.NewLimiter(rate.Every(loginEvery), loginBurst)}
}

// clientKey is the throttled unit of r's peer address.
func clientKey(r *http.Request) netip.Prefix {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Prefix{}
	}
	a = a.Unmap()
	bits := 32
	if a.Is6() {
		bits = 64
	}
	p, _ := a.Prefix(bits) // bits fit the address family
	return p
}

// limiter returns the limiter of key, tracking it when there is room.
func (t *loginThrottle) limiter(key netip.Prefix, now time.Time) *rate.Limiter {
	t.mu.Lock()
	defer t.mu.Unlock()
	if e, ok := t.addrs[key]; ok {
		e.seen = now
		return e.lim
	}
	if len(t.addrs) >= maxThrottled {
		// A limiter idle for loginBurst×loginEvery is full again: forget it.
		for k, e := range t.addrs {
			if now.Sub(e.seen) > loginBurst*loginEvery {
				delete(t.addrs, k)
			}
		}
		if len(t.addrs) >= maxThrottled {
			return t.overflow
		}
	}
	e := &addrLimit{lim: rate.NewLimiter(rate.Every(loginEvery), loginBurst), seen: now}
	t.addrs[key] = e
	return e.lim
}

// refusalLog logs refused logins in a bounded way: the first at once,
// then one line per interval with the count since the last line.
type refusalLog struct {
	mu      sync.Mutex
	last    time.Time
	pending map[string]int // reason → refusals not yet logged
}

func (l *refusalLog) add(log *slog.Logger, reason, addr string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.pending == nil {
		l.pending = map[string]int{}
	}
	l.pending[reason]++
	if !l.last.IsZero() && now.Sub(l.last) < refusalLogEvery {
		return
	}
	log.Warn("logins refused", "wrong_token", l.pending["wrong_token"], "throttled", l.pending["throttled"],
		"last_remote_addr", addr, "interval", refusalLogEvery.String())
	l.last = now
	clear(l.pending)
}
