package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wiredesk/wiredesk/internal/config"
	"github.com/wiredesk/wiredesk/internal/demo"
	"github.com/wiredesk/wiredesk/internal/poll"
	"github.com/wiredesk/wiredesk/news"
)

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "dashboard address (a free port is used if it is taken)")
	once := fs.Bool("once", false, "poll once, print the summary and the stories, and exit")
	keep := fs.String("store", "", "keep the demo store in this SQLite file (default: a temporary file)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	// The desk first polled its newsroom a while ago; since then an
	// outlet updated a developing story (developPass).
	firstPoll := time.Now().Add(-demoReplay)
	room, err := demo.StartAt(ctx, firstPoll)
	if err != nil {
		return fmt.Errorf("start demo newsroom: %w", err)
	}
	defer room.Close()
	cfg, cleanup, err := demoConfig(room, *keep)
	if err != nil {
		return err
	}
	defer cleanup()
	a, err := openApp(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	fmt.Fprintf(stdout, "demo newsroom: %d outlets on loopback; store %s\n", len(room.Feeds()), cfg.Store)
	a.now = func() time.Time { return time.Now().Add(-demoReplay) }
	if err := makeDue(ctx, a, room, firstPoll); err != nil {
		return err
	}
	sum, err := a.poller(nil).Pass(ctx)
	if err != nil {
		return fmt.Errorf("demo poll: %w", err)
	}
	if err := reportPass(sum, false, stdout, stderr); err != nil {
		return err
	}
	a.now = nil
	p := a.poller(nil)
	if err := developPass(ctx, a, room, p, stdout, stderr); err != nil {
		return err
	}
	if err := printStories(ctx, a, stdout); err != nil {
		return err
	}
	if *once {
		return nil
	}
	ln, err := listenOrAny(*addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\ndashboard: http://%s/   (Ctrl-C to stop)\n", ln.Addr())
	return serveUntilDone(ctx, a, ln, p)
}

// demoReplay is how long before the demo starts its first pass runs: the
// newsroom opens then, and the pass is dated then, so that what the second
// pass finds (developPass) reads as news of the last hours.
const demoReplay = 2 * time.Hour

// developPass moves the newsroom on to now (an outlet updates a developing
// story) and polls every feed again at once, so that the dashboard shows a
// revision from the start.
func developPass(ctx context.Context, a *app, room *demo.Newsroom, p *poll.Poller, stdout, stderr io.Writer) error {
	n, err := room.Develop(time.Now())
	if err != nil || n == 0 {
		return err
	}
	if err := makeDue(ctx, a, room, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\n%.0fh later: %d article(s) updated by their outlets; polling again\n", demoReplay.Hours(), n)
	sum, err := p.Pass(ctx)
	if err != nil {
		return fmt.Errorf("demo poll: %w", err)
	}
	if err := reportPass(sum, false, stdout, stderr); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d changed item(s), %d revision(s) stored\n", sum.Changed, sum.Revisions)
	return nil
}

// makeDue makes the newsroom's feeds due at at (a kept store's feeds of
// earlier runs, on ports long closed, are left alone).
func makeDue(ctx context.Context, a *app, room *demo.Newsroom, at time.Time) error {
	feeds, err := a.db.Feeds(ctx)
	if err != nil {
		return fmt.Errorf("demo feeds: %w", err)
	}
	ours := map[string]bool{}
	for _, f := range room.Feeds() {
		ours[f.URL] = true
	}
	for _, f := range feeds {
		if !ours[f.URL] {
			continue
		}
		f.NextPoll = at
		if err := a.db.SaveFeedState(ctx, f, ""); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	return nil
}

// demoConfig is the default config pointed at the fixture newsroom: only
// its loopback address is allowed, and the store is a fresh SQLite file.
func demoConfig(room *demo.Newsroom, keep string) (config.Config, func(), error) {
	cfg := config.Default()
	cleanup := func() {}
	path := keep
	if path == "" {
		dir, err := os.MkdirTemp("", "wiredesk-demo-")
		if err != nil {
			return cfg, cleanup, fmt.Errorf("demo store: %w", err)
		}
		cleanup = func() { os.RemoveAll(dir) }
		path = filepath.Join(dir, "demo.db")
	}
	cfg.Store = "sqlite:" + path
	for _, p := range room.AllowNetworks() {
		cfg.HTTP.AllowNetworks = append(cfg.HTTP.AllowNetworks, p.String())
	}
	cfg.Poll.HostDelay = config.Duration(20 * time.Millisecond)
	for _, f := range room.Feeds() {
		cfg.Feeds = append(cfg.Feeds, config.Feed{URL: f.URL, Name: f.Name, Tags: f.Tags, Rules: f.Rules})
	}
	return cfg, cleanup, cfg.Validate()
}

// printStories lists the stored stories with their outlets, biggest first.
func printStories(ctx context.Context, a *app, w io.Writer) error {
	stories, err := a.db.Stories(ctx, news.StoryQuery{Limit: 1000})
	if err != nil {
		return fmt.Errorf("list stories: %w", err)
	}
	fmt.Fprintf(w, "\n%d stories:\n", len(stories))
	for _, s := range stories {
		origin := ""
		if s.Origin != "" {
			origin = " [origin: " + s.Origin + "]"
		}
		fmt.Fprintf(w, "\n• %s (%s, %d articles)%s\n", s.Title, s.Lang, s.Articles, origin)
		st, err := a.db.Story(ctx, s.ID)
		if err != nil {
			return fmt.Errorf("story %d: %w", s.ID, err)
		}
		for _, m := range st.Members {
			how := "first"
			if m.DuplicateOf != 0 {
				how = m.Reason
			}
			fmt.Fprintf(w, "    %-22s %s  (%s)\n", m.Outlet, strings.TrimSpace(m.Title), how)
		}
	}
	return nil
}

// listenOrAny listens on addr, or on a free loopback port if addr is taken.
func listenOrAny(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err == nil {
		return ln, nil
	}
	ln, err2 := net.Listen("tcp", "127.0.0.1:0")
	if err2 != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}
