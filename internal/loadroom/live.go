package loadroom

import (
	"fmt"
	"html"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"
)

// LiveOptions configure a live newsroom: one whose feeds gain items and
// whose articles change while it is polled, for steady-state tests.
type LiveOptions struct {
	Feeds, Hosts int           // feeds, spread round-robin over loopback hosts
	Items        int           // items each feed lists, newest first
	Start        time.Time     // the newsroom's "now" at start (default time.Now())
	Backdate     time.Duration // the initial items were published over this span before Start
	NewEvery     time.Duration // one new item every NewEvery, feeds in turn (0: none)
	ReviseEvery  time.Duration // every ReviseEvery, ReviseShare of the listed items gain an update (0: none)
	ReviseShare  float64
	// Syndicate makes every odd feed republish the stories of the even
	// feed before it, under a credit line: its initial items copy that
	// feed's initial items, its new items copy one of that feed's items,
	// the older ones included.
	Syndicate bool
	Seed      uint64
}

// Live is a live newsroom. Its items are "n/i" (feed n, item i); an item
// carries the text of its story's source item, plus its own updates
// ("UPDATE k: ..." paragraphs, each its own revision of the page; a third
// of them also change the headline).
type Live struct {
	opt      LiveOptions
	FeedURLs []string
	hosts    []*httptest.Server
	words    []string

	mu      sync.RWMutex
	rng     *rand.Rand
	feeds   [][]*LiveItem // by feed, oldest first
	version []int         // per feed, moves with every change (the ETag)
	turn    int           // the next feed to get a new item
	frozen  bool
	stop    chan struct{}
	done    chan struct{}
}

// LiveItem is one item of a live newsroom, as it is now.
type LiveItem struct {
	ID, Source string // "n/i"; the item whose story text it carries
	Feed       int
	Title      string
	Published  time.Time
	Updates    []string    // its own update paragraphs, in order
	UpdatedAt  []time.Time // when each was made
}

// NewLive starts the hosts of a live newsroom; call Run to make it live.
func NewLive(opt LiveOptions) *Live {
	if opt.Start.IsZero() {
		opt.Start = time.Now()
	}
	l := &Live{opt: opt, words: vocabulary(4000), rng: rand.New(rand.NewPCG(opt.Seed, 11)),
		feeds: make([][]*LiveItem, opt.Feeds), version: make([]int, opt.Feeds)}
	for range max(opt.Hosts, 1) {
		l.hosts = append(l.hosts, httptest.NewServer(l.handler()))
	}
	for n := range opt.Feeds {
		h := l.hosts[n%len(l.hosts)]
		l.FeedURLs = append(l.FeedURLs, fmt.Sprintf("%s/feed/%d.xml", h.URL, n))
	}
	for i := range opt.Items {
		at := opt.Start.Add(-opt.Backdate + time.Duration(i)*opt.Backdate/time.Duration(max(opt.Items, 1)))
		for n := range opt.Feeds {
			src := fmt.Sprintf("%d/%d", n, i)
			if opt.Syndicate && n%2 == 1 {
				src = fmt.Sprintf("%d/%d", n-1, i)
			}
			l.add(n, src, at.Add(time.Duration(n)*time.Second))
		}
	}
	return l
}

// add appends a new item carrying src's story to feed n; mu is held.
func (l *Live) add(n int, src string, at time.Time) *LiveItem {
	it := &LiveItem{ID: fmt.Sprintf("%d/%d", n, len(l.feeds[n])), Source: src, Feed: n, Published: at}
	it.Title = "Story " + it.ID
	l.feeds[n] = append(l.feeds[n], it)
	l.version[n]++
	return it
}

// Run makes the newsroom change until Freeze or Close.
func (l *Live) Run() {
	l.stop, l.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(l.done)
		var newT, revT <-chan time.Time
		if l.opt.NewEvery > 0 {
			t := time.NewTicker(l.opt.NewEvery)
			defer t.Stop()
			newT = t.C
		}
		if l.opt.ReviseEvery > 0 {
			t := time.NewTicker(l.opt.ReviseEvery)
			defer t.Stop()
			revT = t.C
		}
		for {
			select {
			case <-l.stop:
				return
			case <-newT:
				l.newItem()
			case <-revT:
				l.revise()
			}
		}
	}()
}

// Freeze stops every change; the newsroom keeps answering.
func (l *Live) Freeze() {
	if l.stop != nil && !l.frozen {
		close(l.stop)
		<-l.done
	}
	l.mu.Lock()
	l.frozen = true
	l.mu.Unlock()
}

// Close freezes the newsroom and stops its hosts.
func (l *Live) Close() {
	l.Freeze()
	for _, h := range l.hosts {
		h.Close()
	}
}

// Publish adds a new item of its own story to each of the feeds given.
func (l *Live) Publish(feeds ...int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, n := range feeds {
		l.add(n, fmt.Sprintf("%d/%d", n, len(l.feeds[n])), time.Now())
	}
}

// Republish adds to each of the feeds given a copy of item src's story
// ("n/i"), published now: a wire story reaching more outlets.
func (l *Live) Republish(src string, feeds ...int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, n := range feeds {
		l.add(n, src, time.Now())
	}
}

