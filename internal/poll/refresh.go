package poll

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/wiredesk/wiredesk/dedup"
	"github.com/wiredesk/wiredesk/news"
	"github.com/wiredesk/wiredesk/scraper"
	"github.com/wiredesk/wiredesk/store"
)

// feedResult is what refreshing one feed did.
type feedResult struct {
	newItems, articles, stories, duplicates int
	storedMeanwhile                         int            // new items whose link was stored first by another feed or worker
	changedItems, revisions                 int            // known items whose entry changed; new versions stored
	reasons                                 map[string]int // duplicates by reason class
	notModified                             bool
	failure                                 *Failure
	deferred                                bool   // not fetched: the host held us off
	host                                    string // the feed's host
}

// refresh polls one leased feed and always saves its state, releasing the
// lease. A feed's new articles and its state (validators, next poll) are
// committed together by the writer. fetched is called once the feed's own
// request is done (the frontier may then start the host's next).
func (p *Poller) refresh(ctx context.Context, ps *pass, f news.Feed, fetched func()) feedResult {
	now := p.opt.Now()
	start := time.Now()
	before := f // validators as stored: kept if this poll's items are not
	res, pf, hint, err := p.fetchFeed(ctx, &f)
	fetched()
	f.LatencyMS = time.Since(start).Milliseconds()
	f.LastPolled = now
	var arts []*pending
	if until, ok := deferral(err); ok {
		if !errors.Is(err, scraper.ErrHostBackoff) { // this feed got the answer
			p.opt.Metrics.Throttled.WithLabelValues(throttleStatus(err)).Inc()
		}
		return p.deferred(ctx, before, until)
	}
	switch {
	case err != nil && ctx.Err() != nil:
		// Stopped mid-way: nothing of this feed was stored; its schedule
		// stays as it was so it is polled again.
		p.release(f)
		return res
	case err != nil:
		p.failed(&f, now, err)
		res.failure = &Failure{FeedID: f.ID, URL: f.URL, Class: f.ErrorClass, Error: f.LastError}
	case res.notModified:
		p.succeeded(&f, now, 0, 0, hint)
	default:
		arts, err = p.newArticles(ctx, &f, pf, &res, p.budgetEnd(start))
		if err != nil && ctx.Err() != nil {
			p.release(f)
			return res
		}
		if err != nil { // the store could not say which items are known
			ps.storeDown(err)
			f.ETag, f.LastModified, f.LastItemAt = before.ETag, before.LastModified, before.LastItemAt
			p.failed(&f, now, err)
			res.failure = &Failure{FeedID: f.ID, URL: f.URL, Class: f.ErrorClass, Error: f.LastError}
			break
		}
		p.succeeded(&f, now, res.newItems, rhythm(pf.Items), max(hint, pf.TTL))
	}
	p.commit(ctx, ps, f, before, arts, &res)
	return res
}

// commit hands the feed's articles and state to the writer; if that
// fails, the feed is recorded as failed on its own.
func (p *Poller) commit(ctx context.Context, ps *pass, f, before news.Feed, arts []*pending, res *feedResult) {
	err := ps.write(ctx, &job{state: f, arts: arts, res: res})
	switch {
	case err == nil:
		if res.failure == nil && !res.notModified {
			p.opt.Metrics.Polls.WithLabelValues("ok").Inc()
		}
		return
	case ctx.Err() != nil:
		p.release(f)
		return
	}
	ps.storeDown(err)
	f.ETag, f.LastModified, f.LastItemAt = before.ETag, before.LastModified, before.LastItemAt
	p.failed(&f, f.LastPolled, err)
	res.articles, res.stories, res.duplicates = 0, 0, 0
	res.failure = &Failure{FeedID: f.ID, URL: f.URL, Class: f.ErrorClass, Error: f.LastError}
	if err := p.st.SaveFeedState(context.WithoutCancel(ctx), f, p.opt.Owner); err != nil {
		p.log.Error("save feed state", "feed_id", f.ID, "url", f.URL, "err", err)
	}
}

// release gives up the lease of a feed left unfinished, so that the next
// run takes it at once.
func (p *Poller) release(f news.Feed) {
	if err := p.st.ReleaseLease(context.Background(), f.ID, p.opt.Owner); err != nil {
		p.log.Warn("release lease", "feed_id", f.ID, "err", err)
	}
}

