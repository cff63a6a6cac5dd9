package web

// The JSON API. Every response is application/json; errors are
// {"error": "message"} with status 400 (bad parameter), 401 (token set and
// no "Authorization: Bearer <token>" nor dashboard session), 404 or 500.
//
//	GET /api/feeds[?tag=T]           {"items": [feed...], "days": 14}
//	GET /api/stories[?filters]       {"items": [story...], "limit", "offset", "next"}
//	GET /api/stories/{id}            story with "members": [article...]
//	GET /api/articles[?filters&feed=ID]  {"items": [article...], "limit", "offset", "next"}
//	GET /api/articles/{id}           article (with "revisions" and "updated")
//	GET /api/articles/{id}/revisions {"items": [revision...]}, oldest first
//
// filters: limit (1..500, default 50), offset (default 0), lang, tag (feed
// tag of any member), q (words in title or text), since (RFC 3339,
// YYYY-MM-DD, or a duration back from now such as 24h). "next" is the URL
// of the following page, absent on the last one. Feeds carry the
// news.Feed fields plus "items_per_day" (oldest day first); stories and
// articles are news.Story and news.Article as JSON.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wiredesk/wiredesk/internal/export"
	"github.com/wiredesk/wiredesk/news"
)

const (
	defaultLimit = 50
	maxLimit     = 500
	maxOffset    = 10_000_000
)

// listParams are the common filters and pagination of list endpoints.
type listParams struct {
	Lang, Tag, Search string
	Since             time.Time
	FeedID            int64
	Limit, Offset     int
}

// parseList reads limit, offset, lang, tag, q, since and feed from the
// query. since is RFC 3339, a date (2006-01-02) or a duration back from
// now ("24h").
func (s *Server) parseList(q url.Values) (listParams, error) {
	p := listParams{Lang: strings.TrimSpace(q.Get("lang")), Tag: strings.TrimSpace(q.Get("tag")),
		Search: strings.TrimSpace(q.Get("q")), Limit: defaultLimit}
	var err error
	if v := q.Get("limit"); v != "" {
		if p.Limit, err = strconv.Atoi(v); err != nil || p.Limit < 1 || p.Limit > maxLimit {
			return p, fmt.Errorf("limit %q: want an integer from 1 to %d", v, maxLimit)
		}
	}
	if v := q.Get("offset"); v != "" {
		if p.Offset, err = strconv.Atoi(v); err != nil || p.Offset < 0 || p.Offset > maxOffset {
			return p, fmt.Errorf("offset %q: want an integer from 0 to %d", v, maxOffset)
		}
	}
	if v := q.Get("feed"); v != "" {
		if p.FeedID, err = strconv.ParseInt(v, 10, 64); err != nil || p.FeedID < 1 {
			return p, fmt.Errorf("feed %q: want a feed id", v)
		}
	}
	if v := strings.TrimSpace(q.Get("since")); v != "" {
		if p.Since, err = parseSince(v, s.opt.Now()); err != nil {
			return p, err
		}
	}
	return p, nil
}

func parseSince(v string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02", v); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(v); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("since %q: want RFC 3339, YYYY-MM-DD or a duration like 24h", v)
}

func (p listParams) storyQuery() news.StoryQuery {
	return news.StoryQuery{Lang: p.Lang, Tag: p.Tag, Search: p.Search, Since: p.Since, Limit: p.Limit + 1, Offset: p.Offset}
}

func (p listParams) articleQuery() news.ArticleQuery {
	return news.ArticleQuery{FeedID: p.FeedID, Lang: p.Lang, Tag: p.Tag, Search: p.Search, Since: p.Since,
		Limit: p.Limit + 1, Offset: p.Offset}
}

// page is a list response: the items, the paging used, and the URL of the
// next page when there is one.
type page[T any] struct {
	Items  []T    `json:"items"`
	Limit  int    `json:"limit"`
	Offset int    `json:"offset"`
	Next   string `json:"next,omitempty"`
}

// newPage trims the one extra item fetched to learn whether more follow.
func newPage[T any](r *http.Request, items []T, p listParams) page[T] {
	pg := page[T]{Items: items, Limit: p.Limit, Offset: p.Offset}
	if pg.Items == nil {
		pg.Items = []T{}
	}
	if len(items) > p.Limit {
		pg.Items = items[:p.Limit]
		q := r.URL.Query()
		q.Set("offset", strconv.Itoa(p.Offset+p.Limit))
		q.Set("limit", strconv.Itoa(p.Limit))
		pg.Next = r.URL.Path + "?" + q.Encode()
	}
	return pg
}

// writeJSON encodes v into a buffer first, so that the response carries
// its Content-Length and goes out in one write instead of in chunks.
func writeJSON(w http.ResponseWriter, status int, v any) {
	buf := jsonBufs.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooledJSON {
			buf.Reset()
			jsonBufs.Put(buf)
		}
	}()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false) // served as application/json with nosniff, never inlined in HTML
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	if err := enc.Encode(v); err != nil {
		// Only a value that cannot be JSON (a bug) gets here.
		buf.Reset()
		status = http.StatusInternalServerError
		buf.WriteString(`{"error":"encoding the response failed"}` + "\n")
	}
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // the client went away; nothing to do
}

