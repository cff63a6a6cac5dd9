// Package loadroom is a loopback newsroom for load tests and benchmarks:
// feeds spread over hosts (one listener each), RSS items and article pages,
// ETag support, and per-host accounting of requests in flight and their
// spacing. Only tests and benchmarks use it.
package loadroom

import (
	"fmt"
	"html"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Room serves the feeds.
type Room struct {
	hosts []*roomHost
	// FeedURLs are the feeds' URLs, spread round-robin over the hosts.
	FeedURLs []string
	items    int
	words    []string
	// first is the publication date of every feed's first item: the
	// items follow it 17 minutes apart and the last one is an hour old
	// when the room starts, so that no test's outcome depends on the
	// calendar.
	first time.Time

	// Requests counts every request; NotModified the 304 answers.
	Requests, NotModified atomic.Int64

	// Latency delays every answer, like a distant server: set it before
	// polling.
	Latency time.Duration

	// Syndicate makes every odd feed republish the items of the even feed
	// before it (same text under a credit line): set it before polling.
	Syndicate bool
}

// SourceOf returns the id ("feed/item") whose text item "n/i" carries.
func (r *Room) SourceOf(n, i int) string {
	if r.Syndicate && n%2 == 1 {
		n--
	}
	return fmt.Sprintf("%d/%d", n, i)
}

type roomHost struct {
	srv      *httptest.Server
	inflight atomic.Int64
	maxSeen  atomic.Int64

	mu     sync.Mutex
	starts []time.Time
}

// New serves feeds feeds of items items each over hosts loopback hosts.
func New(feeds, hosts, items int) *Room {
	r := &Room{items: items, words: vocabulary(4000)}
	r.first = time.Now().UTC().Truncate(time.Minute).Add(-time.Hour - time.Duration(items)*itemSpacing)
	for range hosts {
		rh := &roomHost{}
		rh.srv = httptest.NewServer(r.handler(rh))
		r.hosts = append(r.hosts, rh)
	}
	for n := range feeds {
		h := r.hosts[n%hosts]
		r.FeedURLs = append(r.FeedURLs, fmt.Sprintf("%s/feed/%d.xml", h.srv.URL, n))
	}
	return r
}

// NewGrouped is New with the feeds listed outlet by outlet, as OPML
// exports and hand-written configs list them: feed n is on host
// n / (feeds / hosts).
func NewGrouped(feeds, hosts, items int) *Room {
	r := New(0, hosts, items)
	per := max(1, feeds/hosts)
	for n := range feeds {
		h := r.hosts[min(n/per, hosts-1)]
		r.FeedURLs = append(r.FeedURLs, fmt.Sprintf("%s/feed/%d.xml", h.srv.URL, n))
	}
	return r
}

// Close stops every host.
func (r *Room) Close() {
	for _, h := range r.hosts {
		h.srv.Close()
	}
}

func (r *Room) handler(h *roomHost) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /robots.txt", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, "User-agent: *\nAllow: /\n")
	})
	mux.HandleFunc("GET /feed/{n}", func(w http.ResponseWriter, req *http.Request) {
		n := strings.TrimSuffix(req.PathValue("n"), ".xml")
		etag := `"v1-` + n + `"`
		if req.Header.Get("If-None-Match") == etag {
			r.NotModified.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", etag)
		w.Header().Set("Content-Type", "application/rss+xml")
		r.writeFeed(w, "http://"+req.Host, n)
	})
	mux.HandleFunc("GET /article/{n}/{i}", func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		id := req.PathValue("n") + "/" + req.PathValue("i")
		fmt.Fprintf(w, "<html><head><title>Story %s</title></head><body><nav><a href=/>Home</a></nav><article><h1>Story %s</h1>%s</article><footer>© Load Room</footer></body></html>",
			id, id, r.body(r.source(id), true))
	})
	return countingHandler(h, &r.Requests, r.delayed(mux))
}

func (r *Room) delayed(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if r.Latency > 0 {
			time.Sleep(r.Latency)
		}
		next.ServeHTTP(w, req)
	})
}

// countingHandler records requests in flight per host and their starts.
func countingHandler(h *roomHost, total *atomic.Int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		total.Add(1)
		n := h.inflight.Add(1)
		for {
			m := h.maxSeen.Load()
			if n <= m || h.maxSeen.CompareAndSwap(m, n) {
				break
			}
		}
		h.mu.Lock()
		h.starts = append(h.starts, time.Now())
		h.mu.Unlock()
		defer h.inflight.Add(-1)
		time.Sleep(time.Millisecond) // a little server work, so overlap can show
		next.ServeHTTP(w, req)
	})
}

