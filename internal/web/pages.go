package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// feedRow is a feed with its sparkline data and flags for the health table.
type feedRow struct {
	news.Feed
	Daily []int
	Sick  bool
}

// healthSummary counts feeds by state.
type healthSummary struct {
	Total, OK, Error, Failing, New, Stale, Gap int
	Deferred                                   int       // not fetched: their host held us off
	Sick                                       []feedRow // worst first
}

type storyRow struct {
	news.Story
	Spread  time.Duration // last copy's publishing lag behind the first
	Updated string        // "updated 3×, last +2h05m" when members were revised
}

type indexView struct {
	base
	Health     healthSummary
	Stories    []storyRow
	Prev, Next string
	Offset     int
}

func (s *Server) feedsWithDaily(r *http.Request) ([]news.Feed, map[int64][]int, error) {
	feeds, err := s.st.Feeds(r.Context())
	if err != nil {
		return nil, nil, err
	}
	daily, err := s.daily.get(r.Context(), s.st, s.opt.SparkDays, s.opt.Now())
	if err != nil {
		return nil, nil, err
	}
	return feeds, daily, nil
}

// dailyTTL is how long per-day item counts are fresh: they change slowly
// and the query scans every article of the last days.
const dailyTTL = time.Minute

// dailyCache holds the last FeedDaily answer. Once filled, an expired
// answer is still served while one background query refreshes it, so no
// page waits for the scan after the first. The maps it hands out are
// shared: callers only read them.
type dailyCache struct {
	mu         sync.Mutex
	at         time.Time // wall clock of the query
	day        time.Time // UTC day of now that the counts end with
	data       map[int64][]int
	refreshing bool
}

func (c *dailyCache) get(ctx context.Context, st FeedStore, days int, now time.Time) (map[int64][]int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	day := now.UTC().Truncate(24 * time.Hour)
	if c.data != nil && c.day.Equal(day) {
		if time.Since(c.at) > dailyTTL && !c.refreshing {
			c.refreshing = true
			go c.refresh(context.WithoutCancel(ctx), st, days, now, day)
		}
		return c.data, nil
	}
	data, err := st.FeedDaily(ctx, days, now)
	if err != nil {
		return nil, err
	}
	c.data, c.at, c.day = data, time.Now(), day
	return data, nil
}

// refresh replaces the counts in the background; on error the old ones
// stay and the next request tries again.
func (c *dailyCache) refresh(ctx context.Context, st FeedStore, days int, now, day time.Time) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	data, err := st.FeedDaily(ctx, days, now)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.refreshing = false
	if err == nil && c.day.Equal(day) {
		c.data, c.at = data, time.Now()
	}
}

func isSick(f news.Feed) bool {
	return f.Status == news.StatusError || f.Status == news.StatusFailing || f.Stale || f.Gap
}

func sickRank(f news.Feed) int {
	switch {
	case f.Status == news.StatusFailing:
		return 0
	case f.Status == news.StatusError:
		return 1
	case f.Stale:
		return 2
	}
	return 3
}

// feedRows builds the health table rows and summary.
func (s *Server) feedRows(feeds []news.Feed, daily map[int64][]int) ([]feedRow, healthSummary) {
	rows := make([]feedRow, len(feeds))
	var h healthSummary
	for i, f := range feeds {
		d := daily[f.ID]
		if len(d) == 0 {
			d = make([]int, s.opt.SparkDays)
		}
		rows[i] = feedRow{Feed: f, Daily: d, Sick: isSick(f)}
		h.Total++
		switch f.Status {
		case news.StatusOK:
			h.OK++
		case news.StatusError:
			h.Error++
		case news.StatusFailing:
			h.Failing++
		default:
			h.New++
		}
		if f.Stale {
			h.Stale++
		}
		if !f.DeferredUntil.IsZero() {
			h.Deferred++
		}
		if f.Gap {
			h.Gap++
		}
		if rows[i].Sick {
			h.Sick = append(h.Sick, rows[i])
		}
	}
	sort.SliceStable(h.Sick, func(i, j int) bool { return sickRank(h.Sick[i].Feed) < sickRank(h.Sick[j].Feed) })
	return rows, h
}

// filterBase fills the layout's search box and filter choices.
func (s *Server) filterBase(b *base, p listParams, feeds []news.Feed, stories []storyRow) {
	b.Query, b.Lang, b.Tag = p.Search, p.Lang, p.Tag
	tags := map[string]bool{}
	for _, f := range feeds {
		for _, t := range f.Tags {
			tags[t] = true
		}
	}
	langs := map[string]bool{"ar": true, "en": true}
	for _, st := range stories {
		if st.Lang != "" {
			langs[st.Lang] = true
		}
	}
	for _, v := range []struct {
		m   map[string]bool
		sel string
		out *[]string
	}{{tags, p.Tag, &b.Tags}, {langs, p.Lang, &b.Langs}} {
		if v.sel != "" {
			v.m[v.sel] = true
		}
		for k := range v.m {
			*v.out = append(*v.out, k)
		}
		sort.Strings(*v.out)
	}
}