// Step makes one change of each kind at once: a new item, and updates.
func (l *Live) Step() {
	l.newItem()
	l.revise()
}

func (l *Live) newItem() {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := l.turn % len(l.feeds)
	l.turn++
	src := fmt.Sprintf("%d/%d", n, len(l.feeds[n]))
	if l.opt.Syndicate && n%2 == 1 {
		from := l.feeds[n-1]
		src = from[l.rng.IntN(len(from))].Source // any of them, days old or new
	}
	l.add(n, src, time.Now())
}

// revise gives ReviseShare of the listed items an update.
func (l *Live) revise() {
	l.mu.Lock()
	defer l.mu.Unlock()
	var listed []*LiveItem
	for n := range l.feeds {
		listed = append(listed, l.listed(n)...)
	}
	k := max(1, int(float64(len(listed))*l.opt.ReviseShare+0.5))
	for _, i := range l.rng.Perm(len(listed))[:min(k, len(listed))] {
		it := listed[i]
		u := len(it.Updates) + 1
		it.Updates = append(it.Updates, fmt.Sprintf("UPDATE %d: %s.", u, l.sentence(it.ID+"#"+strconv.Itoa(u), 25)))
		it.UpdatedAt = append(it.UpdatedAt, time.Now())
		if l.rng.IntN(3) == 0 {
			it.Title = fmt.Sprintf("Story %s, update %d", it.ID, u)
		}
		l.version[it.Feed]++
	}
}

// listed returns the items feed n lists; mu is held.
func (l *Live) listed(n int) []*LiveItem {
	its := l.feeds[n]
	return its[max(0, len(its)-l.opt.Items):]
}

// Items returns a copy of every item the newsroom ever listed.
func (l *Live) Items() []LiveItem {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []LiveItem
	for _, its := range l.feeds {
		for _, it := range its {
			c := *it
			c.Updates = append([]string(nil), it.Updates...)
			c.UpdatedAt = append([]time.Time(nil), it.UpdatedAt...)
			out = append(out, c)
		}
	}
	return out
}

// URL returns the link of item id on feed n.
func (l *Live) URL(n int, id string) string {
	return fmt.Sprintf("%s/article/%s", l.hosts[n%len(l.hosts)].URL, id)
}

// text is an item's current paragraphs; mu is held.
func (l *Live) text(it *LiveItem) []string {
	var ps []string
	for p := range 4 {
		ps = append(ps, l.sentence(it.Source+"."+strconv.Itoa(p), 40)+".")
	}
	if it.Source != it.ID {
		ps[0] = "(Reuters) - " + ps[0]
	}
	return append(ps, it.Updates...)
}

// sentence is n words drawn deterministically from seed.
func (l *Live) sentence(seed string, n int) string {
	var s uint64
	for _, c := range seed {
		s = s*131 + uint64(c)
	}
	rng := rand.New(rand.NewPCG(s, 7))
	ws := make([]string, n)
	for i := range ws {
		ws[i] = l.words[rng.IntN(len(l.words))]
	}
	return strings.Join(ws, " ")
}

func (l *Live) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /robots.txt", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, "User-agent: *\nAllow: /\n")
	})
	mux.HandleFunc("GET /feed/{n}", func(w http.ResponseWriter, req *http.Request) {
		n, err := strconv.Atoi(strings.TrimSuffix(req.PathValue("n"), ".xml"))
		if err != nil || n < 0 || n >= len(l.feeds) {
			http.NotFound(w, req)
			return
		}
		l.writeFeed(w, req, n)
	})
	mux.HandleFunc("GET /article/{n}/{i}", func(w http.ResponseWriter, req *http.Request) {
		n, err1 := strconv.Atoi(req.PathValue("n"))
		i, err2 := strconv.Atoi(req.PathValue("i"))
		l.mu.RLock()
		defer l.mu.RUnlock()
		if err1 != nil || err2 != nil || n < 0 || n >= len(l.feeds) || i < 0 || i >= len(l.feeds[n]) {
			http.NotFound(w, req)
			return
		}
		it := l.feeds[n][i]
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<html><head><title>%s</title></head><body><nav><a href=/>Home</a></nav><article><h1>%s</h1><p>%s</p></article><footer>© Live Room</footer></body></html>",
			html.EscapeString(it.Title), html.EscapeString(it.Title), strings.Join(l.text(it), "</p><p>"))
	})
	return mux
}

func (l *Live) writeFeed(w http.ResponseWriter, req *http.Request, n int) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	etag := fmt.Sprintf(`"live-%d-%d"`, n, l.version[n])
	if req.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", "application/rss+xml")
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Live %d</title><link>http://%s/</link>`, n, req.Host)
	its := l.listed(n)
	for j := len(its) - 1; j >= 0; j-- {
		it := its[j]
		u := fmt.Sprintf("http://%s/article/%s", req.Host, it.ID)
		fmt.Fprintf(&b, `<item><title>%s</title><link>%s</link><guid isPermaLink="false">live-%s</guid><pubDate>%s</pubDate><description>%s</description></item>`,
			html.EscapeString(it.Title), u, it.ID, it.Published.Format(time.RFC1123Z), html.EscapeString(strings.Join(l.text(it), "\n\n")))
	}
	b.WriteString(`</channel></rss>`)
	w.Write([]byte(b.String()))
}
