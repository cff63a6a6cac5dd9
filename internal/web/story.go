package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/wiredesk/wiredesk/internal/export"
	"github.com/wiredesk/wiredesk/news"
)

// memberRow is one copy of a story in the detail table.
type memberRow struct {
	news.Article
	Lag       time.Duration
	IsRep     bool
	Selected  bool
	MatchedID int64
	Matched   string // outlet and title of the article it matched
}

type storyView struct {
	base
	Story    news.Story
	Rep      news.Article
	Members  []memberRow
	Copy     *news.Article
	Cmp      comparison
	Timeline []timelineEvent
}

func (s *Server) handleStory(w http.ResponseWriter, r *http.Request, sess string) {
	id, err := pathID(r)
	if err != nil {
		s.pageError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	st, err := s.st.Story(r.Context(), id)
	if err != nil {
		s.pageStoreError(w, r, fmt.Sprintf("story %d", id), err)
		return
	}
	v := storyView{base: s.base("story", sess), Story: st}
	v.base.Nav = "index"
	copyID, _ := strconv.ParseInt(r.URL.Query().Get("copy"), 10, 64)
	v.Members, v.Rep, v.Copy = memberRows(st, copyID)
	arts := []*news.Article{&v.Rep}
	if v.Copy != nil {
		arts = append(arts, v.Copy)
	}
	if err := s.fillTexts(r, arts...); err != nil {
		s.pageStoreError(w, r, fmt.Sprintf("story %d", id), err)
		return
	}
	if v.Timeline, err = s.timeline(r, st); err != nil {
		s.pageStoreError(w, r, fmt.Sprintf("story %d", id), err)
		return
	}
	if v.Copy != nil {
		v.Cmp = s.compare(v.Rep.Text, v.Copy.Text)
	} else {
		v.Cmp = s.compare(v.Rep.Text, "")
	}
	s.render(w, r, http.StatusOK, "story", v)
}

// memberRows orders the members by publication, works out each one's
// publishing lag and match, and picks the representative and the copy to
// compare (copyID, else the first other member).
func memberRows(st news.Story, copyID int64) ([]memberRow, news.Article, *news.Article) {
	byID := map[int64]news.Article{}
	for _, m := range st.Members {
		byID[m.ID] = m
	}
	rep, _ := st.RepresentativeArticle()
	if c, ok := byID[copyID]; !ok || c.ID == rep.ID {
		copyID = 0 // unknown or the representative: the first other member
		for _, m := range st.Members {
			if m.ID != rep.ID {
				copyID = m.ID
				break
			}
		}
	}
	first := export.FirstPublished(st.Members) // a publishing lag, not when wiredesk saw the copies
	var rows []memberRow
	var cp *news.Article
	for _, m := range st.Members {
		row := memberRow{Article: m, IsRep: m.ID == rep.ID, MatchedID: m.DuplicateOf, Selected: m.ID == copyID}
		if !first.IsZero() && !m.Published.IsZero() {
			row.Lag = m.Published.Sub(first)
		}
		if o, ok := byID[m.DuplicateOf]; ok {
			row.Matched = o.Outlet + ": " + o.Title
		}
		if row.Selected {
			c := m
			cp = &c
		}
		rows = append(rows, row)
	}
	return rows, rep, cp
}

// fillTexts loads the full texts when the story query left them out.
func (s *Server) fillTexts(r *http.Request, arts ...*news.Article) error {
	for _, a := range arts {
		if a.Text != "" || a.ID == 0 {
			continue
		}
		full, err := s.st.Article(r.Context(), a.ID)
		if err != nil {
			return fmt.Errorf("article %d: %w", a.ID, err)
		}
		a.Text = full.Text
	}
	return nil
}

// feedStories is the number of stories in /feed.*.
const feedStories = 50

// feedHandler serves the deduplicated stream as RSS, Atom or JSON Feed.
func (s *Server) feedHandler(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := s.parseList(r.URL.Query())
		if err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		q := p.storyQuery()
		q.Limit, q.Offset = min(p.Limit, feedStories), 0
		list, err := s.st.Stories(r.Context(), q)
		if err != nil {
			s.storeError(w, r, "stories", err)
			return
		}
		for i := range list {
			full, err := s.st.Story(r.Context(), list[i].ID)
			if err != nil {
				s.storeError(w, r, fmt.Sprintf("story %d", list[i].ID), err)
				return
			}
			list[i] = full
		}
		s.writeFeed(w, r, format, list)
	}
}

func (s *Server) baseURL(r *http.Request) string {
	if s.opt.BaseURL != "" {
		return s.opt.BaseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Server) writeFeed(w http.ResponseWriter, r *http.Request, format string, list []news.Story) {
	base := s.baseURL(r)
	// Updated stays zero (the newest story's time): the same stories give
	// the same bytes, so the ETag holds until a story changes.
	ch := export.Channel{Title: s.opt.Title + " stories", Link: base + "/",
		Description: "One entry per story; syndicated copies folded together",
		FeedURL:     base + withoutKey(r.URL)}
	write, ctype := export.WriteRSS, "application/rss+xml; charset=utf-8"
	switch format {
	case "atom":
		write, ctype = export.WriteAtom, "application/atom+xml; charset=utf-8"
	case "json":
		write, ctype = export.WriteJSONFeed, "application/feed+json; charset=utf-8"
	}
	w.Header().Set("Content-Type", ctype)
	if u := export.Updated(list); !u.IsZero() {
		w.Header().Set("Last-Modified", u.UTC().Format(http.TimeFormat))
	}
	if err := write(w, ch, list); err != nil && r.Context().Err() == nil {
		s.log.Warn("write feed", "format", format, "err", err)
	}
}
