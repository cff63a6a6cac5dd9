package poll

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/wiredesk/wiredesk/dedup"
	"github.com/wiredesk/wiredesk/news"
	"github.com/wiredesk/wiredesk/store"
)

// rebuild fills an empty index from the store; ingestMu is held. It reads
// each article's stored sketch, not its text: a run's start costs the
// inserts, not the normalizing and shingling of the whole window. An
// article stored without a sketch (before they were kept), or with one of
// another version, is fingerprinted from its text.
func (p *Poller) rebuild(ctx context.Context) error {
	if p.ready || p.loadSnapshot(ctx) {
		return nil
	}
	p.dirty, p.snapPos = true, -1
	start := time.Now()
	since := p.opt.Now().Add(-p.opt.Window)
	var (
		fp          dedup.Fingerprint
		n, fromText int
		stale       []int64
	)
	sketches, size, err := p.st.SketchBytes(ctx, since)
	if err != nil {
		return fmt.Errorf("rebuild dedup index: %w", err)
	}
	p.ix.Grow(dedup.SketchShingles(size, sketches))
	tail, err := p.st.WalkSketches(ctx, since, func(s *store.Sketched) error {
		n++
		d := dedup.Doc{ID: strconv.FormatInt(s.ID, 10), Outlet: s.Outlet, Title: s.Title, Published: s.Seen}
		r := dedup.Result{Cluster: storyKey(s.StoryID), Score: s.Score, Origin: s.Origin}
		if s.DuplicateOf != 0 {
			r.DuplicateOf = strconv.FormatInt(s.DuplicateOf, 10)
		}
		switch {
		case s.Sketch == nil:
			d.Text, d.URL = s.Text, s.URL
			fromText++
			p.ix.Insert(&d, r)
		case fp.UnmarshalBinary(s.Sketch) == nil:
			p.ix.InsertFingerprint(&d, &fp, r)
		default:
			stale = append(stale, s.ID)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("rebuild dedup index: %w", err)
	}
	// Sketches this build cannot read: from the texts, after the walk
	// (their stories are few and their order matters little).
	for _, id := range stale {
		a, err := p.st.Article(ctx, id)
		if err != nil {
			return fmt.Errorf("rebuild dedup index: %w", err)
		}
		p.remember(a)
	}
	p.tail, p.ready = tail, true
	p.log.Info("dedup index loaded", "articles", n, "from_text", fromText+len(stale),
		"duration_ms", time.Since(start).Milliseconds())
	return nil
}

// remember inserts a stored article into the index with its story.
func (p *Poller) remember(a news.Article) {
	d := docOf(&a, a.URL)
	d.ID = strconv.FormatInt(a.ID, 10)
	p.ix.Insert(&d, storedResult(a))
}

// storedResult is a stored article's story membership as the index takes
// it.
func storedResult(a news.Article) dedup.Result {
	r := dedup.Result{Cluster: storyKey(a.StoryID), Score: a.Score, Reason: a.Reason, Origin: a.Origin}
	if a.DuplicateOf != 0 {
		r.DuplicateOf = strconv.FormatInt(a.DuplicateOf, 10)
	}
	return r
}

// catchUp reads the articles stored since we last looked, oldest first. Our
// own are in the index already; another worker's is matched against the
// index first: when it matches an article of a different story, both
// workers started a story for the same text at the same moment, and the
// two stories are merged (insert-then-merge; see README, "Scale out").
// The store's append order makes articles visible in order, so the tail
// misses nothing (see store.Tail).
func (p *Poller) catchUp(ctx context.Context) error {
	for {
		arts, err := p.st.Tail(ctx, p.tail, 1000)
		if err != nil {
			return fmt.Errorf("read new articles: %w", err)
		}
		for _, a := range arts {
			p.tail = max(p.tail, a.Pos)
			if p.mine[a.Pos] {
				delete(p.mine, a.Pos)
				continue
			}
			if err := p.foldIn(ctx, a.Article); err != nil {
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
	r := p.ix.Query(&d) // without an ID: a match is never the article itself
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
	d.ID = strconv.FormatInt(a.ID, 10)
	p.ix.Insert(&d, storedResult(a)) // the features the query computed
	p.dirty = true
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

// job is one feed's outcome for the writer: its new articles and its
// state, committed together.
type job struct {
	state news.Feed
	arts  []*pending
	res   *feedResult // counts filled on success
	got   feedResult
	done  chan error
}

// maxGroup bounds the feeds committed in one transaction.
const maxGroup = 64

// write hands j to the writer and waits for its commit.
func (p *Poller) write(ctx context.Context, j *job) error {
	j.done = make(chan error, 1)
	select {
	case p.jobs <- j:
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-j.done
}

// writer commits jobs in groups: every feed that finished while the last
// transaction ran goes into the next one, so a pass over thousands of feeds
// commits hundreds of times, not thousands. Matching is serial, so stories
// do not depend on goroutine timing within a group.
func (p *Poller) writer(ctx context.Context, jobs <-chan *job) {
	for j := range jobs {
		group := []*job{j}
	more:
		for len(group) < maxGroup {
			select {
			case j, ok := <-jobs:
				if !ok {
					break more
				}
				group = append(group, j)
			default:
				break more
			}
		}
		err := p.commitGroup(ctx, group)
		if err != nil && len(group) > 1 && ctx.Err() == nil {
			// Find the bad one: the others commit on their own.
			for _, j := range group {
				j.done <- p.commitGroup(ctx, []*job{j})
			}
			continue
		}
		for _, j := range group {
			j.done <- err
		}
	}
}

// commitGroup matches the group's articles against the index and stores
// them with their stories and the feeds' states in one transaction. If the
// transaction fails, the index (which already holds the group) is dropped
// and rebuilt from the store before the next match.
func (p *Poller) commitGroup(ctx context.Context, group []*job) error {
	p.ingestMu.Lock()
	defer p.ingestMu.Unlock()
	// The index is rebuilt from the store when the first new article
	// needs it: a pass that only meets 304s never pays for it.
	if hasArticles(group) {
		if err := p.rebuild(ctx); err != nil {
			return err
		}
		if err := p.catchUp(ctx); err != nil {
			return err
		}
	}
	var batch *store.Batch
	err := p.st.Ingest(ctx, func(b *store.Batch) error {
		batch = b
		for _, j := range group {
			j.got = feedResult{}
			if err := expect(b, j); err != nil {
				return err
			}
			for _, pd := range j.arts {
				if pd == nil {
					continue
				}
				ingest := p.ingestOne
				if pd.revises != 0 {
					ingest = p.reviseOne
				}
				if err := ingest(b, pd, &j.got); err != nil {
					return err
				}
			}
			if err := b.SaveFeedState(j.state, p.opt.Owner); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		p.ix = dedup.NewIndex(p.opt.dedup())
		p.tail, p.ready, p.mine = 0, false, map[int64]bool{}
		return err
	}
	for _, pos := range batch.Positions() {
		p.mine[pos] = true
	}
	// While our positions come right after the tail, there is nothing of
	// anyone else's to read back.
	for p.mine[p.tail+1] {
		delete(p.mine, p.tail+1)
		p.tail++
	}
	for _, j := range group {
		j.res.articles, j.res.stories, j.res.duplicates = j.got.articles, j.got.stories, j.got.duplicates
		j.res.revisions = j.got.revisions
		j.res.storedMeanwhile = j.got.storedMeanwhile
		if n := j.got.storedMeanwhile; n > 0 {
			p.opt.Metrics.Entries.WithLabelValues("stored_meanwhile").Add(float64(n))
			p.log.Info("new items already stored from another feed", "feed_id", j.state.ID, "url", j.state.URL, "items", n)
		}
		p.opt.Metrics.Articles.Add(float64(j.got.articles))
		p.opt.Metrics.Revisions.Add(float64(j.got.revisions))
		p.opt.Metrics.Stories.Add(float64(j.got.stories))
		for reason, n := range j.got.reasons {
			p.opt.Metrics.Duplicates.WithLabelValues(reason).Add(float64(n))
		}
	}
	return nil
}

// expect tells the batch the new items of j it is about to save, so that
// their duplicate check is one query.
func expect(b *store.Batch, j *job) error {
	var keys []store.ItemKey
	for _, pd := range j.arts {
		if pd != nil && pd.revises == 0 {
			keys = append(keys, store.ItemKey{GUID: pd.a.GUID, CanonicalURL: pd.a.CanonicalURL})
		}
	}
	if len(keys) == 0 {
		return nil
	}
	return b.Expect(j.state.ID, keys)
}

// hasArticles reports whether the group has articles or revisions to
// match (a recorded item hash needs no index).
func hasArticles(group []*job) bool {
	for _, j := range group {
		for _, pd := range j.arts {
			if pd != nil && !pd.hashOnly {
				return true
			}
		}
	}
	return false
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
	r := p.ix.QueryFingerprint(&d, pd.fp)
	as := store.Assignment{Origin: r.Origin, Sketch: pd.sketch}
	if r.DuplicateOf != "" {
		id, err := strconv.ParseInt(r.DuplicateOf, 10, 64)
		if err != nil {
			return fmt.Errorf("dedup matched unknown id %q", r.DuplicateOf)
		}
		as.DuplicateOf, as.Score, as.Reason = id, r.Score, r.Reason
	}
	err := b.SaveArticle(pd.a, as)
	if errors.Is(err, store.ErrDuplicate) {
		// Stored meanwhile: another feed or worker stored its link first,
		// or the feed lists the same link twice.
		res.storedMeanwhile++
		return nil
	}
	if err != nil {
		return fmt.Errorf("store %s: %w", pd.a.URL, err)
	}
	d.ID = strconv.FormatInt(pd.a.ID, 10)
	r.Cluster = storyKey(pd.a.StoryID)
	p.ix.Insert(&d, r)
	p.dirty = true
	res.articles++
	if as.DuplicateOf == 0 {
		res.stories++
	} else {
		res.duplicates++
		if res.reasons == nil {
			res.reasons = map[string]int{}
		}
		res.reasons[reasonClass(as.Reason)]++
	}
	return nil
}

// reviseOne stores a changed page of a known article as its new version
// (when its title or text changed), re-scored against the article's story,
// and teaches the index the new text so that later copies of it match the
// story. The article keeps its id and story.
func (p *Poller) reviseOne(b *store.Batch, pd *pending, res *feedResult) error {
	if pd.hashOnly {
		return b.SetItemHash(pd.revises, pd.a.ItemHash)
	}
	d := docOf(pd.a, pd.dedupURL)
	d.ID = strconv.FormatInt(pd.revises, 10)
	var r dedup.Result
	rv := store.Revise{ArticleID: pd.revises, Title: pd.a.Title, Text: pd.a.Text, ContentHash: pd.a.ContentHash,
		ItemHash: pd.a.ItemHash, Seen: pd.a.Fetched, Sketch: pd.sketch}
	cur, revised, err := b.ReviseArticle(rv, func(cur news.Article) (float64, string, bool) {
		r, _ = p.ix.Rescore(&d, pd.fp, storyKey(cur.StoryID))
		// The first article of a story matched nothing; a story closed
		// in the index keeps the recorded match.
		return r.Score, r.Reason, cur.DuplicateOf != 0 && r.Cluster != ""
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil // deleted meanwhile
	}
	if err != nil || !revised {
		return err
	}
	r.Cluster, r.DuplicateOf = storyKey(cur.StoryID), ""
	if cur.DuplicateOf != 0 {
		r.DuplicateOf = strconv.FormatInt(cur.DuplicateOf, 10)
	} else {
		r.Score, r.Reason = 0, ""
	}
	p.ix.Insert(&d, r)
	p.dirty = true
	p.learned++
	res.revisions++
	p.log.Info("article revised", "article_id", cur.ID, "story_id", cur.StoryID, "revisions", cur.Revisions+1,
		"url", cur.URL, "score", r.Score, "reason", r.Reason)
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
