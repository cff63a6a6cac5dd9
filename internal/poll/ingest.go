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
		p.tail = max(p.tail, a.ID)
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
}

// catchUp reads the articles stored since we last looked, oldest first. Our
// own are in the index already; another worker's is matched against the
// index first: when it matches an article of a different story, both
// workers started a story for the same text at the same moment, and the
// two stories are merged (insert-then-merge; see README, "Scale out").
// Article ids are handed out in commit order, so the tail misses nothing.
func (p *Poller) catchUp(ctx context.Context) error {
	for {
		arts, err := p.st.ArticlesAfter(ctx, p.tail, 1000)
		if err != nil {
			return fmt.Errorf("read new articles: %w", err)
		}
		for _, a := range arts {
			p.tail = max(p.tail, a.ID)
			if p.mine[a.ID] {
				delete(p.mine, a.ID)
				continue
			}
			if err := p.foldIn(ctx, a); err != nil {
				return err
			}
		}
		if len(arts) < 1000 {
			return nil
		}
	}
}

// foldIn adds another worker's article to the index, merging stories that
// were split between workers.
func (p *Poller) foldIn(ctx context.Context, a news.Article) error {
	d := docOf(&a, a.URL)
	r := p.ix.Query(&d)
	if r.DuplicateOf != "" && r.Cluster != storyKey(a.StoryID) {
		other, err := strconv.ParseInt(r.DuplicateOf, 10, 64)
		if err != nil {
			return fmt.Errorf("dedup matched unknown id %q", r.DuplicateOf)
		}
		merged, err := p.st.MergeStoriesOf(ctx, other, a.ID, r.Score, r.Reason)
		if err != nil {
			return err
		}
		if merged {
			p.log.Info("merged stories split between workers", "article_id", a.ID, "matched_id", other, "reason", r.Reason)
			a.StoryID = storyIDOf(r.Cluster, a.StoryID)
		}
	}
	p.remember(a)
	return nil
}

// storyIDOf reads a story id back from its index key.
func storyIDOf(key string, def int64) int64 {
	id, err := strconv.ParseInt(strings.TrimPrefix(key, "s"), 10, 64)
	if err != nil {
		return def
	}
	return min(id, def)
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
	if err := p.rebuild(ctx); err != nil {
		return err
	}
	if err := p.catchUp(ctx); err != nil {
		return err
	}
	var got feedResult
	var ids []int64
	err := p.st.Ingest(ctx, func(b *store.Batch) error {
		got, ids = feedResult{}, ids[:0]
		for _, pd := range arts {
			if pd == nil {
				continue
			}
			if err := p.ingestOne(b, pd, &got); err != nil {
				return err
			}
			if pd.a.ID != 0 {
				ids = append(ids, pd.a.ID)
			}
		}
		return nil
	})
	if err != nil {
		p.ix = dedup.NewIndex(dedup.Options{Window: p.opt.Window})
		p.tail, p.ready, p.mine = 0, false, map[int64]bool{}
		return err
	}
	for _, id := range ids {
		p.mine[id] = true
	}
	res.articles, res.stories, res.duplicates = got.articles, got.stories, got.duplicates
	p.opt.Metrics.Articles.Add(float64(got.articles))
	p.opt.Metrics.Stories.Add(float64(got.stories))
	return nil
}

// settle folds in what other workers stored during the pass, so that a
// story split between workers is merged before the pass ends.
func (p *Poller) settle(ctx context.Context) error {
	p.ingestMu.Lock()
	defer p.ingestMu.Unlock()
	if !p.ready {
		return nil
	}
	return p.catchUp(ctx)
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
	res.articles++
	if as.DuplicateOf == 0 {
		res.stories++
	} else {
		res.duplicates++
		p.opt.Metrics.Duplicates.WithLabelValues(reasonClass(as.Reason)).Inc()
	}
	return nil
}

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
