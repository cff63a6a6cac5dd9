// Package poll runs wiredesk's pipeline: due feeds → conditional GET →
// parse → new items → article pages → extraction → dedup → store. It is used
// once by `wiredesk poll` and in a loop by `wiredesk serve`.
package poll

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/wiredesk/wiredesk/dedup"
	"github.com/wiredesk/wiredesk/internal/metrics"
	"github.com/wiredesk/wiredesk/news"
	"github.com/wiredesk/wiredesk/scraper"
	"github.com/wiredesk/wiredesk/store"
)

// Store is what the poller needs of the store.
type Store interface {
	LeaseFrontier(ctx context.Context, s store.LeaseSpec) (store.Leased, error)
	ReleaseHosts(ctx context.Context, owner string, hosts []store.HostLease) error
	HandOver(ctx context.Context, owner string, h store.HostLease, unstarted []int64) error
	ReleaseLeases(ctx context.Context, owner string) (int, error)
	DeferFeed(ctx context.Context, feedID int64, owner string, until time.Time) error
	SaveFeedState(ctx context.Context, f news.Feed, owner string) error
	ReleaseLease(ctx context.Context, feedID int64, owner string) error
	KnownItems(ctx context.Context, feedID int64, keys []store.ItemKey) ([]store.Known, error)
	Ingest(ctx context.Context, fn func(b *store.Batch) error) error
	WalkSketches(ctx context.Context, since time.Time, fn func(s *store.Sketched) error) (int64, error)
	SketchBytes(ctx context.Context, since time.Time) (int, int64, error)
	Article(ctx context.Context, id int64) (news.Article, error)
	Tail(ctx context.Context, after int64, limit int) ([]store.Appended, error)
	MergeStoriesOf(ctx context.Context, a, b int64, score float64, reason string) (bool, error)
	DueCount(ctx context.Context, now time.Time) (int, error)
}

// Fetcher is what the poller needs of the HTTP fetcher.
type Fetcher interface {
	Fetch(ctx context.Context, req scraper.Request) (*scraper.Response, error)
	Allowed(ctx context.Context, rawURL string) (bool, error)
}

// Options configure a Poller.
type Options struct {
	Owner       string        // lease owner name, unique per process
	Lease       time.Duration // how long a claimed feed stays ours (default 10m)
	Concurrency int           // feeds in flight
	Schedule    Schedule
	Articles    bool // fetch article pages
	Robots      bool // obey robots.txt for article pages
	Window      time.Duration
	Memory      int64 // the dedup index's shingle table (dedup.Options.Memory)
	MaxItems    int   // items taken from one feed document (default 1000)
	// FeedBudget bounds the time of one feed, its page fetches included
	// (0: none). Items whose pages did not fit are stored with the feed's
	// text and their pages tried again next poll.
	FeedBudget time.Duration
	// Snapshot, when set, is a file where a pass that changed the dedup
	// index leaves it for the next process to load (see snapshot.go):
	// for cron runs on a store one process writes at a time.
	Snapshot string
	Logger   *slog.Logger
	Metrics  *metrics.Metrics
	Now      func() time.Time
	// Progress, when set, is called after each feed is done.
	Progress func(p Progress)
}

// Progress is the running state of a pass.
type Progress struct {
	Done, Total, NewItems, Errors int
	Deferred                      int
	// HostsInFlight have a feed with a worker; HostsWaiting have leased
	// feeds queued for their budget.
	HostsInFlight, HostsWaiting int
}

// Poller polls due feeds. It keeps the dedup index between passes.
type Poller struct {
	st  Store
	f   Fetcher
	opt Options
	log *slog.Logger

	ingestMu sync.Mutex // serializes dedup+store: deterministic stories
	ix       *dedup.Index
	tail     int64          // newest article id read back from the store
	mine     map[int64]bool // our articles the tail has not passed yet
	ready    bool           // ix rebuilt from the store
	dirty    bool           // ix changed since it was loaded or saved
	snapPos  int64          // position of the snapshot ix was loaded from or saved to; -1: none
	learned  int            // revisions ix learned since
	jobs     chan *job      // to the writer, during a pass
	// storeDown stops the current pass when the store fails.
	storeDown func(error)
	// fingerprinters fingerprint articles for dedup in the feeds'
	// goroutines.
	fingerprinters sync.Pool
}