// jsonBufs recycles response buffers; maxPooledJSON keeps an occasional
// huge response from staying in the pool.
var jsonBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledJSON = 1 << 20

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// storeError maps a store error to a JSON error.
func (s *Server) storeError(w http.ResponseWriter, r *http.Request, what string, err error) {
	if s.opt.IsNotFound(err) {
		writeError(w, http.StatusNotFound, what+" not found")
		return
	}
	if r.Context().Err() != nil {
		return
	}
	s.log.Error("store query", "path", r.URL.Path, "err", err)
	writeError(w, http.StatusInternalServerError, "store error reading "+what)
}

// apiFeed is a feed with its items per day, oldest day first.
type apiFeed struct {
	news.Feed
	Daily []int `json:"items_per_day"`
}

func (s *Server) apiFeeds(w http.ResponseWriter, r *http.Request) {
	feeds, daily, err := s.feedsWithDaily(r)
	if err != nil {
		s.storeError(w, r, "feeds", err)
		return
	}
	tag := r.URL.Query().Get("tag")
	out := make([]apiFeed, 0, len(feeds))
	for _, f := range feeds {
		if tag == "" || hasTag(f.Tags, tag) {
			out = append(out, apiFeed{Feed: f, Daily: daily[f.ID]})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": out, "days": s.opt.SparkDays})
}

func (s *Server) apiStories(w http.ResponseWriter, r *http.Request) {
	p, err := s.parseList(r.URL.Query())
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	list, err := s.st.Stories(r.Context(), p.storyQuery())
	if err != nil {
		s.storeError(w, r, "stories", err)
		return
	}
	for i := range list {
		safeImages(list[i].Members)
	}
	writeJSON(w, http.StatusOK, newPage(r, list, p))
}

func (s *Server) apiStory(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	st, err := s.st.Story(r.Context(), id)
	if err != nil {
		s.storeError(w, r, fmt.Sprintf("story %d", id), err)
		return
	}
	safeImages(st.Members)
	writeJSON(w, http.StatusOK, st)
}

func (s *Server) apiArticles(w http.ResponseWriter, r *http.Request) {
	p, err := s.parseList(r.URL.Query())
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	list, err := s.st.Articles(r.Context(), p.articleQuery())
	if err != nil {
		s.storeError(w, r, "articles", err)
		return
	}
	safeImages(list)
	writeJSON(w, http.StatusOK, newPage(r, list, p))
}

func (s *Server) apiArticle(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	a, err := s.st.Article(r.Context(), id)
	if err != nil {
		s.storeError(w, r, fmt.Sprintf("article %d", id), err)
		return
	}
	a.Image = export.SafeURL(a.Image)
	writeJSON(w, http.StatusOK, a)
}

// safeImages keeps only http(s) image URLs: the store holds them as the
// page gave them, and an API client may put them in an <img src>.
func safeImages(list []news.Article) {
	for i := range list {
		list[i].Image = export.SafeURL(list[i].Image)
	}
}

// apiRevisions lists every version of an article, oldest first, the
// current one last; 404 for an unknown article.
func (s *Server) apiRevisions(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	revs, err := s.st.ArticleRevisions(r.Context(), id)
	if err != nil {
		s.storeError(w, r, fmt.Sprintf("article %d", id), err)
		return
	}
	if revs == nil {
		revs = []news.Revision{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": revs})
}

// pathID is the {id} path value as a positive integer.
func pathID(r *http.Request) (int64, error) {
	v := r.PathValue("id")
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 1 {
		return 0, fmt.Errorf("id %q: want a positive integer", v)
	}
	return id, nil
}

func hasTag(tags []string, tag string) bool {
	for _, t := range tags {
		if strings.EqualFold(t, tag) {
			return true
		}
	}
	return false
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if allow := s.allowed(r); allow != "" {
		w.Header().Set("Allow", allow)
		if strings.HasPrefix(r.URL.Path, "/api/") || isFeedPath(r.URL.Path) {
			writeError(w, http.StatusMethodNotAllowed, r.Method+" not allowed on "+r.URL.Path+"; allowed: "+allow)
			return
		}
		s.pageError(w, r, http.StatusMethodNotAllowed, r.Method+" is not allowed here")
		return
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeError(w, http.StatusNotFound, "no such endpoint: "+r.URL.Path)
		return
	}
	s.pageError(w, r, http.StatusNotFound, "page not found")
}

// allowed lists the methods with a route for r's path other than the
// catch-all (which would otherwise turn a wrong method into a 404): a
// wrong method gets 405 with Allow. "" when no method has one.
func (s *Server) allowed(r *http.Request) string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := &http.Request{Method: m, URL: r.URL, Host: r.Host, Header: http.Header{}}
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/" {
			out = append(out, m)
		}
	}
	if len(out) > 0 {
		out = append(out, http.MethodOptions)
	}
	return strings.Join(out, ", ")
}

func isFeedPath(p string) bool {
	return p == "/feed.xml" || p == "/feed.atom" || p == "/feed.json" || p == "/metrics"
}
