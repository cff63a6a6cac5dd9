package poll

import (
	"slices"
	"time"

	"github.com/wiredesk/wiredesk/news"
	"github.com/wiredesk/wiredesk/scraper"
)

// hostBudget is what the frontier reads of the fetcher's per-host
// politeness state (scraper.Fetcher has it; a fetcher without it gets no
// per-host scheduling, only the concurrency bound).
type hostBudget interface {
	HostSlot(host string) scraper.HostSlot
}

// hostCarrier carries a host's budget across the workers of a fleet: what
// the previous owner left is laid into the fetcher when a host is claimed,
// and read back when it is handed on.
type hostCarrier interface {
	SeedHost(host string, lastStart, hold time.Time, holdCode int)
	LastStart(host string) time.Time
}

// task is one feed for a worker: fetch it, or, when deferTo is set, record
// that it was not fetched (its host holds us off) and is due then.
type task struct {
	f       news.Feed
	deferTo time.Time
}

// hostQueue is one host's leased feeds waiting for its budget.
type hostQueue struct {
	host      string
	feeds     []news.Feed
	inflight  int       // feeds of this host with a worker
	notBefore time.Time // our last dispatch plus the spacing: the fetcher learns of a start only when it happens
}

// frontier holds leased feeds in per-host queues and says which to start
// next: the feed of a host whose budget allows a start now (a free
// in-flight slot, the spacing since its last start, no Retry-After hold),
// taking hosts by when they became ready. It is Heritrix's frontier of
// per-host queues ordered by ready time, over Scrapy's download slots
// (the fetcher's per-host budget). It is not safe for concurrent use: the
// pass's dispatcher owns it.
type frontier struct {
	budget   hostBudget // nil: no per-host scheduling
	limit    int        // in flight per host when budget is nil
	queues   map[string]*hostQueue
	deferred []task // feeds of held hosts, to be recorded as deferred
	queued   int    // feeds in queues
	inflight int    // fetch tasks with a worker
	// waited are the hosts whose feeds were left waiting: held, or queued
	// when the pass was cut.
	waited map[string]bool
	// paused hosts get no new starts: they are being handed over.
	paused map[string]bool
}

func newFrontier(budget hostBudget, limit int) *frontier {
	return &frontier{budget: budget, limit: limit, queues: map[string]*hostQueue{}, waited: map[string]bool{}, paused: map[string]bool{}}
}

// add queues f on its host.
func (fr *frontier) add(f news.Feed) {
	h := f.Host
	if h == "" {
		h = news.FeedHost(f.URL)
	}
	q := fr.queues[h]
	if q == nil {
		q = &hostQueue{host: h}
		fr.queues[h] = q
	}
	f.Host = h
	q.feeds = append(q.feeds, f)
	fr.queued++
}

// slot is host's budget, or an unbounded one without a budget.
func (fr *frontier) slot(host string) scraper.HostSlot {
	if fr.budget == nil {
		return scraper.HostSlot{Limit: fr.limit}
	}
	return fr.budget.HostSlot(host)
}

// next returns the task to hand out now, or, when there is none, how long
// until one may be ready (0: wait for a worker to finish; the caller also
// polls now and then, since article fetches free host slots unseen).
// It does not take the task: taken does, once a worker accepted it.
func (fr *frontier) next(now time.Time) (t task, q *hostQueue, ok bool, wait time.Duration) {
	if len(fr.deferred) > 0 {
		return fr.deferred[0], nil, true, 0
	}
	var best *hostQueue
	var bestAt time.Time
	for _, q := range fr.queues {
		if len(q.feeds) == 0 || fr.paused[q.host] {
			continue
		}
		s := fr.slot(q.host)
		if s.Hold.After(now) {
			fr.hold(q, s.Hold)
			if len(fr.deferred) > 0 {
				return fr.deferred[0], nil, true, 0
			}
			continue
		}
		if q.inflight >= s.Limit || s.Busy >= s.Limit {
			continue
		}
		at := s.Next
		if q.notBefore.After(at) {
			at = q.notBefore
		}
		if at.After(now) {
			if d := at.Sub(now); wait == 0 || d < wait {
				wait = d
			}
			continue
		}
		if best == nil || at.Before(bestAt) {
			best, bestAt = q, at
		}
	}
	if best == nil {
		return task{}, nil, false, wait
	}
	return task{f: best.feeds[0]}, best, true, 0
}

