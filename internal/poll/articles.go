package poll

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/wiredesk/wiredesk/dedup"
	"github.com/wiredesk/wiredesk/news"
	"github.com/wiredesk/wiredesk/scraper"
	"github.com/wiredesk/wiredesk/scraper/extract"
)

// articleFetchers bounds the article pages of one feed fetched at once; the
// fetcher's per-host limit still applies on top.
const articleFetchers = 4

// articles turns new items into articles, fetching and extracting each
// item's page when configured. Items whose page fails fall back to the
// feed's own content, so nothing the feed said is lost. Order is kept.
//
// Page fetches end at budgetEnd (zero: no budget), so that slow pages
// cannot hold a feed, and its host, for a timeout each: the items whose
// pages did not fit are stored with the feed's text, marked so that the
// next poll fetches their pages (see leftPrefix).
func (p *Poller) articles(ctx context.Context, f *news.Feed, pf *news.ParsedFeed, items []fetchItem, budgetEnd time.Time) []*pending {
	pages := ctx
	if !budgetEnd.IsZero() {
		var cancel context.CancelFunc
		pages, cancel = context.WithDeadline(ctx, budgetEnd)
		defer cancel()
	}
	out := make([]*pending, len(items))
	sem := make(chan struct{}, articleFetchers)
	var wg sync.WaitGroup
	for i, it := range items {
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			pd := p.article(ctx, pages, f, pf, it.item, it.hash)
			if pd != nil {
				pd.revises = it.revises
			}
			out[i] = pd
		})
	}
	wg.Wait()
	p.pagesLeft(f, out)
	return out
}

// fetchItem is a feed item whose page is to be fetched: its itemHash, and
// the article it is a candidate revision of (0: a new item).
type fetchItem struct {
	item    news.Item
	hash    string
	revises int64
}

// budgetEnd is when the page fetches of a feed whose poll started at
// start must end; zero without a budget.
func (p *Poller) budgetEnd(start time.Time) time.Time {
	if p.opt.FeedBudget <= 0 {
		return time.Time{}
	}
	return start.Add(p.opt.FeedBudget)
}

// leftPrefix marks the stored item hash of an article whose page did not
// fit in its feed's time budget: it differs from the entry's hash, so the
// next poll sees the entry as changed and fetches the page (a new version
// when the page says more than the feed did).
const leftPrefix = "left:"

// pagesLeft counts and logs the pages of a feed left for the next poll.
func (p *Poller) pagesLeft(f *news.Feed, out []*pending) {
	n := 0
	for _, pd := range out {
		if pd != nil && strings.HasPrefix(pd.a.ItemHash, leftPrefix) {
			n++
		}
	}
	if n == 0 {
		return
	}
	p.opt.Metrics.PagesLeft.Add(float64(n))
	p.log.Warn("article pages over the feed's time budget, left for the next poll", "feed_id", f.ID, "url", f.URL,
		"left", n, "items", len(out), "budget_ms", p.opt.FeedBudget.Milliseconds())
}

// pending is an article on its way to dedup and the store.
type pending struct {
	a *news.Article
	// dedupURL is the page's own canonical link when it declares one, else
	// the item's link. The item's link stays the article's identity, so a
	// copy whose page names the original as canonical is folded into the
	// original's story, not dropped as a known item.
	dedupURL string
	// fp is the article's dedup fingerprint, computed here in the feed's
	// goroutine so that the serial writer only matches and inserts.
	fp *dedup.Fingerprint
	// sketch is fp's binary form, stored with the article.
	sketch []byte
	// revises is the stored article this page is a candidate new version
	// of (0: a new article); with hashOnly, only the item hash in a is
	// recorded.
	revises  int64
	hashOnly bool
}