// deferral reports whether err means the host held us off, and until
// when: a request refused because the host is in a Retry-After hold (it
// never reached the host), or the 429, or 503 with Retry-After, that put
// it there. The host named the time to come back: that is a schedule, not
// the feed's fault, so the feed is deferred, not failed. A 503 without
// Retry-After is a server error and fails.
func deferral(err error) (time.Time, bool) {
	var he *scraper.HTTPError
	if err == nil || !errors.As(err, &he) || he.RetryAfter.IsZero() {
		return time.Time{}, false
	}
	if errors.Is(err, scraper.ErrHostBackoff) || he.StatusCode == 429 || he.StatusCode == 503 {
		return he.RetryAfter, true
	}
	return time.Time{}, false
}

// deferredUnfetched logs and counts n feeds deferred without a fetch of
// their own (the store deferred them at lease time, or the pass was cut
// before their turn), as deferred records a single one.
func (p *Poller) deferredUnfetched(n int, why string) {
	if n <= 0 {
		return
	}
	p.opt.Metrics.Polls.WithLabelValues("deferred").Add(float64(n))
	p.log.Info("feeds deferred", "feeds", n, "why", why)
}

// deferred records that f was not fetched and is due at until: its health
// stays as it was, its lease is freed.
func (p *Poller) deferred(ctx context.Context, f news.Feed, until time.Time) feedResult {
	if err := p.st.DeferFeed(context.WithoutCancel(ctx), f.ID, p.opt.Owner, until); err != nil {
		p.log.Warn("defer feed", "feed_id", f.ID, "url", f.URL, "err", err)
	}
	p.opt.Metrics.Polls.WithLabelValues("deferred").Inc()
	p.log.Info("feed deferred", "feed_id", f.ID, "url", f.URL, "until", until)
	return feedResult{deferred: true, host: f.Host}
}

// fetchFeed does the conditional GET and parses the document.
func (p *Poller) fetchFeed(ctx context.Context, f *news.Feed) (feedResult, *news.ParsedFeed, time.Duration, error) {
	var res feedResult
	start := time.Now()
	// Hold: a large body keeps its slot through the parse (Release below).
	resp, err := p.f.Fetch(ctx, scraper.Request{URL: f.URL, ETag: f.ETag, LastModified: f.LastModified, Kind: "feed", Hold: true})
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
	resp.Release()
	if err != nil {
		return res, nil, 0, err
	}
	f.ETag, f.LastModified = resp.ETag, resp.LastModified
	p.parseNotes(f, pf)
	return res, pf, scraper.CacheHints(resp.Header, p.opt.Now()), nil
}

// parseNotes logs and counts what the parse of f's document recovered,
// dropped as empty or left past the item cap.
func (p *Poller) parseNotes(f *news.Feed, pf *news.ParsedFeed) {
	if pf.Recovered > 0 {
		p.opt.Metrics.Entries.WithLabelValues("recovered").Add(float64(pf.Recovered))
		p.log.Info("feed entries recovered", "feed_id", f.ID, "url", f.URL, "entries", pf.Recovered, "parser_error", pf.RecoveredFrom)
	}
	if pf.Empty > 0 {
		p.opt.Metrics.Entries.WithLabelValues("empty").Add(float64(pf.Empty))
		p.log.Info("empty feed entries dropped", "feed_id", f.ID, "url", f.URL, "entries", pf.Empty)
	}
	if pf.OverCap > 0 {
		p.opt.Metrics.Entries.WithLabelValues("over_cap").Add(float64(pf.OverCap))
		p.log.Warn("feed entries over the item cap dropped", "feed_id", f.ID, "url", f.URL, "cap", p.opt.MaxItems, "dropped", pf.OverCap)
	}
}