func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request, sess string) {
	p, err := s.parseList(r.URL.Query())
	if err != nil {
		s.pageError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	feeds, daily, err := s.feedsWithDaily(r)
	if err != nil {
		s.pageStoreError(w, r, "feeds", err)
		return
	}
	list, err := s.st.Stories(r.Context(), p.storyQuery())
	if err != nil {
		s.pageStoreError(w, r, "stories", err)
		return
	}
	v := indexView{base: s.base("index", sess), Offset: p.Offset}
	_, v.Health = s.feedRows(feeds, daily)
	if len(list) > p.Limit {
		list = list[:p.Limit]
		v.Next = listURL("/", p, p.Offset+p.Limit)
	}
	if p.Offset > 0 {
		v.Prev = listURL("/", p, max(0, p.Offset-p.Limit))
	}
	ids := make([]int64, len(list))
	for i, st := range list {
		ids[i] = st.ID
	}
	stats, err := s.st.StoryStats(r.Context(), ids)
	if err != nil {
		s.pageStoreError(w, r, "stories", err)
		return
	}
	for _, st := range list {
		v.Stories = append(v.Stories, newStoryRow(st, stats[st.ID]))
	}
	s.filterBase(&v.base, p, feeds, v.Stories)
	s.render(w, r, http.StatusOK, "index", v)
}

// newStoryRow is a story in the list: how long after the first copy ran
// the last one did (by publication; by first sight when the copies carry no
// dates), and its revision note.
func newStoryRow(st news.Story, stats news.StoryStats) storyRow {
	row := storyRow{Story: st, Spread: st.LastSeen.Sub(st.FirstSeen), Updated: storyUpdates(st, stats)}
	if !stats.FirstPublished.IsZero() && !stats.LastPublished.IsZero() {
		row.Spread = stats.LastPublished.Sub(stats.FirstPublished)
	}
	return row
}

func (s *Server) pageStoreError(w http.ResponseWriter, r *http.Request, what string, err error) {
	if s.opt.IsNotFound(err) {
		s.pageError(w, r, http.StatusNotFound, what+" not found")
		return
	}
	if r.Context().Err() != nil {
		return
	}
	s.log.Error("store query", "path", r.URL.Path, "err", err)
	s.pageError(w, r, http.StatusInternalServerError, "store error reading "+what)
}

type feedsView struct {
	base
	Feeds   []feedRow
	Health  healthSummary
	Problem string
	Form    feedForm
	// Subscribe are the ready-to-paste feed URLs (with ?key= when
	// serve.feed_key is set).
	Subscribe  []string
	KeyedFeeds bool
}

type feedForm struct{ URL, Name, Tags string }

func (s *Server) handleFeeds(w http.ResponseWriter, r *http.Request, sess string) {
	s.renderFeeds(w, r, sess, http.StatusOK, "", feedForm{})
}

func (s *Server) renderFeeds(w http.ResponseWriter, r *http.Request, sess string, status int, problem string, form feedForm) {
	feeds, daily, err := s.feedsWithDaily(r)
	if err != nil {
		s.pageStoreError(w, r, "feeds", err)
		return
	}
	v := feedsView{base: s.base("feeds", sess), Problem: problem, Form: form, Subscribe: s.feedURLs(r),
		KeyedFeeds: s.opt.FeedKey != ""}
	v.Feeds, v.Health = s.feedRows(feeds, daily)
	s.filterBase(&v.base, listParams{}, feeds, nil)
	s.render(w, r, status, "feeds", v)
}

// checkFeedURL accepts absolute http and https URLs.
func checkFeedURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("feed url %q: want an absolute http or https URL", raw)
	}
	return u.String(), nil
}

func splitTags(s string) []string {
	var tags []string
	for _, t := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		if t = strings.TrimSpace(t); t != "" {
			tags = append(tags, t)
		}
	}
	return tags
}

func (s *Server) handleAddFeed(w http.ResponseWriter, r *http.Request, sess string) {
	form := feedForm{URL: r.PostFormValue("url"), Name: r.PostFormValue("name"), Tags: r.PostFormValue("tags")}
	u, err := checkFeedURL(form.URL)
	if err != nil {
		s.renderFeeds(w, r, sess, http.StatusBadRequest, err.Error(), form)
		return
	}
	f := news.Feed{URL: u, Name: strings.TrimSpace(form.Name), Tags: splitTags(form.Tags), Status: news.StatusNew,
		Created: s.opt.Now()}
	id, err := s.st.UpsertFeed(r.Context(), f)
	if err != nil {
		s.pageStoreError(w, r, "feeds", fmt.Errorf("add feed %s: %w", u, err))
		return
	}
	s.cache.clear()
	s.log.Info("feed added", "feed_id", id, "url", u)
	http.Redirect(w, r, "/feeds#feed-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

func (s *Server) handleRemoveFeed(w http.ResponseWriter, r *http.Request, _ string) {
	id, err := pathID(r)
	if err != nil {
		s.pageError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	if err := s.st.RemoveFeed(r.Context(), id); err != nil {
		s.pageStoreError(w, r, fmt.Sprintf("feed %d", id), err)
		return
	}
	s.cache.clear()
	s.log.Info("feed removed", "feed_id", id)
	http.Redirect(w, r, "/feeds", http.StatusSeeOther)
}
