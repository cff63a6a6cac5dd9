// Package demo is the built-in fixture newsroom of `wiredesk demo`: a few
// Arabic and English outlets, each served on its own loopback listener from
// embedded fixtures, carrying syndicated copies of the same stories under
// different headlines, credit lines and page chrome.
//
// Everything is data: testdata/manifest.json lists the outlets, and each
// outlet has a page template (testdata/outlets/<slug>/page.html) and one text
// file per article (testdata/outlets/<slug>/articles/*.txt) whose header
// names the story it belongs to. Adding a story is adding article files.
package demo

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

//go:embed testdata/manifest.json testdata/home.html testdata/outlets
var fixtures embed.FS

// SputnikStory is the story key of the Sputnik story of
// ../shared/fixtures/sputnik-via-urdupoint-ar.txt.
const SputnikStory = "sputnik-nato-talks"

// Outlet is one outlet of the newsroom.
type Outlet struct {
	Name    string
	Lang    string
	Format  string // "rss", "atom" or "json"
	Tags    []string
	FeedURL string
	SiteURL string // home page, which advertises the feed with <link rel="alternate">
}

// Newsroom is the running fixture newsroom.
type Newsroom struct {
	outlets []Outlet
	stories map[string][]string
	pages   map[string][]string
	live    []*liveSite // per outlet, in manifest order
	updates map[string][]article
	servers []*http.Server
	done    chan struct{}
	once    sync.Once
	wg      sync.WaitGroup
}

// Start serves every outlet on its own 127.0.0.1 listener until Close or
// ctx is done, its fixtures dated relative to now (see StartAt).
func Start(ctx context.Context) (*Newsroom, error) {
	return StartAt(ctx, time.Now())
}

// StartAt is Start for a newsroom that opens at now: every fixture date
// moves by one shift, so that the newest article ran a few minutes before
// now and the others keep their order and the gaps between them. A desk
// that polls it sees a live morning's first-seen times, lags, sparklines
// and feed health, whatever the date.
func StartAt(ctx context.Context, now time.Time) (*Newsroom, error) {
	specs, arts, err := loadManifest(fixtures)
	if err != nil {
		return nil, err
	}
	shiftArticles(arts, now)
	updates, err := loadUpdates(fixtures, specs, arts)
	if err != nil {
		return nil, err
	}
	n := &Newsroom{stories: map[string][]string{}, pages: map[string][]string{}, updates: updates,
		done: make(chan struct{})}
	for _, o := range specs {
		if err := n.serve(fixtures, o, arts[o.Slug]); err != nil {
			n.Close()
			return nil, err
		}
	}
	go func() {
		select {
		case <-ctx.Done():
			n.Close()
		case <-n.done:
		}
	}()
	return n, nil
}

// serve starts one outlet's listener and server.
func (n *Newsroom) serve(fsys embed.FS, o outletSpec, arts []article) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("outlet %s: listen: %w", o.Slug, err)
	}
	base := "http://" + ln.Addr().String()
	s, err := buildSite(fsys, o, arts, base)
	if err != nil {
		ln.Close()
		return err
	}
	live := &liveSite{spec: o, arts: arts, base: base}
	live.cur.Store(s)
	n.live = append(n.live, live)
	srv := &http.Server{Handler: live, ReadHeaderTimeout: 5 * time.Second}
	n.servers = append(n.servers, srv)
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		_ = srv.Serve(ln) // always ErrServerClosed after Close
	}()
	n.outlets = append(n.outlets, Outlet{Name: o.Name, Lang: o.Lang, Format: o.Format, Tags: o.Tags, FeedURL: s.feedURL, SiteURL: s.siteURL})
	for k, v := range s.links {
		n.stories[k] = append(n.stories[k], v...)
	}
	for k, v := range s.pages {
		n.pages[k] = append(n.pages[k], v...)
	}
	return nil
}

