package web

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

var errFakeNotFound = errors.New("fake: not found")

// fakeStore is an in-memory Store for tests.
type fakeStore struct {
	mu       sync.Mutex
	feeds    map[int64]news.Feed
	articles []news.Article            // in insertion order
	history  []news.Article            // counted by FeedDaily only
	revs     map[int64][]news.Revision // article id → its earlier versions
	nextFeed int64
}

// addHistory records an article that only the per-day counts see.
func (f *fakeStore) addHistory(a news.Article) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.history = append(f.history, a)
}

func newFakeStore() *fakeStore { return &fakeStore{feeds: map[int64]news.Feed{}} }

func (f *fakeStore) Feeds(context.Context) ([]news.Feed, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]news.Feed, 0, len(f.feeds))
	for _, fd := range f.feeds {
		out = append(out, fd)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (f *fakeStore) UpsertFeed(_ context.Context, fd news.Feed) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for id, old := range f.feeds {
		if old.URL == fd.URL {
			fd.ID = id
			f.feeds[id] = fd
			return id, nil
		}
	}
	f.nextFeed++
	fd.ID = f.nextFeed
	f.feeds[fd.ID] = fd
	return fd.ID, nil
}

func (f *fakeStore) RemoveFeed(_ context.Context, id int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.feeds[id]; !ok {
		return fmt.Errorf("feed %d: %w", id, errFakeNotFound)
	}
	delete(f.feeds, id)
	return nil
}

func (f *fakeStore) FeedDaily(_ context.Context, days int, now time.Time) (map[int64][]int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[int64][]int{}
	day0 := now.UTC().Truncate(24*time.Hour).AddDate(0, 0, -(days - 1))
	for _, a := range append(f.history[:len(f.history):len(f.history)], f.articles...) {
		i := int(a.Published.Sub(day0) / (24 * time.Hour))
		if a.Published.Before(day0) || i >= days {
			continue
		}
		if out[a.FeedID] == nil {
			out[a.FeedID] = make([]int, days)
		}
		out[a.FeedID][i]++
	}
	return out, nil
}

// add stores an article; DuplicateOf 0 starts a story with the article's id.
func (f *fakeStore) add(a news.Article) news.Article {
	f.mu.Lock()
	defer f.mu.Unlock()
	a.ID = int64(len(f.articles) + 1)
	if a.Seen.IsZero() {
		a.Seen = a.Fetched // first sight, as the store keeps it
	}
	a.Revisions = 1
	if fd, ok := f.feeds[a.FeedID]; ok && a.Outlet == "" {
		a.Outlet = fd.Name
	}
	if a.DuplicateOf == 0 {
		a.StoryID = a.ID
	} else {
		a.StoryID = f.articles[a.DuplicateOf-1].StoryID
	}
	f.articles = append(f.articles, a)
	return a
}

func (f *fakeStore) hasTag(a news.Article, tag string) bool {
	return tag == "" || hasTag(f.feeds[a.FeedID].Tags, tag)
}

func matches(a news.Article, search string) bool {
	s := strings.ToLower(search)
	return s == "" || strings.Contains(strings.ToLower(a.Title), s) || strings.Contains(strings.ToLower(a.Text), s)
}

// stories groups the articles; the lock is held.
func (f *fakeStore) stories() map[int64]*news.Story {
	out := map[int64]*news.Story{}
	for _, a := range f.articles {
		st := out[a.StoryID]
		if st == nil {
			st = &news.Story{ID: a.StoryID, Title: a.Title, Lang: a.Lang, Origin: a.Origin, Representative: a.ID,
				FirstOutlet: a.Outlet, FirstSeen: a.Published}
			out[a.StoryID] = st
		}
		st.Articles++
		st.Outlets = append(st.Outlets, a.Outlet)
		st.LastSeen = a.Published
		st.Members = append(st.Members, a)
	}
	return out
}

