package poll

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/wiredesk/wiredesk/dedup"
	"github.com/wiredesk/wiredesk/internal/news"
	"github.com/wiredesk/wiredesk/store"
)

// ingestLockKey names the store-wide lock held while articles are matched
// and stored, so that workers sharing one database see each other's
// articles before deciding a story (see README, "Scale out").
const ingestLockKey = 0x77697265646b // "wiredk"

// prepare rebuilds the dedup index from the articles stored within the
// window, once per Poller.
func (p *Poller) prepare(ctx context.Context) error {
	p.ingestMu.Lock()
	defer p.ingestMu.Unlock()
	return p.rebuild(ctx)
}

// rebuild fills an empty index from the store; ingestMu is held.
func (p *Poller) rebuild(ctx context.Context) error {
	if p.ready {
		return nil
	}
	since := p.opt.Now().Add(-p.opt.Window)
	err := p.st.WalkArticles(ctx, since, func(a news.Article) error {
		p.remember(a)
		return nil
	})
	if err != nil {
		return fmt.Errorf("rebuild dedup index: %w", err)
	}
	p.ready = true
	return nil
}

// remember inserts a stored article into the index with its story.
func (p *Poller) remember(a news.Article) {
	d := docOf(&a, a.URL)
	d.ID = strconv.FormatInt(a.ID, 10)
	r := dedup.Result{Cluster: storyKey(a.StoryID), Score: a.Score, Reason: a.Reason, Origin: a.Origin}
	if a.DuplicateOf != 0 {
		r.DuplicateOf = strconv.FormatInt(a.DuplicateOf, 10)
	}
	p.ix.Insert(&d, r)
	p.lastID = max(p.lastID, a.ID)
}

// catchUp folds in articles other workers stored since we last looked.
func (p *Poller) catchUp(ctx context.Context) error {
	for {
		arts, err := p.st.ArticlesAfter(ctx, p.lastID, 1000)
		if err != nil {
			return fmt.Errorf("read new articles: %w", err)
		}
		for _, a := range arts {
			p.remember(a)
		}
		if len(arts) < 1000 {
			return nil
		}
	}
}

// ingest matches each article against the index and stores it with its
// story, a feed's articles in one transaction. If the transaction fails,
// the index (which already holds the batch) is dropped and rebuilt from
// the store before the next match.
func (p *Poller) ingest(ctx context.Context, arts []*pending, res *feedResult) error {
	if len(arts) == 0 {
		return nil
	}
	p.ingestMu.Lock()
	defer p.ingestMu.Unlock()
	var got feedResult
	err := p.st.WithStoryLock(ctx, []uint64{ingestLockKey}, func(ctx context.Context) error {
		if err := p.rebuild(ctx); err != nil {
			return err
		}
		if err := p.catchUp(ctx); err != nil {
			return err
		}
		return p.st.Ingest(ctx, func(b *store.Batch) error {
			got = feedResult{}
			for _, pd := range arts {
				if pd == nil {
					continue
				}
				if err := p.ingestOne(b, pd, &got); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err != nil {
		p.ix = dedup.NewIndex(dedup.Options{Window: p.opt.Window})
		p.lastID, p.ready = 0, false
		return err
	}
	res.articles, res.stories, res.duplicates = got.articles, got.stories, got.duplicates
	p.opt.Metrics.Articles.Add(float64(got.articles))
	p.opt.Metrics.Stories.Add(float64(got.stories))
	return nil
}

func (p *Poller) ingestOne(b *store.Batch, pd *pending, res *feedResult) error {
	d := docOf(pd.a, pd.dedupURL)
	r := p.ix.Query(&d)
	as := store.Assignment{Origin: r.Origin}
	if r.DuplicateOf != "" {
		id, err := strconv.ParseInt(r.DuplicateOf, 10, 64)
		if err != nil {
			return fmt.Errorf("dedup matched unknown id %q", r.DuplicateOf)
		}
		as.DuplicateOf, as.Score, as.Reason = id, r.Score, r.Reason
	}
	err := b.SaveArticle(pd.a, as)
	if errors.Is(err, store.ErrDuplicate) {
		return nil // stored meanwhile (another worker, or the same link twice)
	}
	if err != nil {
		return fmt.Errorf("store %s: %w", pd.a.URL, err)
	}
	d.ID = strconv.FormatInt(pd.a.ID, 10)
	r.Cluster = storyKey(pd.a.StoryID)
	p.ix.Insert(&d, r)
	p.lastID = max(p.lastID, pd.a.ID)
	res.articles++
	if as.DuplicateOf == 0 {
		res.stories++
	} else {
		res.duplicates++
		p.opt.Metrics.Duplicates.WithLabelValues(reasonClass(as.Reason)).Inc()
	}
	return nil
}

// docOf is the dedup view of an article. Its time is when wiredesk first
// saw the article, not when the outlet says it published it: the window
// holds stories first seen recently, and a pass that meets an old item
// after a new one must not evict the old item's story.
func docOf(a *news.Article, u string) dedup.Doc {
	return dedup.Doc{Outlet: a.Outlet, URL: u, Title: a.Title, Text: a.Text, Lang: a.Lang, Published: a.Fetched}
}

func storyKey(id int64) string { return "s" + strconv.FormatInt(id, 10) }

// reasonClass maps a human-readable match reason to a bounded metric label.
func reasonClass(reason string) string {
	r := strings.ToLower(reason)
	switch {
	case strings.Contains(r, "url"):
		return "url"
	case strings.Contains(r, "hash"):
		return "hash"
	case strings.Contains(r, "title"):
		return "title"
	default:
		return "text"
	}
}
