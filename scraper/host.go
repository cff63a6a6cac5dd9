package scraper

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
	"golang.org/x/time/rate"
)

// maxCrawlDelay caps a robots.txt Crawl-delay so one odd file cannot stall
// a host for hours.
const maxCrawlDelay = 60 * time.Second

// hostState is the per-host politeness state: an in-flight semaphore and a
// request-start limiter (feeds, articles and robots.txt share both), the
// backoff a host asked for, and its robots.txt.
type hostState struct {
	sem chan struct{}
	lim *rate.Limiter

	// guarded by hosts.mu
	lastStart   time.Time
	crawlDelay  time.Duration
	inflight    int
	lastUsed    time.Time
	backoff     time.Time
	backoffCode int
	robots      *robotstxt.RobotsData
	robotsExp   time.Time
	robotsFetch chan struct{} // closed when an in-progress robots fetch ends
	// unanswered is the latest request start's answer: closed when it got
	// its first response byte (or ended).
	unanswered *answer
}

// answer is closed once, when a request got its first response byte or
// ended without one.
type answer struct {
	ch   chan struct{}
	once sync.Once
}

func (a *answer) close() { a.once.Do(func() { close(a.ch) }) }

// hosts is the map of hostState, evicting hosts idle for longer than idle.
type hosts struct {
	mu        sync.Mutex
	m         map[string]*hostState
	perHost   int
	delay     time.Duration
	idle      time.Duration
	lastSweep time.Time
	now       func() time.Time
}

func newHosts(perHost int, delay, idle time.Duration) *hosts {
	return &hosts{m: make(map[string]*hostState), perHost: perHost, delay: delay, idle: idle, now: time.Now}
}

// acquire waits for a slot and for the spacing of host; release must be
// called when the request (body included) is done.
func (h *hosts) acquire(ctx context.Context, host string) (*hostState, *answer, error) {
	h.mu.Lock()
	hs := h.getLocked(host)
	hs.inflight++ // counts waiters too, so the entry is not evicted under them
	h.mu.Unlock()
	select {
	case hs.sem <- struct{}{}:
	case <-ctx.Done():
		h.done(hs)
		return nil, nil, ctx.Err()
	}
	a, err := h.space(ctx, hs)
	if err != nil {
		<-hs.sem
		h.done(hs)
		return nil, nil, err
	}
	return hs, a, nil
}

// space waits for hs's limiter, then makes sure the previous request start
// is at least the host's delay ago: the limiter spaces reservations, but a
// waiter woken late would otherwise start close behind the next one.
func (h *hosts) space(ctx context.Context, hs *hostState) (*answer, error) {
	if err := hs.lim.Wait(ctx); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// The wait would outlast ctx's deadline: a timeout, said early.
		return nil, fmt.Errorf("%w: %v", context.DeadlineExceeded, err)
	}
	for {
		h.mu.Lock()
		now := h.now()
		sp := hs.spacing(h.delay)
		wait := hs.lastStart.Add(sp).Sub(now)
		// The latest request is not answered yet: the server may not have
		// seen it, so a start now could land close behind it. Wait for
		// the answer (the spacing then counts from it), or for the end of
		// that request, which its timeout bounds.
		var answered chan struct{}
		if wait <= 0 && hs.unanswered != nil && sp > 0 {
			answered, wait = hs.unanswered.ch, time.Hour
		}
		if wait <= 0 {
			// This request is now the latest start: the next waits for
			// its answer.
			hs.lastStart = now
			if hs.unanswered != nil { // superseded: its waiters look again
				hs.unanswered.close()
			}
			a := &answer{ch: make(chan struct{})}
			hs.unanswered = a
			h.mu.Unlock()
			return a, nil
		}
		h.mu.Unlock()
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-answered: // nil: never
			t.Stop()
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		}
	}
}

// started moves hs's last start to now (the request reached the wire), so
// the next start keeps the spacing from there. It returns the last start.
func (h *hosts) started(hs *hostState) time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	if now := h.now(); now.After(hs.lastStart) {
		hs.lastStart = now
	}
	return hs.lastStart
}

// answered moves hs's last start to now (the first response byte, or the
// end of a request that got none) if it is still wrote (unix nanoseconds),
// the start of the request answered: no other request started since. So
// the spacing counts from the answer, as Nutch and Heritrix count their
// delays from the end of the previous fetch.
func (h *hosts) answered(hs *hostState, wrote int64, a *answer) {
	if a == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if wrote != 0 && hs.lastStart.UnixNano() == wrote {
		if now := h.now(); now.After(hs.lastStart) {
			hs.lastStart = now
		}
	}
	if hs.unanswered == a {
		hs.unanswered = nil
	}
	a.close()
}

// spacing is the host's current minimum gap between request starts.
func (hs *hostState) spacing(def time.Duration) time.Duration {
	if hs.crawlDelay > def {
		return hs.crawlDelay
	}
	return def
}

func (h *hosts) release(hs *hostState) {
	<-hs.sem
	h.done(hs)
}

func (h *hosts) done(hs *hostState) {
	h.mu.Lock()
	hs.inflight--
	hs.lastUsed = h.now()
	h.mu.Unlock()
}

// manyHosts is the map size past which idle hosts are swept every second
// rather than every minute.
const manyHosts = 4096

// getLocked returns host's state, creating it; it sweeps hosts idle for
// longer than h.idle at most once a minute (once a second past manyHosts),
// so the map holds only hosts used within about that time.
func (h *hosts) getLocked(host string) *hostState {
	now := h.now()
	if since := now.Sub(h.lastSweep); since > time.Minute || len(h.m) > manyHosts && since > time.Second {
		h.sweepLocked(now)
	}
	hs, ok := h.m[host]
	if !ok {
		hs = &hostState{
			sem: make(chan struct{}, h.perHost),
			lim: rate.NewLimiter(rate.Every(h.delay), 1),
		}
		h.m[host] = hs
	}
	hs.lastUsed = now
	return hs
}

func (h *hosts) sweepLocked(now time.Time) {
	h.lastSweep = now
	for k, hs := range h.m {
		if hs.inflight == 0 && hs.robotsFetch == nil && now.Sub(hs.lastUsed) > h.idle && now.After(hs.backoff) {
			delete(h.m, k)
		}
	}
}

// len reports the number of tracked hosts.
func (h *hosts) len() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.m)
}

// backoffUntil reports until when host asked us to wait, and the status
// code that asked.
func (h *hosts) backoffUntil(host string) (time.Time, int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if hs, ok := h.m[host]; ok {
		return hs.backoff, hs.backoffCode
	}
	return time.Time{}, 0
}

func (h *hosts) setBackoff(host string, until time.Time, code int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	hs := h.getLocked(host)
	if until.After(hs.backoff) {
		hs.backoff, hs.backoffCode = until, code
	}
}

// setCrawlDelay raises host's spacing to d (capped) when d exceeds the
// configured delay.
func (h *hosts) setCrawlDelay(host string, d time.Duration) {
	d = min(d, maxCrawlDelay)
	if d <= h.delay {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	hs := h.getLocked(host)
	hs.crawlDelay = d
	hs.lim.SetLimit(rate.Every(d))
}