// itemSpacing is the time between two items of a feed.
const itemSpacing = 17 * time.Minute

func (r *Room) writeFeed(w http.ResponseWriter, base, n string) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Feed ` + n + `</title><link>` + base + `/</link>`)
	for i := range r.items {
		id := n + "/" + fmt.Sprint(i)
		text := r.body(r.source(id), false)
		if r.source(id) != id {
			text = "(Reuters) - " + text
		}
		fmt.Fprintf(&b, `<item><title>Story %s</title><link>%s/article/%s</link><guid>%s/article/%s</guid><pubDate>%s</pubDate><description>%s</description></item>`,
			id, base, id, base, id, r.first.Add(time.Duration(i)*itemSpacing).Format(time.RFC1123Z), html.EscapeString(text))
	}
	b.WriteString(`</channel></rss>`)
	w.Write([]byte(b.String()))
}

// source maps an item id "n/i" to the id whose text it carries.
func (r *Room) source(id string) string {
	var n, i int
	if _, err := fmt.Sscanf(id, "%d/%d", &n, &i); err != nil {
		return id
	}
	return r.SourceOf(n, i)
}

// body is the deterministic text of item id: distinct words, so that no
// two items are one story.
func (r *Room) body(id string, asHTML bool) string {
	var seed uint64
	for _, c := range id {
		seed = seed*131 + uint64(c)
	}
	rng := rand.New(rand.NewPCG(seed, 7))
	var paras []string
	for range 4 {
		ws := make([]string, 40)
		for i := range ws {
			ws[i] = r.words[rng.IntN(len(r.words))]
		}
		paras = append(paras, strings.Join(ws, " ")+".")
	}
	if asHTML {
		return "<p>" + strings.Join(paras, "</p><p>") + "</p>"
	}
	return strings.Join(paras, "\n\n")
}

func vocabulary(n int) []string {
	rng := rand.New(rand.NewPCG(1, 2))
	const letters = "abcdefghijklmnopqrstuvwxyz"
	out := make([]string, n)
	for i := range out {
		l := 3 + rng.IntN(7)
		b := make([]byte, l)
		for j := range b {
			b[j] = letters[rng.IntN(len(letters))]
		}
		out[i] = string(b)
	}
	return out
}

// MaxInflight is the largest number of requests one host saw at once.
func (r *Room) MaxInflight() int64 {
	var m int64
	for _, h := range r.hosts {
		m = max(m, h.maxSeen.Load())
	}
	return m
}

// MeanSpacing is, over the hosts, the smallest mean gap between request
// starts ((last − first) / (n − 1)): the rate a host saw. Single gaps can
// be shorter than the client's spacing when connection set-up delays one
// request and not the next.
func (r *Room) MeanSpacing() time.Duration {
	mean := time.Duration(1<<63 - 1)
	for _, h := range r.hosts {
		h.mu.Lock()
		if n := len(h.starts); n > 1 {
			mean = min(mean, h.starts[n-1].Sub(h.starts[0])/time.Duration(n-1))
		}
		h.mu.Unlock()
	}
	return mean
}

// HostStats is what one host saw: the most requests in flight at once and
// the gaps between consecutive request starts.
type HostStats struct {
	Requests        int
	MaxInflight     int64
	MinGap, MeanGap time.Duration
	MaxGap          time.Duration // the longest wait between two starts
	First, Last     time.Time
}

// Hosts reports every host's stats, in host order.
func (r *Room) Hosts() []HostStats {
	out := make([]HostStats, len(r.hosts))
	for i, h := range r.hosts {
		h.mu.Lock()
		st := HostStats{Requests: len(h.starts), MaxInflight: h.maxSeen.Load()}
		starts := append([]time.Time(nil), h.starts...)
		h.mu.Unlock()
		slices.SortFunc(starts, time.Time.Compare)
		for j := 1; j < len(starts); j++ {
			g := starts[j].Sub(starts[j-1])
			if j == 1 || g < st.MinGap {
				st.MinGap = g
			}
			st.MaxGap = max(st.MaxGap, g)
		}
		if n := len(starts); n > 0 {
			st.First, st.Last = starts[0], starts[n-1]
		}
		if n := len(starts); n > 1 {
			st.MeanGap = starts[n-1].Sub(starts[0]) / time.Duration(n-1)
		}
		out[i] = st
	}
	return out
}

// Reset forgets the hosts' counts (between passes).
func (r *Room) Reset() {
	for _, h := range r.hosts {
		h.mu.Lock()
		h.starts = nil
		h.maxSeen.Store(0)
		h.mu.Unlock()
	}
}
