// Package web serves wiredesk's operations dashboard, its JSON API, the
// Prometheus /metrics endpoint and the republished story feeds. It reads
// the store through the narrow Store interface declared here.
package web

import (
	"context"
	"crypto/rand"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/microcosm-cc/bluemonday"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/wiredesk/wiredesk/internal/metrics"
	"github.com/wiredesk/wiredesk/news"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// FeedStore reads and edits the feed list.
type FeedStore interface {
	Feeds(ctx context.Context) ([]news.Feed, error)
	UpsertFeed(ctx context.Context, f news.Feed) (int64, error)
	RemoveFeed(ctx context.Context, id int64) error
	FeedDaily(ctx context.Context, days int, now time.Time) (map[int64][]int, error)
}

// StoryStore reads stories and articles.
type StoryStore interface {
	Stories(ctx context.Context, q news.StoryQuery) ([]news.Story, error)
	Story(ctx context.Context, id int64) (news.Story, error)
	Articles(ctx context.Context, q news.ArticleQuery) ([]news.Article, error)
	Article(ctx context.Context, id int64) (news.Article, error)
}

// RevisionStore reads the versions of revised articles and what a story
// list shows of its members.
type RevisionStore interface {
	// ArticleRevisions returns every version of an article, oldest
	// first, the current one last.
	ArticleRevisions(ctx context.Context, id int64) ([]news.Revision, error)
	// StoryStats sums up the members of the given stories: publication
	// span and revisions.
	StoryStats(ctx context.Context, ids []int64) (map[int64]news.StoryStats, error)
}

// Store is what the web server reads and edits.
type Store interface {
	FeedStore
	StoryStore
	RevisionStore
}

// Options configure a Server.
type Options struct {
	Token      string // serve.token; empty = open
	FeedKey    string // serve.feed_key: also opens the three feeds as ?key=
	BaseURL    string // for absolute links in feeds (default from request Host)
	Title      string // "wiredesk"
	Logger     *slog.Logger
	Metrics    *metrics.Metrics
	IsNotFound func(error) bool
	Now        func() time.Time
	// SparkDays is the number of days in the items-per-day sparklines (14).
	SparkDays int
	// CacheTTL is how long identical API and feed GETs share a response
	// (default 1s; negative disables the cache).
	CacheTTL time.Duration
	// Events is the live stream of /api/events (nil: 404); Alerts the
	// alert rules and delivery log of /alerts (nil: none configured).
	Events EventSource
	Alerts AlertSource
}

// Server is the dashboard, API, metrics and feeds handler.
type Server struct {
	st     Store
	opt    Options
	log    *slog.Logger
	mux    *http.ServeMux
	pages  map[string]*template.Template
	policy *bluemonday.Policy
	key    []byte // HMAC key of CSRF tokens
	cop    *http.CrossOriginProtection
	daily  dailyCache
	// sessions are the live dashboard sessions: in the store when a
	// token guards the dashboard and the store keeps sessions, else in
	// the process.
	sessions sessions
	// logins throttles login tries per client address in this process,
	// loginStore across every instance on the store (nil: none).
	logins     *loginThrottle
	loginStore LoginLimiter
	loginErrAt atomic.Int64 // when a failing loginStore was last logged, unix ns
	refusals   refusalLog
	cache      respCache
	// streams ends the live streams (/api/events) when the server shuts
	// down, which waits for them otherwise.
	streams     context.Context
	stopStreams context.CancelFunc
}

// New returns a Server over st.
func New(st Store, opt Options) *Server {
	if opt.Title == "" {
		opt.Title = "wiredesk"
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Metrics == nil {
		opt.Metrics = metrics.New()
	}
	if opt.IsNotFound == nil {
		opt.IsNotFound = func(error) bool { return false }
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.SparkDays <= 0 {
		opt.SparkDays = 14
	}
	if opt.CacheTTL == 0 {
		opt.CacheTTL = time.Second
	}
	s := &Server{st: st, opt: opt, log: opt.Logger, mux: http.NewServeMux(), policy: markPolicy(),
		cop: http.NewCrossOriginProtection(), cache: respCache{ttl: opt.CacheTTL},
		logins: newLoginThrottle()}
	s.sessions = &memSessions{}
	if ss, ok := st.(SessionStore); ok && opt.Token != "" {
		s.sessions = storeSessions{st: ss, log: s.log, isNotFound: opt.IsNotFound}
	}
	if ll, ok := st.(LoginLimiter); ok && opt.Token != "" {
		s.loginStore = ll
	}
	// CSRF tokens are an HMAC of the session id under the token, so
	// that every instance and a restart agree on them; an open
	// dashboard ties them to a per-process secret.
	s.key = []byte(opt.Token)
	s.streams, s.stopStreams = context.WithCancel(context.Background())
	if opt.Token == "" {
		s.key = make([]byte, 32)
		_, _ = rand.Read(s.key) // crypto/rand.Read never fails
	}
	s.pages = parsePages()
	s.routes()
	return s
}

// markPolicy allows only what the side-by-side view emits.
func markPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "mark")
	return p
}

func (s *Server) routes() {
	m := s.mux
	m.HandleFunc("GET /{$}", s.page(s.handleIndex))
	m.HandleFunc("GET /stories/{id}", s.page(s.handleStory))
	m.HandleFunc("GET /articles/{id}", s.page(s.handleArticle))
	m.HandleFunc("GET /feeds", s.page(s.handleFeeds))
	m.HandleFunc("POST /feeds", s.form(s.handleAddFeed))
	m.HandleFunc("POST /feeds/{id}/delete", s.form(s.handleRemoveFeed))
	m.HandleFunc("GET /login", s.handleLoginForm)
	m.HandleFunc("POST /login", s.handleLogin)
	m.HandleFunc("POST /logout", s.form(s.handleLogout))
	m.HandleFunc("GET /api/feeds", s.api(s.cached(s.apiFeeds)))
	m.HandleFunc("GET /api/stories", s.api(s.cached(s.apiStories)))
	m.HandleFunc("GET /api/stories/{id}", s.api(s.cached(s.apiStory)))
	m.HandleFunc("GET /api/articles", s.api(s.cached(s.apiArticles)))
	m.HandleFunc("GET /api/articles/{id}", s.api(s.cached(s.apiArticle)))
	m.HandleFunc("GET /api/articles/{id}/revisions", s.api(s.cached(s.apiRevisions)))
	s.pushRoutes(m)
	m.HandleFunc("GET /feed.xml", s.feed(conditional(s.cached(s.feedHandler("rss")))))
	m.HandleFunc("GET /feed.atom", s.feed(conditional(s.cached(s.feedHandler("atom")))))
	m.HandleFunc("GET /feed.json", s.feed(conditional(s.cached(s.feedHandler("json")))))
	prom := promhttp.HandlerFor(s.opt.Metrics.Registry, promhttp.HandlerOpts{ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelError)})
	m.HandleFunc("GET /metrics", s.api(prom.ServeHTTP))
	m.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	sub, _ := fs.Sub(staticFS, "static") // "static" is embedded above
	m.Handle("GET /static/", http.StripPrefix("/static/", staticHandler(http.FileServerFS(sub))))
	m.HandleFunc("/", s.notFound)
}

// staticHandler adds caching headers to embedded files.
func staticHandler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}

// ServeHTTP sets the security headers and dispatches.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
		"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	s.mux.ServeHTTP(w, r)
}

// HTTPServer returns an http.Server for s with conservative timeouts.
func (s *Server) HTTPServer(addr string) *http.Server {
	srv := &http.Server{
		Addr:              addr,
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	srv.RegisterOnShutdown(s.stopStreams)
	return srv
}
