package web

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/news"
	"github.com/wiredesk/wiredesk/store"
)

var (
	benchDB      = flag.String("web.benchdb", "", "SQLite file for the 100k-article benchmarks; seeded when missing, reused when present")
	benchStories = flag.Int("web.stories", 10000, "stories in the benchmark store (10 articles each)")
	loadTest     = flag.Bool("web.load", false, "run the API load test (50 concurrent loopback clients)")
	loadRequests = flag.Int("web.requests", 100, "requests per client in the load test")
	noCache      = flag.Bool("web.nocache", false, "load test without the response micro-cache")
)

const (
	benchFeeds    = 200
	benchPerStory = 10
)

// benchWords are the vocabularies of the generated articles.
func benchWords(lang string) []string {
	if lang == "ar" {
		return strings.Fields("أعلن الأمين العام لحلف شمال الأطلسي اليوم أن الحلف مستعد للجلوس إلى طاولة المفاوضات " +
			"مع روسيا لإجراء مفاوضات موضوعية وقال في مقابلة إذاعية نحن على استعداد للاستماع المخاوف الروسية " +
			"وإيجاد حلول سياسية وأضاف الطرفين تاريخا طويلا مراقبة التسلح والحد من الأسلحة النووية الحكومة " +
			"الرئيس الوزير البرلمان الاقتصاد النفط الأسعار الأسواق العاصمة المدينة الشرطة المحكمة الانتخابات")
	}
	return strings.Fields("the government said on monday that talks with officials would resume next week after " +
		"prices rose sharply markets oil crude brent analysts expect output cuts to tighten supply through winter " +
		"police court election minister president parliament economy city capital reported according statement " +
		"agency news wire source security council vote bill senate house budget deficit growth inflation rates bank")
}

// benchText is a deterministic article text of about 150 words.
func benchText(r *rand.Rand, lang string) string {
	w := benchWords(lang)
	var paras []string
	for range 4 {
		var b strings.Builder
		for i := range 38 {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w[r.IntN(len(w))])
		}
		b.WriteByte('.')
		paras = append(paras, b.String())
	}
	return strings.Join(paras, "\n\n")
}

// seedLarge fills db with benchFeeds feeds and n stories of benchPerStory
// articles each, spread over the 14 days before testNow, a third Arabic.
func seedLarge(tb testing.TB, db *store.DB, n int) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(7, 7))
	tags := []string{"wire", "world", "business", "politics", "sport", "en", "ar"}
	feedIDs := make([]int64, benchFeeds)
	for i := range feedIDs {
		f := news.Feed{URL: fmt.Sprintf("http://feed%03d.test/rss", i), Name: fmt.Sprintf("Outlet %03d", i),
			Tags: []string{tags[i%len(tags)], tags[(i/3)%len(tags)]}, Interval: 30 * time.Minute}
		id, err := db.UpsertFeed(ctx, f)
		if err != nil {
			tb.Fatal(err)
		}
		f.ID, f.Status, f.LastPolled, f.LatencyMS = id, news.StatusOK, testNow.Add(-5*time.Minute), int64(50+i)
		f.NextPoll = testNow.Add(25 * time.Minute)
		if i%25 == 0 {
			f.Status, f.ErrorClass, f.LastError, f.Failures = news.StatusFailing, "timeout", "context deadline exceeded", 4
		}
		f.Stale = i%40 == 1
		if err := db.SaveFeedState(ctx, f, ""); err != nil {
			tb.Fatal(err)
		}
		feedIDs[i] = id
	}
	start := time.Now()
	for s := range n {
		lang := "en"
		if s%3 == 0 {
			lang = "ar"
		}
		text := benchText(r, lang)
		t0 := testNow.Add(-time.Duration(r.Int64N(int64(14 * 24 * time.Hour))))
		var first int64
		for k := range benchPerStory {
			a := news.Article{FeedID: feedIDs[r.IntN(benchFeeds)], Lang: lang,
				Title: fmt.Sprintf("Story %d copy %d %s", s, k, benchWords(lang)[r.IntN(10)]),
				URL:   fmt.Sprintf("http://example.test/%d/%d", s, k), Text: text,
				Published: t0.Add(time.Duration(k*r.IntN(30)) * time.Minute)}
			a.GUID, a.CanonicalURL, a.Fetched = a.URL, a.URL, a.Published.Add(time.Minute)
			a.Outlet = fmt.Sprintf("Outlet %03d", a.FeedID-1)
			as := store.Assignment{DuplicateOf: first, Score: 0.9, Reason: "text"}
			if k == 0 {
				as = store.Assignment{Origin: "Reuters"}
			}
			if err := db.Ingest(ctx, func(b *store.Batch) error { return b.SaveArticle(&a, as) }); err != nil {
				tb.Fatal(err)
			}
			if k == 0 {
				first = a.ID
			}
		}
		if s%1000 == 999 {
			tb.Logf("seeded %d stories in %v", s+1, time.Since(start).Round(time.Second))
		}
	}
}

