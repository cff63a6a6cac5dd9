package scraper

import "time"

// HostSlot is a host's politeness budget at one moment, for a scheduler
// that wants to start requests only where they would not wait (a crawl
// frontier, like Scrapy's download slots).
type HostSlot struct {
	// Next is the earliest start the spacing allows (host_delay or the
	// robots.txt Crawl-delay after the last start); zero or past: now.
	Next time.Time
	// Hold is until when the host asked us to wait (429, 503 with
	// Retry-After); zero or past: no hold. HoldCode is the status that
	// asked.
	Hold     time.Time
	HoldCode int
	// Limit is the host's in-flight cap (per_host); Busy the requests
	// holding or waiting for one of its slots.
	Limit, Busy int
	// Spacing is the host's current minimum gap between request starts.
	Spacing time.Duration
}

// HostSlot reports host's budget. host is a URL's Host ("name[:port]") or
// a news.HostKey.
func (f *Fetcher) HostSlot(host string) HostSlot {
	h := f.hosts
	h.mu.Lock()
	defer h.mu.Unlock()
	s := HostSlot{Limit: h.perHost, Spacing: h.delay}
	hs, ok := h.m[hostKey("", host)]
	if !ok {
		return s
	}
	s.Spacing = hs.spacing(h.delay)
	if !hs.lastStart.IsZero() {
		s.Next = hs.lastStart.Add(s.Spacing)
	}
	s.Hold, s.HoldCode = hs.backoff, hs.backoffCode
	s.Busy = hs.inflight
	return s
}

// SeedHost carries a host's budget over from another process that used it
// before (the store's host lease): the last request start, so the spacing
// holds across the handoff, and a Retry-After hold. Values older than what
// this fetcher knows are ignored.
func (f *Fetcher) SeedHost(host string, lastStart, hold time.Time, holdCode int) {
	h := f.hosts
	h.mu.Lock()
	defer h.mu.Unlock()
	hs := h.getLocked(hostKey("", host))
	if lastStart.After(hs.lastStart) {
		hs.lastStart = lastStart
	}
	if hold.After(hs.backoff) {
		hs.backoff, hs.backoffCode = hold, holdCode
	}
}

// LastStart reports when the last request to host went on the wire; zero if
// none is known.
func (f *Fetcher) LastStart(host string) time.Time {
	h := f.hosts
	h.mu.Lock()
	defer h.mu.Unlock()
	if hs, ok := h.m[hostKey("", host)]; ok {
		return hs.lastStart
	}
	return time.Time{}
}