// article builds one article from its item and, when possible, its page,
// fetched under pages (ctx bounded by the feed's time budget).
func (p *Poller) article(ctx, pages context.Context, f *news.Feed, pf *news.ParsedFeed, it news.Item, hash string) *pending {
	pd := &pending{dedupURL: it.URL}
	a := &news.Article{
		FeedID:       f.ID,
		Outlet:       outletName(f),
		GUID:         itemGUID(it),
		URL:          it.URL,
		CanonicalURL: dedup.CanonicalURL(it.URL),
		Title:        it.Title, // text already (scraper.TextTitle)
		Byline:       it.Author,
		Image:        it.Image,
		Lang:         pf.Language,
		Published:    it.Published,
		Fetched:      p.opt.Now(),
		ItemHash:     hash,
	}
	pd.a = a
	// An item without a link has no canonical URL: it is known by (feed,
	// GUID) alone. Its GUID (often "1", "2", ...) or content hash is not
	// an address, and two outlets' items must not collide on it.
	a.Text = feedText(it)
	if p.opt.Articles && it.URL != "" {
		switch err := p.fillFromPage(pages, f, pd); {
		case err == nil, ctx.Err() != nil:
		case pages.Err() != nil: // the feed's time budget ran out
			a.ItemHash = leftPrefix + a.ItemHash
		default:
			p.opt.Metrics.ExtractFailures.Inc()
			p.log.Warn("article page failed", "feed_id", f.ID, "url", it.URL, "class", scraper.Class(err), "err", err)
		}
	}
	if a.Published.IsZero() {
		a.Published = a.Fetched
	}
	p.capLines(f, a)
	a.Lang = normLang(a.Lang)
	d := docOf(a, pd.dedupURL)
	fpr := p.fingerprinters.Get().(*dedup.Fingerprinter)
	pd.fp, a.ContentHash = fpr.FingerprintContent(&d)
	p.fingerprinters.Put(fpr)
	pd.sketch, _ = pd.fp.MarshalBinary() // never fails
	return pd
}

// fillFromPage fetches the item's page and lays the extraction over a.
func (p *Poller) fillFromPage(ctx context.Context, f *news.Feed, pd *pending) error {
	a := pd.a
	if p.opt.Robots {
		ok, err := p.f.Allowed(ctx, a.URL)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("fetch %s: %w", a.URL, scraper.ErrRobots)
		}
	}
	start := time.Now()
	resp, err := p.f.Fetch(ctx, scraper.Request{URL: a.URL, Kind: "article"})
	p.opt.Metrics.FetchSeconds.WithLabelValues("article").Observe(time.Since(start).Seconds())
	if err != nil {
		return err
	}
	page, err := extract.Extract(resp.Body, resp.ContentType, extract.Options{URL: resp.URL, Rules: f.Rules})
	if err != nil {
		return fmt.Errorf("extract %s: %w", a.URL, err)
	}
	if page.RuleShort {
		p.opt.Metrics.RuleShort.Inc()
		p.log.Warn("site rule kept far less than the heuristics", "feed_id", f.ID, "url", a.URL, "body_rule", f.Rules.Body)
	}
	if strings.TrimSpace(page.Text) == "" {
		return fmt.Errorf("extract %s: no article text found", a.URL)
	}
	a.Text = page.Text
	setIf(&a.Title, page.Title)
	setIf(&a.Byline, page.Byline)
	setIf(&a.Lang, page.Lang)
	setIf(&a.Image, page.Image)
	setIf(&pd.dedupURL, page.CanonicalURL)
	if a.Published.IsZero() {
		a.Published = page.Published
	}
	return nil
}

// capLines makes the article's single-line fields one line within
// news.MaxLine characters, whether they came from the feed or the page,
// logging and counting what is cut; NUL goes from the text.
func (p *Poller) capLines(f *news.Feed, a *news.Article) {
	for _, fld := range []struct {
		name string
		v    *string
	}{{"title", &a.Title}, {"byline", &a.Byline}} {
		var cut bool
		n := len(*fld.v)
		if *fld.v, cut = news.SingleLine(*fld.v, news.MaxLine); cut {
			p.opt.Metrics.Entries.WithLabelValues(fld.name + "_capped").Inc()
			p.log.Warn("article field over the line cap cut", "feed_id", f.ID, "url", a.URL, "field", fld.name, "bytes", n, "cap_chars", news.MaxLine)
		}
	}
	a.Text = news.StripNUL(a.Text)
}

func setIf(dst *string, v string) {
	if v = strings.TrimSpace(v); v != "" {
		*dst = v
	}
}

// feedText is the item's own text, HTML stripped, paragraphs kept.
func feedText(it news.Item) string {
	src := it.Content
	if len(strings.TrimSpace(src)) < len(strings.TrimSpace(it.Summary)) {
		src = it.Summary
	}
	return plainText(src)
}

func outletName(f *news.Feed) string {
	if f.Name != "" {
		return f.Name
	}
	return hostOf(f.URL)
}

// normLang keeps the primary language subtag: "ar-SA" → "ar".
func normLang(l string) string {
	l = strings.ToLower(strings.TrimSpace(l))
	if i := strings.IndexAny(l, "-_"); i > 0 {
		l = l[:i]
	}
	return l
}
