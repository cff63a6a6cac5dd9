package poll

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/wiredesk/wiredesk/store"
)

// busyPoll is how often the dispatcher looks again at hosts whose slots
// are taken by article pages: those free up without telling it.
const busyPoll = 20 * time.Millisecond

// contendedRetry is the wait before leasing again when every free host was
// being claimed by another worker, or others are to hand hosts over.
const contendedRetry = 100 * time.Millisecond

// leaseRound is one answer of the leaser.
type leaseRound struct {
	store.Leased
	skipped int // hosts left out because their queue was full
	err     error
}

// dispatcher runs a pass's frontier: it leases due feeds when the queues
// run low, hands workers the feed of the host that is ready first, and
// turns feeds of held hosts into deferrals.
type dispatcher struct {
	p      *Poller
	fr     *frontier
	work   chan<- task
	done   <-chan string
	seen   map[int64]bool
	owned  map[string]bool // hosts this pass has claimed
	batch  int             // feeds a lease round takes at most
	fit    int             // feeds of one host its budget starts within a lease
	carry  hostCarrier     // nil without a carrying fetcher
	leases chan leaseRound
	// reported to the pass
	deferred     atomic.Int64 // feeds deferred by the store while leasing
	unserved     int          // feeds leased but not started when the pass was cut
	hostsActive  atomic.Int64
	hostsWaiting atomic.Int64
	hostsMax     int
	lastRound    time.Time
	// waitingSince is when lease rounds began to find every host being
	// claimed or owned by others; zero while they find work.
	waitingSince time.Time
}

// waitedTooLong bounds how long a worker waits for others to hand hosts
// over: past a presence period it ends its pass, and its share is polled
// by the others or by the next run.
func (d *dispatcher) waitedTooLong() bool {
	return !d.waitingSince.IsZero() && time.Since(d.waitingSince) > d.presence()
}

// presence is how long a lease round marks this worker present; rounds
// come at least three times as often.
func (d *dispatcher) presence() time.Duration { return min(d.p.opt.Lease, 30*time.Second) }

func (p *Poller) newDispatcher(work chan<- task, done <-chan string) *dispatcher {
	budget, _ := p.f.(hostBudget)
	carry, _ := p.f.(hostCarrier)
	d := &dispatcher{p: p, work: work, done: done, seen: map[int64]bool{}, owned: map[string]bool{},
		fr:    newFrontier(budget, p.opt.Concurrency),
		batch: max(p.opt.Concurrency*2, 64), carry: carry, leases: make(chan leaseRound, 1)}
	// A host's feeds are leased only as far as its budget can start them
	// before the lease runs out (with a quarter to spare).
	d.fit = d.batch * 64
	if budget != nil {
		if sp := budget.HostSlot("").Spacing; sp > 0 {
			d.fit = max(1, int(p.opt.Lease*3/4/sp))
		}
	}
	return d
}

// Lease rounds take a few feeds of each host and claim a few new hosts,
// so that the queues hold what can start soon and workers started
// together share the hosts.
const (
	feedsPerHostRound = 8
	newHostsPerRound  = 4
)

// perRound is the most feeds of one host a lease round takes.
func (d *dispatcher) perRound() int { return max(1, min(d.fit/2, feedsPerHostRound)) }

// lease runs one lease round in its own goroutine; the answer comes on
// d.leases.
func (d *dispatcher) lease(ctx context.Context) {
	room := d.perRound()
	skip := d.fr.full(room, d.fit)
	idle := d.fr.queued == 0
	d.lastRound = time.Now()
	go func() {
		l, err := d.p.st.LeaseFrontier(ctx, store.LeaseSpec{Now: d.p.opt.Now(), Owner: d.p.opt.Owner,
			Lease: d.p.opt.Lease, Limit: d.batch, PerHost: room, Skip: skip, NewHosts: newHostsPerRound,
			Idle: idle, Presence: d.presence()})
		d.leases <- leaseRound{Leased: l, skipped: len(skip), err: err}
	}()
}

// take adds a lease round's feeds to the frontier; it reports how many
// were new to this pass. A feed polled earlier in the pass that came due
// again is released at once: the next run takes it.
func (d *dispatcher) take(r leaseRound) int {
	d.deferred.Add(int64(r.Deferred))
	d.p.deferredUnfetched(r.Deferred, "host held (Retry-After) when leased")
	for _, h := range r.Hosts {
		if !d.owned[h.Host] && d.carry != nil {
			d.carry.SeedHost(h.Host, h.LastStart, h.Hold, h.HoldCode)
		}
		d.owned[h.Host] = true
	}
	fresh := 0
	for _, f := range r.Feeds {
		if d.seen[f.ID] {
			d.p.release(f)
			continue
		}
		d.seen[f.ID] = true
		d.fr.add(f)
		fresh++
	}
	return fresh
}