// Close stops every outlet and waits for their servers to finish. It is
// safe to call more than once.
func (n *Newsroom) Close() {
	n.once.Do(func() {
		close(n.done)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		for _, srv := range n.servers {
			if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
				_ = srv.Close() // shutdown timed out: drop the connections
			}
		}
		n.wg.Wait()
	})
}

// Outlets returns the outlets in manifest order.
func (n *Newsroom) Outlets() []Outlet {
	out := make([]Outlet, len(n.outlets))
	for i, o := range n.outlets {
		o.Tags = append([]string(nil), o.Tags...)
		out[i] = o
	}
	return out
}

// Feeds returns the outlets as feeds to store: URL, Name and Tags.
func (n *Newsroom) Feeds() []news.Feed {
	out := make([]news.Feed, len(n.outlets))
	for i, o := range n.outlets {
		out[i] = news.Feed{URL: o.FeedURL, Name: o.Name, Tags: append([]string(nil), o.Tags...)}
	}
	return out
}

// AllowNetworks is exactly 127.0.0.1/32, where every outlet listens.
func (n *Newsroom) AllowNetworks() []netip.Prefix {
	return []netip.Prefix{netip.PrefixFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), 32)}
}

// Stories is the ground truth for tests: story key → the item links
// (exactly as in the feeds) of all its copies, sorted.
func (n *Newsroom) Stories() map[string][]string {
	out := make(map[string][]string, len(n.stories))
	for k, v := range n.stories {
		v = append([]string(nil), v...)
		sort.Strings(v)
		out[k] = v
	}
	return out
}

// SputnikURLs returns the article page URLs of the copies of SputnikStory.
func (n *Newsroom) SputnikURLs() []string {
	return append([]string(nil), n.pages[SputnikStory]...)
}

// newestLead is how long before the newsroom opens its newest article ran.
const newestLead = 7 * time.Minute

// shiftArticles dates every article relative to now (see StartAt) and
// returns the shift. Each date keeps its zone; the shift is whole minutes.
func shiftArticles(arts map[string][]article, now time.Time) time.Duration {
	var newest time.Time
	for _, as := range arts {
		for _, a := range as {
			if a.Published.After(newest) {
				newest = a.Published
			}
		}
	}
	if newest.IsZero() {
		return 0
	}
	shift := now.Add(-newestLead).Truncate(time.Minute).Sub(newest).Truncate(time.Minute)
	for _, as := range arts {
		for i := range as {
			as[i].Published = as[i].Published.Add(shift)
		}
	}
	return shift
}

// liveSite serves an outlet's current site; Develop replaces it.
type liveSite struct {
	spec outletSpec
	arts []article
	base string
	cur  atomic.Pointer[site]
}

func (l *liveSite) ServeHTTP(w http.ResponseWriter, r *http.Request) { l.cur.Load().ServeHTTP(w, r) }

// Develop moves the newsroom on to later that morning, at now: the
// articles that have a later version in the fixtures (testdata/outlets/
// <slug>/updates/*.txt, matched by path) are revised in their pages and
// feed entries, as an outlet updates a developing story. It returns how
// many articles changed; a second call changes nothing. One goroutine
// calls it; the outlets keep serving meanwhile.
func (n *Newsroom) Develop(now time.Time) (int, error) {
	changed := 0
	for _, l := range n.live {
		ups := n.updates[l.spec.Slug]
		if len(ups) == 0 {
			continue
		}
		arts := append([]article(nil), l.arts...)
		for _, u := range ups {
			for i := range arts {
				if arts[i].Path == u.Path {
					u.Published, u.Updated = arts[i].Published, now
					arts[i] = u
					changed++
				}
			}
		}
		s, err := buildSite(fixtures, l.spec, arts, l.base)
		if err != nil {
			return 0, err
		}
		l.cur.Store(s)
		n.updates[l.spec.Slug] = nil
	}
	return changed, nil
}