// throttleStatus is the bounded label of a throttling answer: "429",
// "503", or "other".
func throttleStatus(err error) string {
	var he *scraper.HTTPError
	if errors.As(err, &he) && (he.StatusCode == 429 || he.StatusCode == 503) {
		return strconv.Itoa(he.StatusCode)
	}
	return "other"
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
	if errors.As(err, &he) && (he.StatusCode == 429 || he.StatusCode == 503) {
		p.opt.Metrics.Throttled.WithLabelValues(throttleStatus(err)).Inc()
	}
	if errors.As(err, &he) && he.RetryAfter.After(next) {
		next = he.RetryAfter
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

// newArticles drops the feed's unchanged known items and turns the new
// ones into articles (fetching and extracting their pages). A known item
// of this feed whose entry changed (its hash differs from the stored one)
// is fetched again as a candidate revision of its article; one stored
// before item hashes were kept only records its hash.
//
// Page fetches end at budgetEnd (zero: no budget); see articles.
func (p *Poller) newArticles(ctx context.Context, f *news.Feed, pf *news.ParsedFeed, res *feedResult, budgetEnd time.Time) ([]*pending, error) {
	if newest := newestItem(pf.Items); newest.After(f.LastItemAt) {
		f.LastItemAt = newest
	}
	keys := make([]store.ItemKey, len(pf.Items))
	for i, it := range pf.Items {
		keys[i] = store.ItemKey{GUID: itemGUID(it), CanonicalURL: dedup.CanonicalURL(it.URL)}
	}
	known, err := p.st.KnownItems(ctx, f.ID, keys)
	if err != nil {
		return nil, err
	}
	var (
		fresh, changed []fetchItem
		hashes         []*pending
		over           int // changed items past maxRefetch
	)
	for i, it := range pf.Items {
		k := known[i]
		switch h := itemHash(it); {
		case k.ArticleID == 0:
			fresh = append(fresh, fetchItem{item: it, hash: h})
		case !k.Own || k.ItemHash == h:
		case k.ItemHash == "":
			hashes = append(hashes, &pending{revises: k.ArticleID, hashOnly: true, a: &news.Article{ItemHash: h}})
		case len(changed) < maxRefetch:
			changed = append(changed, fetchItem{item: it, hash: h, revises: k.ArticleID})
		default:
			over++
		}
	}
	if over > 0 {
		// Their stored hashes stay as they were, so they count as changed
		// again at the next poll: deferred, not dropped.
		p.opt.Metrics.RefetchDeferred.Add(float64(over))
		p.log.Info("changed items over the refetch cap, left for the next poll", "feed_id", f.ID, "url", f.URL, "fetched", maxRefetch, "left", over)
	}
	// All items new although the feed gave items before: what it published
	// between the two polls may have scrolled off the feed.
	f.Gap = len(fresh) > 0 && len(fresh) == len(pf.Items) && f.ItemCount > 0 && len(pf.Items) >= 5
	res.newItems, res.changedItems = len(fresh), len(changed)
	p.opt.Metrics.Items.Add(float64(len(fresh)))
	arts := p.articles(ctx, f, pf, append(fresh, changed...), budgetEnd)
	return append(arts, hashes...), ctx.Err()
}

// maxRefetch bounds the known items of one feed fetched again in one poll:
// a feed whose entries change at every fetch (a counter in the summary)
// costs at most this many pages a poll. The others keep their stored hash
// and are looked at again next poll.
const maxRefetch = 20

// itemHash identifies a feed entry's content as the feed gave it: title,
// summary, content and the entry's own change date. A known item is
// fetched again only when it changes.
//
// The bytes hashed are laid end to end in one pooled buffer: writing each
// string to a hash.Hash copied it to the heap first (the interface call
// lets it escape), about 2 KB of garbage an item.
func itemHash(it news.Item) string {
	bp := hashBufs.Get().(*[]byte)
	b := (*bp)[:0]
	for _, s := range []string{it.Title, it.Summary, it.Content} {
		b = append(b, s...)
		b = append(b, 0)
	}
	if !it.Updated.IsZero() {
		b = it.Updated.UTC().AppendFormat(b, time.RFC3339Nano)
	}
	sum := sha256.Sum256(b)
	if cap(b) <= 64<<10 {
		*bp = b
		hashBufs.Put(bp)
	}
	return hex.EncodeToString(sum[:16])
}

// hashBufs are itemHash's buffers.
var hashBufs = sync.Pool{New: func() any { return new([]byte) }}

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