// largeStore opens the benchmark store: -web.benchdb when given (seeded
// once, then reused), else a fresh one in a temporary directory.
func largeStore(tb testing.TB) *store.DB {
	tb.Helper()
	path := *benchDB
	if path == "" {
		path = filepath.Join(tb.TempDir(), "bench.db")
	}
	_, statErr := os.Stat(path)
	db, err := store.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	if errors.Is(statErr, os.ErrNotExist) {
		start := time.Now()
		seedLarge(tb, db, *benchStories)
		tb.Logf("seeded %d stories (%d articles) in %v", *benchStories, *benchStories*benchPerStory, time.Since(start).Round(time.Millisecond))
	}
	// The search index is caught up as `serve` keeps it (in the
	// background), so that searches are measured without a backlog.
	start := time.Now()
	if n, err := db.IndexSearch(context.Background()); err != nil {
		tb.Fatal(err)
	} else if n > 0 {
		tb.Logf("indexed %d articles for search in %v", n, time.Since(start).Round(time.Millisecond))
	}
	return db
}

// largeServer serves the large store without the response micro-cache, so
// that every request reaches the store (the per-day counts cache stays).
func largeServer(tb testing.TB) *Server {
	return New(largeStore(tb), Options{Now: func() time.Time { return testNow }, CacheTTL: -1,
		IsNotFound: func(err error) bool { return errors.Is(err, store.ErrNotFound) }})
}

// benchPaths are the pages and API calls measured.
func benchPaths(db *store.DB, tb testing.TB) map[string]string {
	list, err := db.Stories(context.Background(), news.StoryQuery{Limit: 1, Offset: 100})
	if err != nil || len(list) == 0 {
		tb.Fatalf("pick a story: %v", err)
	}
	id := fmt.Sprint(list[0].ID)
	return map[string]string{
		"page_index": "/", "page_index_offset": "/?offset=5000", "page_lang": "/?lang=ar", "page_tag": "/?tag=wire",
		"page_search": "/?q=inflation", "page_search_rare": "/?q=zqxjv", "api_articles_rare": "/api/articles?q=zqxjv", "page_story": "/stories/" + id, "page_feeds": "/feeds",
		"api_stories": "/api/stories", "api_stories_tag": "/api/stories?tag=sport&limit=20",
		"api_story": "/api/stories/" + id, "api_articles": "/api/articles?lang=en", "api_feeds": "/api/feeds",
		"feed_rss": "/feed.xml?limit=20",
	}
}

// BenchmarkLarge renders each page and API call server-side (no network)
// over 100,000 articles in 10,000 stories.
func BenchmarkLarge(b *testing.B) {
	s := largeServer(b)
	for name, path := range benchPaths(s.st.(*store.DB), b) {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				w := httptest.NewRecorder()
				s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
				if w.Code != http.StatusOK {
					b.Fatalf("GET %s = %d: %s", path, w.Code, w.Body.String())
				}
			}
		})
	}
}