func (f *fakeStore) Stories(_ context.Context, q news.StoryQuery) ([]news.Story, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []news.Story
	for _, st := range f.stories() {
		ok := (q.Lang == "" || st.Lang == q.Lang) && !st.FirstSeen.Before(q.Since)
		tagOK, searchOK := q.Tag == "", q.Search == ""
		for _, m := range st.Members {
			tagOK = tagOK || f.hasTag(m, q.Tag)
			searchOK = searchOK || matches(m, q.Search)
		}
		if ok && tagOK && searchOK {
			s := *st
			s.Members = nil
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].FirstSeen.After(out[j].FirstSeen) })
	return page1(out, q.Offset, q.Limit), nil
}

func page1[T any](s []T, offset, limit int) []T {
	if offset >= len(s) {
		return nil
	}
	s = s[offset:]
	if limit > 0 && limit < len(s) {
		s = s[:limit]
	}
	return s
}

func (f *fakeStore) Story(_ context.Context, id int64) (news.Story, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	st, ok := f.stories()[id]
	if !ok {
		return news.Story{}, fmt.Errorf("story %d: %w", id, errFakeNotFound)
	}
	return *st, nil
}

func (f *fakeStore) Articles(_ context.Context, q news.ArticleQuery) ([]news.Article, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []news.Article
	for i := len(f.articles) - 1; i >= 0; i-- {
		a := f.articles[i]
		if (q.FeedID == 0 || a.FeedID == q.FeedID) && (q.Lang == "" || a.Lang == q.Lang) && f.hasTag(a, q.Tag) &&
			matches(a, q.Search) && !a.Published.Before(q.Since) {
			out = append(out, a)
		}
	}
	return page1(out, q.Offset, q.Limit), nil
}

func (f *fakeStore) Article(_ context.Context, id int64) (news.Article, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if id < 1 || id > int64(len(f.articles)) {
		return news.Article{}, fmt.Errorf("article %d: %w", id, errFakeNotFound)
	}
	return f.articles[id-1], nil
}

func (f *fakeStore) ArticleRevisions(_ context.Context, id int64) ([]news.Revision, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if id < 1 || id > int64(len(f.articles)) {
		return nil, fmt.Errorf("revisions of article %d: %w", id, errFakeNotFound)
	}
	a := f.articles[id-1]
	at := a.Updated
	if at.IsZero() {
		at = a.Seen
	}
	cur := news.Revision{ArticleID: id, Rev: a.Revisions, Seen: at, Title: a.Title, Text: a.Text, ContentHash: a.ContentHash}
	return append(append([]news.Revision(nil), f.revs[id]...), cur), nil
}

func (f *fakeStore) StoryStats(_ context.Context, ids []int64) (map[int64]news.StoryStats, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	want := map[int64]bool{}
	for _, id := range ids {
		want[id] = true
	}
	out := map[int64]news.StoryStats{}
	for _, a := range f.articles {
		if !want[a.StoryID] {
			continue
		}
		s, seen := out[a.StoryID]
		if !seen || a.Published.Before(s.FirstPublished) {
			s.FirstPublished = a.Published
		}
		if a.Published.After(s.LastPublished) {
			s.LastPublished = a.Published
		}
		if a.Revisions > 1 {
			s.Revised++
			s.Versions += a.Revisions - 1
			if a.Updated.After(s.Updated) {
				s.Updated = a.Updated
			}
		}
		out[a.StoryID] = s
	}
	return out, nil
}

// revise stores a new version of article id seen at at: the current one
// is kept as a revision, as the store does.
func (f *fakeStore) revise(id int64, at time.Time, title, text string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	a := &f.articles[id-1]
	seen := a.Updated
	if seen.IsZero() {
		seen = a.Seen
	}
	if f.revs == nil {
		f.revs = map[int64][]news.Revision{}
	}
	f.revs[id] = append(f.revs[id], news.Revision{ArticleID: id, Rev: a.Revisions, Seen: seen, Title: a.Title,
		Text: a.Text, ContentHash: a.ContentHash})
	a.Title, a.Text, a.Updated = title, text, at
	a.Revisions++
	a.ContentHash = fmt.Sprintf("rev%d-%d", id, a.Revisions)
}

// testNow is the fixed clock of the tests.
var testNow = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// demoStore fills a fake store with a small Arabic and English newsroom.
func demoStore() *fakeStore {
	f := newFakeStore()
	fill(func(fd news.Feed) int64 { id, _ := f.UpsertFeed(context.Background(), fd); return id }, f.add)
	revise(f)
	return f
}
