package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/wiredesk/wiredesk/internal/poll"
	"github.com/wiredesk/wiredesk/internal/web"
	"github.com/wiredesk/wiredesk/store"
)

// schedulerTick is how often the daemon looks for due feeds.
const schedulerTick = 15 * time.Second

// searchIndexTick is how often the daemon catches the search index up.
const searchIndexTick = 10 * time.Second

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := configFlag(fs)
	addr := fs.String("addr", "", "listen address (default serve.addr from the config)")
	noPoll := fs.Bool("no-poll", false, "serve only; do not run the scheduler on this instance")
	tick := fs.Duration("tick", schedulerTick, "how often the scheduler looks for due feeds")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	if *addr != "" {
		cfg.Serve.Addr = *addr
	}
	for _, w := range cfg.Warnings() {
		fmt.Fprintf(stderr, "wiredesk: warning: %s\n", w)
	}
	a, err := openApp(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	a.tick = *tick
	ln, err := net.Listen("tcp", cfg.Serve.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Serve.Addr, err)
	}
	fmt.Fprintf(stdout, "wiredesk: serving http://%s/\n", ln.Addr())
	var p *poll.Poller
	if !*noPoll {
		p = a.poller(nil)
	}
	return serveUntilDone(ctx, a, ln, p)
}

// serveUntilDone serves the web UI and runs the scheduler until ctx ends,
// then lets the in-flight pass finish and shuts the server down.
func serveUntilDone(ctx context.Context, a *app, ln net.Listener, p *poll.Poller) error {
	srv := web.New(a.db, web.Options{
		Token:      a.cfg.Serve.Token,
		FeedKey:    a.cfg.Serve.FeedKey,
		Logger:     a.log,
		Metrics:    a.metrics,
		IsNotFound: func(err error) bool { return errors.Is(err, store.ErrNotFound) },
		Events:     a.push.events,
		Alerts:     alertSource{a},
	}).HTTPServer(ln.Addr().String())
	pushDone, err := a.runPush(ctx)
	if err != nil {
		return err
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	schedDone := make(chan struct{})
	go func() {
		defer close(schedDone)
		if p != nil {
			schedule(ctx, a, p)
		}
	}()
	indexDone := make(chan struct{})
	go func() {
		defer close(indexDone)
		indexSearch(ctx, a)
	}()
	select {
	case <-ctx.Done():
	case err = <-serveErr:
	}
	<-schedDone
	<-indexDone
	pushDone()
	shutCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if e := srv.Shutdown(shutCtx); e != nil && err == nil {
		err = e
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// schedule runs a pass whenever feeds are due, until ctx ends.
func schedule(ctx context.Context, a *app, p *poll.Poller) {
	tick := a.tick
	if tick <= 0 {
		tick = schedulerTick
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		sum, err := p.Pass(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			a.log.Error("poll pass", "err", err)
		case sum.Feeds > 0:
			a.log.Info("poll pass", "feeds", sum.Feeds, "failed", sum.Failed, "articles", sum.Articles, "stories", sum.Stories, "duration_ms", sum.ElapsedMS)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// indexSearch keeps the search index caught up until ctx ends, so that
// searches rarely have articles to index first.
func indexSearch(ctx context.Context, a *app) {
	t := time.NewTicker(searchIndexTick)
	defer t.Stop()
	for {
		n, err := a.db.IndexSearch(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			a.log.Error("search index", "err", err)
		case n > 0:
			a.log.Debug("search index", "articles", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
