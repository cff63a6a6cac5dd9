package poll

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/wiredesk/wiredesk/internal/metrics"
	"github.com/wiredesk/wiredesk/news"
	"github.com/wiredesk/wiredesk/scraper"
	"github.com/wiredesk/wiredesk/store"
)

// fakeStore is a Store in memory for one worker: it leases its feeds once,
// knows no items, and stores what the batches save.
type fakeStore struct {
	mu       sync.Mutex
	feeds    []news.Feed
	leased   bool
	saved    []news.Article // by the batches, in order
	assigned []store.Assignment
	states   []news.Feed
	nextID   int64
}

func (s *fakeStore) LeaseFrontier(_ context.Context, _ store.LeaseSpec) (store.Leased, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.leased {
		return store.Leased{}, nil
	}
	s.leased = true
	l := store.Leased{Feeds: s.feeds, Share: 1}
	for _, f := range s.feeds {
		l.Hosts = append(l.Hosts, store.HostLease{Host: f.Host})
	}
	return l, nil
}

func (s *fakeStore) ReleaseHosts(context.Context, string, []store.HostLease) error { return nil }
func (s *fakeStore) HandOver(context.Context, string, store.HostLease, []int64) error {
	return nil
}
func (s *fakeStore) ReleaseLeases(context.Context, string) (int, error)         { return 0, nil }
func (s *fakeStore) DeferFeed(context.Context, int64, string, time.Time) error  { return nil }
func (s *fakeStore) ReleaseLease(context.Context, int64, string) error          { return nil }
func (s *fakeStore) DueCount(context.Context, time.Time) (int, error)           { return len(s.feeds), nil }
func (s *fakeStore) Tail(context.Context, int64, int) ([]store.Appended, error) { return nil, nil }
func (s *fakeStore) SketchBytes(context.Context, time.Time) (int, int64, error) { return 0, 0, nil }
func (s *fakeStore) Article(context.Context, int64) (news.Article, error) {
	return news.Article{}, store.ErrNotFound
}
func (s *fakeStore) MergeStoriesOf(context.Context, int64, int64, float64, string) (bool, error) {
	return false, nil
}

func (s *fakeStore) WalkSketches(context.Context, time.Time, func(*store.Sketched) error) (int64, error) {
	return 0, nil
}

func (s *fakeStore) SaveFeedState(_ context.Context, f news.Feed, _ string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.states = append(s.states, f)
	return nil
}

func (s *fakeStore) KnownItems(_ context.Context, _ int64, keys []store.ItemKey) ([]store.Known, error) {
	return make([]store.Known, len(keys)), nil
}

func (s *fakeStore) Ingest(_ context.Context, fn func(b Batch) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := &fakeBatch{s: s}
	return fn(b)
}

// fakeBatch saves into its store at once (the fake has no rollback: the
// test's batches do not fail).
type fakeBatch struct {
	s   *fakeStore
	pos []int64
}

func (b *fakeBatch) Expect(int64, []store.ItemKey) error { return nil }

func (b *fakeBatch) SaveArticle(a *news.Article, as store.Assignment) error {
	b.s.nextID++
	a.ID, a.StoryID = b.s.nextID, b.s.nextID
	for _, o := range b.s.saved {
		if o.ID == as.DuplicateOf {
			a.StoryID = o.StoryID
		}
	}
	a.DuplicateOf, a.Score, a.Reason, a.Origin = as.DuplicateOf, as.Score, as.Reason, as.Origin
	b.s.saved = append(b.s.saved, *a)
	b.s.assigned = append(b.s.assigned, as)
	b.pos = append(b.pos, a.ID)
	return nil
}

func (b *fakeBatch) ReviseArticle(store.Revise, func(news.Article) (float64, string, bool)) (news.Article, bool, error) {
	return news.Article{}, false, store.ErrNotFound
}

func (b *fakeBatch) SetItemHash(int64, string) error { return nil }

func (b *fakeBatch) SaveFeedState(f news.Feed, _ string) error {
	b.s.states = append(b.s.states, f)
	return nil
}

func (b *fakeBatch) Positions() []int64 { return b.pos }

// fakeFetcher serves fixed feed documents by URL.
type fakeFetcher map[string]string

func (f fakeFetcher) Fetch(_ context.Context, req scraper.Request) (*scraper.Response, error) {
	body, ok := f[req.URL]
	if !ok {
		return nil, &scraper.HTTPError{URL: req.URL, StatusCode: 404}
	}
	return &scraper.Response{URL: req.URL, StatusCode: 200, ContentType: "application/rss+xml", Body: []byte(body)}, nil
}

func (f fakeFetcher) Allowed(context.Context, string) (bool, error) { return true, nil }

// TestPassWithFakeStore runs a pass with neither a database nor a network:
// a wire story, its copy by another outlet and an unrelated story come in
// one feed; the copy joins the wire story, matched by its content hash.
func TestPassWithFakeStore(t *testing.T) {
	texts := []string{
		strings.Repeat("Rescue teams searched collapsed buildings through the night after the earthquake struck the coastal province. ", 6),
		strings.Repeat("The central bank left its main interest rate unchanged and said inflation would ease slowly over the coming year. ", 6),
	}
	var items strings.Builder
	for i, txt := range []string{texts[0], texts[0], texts[1]} {
		fmt.Fprintf(&items, "<item><title>Story %d</title><link>http://wire.test/%d</link><guid>%d</guid><description>%s</description></item>", i, i, i, txt)
	}
	feed := news.Feed{ID: 1, URL: "http://wire.test/rss", Host: "wire.test", Name: "Wire"}
	fetcher := fakeFetcher{feed.URL: `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>` + items.String() + `</channel></rss>`}
	st := &fakeStore{feeds: []news.Feed{feed}}
	m := metrics.New()
	p := New(st, fetcher, Options{Concurrency: 2, Metrics: m})
	sum, err := p.Pass(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Feeds != 1 || sum.Articles != 3 || sum.Stories != 2 || sum.Duplicates != 1 || sum.Failed != 0 {
		t.Errorf("summary %+v, want 1 feed, 3 articles, 2 stories, 1 duplicate", sum)
	}
	if len(st.saved) != 3 {
		t.Fatalf("%d articles saved, want 3", len(st.saved))
	}
	if a, b := st.saved[0], st.saved[1]; b.DuplicateOf != a.ID || b.StoryID != a.StoryID || st.saved[2].StoryID == a.StoryID {
		t.Errorf("stories: %d %d %d (copy of %d), want the first two together", a.StoryID, b.StoryID, st.saved[2].StoryID, b.DuplicateOf)
	}
	var hash dto.Metric
	if err := m.Duplicates.WithLabelValues("hash").Write(&hash); err != nil || hash.GetCounter().GetValue() != 1 {
		t.Errorf("duplicates{reason=hash} = %v (%v), want 1", hash.GetCounter().GetValue(), err)
	}
	if n := len(st.states); n == 0 || st.states[n-1].ID != feed.ID || st.states[n-1].NextPoll.IsZero() {
		t.Errorf("feed states saved: %+v", st.states)
	}
}