// run hands out the pass's feeds until none is due or ctx ends; the
// caller closes work after it returns.
func (d *dispatcher) run(ctx context.Context) error {
	leasing, exhausted := true, false
	drainTo := -1       // after an empty round with full queues: lease again below this
	var retry time.Time // after a round that found every free host being claimed
	d.lease(ctx)
	var timer *time.Timer
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		low := d.fr.queued < d.batch && (drainTo < 0 || d.fr.queued == 0 || d.fr.queued <= drainTo)
		if !leasing && (!exhausted && low && !time.Now().Before(retry) || time.Since(d.lastRound) > d.presence()/3) {
			leasing = true
			d.lease(ctx)
		}
		if !leasing { // a round in flight may renew the host and lease its feeds
			d.handOver(ctx)
		}
		// After the hand-over, which may have emptied the queues.
		if exhausted && !leasing && d.fr.queued == 0 && d.fr.inflight == 0 && len(d.fr.deferred) == 0 {
			return nil
		}
		d.count()
		now := time.Now()
		t, q, ok, wait := d.fr.next(now)
		var out chan<- task
		if ok {
			out = d.work
		}
		// Nothing to hand out and no lease round in flight: look again
		// soon whatever else may come, so that no state the loop checks
		// at its top (a due lease round, the end of the pass) waits for
		// an event that never comes.
		var tick <-chan time.Time
		if until := time.Until(retry); !ok && (d.fr.queued > 0 || !leasing) {
			if wait <= 0 || wait > busyPoll {
				wait = busyPoll
			}
			if until > 0 && until < wait {
				wait = until
			}
			if timer == nil {
				timer = time.NewTimer(wait)
			} else {
				timer.Reset(wait)
			}
			tick = timer.C
		}
		select {
		case out <- t:
			d.fr.taken(q, now)
		case h := <-d.done:
			d.fr.finished(h)
		case r := <-d.leases:
			leasing = false
			if r.err != nil {
				if ctx.Err() != nil {
					d.cut()
					return nil
				}
				d.cut()
				return fmt.Errorf("lease due feeds: %w", r.err)
			}
			fresh := d.take(r)
			d.rebalance(ctx, r)
			if fresh > 0 || !r.Contended {
				d.waitingSince = time.Time{}
			} else if d.waitingSince.IsZero() {
				d.waitingSince = time.Now()
			}
			switch {
			case fresh > 0:
				drainTo = -1
			case r.Contended && !d.waitedTooLong():
				retry = time.Now().Add(contendedRetry)
			case r.skipped > 0:
				drainTo = d.fr.queued - d.perRound()
			default:
				exhausted = true
			}
		case <-tick:
		case <-ctx.Done():
			if leasing {
				d.take(<-d.leases)
			}
			d.cut()
			return nil
		}
	}
}

// rebalance marks hosts to hand over after a lease round: those whose
// work is done (nothing queued or in flight, nothing new leased), and,
// when this worker owns more than its share of the hosts in play, the ones
// with the most left to do, for a worker that is short.
func (d *dispatcher) rebalance(ctx context.Context, r leaseRound) {
	got := map[string]bool{}
	for _, f := range r.Feeds {
		got[f.Host] = true
	}
	for h := range d.owned {
		if !got[h] && !d.fr.paused[h] && d.fr.queueLen(h) == 0 && d.fr.inflightOf(h) == 0 {
			d.fr.paused[h] = true
		}
	}
	excess := len(d.owned) - len(d.fr.paused) - r.Share
	if r.Share <= 0 || excess <= 0 {
		return
	}
	for _, h := range d.fr.longest(excess) {
		d.fr.paused[h] = true
	}
}

// handOver gives up the paused hosts that have nothing in flight.
func (d *dispatcher) handOver(ctx context.Context) {
	for h := range d.fr.paused {
		if d.fr.inflightOf(h) > 0 {
			continue
		}
		var ids []int64
		for _, f := range d.fr.remove(h) {
			delete(d.seen, f.ID)
			ids = append(ids, f.ID)
		}
		hl := d.budgetOf(h)
		if err := d.p.st.HandOver(context.WithoutCancel(ctx), d.p.opt.Owner, hl, ids); err != nil {
			d.p.log.Warn("hand over host", "host", h, "err", err)
		}
		delete(d.owned, h)
		delete(d.fr.paused, h)
	}
}

// budgetOf is what host h leaves for its next owner.
func (d *dispatcher) budgetOf(h string) store.HostLease {
	hl := store.HostLease{Host: h}
	if d.carry != nil {
		hl.LastStart = d.carry.LastStart(h)
	}
	if d.fr.budget != nil {
		s := d.fr.budget.HostSlot(h)
		if s.Hold.After(time.Now()) {
			hl.Hold, hl.HoldCode = s.Hold, s.HoldCode
		}
	}
	return hl
}

// cut stops handing out feeds: those still queued were not started and
// are counted as deferred (their leases are released by the pass's end).
func (d *dispatcher) cut() {
	n := len(d.fr.drain())
	d.unserved += n
	d.p.deferredUnfetched(n, "pass ended before their turn")
	d.count()
}

// count publishes the host counts for progress.
func (d *dispatcher) count() {
	a, w := d.fr.hostCounts()
	d.hostsActive.Store(int64(a))
	d.hostsWaiting.Store(int64(w))
	d.hostsMax = max(d.hostsMax, a)
}

// releaseAll hands back the pass's hosts with the budget they leave (last
// start, hold) and frees any feed lease the pass still holds: whatever
// happened, no lease outlives its pass.
func (d *dispatcher) releaseAll(ctx context.Context) {
	ctx = context.WithoutCancel(ctx)
	var hosts []store.HostLease
	for h := range d.owned {
		hosts = append(hosts, d.budgetOf(h))
	}
	if err := d.p.st.ReleaseHosts(ctx, d.p.opt.Owner, hosts); err != nil {
		d.p.log.Warn("release hosts", "err", err)
	}
	n, err := d.p.st.ReleaseLeases(ctx, d.p.opt.Owner)
	if err != nil {
		d.p.log.Warn("release leases", "err", err)
	}
	if n > 0 {
		d.p.log.Info("leases released at the end of the pass", "feeds", n)
	}
}
