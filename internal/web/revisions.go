package web

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/wiredesk/wiredesk/internal/export"
	"github.com/wiredesk/wiredesk/news"
)

// updates is the list note of a revised article: "updated 3×, last
// +2h05m" (three versions after the first, the latest seen that long after
// the first); empty when the article never changed.
func updates(a news.Article) string { return updatedNote(a.Revisions-1, a.Seen, a.Updated) }

// storyUpdates is the list note of a story whose members were revised:
// versions gained, the latest that long after the story was first seen.
func storyUpdates(st news.Story, s news.StoryStats) string {
	return updatedNote(s.Versions, st.FirstSeen, s.Updated)
}

// updatedNote is "updated n×, last +lag" for n later versions, the latest
// seen at last, lag counted from first; empty for none.
func updatedNote(n int, first, last time.Time) string {
	if n < 1 {
		return ""
	}
	s := fmt.Sprintf("updated %d×", n)
	if !first.IsZero() && !last.IsZero() {
		s += ", last " + export.Lag(last.Sub(first))
	}
	return s
}

// versionRow is one version of an article in its versions table.
type versionRow struct {
	news.Revision
	After    time.Duration // since the first version was seen
	Words    int
	Selected bool
}

// articleView is an article's page: its versions and the word diff of
// the selected one against the one before it.
type articleView struct {
	base
	Article   news.Article
	Versions  []versionRow
	Sel       news.Revision
	Prev      *news.Revision // the version before Sel; nil for the first
	TitleDiff []diffPara     // when the title changed
	Body      []diffPara
	Ins, Del  int
}

func (s *Server) handleArticle(w http.ResponseWriter, r *http.Request, sess string) {
	id, err := pathID(r)
	if err != nil {
		s.pageError(w, r, http.StatusBadRequest, err.Error())
		return
	}
	what := fmt.Sprintf("article %d", id)
	a, err := s.st.Article(r.Context(), id)
	if err != nil {
		s.pageStoreError(w, r, what, err)
		return
	}
	revs, err := s.st.ArticleRevisions(r.Context(), id)
	if err != nil {
		s.pageStoreError(w, r, what, err)
		return
	}
	if len(revs) == 0 { // a store that keeps no versions: the article is one
		revs = []news.Revision{{ArticleID: a.ID, Rev: 1, Seen: a.Seen, Title: a.Title, Text: a.Text, ContentHash: a.ContentHash}}
	}
	sel := len(revs) - 1
	if v := r.URL.Query().Get("v"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > len(revs) {
			s.pageError(w, r, http.StatusBadRequest, fmt.Sprintf("version %q: want 1 to %d", v, len(revs)))
			return
		}
		sel = n - 1
	}
	v := articleView{base: s.base("article", sess), Article: a, Sel: revs[sel]}
	v.base.Nav = "index"
	for i, rv := range revs {
		v.Versions = append(v.Versions, versionRow{Revision: rv, After: rv.Seen.Sub(revs[0].Seen),
			Words: wordCount(rv.Text), Selected: i == sel})
	}
	old := v.Sel
	if sel > 0 {
		p := revs[sel-1]
		v.Prev, old = &p, p
	}
	body := wordDiff(old.Text, v.Sel.Text)
	v.Body = renderDiff(body)
	v.Ins, v.Del = diffCounts(body)
	if old.Title != v.Sel.Title {
		v.TitleDiff = renderDiff(wordDiff(old.Title, v.Sel.Title))
	}
	s.render(w, r, http.StatusOK, "article", v)
}

// wordCount is how many words text has.
func wordCount(text string) int {
	n := 0
	for _, p := range diffParagraphs(text) {
		n += len(p)
	}
	return n
}

// timelineEvent is one line of a story's timeline: a copy first seen, or
// a later version of one of its articles.
type timelineEvent struct {
	At      time.Time
	After   time.Duration // since the story's first event
	Article int64
	Outlet  string
	Title   string
	Lang    string
	Rev     int // 0 for a copy's first sight
	IsRep   bool
}

// timeline lists the story's copies by first sight and every later
// version of its revised members, in time order.
func (s *Server) timeline(r *http.Request, st news.Story) ([]timelineEvent, error) {
	var ev []timelineEvent
	for _, m := range st.Members {
		at := m.Seen
		if at.IsZero() {
			at = m.Published
		}
		ev = append(ev, timelineEvent{At: at, Article: m.ID, Outlet: m.Outlet, Title: m.Title, Lang: m.Lang,
			IsRep: m.ID == st.Representative})
		if m.Revisions < 2 {
			continue
		}
		revs, err := s.st.ArticleRevisions(r.Context(), m.ID)
		if err != nil {
			return nil, fmt.Errorf("revisions of article %d: %w", m.ID, err)
		}
		if len(revs) > 0 {
			ev[len(ev)-1].Title = revs[0].Title // the copy as it was first seen
		}
		for _, rv := range revs {
			if rv.Rev > 1 {
				ev = append(ev, timelineEvent{At: rv.Seen, Article: m.ID, Outlet: m.Outlet, Title: rv.Title,
					Lang: m.Lang, Rev: rv.Rev, IsRep: m.ID == st.Representative})
			}
		}
	}
	sort.SliceStable(ev, func(i, j int) bool {
		if !ev[i].At.Equal(ev[j].At) {
			return ev[i].At.Before(ev[j].At)
		}
		if ev[i].Article != ev[j].Article {
			return ev[i].Article < ev[j].Article
		}
		return ev[i].Rev < ev[j].Rev
	})
	for i := range ev {
		ev[i].After = ev[i].At.Sub(ev[0].At)
	}
	return ev, nil
}
