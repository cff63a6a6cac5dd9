package poll

import (
	"context"
	"errors"
	"net/url"
	"time"

	"github.com/wiredesk/wiredesk/dedup"
	"github.com/wiredesk/wiredesk/internal/news"
	"github.com/wiredesk/wiredesk/scraper"
	"github.com/wiredesk/wiredesk/store"
)

// feedResult is what refreshing one feed did.
type feedResult struct {
	newItems, articles, stories, duplicates int
	notModified                             bool
	failure                                 *Failure
}

// refresh polls one leased feed and always saves its state, releasing the
// lease.
func (p *Poller) refresh(ctx context.Context, f news.Feed) feedResult {
	now := p.opt.Now()
	start := time.Now()
	res, pf, hint, err := p.fetchFeed(ctx, &f)
	f.LatencyMS = time.Since(start).Milliseconds()
	switch {
	case err != nil && ctx.Err() != nil:
		// Stopped mid-way: nothing of this feed was stored past what
		// completed; leave its schedule as it was so it is polled again.
		p.release(f)
		return res
	case err != nil:
		p.failed(&f, now, err)
		res.failure = &Failure{FeedID: f.ID, URL: f.URL, Class: f.ErrorClass, Error: f.LastError}
	case res.notModified:
		p.succeeded(&f, now, 0, 0, hint)
	default:
		n, err := p.ingestFeed(ctx, &f, pf, &res)
		if err != nil && ctx.Err() != nil {
			p.release(f)
			return res
		}
		if err != nil {
			p.failed(&f, now, err)
			res.failure = &Failure{FeedID: f.ID, URL: f.URL, Class: f.ErrorClass, Error: f.LastError}
			break
		}
		hint = max(hint, pf.TTL)
		p.succeeded(&f, now, n, rhythm(pf.Items), hint)
		p.opt.Metrics.Polls.WithLabelValues("ok").Inc()
	}
	f.LastPolled = now
	if err := p.st.SaveFeedState(context.WithoutCancel(ctx), f, p.opt.Owner); err != nil {
		p.log.Error("save feed state", "feed_id", f.ID, "url", f.URL, "err", err)
	}
	return res
}

func (p *Poller) release(f news.Feed) {
	type releaser interface {
		ReleaseLease(ctx context.Context, feedID int64, owner string) error
	}
	if r, ok := p.st.(releaser); ok {
		if err := r.ReleaseLease(context.Background(), f.ID, p.opt.Owner); err != nil {
			p.log.Warn("release lease", "feed_id", f.ID, "err", err)
		}
	}
}

// fetchFeed does the conditional GET and parses the document.
func (p *Poller) fetchFeed(ctx context.Context, f *news.Feed) (feedResult, *news.ParsedFeed, time.Duration, error) {
	var res feedResult
	start := time.Now()
	resp, err := p.f.Fetch(ctx, scraper.Request{URL: f.URL, ETag: f.ETag, LastModified: f.LastModified, Kind: "feed"})
	p.opt.Metrics.FetchSeconds.WithLabelValues("feed").Observe(time.Since(start).Seconds())
	if errors.Is(err, scraper.ErrNotModified) {
		res.notModified = true
		p.opt.Metrics.Polls.WithLabelValues("not_modified").Inc()
		return res, nil, 0, nil
	}
	if err != nil {
		return res, nil, 0, err
	}
	pf, err := scraper.ParseFeedType(resp.Body, resp.ContentType, resp.URL, p.opt.MaxItems)
	if err != nil {
		return res, nil, 0, err
	}
	f.ETag, f.LastModified = resp.ETag, resp.LastModified
	return res, pf, scraper.CacheHints(resp.Header, p.opt.Now()), nil
}

// failed records a failed poll and schedules a retry with backoff.
func (p *Poller) failed(f *news.Feed, now time.Time, err error) {
	class := scraper.Class(err)
	f.Failures++
	f.ErrorClass, f.LastError = class, err.Error()
	f.Status = news.StatusError
	if f.Failures >= failingAfter {
		f.Status = news.StatusFailing
	}
	next := now.Add(p.opt.Schedule.backoff(f.ID, f.Failures))
	var he *scraper.HTTPError
	if errors.As(err, &he) && he.RetryAfter.After(next) {
		next = he.RetryAfter
	}
	if errors.As(err, &he) && (he.StatusCode == 429 || he.StatusCode == 503) {
		p.opt.Metrics.Throttled.WithLabelValues(hostOf(f.URL)).Inc()
	}
	f.NextPoll = next
	p.opt.Metrics.Polls.WithLabelValues("error").Inc()
	p.opt.Metrics.FeedErrors.WithLabelValues(class).Inc()
	p.log.Warn("feed failed", "feed_id", f.ID, "url", f.URL, "class", class, "failures", f.Failures, "err", err)
}

// succeeded records a good poll and adapts the interval.
func (p *Poller) succeeded(f *news.Feed, now time.Time, newItems int, gap, hint time.Duration) {
	f.Failures, f.ErrorClass, f.LastError = 0, "", ""
	f.Status = news.StatusOK
	f.Interval = p.opt.Schedule.nextInterval(f.Interval, newItems, gap)
	f.NextPoll = honour(now.Add(f.Interval), now, hint)
	f.Stale = isStale(f.LastItemAt, now, gap)
}

// ingestFeed handles a parsed feed: drops known items, extracts and stores
// the new ones. It returns the number of new items.
func (p *Poller) ingestFeed(ctx context.Context, f *news.Feed, pf *news.ParsedFeed, res *feedResult) (int, error) {
	if newest := newestItem(pf.Items); newest.After(f.LastItemAt) {
		f.LastItemAt = newest
	}
	keys := make([]store.ItemKey, len(pf.Items))
	for i, it := range pf.Items {
		keys[i] = store.ItemKey{GUID: itemGUID(it), CanonicalURL: dedup.CanonicalURL(it.URL)}
	}
	known, err := p.st.KnownItems(ctx, f.ID, keys)
	if err != nil {
		return 0, err
	}
	var fresh []news.Item
	for i, it := range pf.Items {
		if !known[i] {
			fresh = append(fresh, it)
		}
	}
	// All items new although the feed was polled before: what happened
	// between the polls may have scrolled off the feed.
	f.Gap = len(fresh) > 0 && len(fresh) == len(pf.Items) && !f.LastPolled.IsZero() && f.ItemCount > 0 && len(pf.Items) >= 5
	res.newItems = len(fresh)
	p.opt.Metrics.Items.Add(float64(len(fresh)))
	arts := p.articles(ctx, f, pf, fresh)
	if ctx.Err() != nil {
		return 0, ctx.Err()
	}
	return len(fresh), p.ingest(ctx, arts, res)
}

func itemGUID(it news.Item) string {
	if it.GUID != "" {
		return it.GUID
	}
	return it.URL
}

func newestItem(items []news.Item) time.Time {
	var t time.Time
	for _, it := range items {
		if it.Published.After(t) {
			t = it.Published
		}
	}
	return t
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Host
}