// BenchmarkLargeStore times the store queries behind the pages, uncached.
func BenchmarkLargeStore(b *testing.B) {
	db := largeStore(b)
	ctx := context.Background()
	for name, f := range map[string]func() error{
		"feeds":         func() error { _, err := db.Feeds(ctx); return err },
		"feed_daily_14": func() error { _, err := db.FeedDaily(ctx, 14, testNow); return err },
		"stories":       func() error { _, err := db.Stories(ctx, news.StoryQuery{Limit: 51}); return err },
		"stories_tag":   func() error { _, err := db.Stories(ctx, news.StoryQuery{Limit: 51, Tag: "sport"}); return err },
		"stories_rare":  func() error { _, err := db.Stories(ctx, news.StoryQuery{Limit: 51, Search: "zqxjv"}); return err },
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if err := f(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// loadPaths returns a generator of API requests with a realistic spread:
// story list pages, tags, the 1,000 newest stories, article pages by
// language, and the feed list.
func loadPaths(tb testing.TB, db *store.DB) (names []string, pick func(name string, r *rand.Rand) string) {
	recent, err := db.Stories(context.Background(), news.StoryQuery{Limit: 1000})
	if err != nil || len(recent) == 0 {
		tb.Fatalf("recent stories: %v", err)
	}
	tags := []string{"wire", "world", "business", "politics", "sport", "en", "ar"}
	gen := map[string]func(r *rand.Rand) string{
		"api_feeds":       func(*rand.Rand) string { return "/api/feeds" },
		"api_stories":     func(r *rand.Rand) string { return fmt.Sprintf("/api/stories?offset=%d", 50*r.IntN(10)) },
		"api_stories_tag": func(r *rand.Rand) string { return "/api/stories?limit=20&tag=" + tags[r.IntN(len(tags))] },
		"api_story":       func(r *rand.Rand) string { return fmt.Sprintf("/api/stories/%d", recent[r.IntN(len(recent))].ID) },
		"api_articles": func(r *rand.Rand) string {
			return fmt.Sprintf("/api/articles?lang=%s&offset=%d", []string{"en", "ar"}[r.IntN(2)], 50*r.IntN(5))
		},
	}
	for n := range gen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names, func(name string, r *rand.Rand) string { return gen[name](r) }
}

// TestAPILoad runs 50 concurrent loopback clients against the API over
// the large store and reports latency percentiles per endpoint. With
// -web.nocache the response micro-cache is off.
func TestAPILoad(t *testing.T) {
	if !*loadTest {
		t.Skip("load test: run with -web.load (and -web.benchdb FILE to reuse a seeded store)")
	}
	db := largeStore(t)
	ttl := time.Duration(0)
	if *noCache {
		ttl = -1
	}
	ts := httptest.NewServer(New(db, Options{Now: func() time.Time { return testNow }, CacheTTL: ttl,
		IsNotFound: func(err error) bool { return errors.Is(err, store.ErrNotFound) }}))
	defer ts.Close()
	names, pick := loadPaths(t, db)
	if r := get(t, nil, ts.URL+"/api/feeds"); r.status != http.StatusOK { // fills the per-day counts cache
		t.Fatalf("warm up: %d", r.status)
	}
	lat := runLoad(t, ts.URL, names, pick, 50, *loadRequests)
	for _, n := range append(names, "all") {
		d := lat[n]
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		pct := func(p float64) time.Duration {
			return d[min(len(d)-1, int(p*float64(len(d))))].Round(100 * time.Microsecond)
		}
		t.Logf("%-16s n=%5d p50=%v p95=%v p99=%v max=%v", n, len(d), pct(.50), pct(.95), pct(.99), d[len(d)-1].Round(time.Millisecond))
	}
}

// runLoad has clients each send requests requests, round robin over names.
func runLoad(t *testing.T, base string, names []string, pick func(string, *rand.Rand) string, clients, requests int) map[string][]time.Duration {
	lat := make(map[string][]time.Duration)
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for c := range clients {
		wg.Go(func() {
			cl := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
			defer cl.CloseIdleConnections()
			r := rand.New(rand.NewPCG(uint64(c), 1))
			for i := range requests {
				name := names[(c+i)%len(names)]
				t0 := time.Now()
				resp, err := cl.Get(base + pick(name, r))
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Errorf("%s: status %d", name, resp.StatusCode)
				}
				d := time.Since(t0)
				mu.Lock()
				lat[name] = append(lat[name], d)
				lat["all"] = append(lat["all"], d)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	el := time.Since(start)
	t.Logf("%d requests from %d clients in %v (%.0f req/s)", len(lat["all"]), clients, el.Round(time.Millisecond),
		float64(len(lat["all"]))/el.Seconds())
	return lat
}