// hold turns q's waiting feeds into deferred tasks: the host asked us to
// come back at until.
func (fr *frontier) hold(q *hostQueue, until time.Time) {
	for _, f := range q.feeds {
		fr.deferred = append(fr.deferred, task{f: f, deferTo: until})
	}
	fr.queued -= len(q.feeds)
	q.feeds = nil
	fr.waited[q.host] = true
}

// taken records that a worker accepted t (from q, nil for a deferral).
func (fr *frontier) taken(q *hostQueue, now time.Time) {
	if q == nil {
		fr.deferred = fr.deferred[1:]
		return
	}
	q.feeds = q.feeds[1:]
	fr.queued--
	q.inflight++
	fr.inflight++
	if sp := fr.slot(q.host).Spacing; sp > 0 {
		q.notBefore = now.Add(sp)
	}
}

// finished records that a worker is done with a feed of host.
func (fr *frontier) finished(host string) {
	if q := fr.queues[host]; q != nil && q.inflight > 0 {
		q.inflight--
		fr.inflight--
	}
}

// inflightOf is the number of feeds of host with a worker.
func (fr *frontier) inflightOf(host string) int {
	if q := fr.queues[host]; q != nil {
		return q.inflight
	}
	return 0
}

// longest returns up to n unpaused hosts with the most feeds queued.
func (fr *frontier) longest(n int) []string {
	var qs []*hostQueue
	for h, q := range fr.queues {
		if !fr.paused[h] && len(q.feeds) > 0 {
			qs = append(qs, q)
		}
	}
	slices.SortFunc(qs, func(a, b *hostQueue) int { return len(b.feeds) - len(a.feeds) })
	out := make([]string, 0, n)
	for _, q := range qs[:min(n, len(qs))] {
		out = append(out, q.host)
	}
	return out
}

// remove drops host's queue, returning the feeds that were waiting.
func (fr *frontier) remove(host string) []news.Feed {
	q := fr.queues[host]
	if q == nil {
		return nil
	}
	fr.queued -= len(q.feeds)
	delete(fr.queues, host)
	return q.feeds
}

// queueLen is the number of feeds waiting on host.
func (fr *frontier) queueLen(host string) int {
	if q := fr.queues[host]; q != nil {
		return len(q.feeds)
	}
	return 0
}

// full lists the hosts whose queue cannot take room more feeds.
func (fr *frontier) full(room, fit int) []string {
	var out []string
	for h, q := range fr.queues {
		if len(q.feeds)+room > fit {
			out = append(out, h)
		}
	}
	return out
}

// hostCounts reports hosts with a feed in flight and hosts with feeds
// waiting.
func (fr *frontier) hostCounts() (inFlight, waiting int) {
	for _, q := range fr.queues {
		if q.inflight > 0 {
			inFlight++
		}
		if len(q.feeds) > 0 {
			waiting++
		}
	}
	return inFlight, waiting
}

// drain empties the queues, returning the feeds that never started.
func (fr *frontier) drain() []news.Feed {
	var out []news.Feed
	for _, t := range fr.deferred {
		out = append(out, t.f)
	}
	fr.deferred = nil
	for _, q := range fr.queues {
		if len(q.feeds) > 0 {
			fr.waited[q.host] = true
		}
		out = append(out, q.feeds...)
		q.feeds = nil
	}
	fr.queued = 0
	return out
}