// StoreError is a store failure that stopped a pass.
type StoreError struct{ Err error }

func (e *StoreError) Error() string { return "store: " + e.Err.Error() }
func (e *StoreError) Unwrap() error { return e.Err }

// New returns a Poller over st and f.
func New(st Store, f Fetcher, opt Options) *Poller {
	if opt.Lease <= 0 {
		opt.Lease = 10 * time.Minute
	}
	if opt.Concurrency <= 0 {
		opt.Concurrency = 16
	}
	if opt.MaxItems <= 0 {
		opt.MaxItems = 1000
	}
	if opt.Window <= 0 {
		opt.Window = 72 * time.Hour
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Metrics == nil {
		opt.Metrics = metrics.New()
	}
	if opt.Owner == "" {
		opt.Owner = fmt.Sprintf("wiredesk-%d", time.Now().UnixNano())
	}
	return &Poller{st: st, f: f, opt: opt, log: opt.Logger, mine: map[int64]bool{}, snapPos: -1,
		ix:             dedup.NewIndex(opt.dedup()),
		fingerprinters: sync.Pool{New: func() any { return dedup.NewFingerprinter() }}}
}

// Summary is the outcome of one pass.
type Summary struct {
	Feeds       int `json:"feeds"`        // feeds polled
	NotModified int `json:"not_modified"` // answered 304
	Failed      int `json:"failed"`
	// Deferred feeds were not fetched: their host held us off
	// (Retry-After) or the pass ended before their turn. Their health is
	// unchanged and they are due when the host is free.
	Deferred int `json:"deferred"`
	// Hosts is how many hosts the pass polled; HostsMaxInFlight the most
	// it had a feed in flight on at once; HostsWaiting those still with
	// feeds queued when it ended (cut short).
	Hosts            int `json:"hosts"`
	HostsMaxInFlight int `json:"hosts_max_in_flight"`
	HostsWaiting     int `json:"hosts_waiting"`
	NewItems         int `json:"new_items"`
	Articles         int `json:"articles"` // articles stored
	// StoredMeanwhile counts new items not stored because their link was
	// stored first (by another feed, worker, or the same feed twice): with
	// Articles, what became of NewItems.
	StoredMeanwhile int           `json:"stored_meanwhile"`
	Stories         int           `json:"stories"` // new stories
	Duplicates      int           `json:"duplicates"`
	Changed         int           `json:"changed_items"` // known items whose feed entry changed
	Revisions       int           `json:"revisions"`     // new versions of stored articles
	Elapsed         time.Duration `json:"-"`
	ElapsedMS       int64         `json:"elapsed_ms"`
	Failures        []Failure     `json:"failures,omitempty"`
}

// Failure names a feed that failed and why.
type Failure struct {
	FeedID int64  `json:"feed_id"`
	URL    string `json:"url"`
	Class  string `json:"class"`
	Error  string `json:"error"`
}

func (s *Summary) add(r feedResult) {
	if r.deferred {
		s.Deferred++
		return
	}
	s.Feeds++
	s.NewItems += r.newItems
	s.Articles += r.articles
	s.StoredMeanwhile += r.storedMeanwhile
	s.Stories += r.stories
	s.Duplicates += r.duplicates
	s.Changed += r.changedItems
	s.Revisions += r.revisions
	if r.notModified {
		s.NotModified++
	}
	if r.failure != nil {
		s.Failed++
		s.Failures = append(s.Failures, *r.failure)
	}
}

// String is the one-line summary `wiredesk poll` prints.
func (s Summary) String() string {
	deferred := ""
	if s.Deferred > 0 {
		deferred = fmt.Sprintf(", %d deferred", s.Deferred)
	}
	meanwhile := ""
	if s.StoredMeanwhile > 0 {
		meanwhile = fmt.Sprintf(" (%d already stored from another feed)", s.StoredMeanwhile)
	}
	return fmt.Sprintf("polled %d feeds on %d hosts (%d not modified, %d failed%s): %d new items, %d articles stored%s, %d new stories, %d duplicates folded, %d revisions in %s",
		s.Feeds, s.Hosts, s.NotModified, s.Failed, deferred, s.NewItems, s.Articles, meanwhile, s.Stories, s.Duplicates, s.Revisions, s.Elapsed.Round(time.Millisecond))
}

// Pass polls every feed that is due once. Feeds that fail are reported in
// the summary; the error is for the pass itself (store unreachable,
// cancelled).
func (p *Poller) Pass(parent context.Context) (Summary, error) {
	start := time.Now()
	var sum Summary
	// A store that cannot take writes (full disk, read-only, gone) stops
	// the pass: it is not any one feed's fault.
	ctx, stop := context.WithCancelCause(parent)
	defer stop(nil)
	p.storeDown = func(err error) { stop(&StoreError{Err: err}) }
	total, err := p.st.DueCount(ctx, p.opt.Now())
	if err != nil {
		return sum, fmt.Errorf("count due feeds: %w", err)
	}
	p.opt.Metrics.DueBacklog.Set(float64(total))
	results := make(chan feedResult)
	work := make(chan task)
	done := make(chan string, p.opt.Concurrency)
	d := p.newDispatcher(work, done)
	p.jobs = make(chan *job)
	writerDone := make(chan struct{})
	go func() {
		p.writer(ctx, p.jobs)
		close(writerDone)
	}()
	var wg sync.WaitGroup
	for range p.opt.Concurrency {
		wg.Go(func() {
			for t := range work {
				results <- p.run(ctx, t, done)
			}
		})
	}
	leaseErr := make(chan error, 1)
	go func() {
		leaseErr <- d.run(ctx)
		close(work)
		wg.Wait()
		close(p.jobs)
		<-writerDone
		close(results)
	}()
	hosts := map[string]bool{}
	prog := Progress{Total: total}
	for r := range results {
		sum.add(r)
		if !r.deferred {
			hosts[r.host] = true
		}
		prog.Done++
		prog.Total = max(prog.Total, prog.Done)
		prog.NewItems += r.newItems
		if r.failure != nil {
			prog.Errors++
		}
		if r.deferred {
			prog.Deferred++
		}
		prog.HostsInFlight, prog.HostsWaiting = int(d.hostsActive.Load()), int(d.hostsWaiting.Load())
		p.opt.Metrics.DueBacklog.Set(float64(max(0, prog.Total-prog.Done)))
		if p.opt.Progress != nil {
			p.opt.Progress(prog)
		}
	}
	d.releaseAll(ctx)
	sum.Deferred += int(d.deferred.Load()) + d.unserved
	sum.Hosts, sum.HostsMaxInFlight = len(hosts), d.hostsMax
	sum.HostsWaiting = len(d.fr.waited)
	if err := <-leaseErr; err != nil {
		return sum, err
	}
	if ctx.Err() == nil {
		if err := p.settle(ctx); err != nil {
			return sum, err
		}
		p.ingestMu.Lock()
		p.saveSnapshot(ctx)
		p.ingestMu.Unlock()
	}
	sum.Elapsed = time.Since(start)
	sum.ElapsedMS = sum.Elapsed.Milliseconds()
	var se *StoreError
	if errors.As(context.Cause(ctx), &se) {
		return sum, se
	}
	return sum, parent.Err()
}

// run does one task of the frontier and tells the dispatcher when the
// feed's request is done: its articles and its writing are not the host's
// concern (article pages take the fetcher's per-host budget themselves).
func (p *Poller) run(ctx context.Context, t task, done chan<- string) feedResult {
	if !t.deferTo.IsZero() {
		return p.deferred(ctx, t.f, t.deferTo)
	}
	r := p.refresh(ctx, t.f, func() { done <- t.f.Host })
	r.host = t.f.Host
	return r
}

// dedup returns the options of the poller's dedup index.
func (o Options) dedup() dedup.Options {
	return dedup.Options{Window: o.Window, Memory: o.Memory}
}
