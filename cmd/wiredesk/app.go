package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/wiredesk/wiredesk/internal/config"
	"github.com/wiredesk/wiredesk/internal/metrics"
	"github.com/wiredesk/wiredesk/internal/poll"
	"github.com/wiredesk/wiredesk/news"
	"github.com/wiredesk/wiredesk/scraper"
	"github.com/wiredesk/wiredesk/store"
)

const defaultConfig = "config.yaml"

// configFlag registers -config on fs.
func configFlag(fs *flag.FlagSet) *string {
	return fs.String("config", defaultConfig, "configuration file (YAML); a missing ./config.yaml means the defaults")
}

// loadConfig loads path; only the default path may be missing. A config
// problem is a usage error (exit 2).
func loadConfig(path string) (config.Config, error) {
	cfg, err := config.Load(path, path == defaultConfig)
	if err != nil {
		return cfg, &usageError{err}
	}
	return cfg, nil
}

// openConfigured loads the config at path and opens the app on it.
func openConfigured(ctx context.Context, path string, stderr io.Writer) (*app, error) {
	cfg, err := loadConfig(path)
	if err != nil {
		return nil, err
	}
	return openApp(ctx, cfg, stderr)
}

// app is everything a store-backed command needs, built from the config.
type app struct {
	cfg     config.Config
	db      *store.DB
	fetcher *scraper.Fetcher
	metrics *metrics.Metrics
	log     *slog.Logger
	now     func() time.Time // the pollers' clock; nil: time.Now
	push    *pusher
	tick    time.Duration // serve: how often the scheduler looks for due feeds (0: schedulerTick)
}

// openApp opens the store, merges the configured feeds into it and builds
// the fetcher.
func openApp(ctx context.Context, cfg config.Config, stderr io.Writer) (*app, error) {
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: logLevel()}))
	db, err := store.Open(ctx, cfg.Store)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", config.Redact(cfg.Store), err)
	}
	db.SetPrefer(cfg.Dedup.Prefer)
	for _, f := range cfg.Feeds {
		if _, err := db.UpsertFeed(ctx, news.Feed{URL: f.URL, Name: f.Name, Tags: f.Tags, Rules: f.Rules}); err != nil {
			db.Close()
			return nil, fmt.Errorf("add configured feed %s: %w", f.URL, err)
		}
	}
	fetcher, err := newFetcher(cfg)
	if err != nil {
		db.Close()
		return nil, err
	}
	a := &app{cfg: cfg, db: db, fetcher: fetcher, metrics: metrics.New(), log: log}
	a.setupPush()
	return a, nil
}

func (a *app) Close() error {
	a.fetcher.Close()
	return errors.Join(a.push.conns.Close(), a.db.Close())
}

func newFetcher(cfg config.Config) (*scraper.Fetcher, error) {
	f, err := scraper.New(scraper.Options{
		UserAgent:     cfg.HTTP.UserAgent,
		Timeout:       cfg.HTTP.Timeout.D(),
		MaxBody:       int64(cfg.HTTP.MaxBody),
		AllowNetworks: cfg.AllowPrefixes(),
		Proxy:         cfg.HTTP.Proxy,
		PerHost:       cfg.Poll.PerHost,
		HostDelay:     hostDelay(cfg.Poll.HostDelay.D()),
	})
	if err != nil {
		return nil, fmt.Errorf("http client: %w", err)
	}
	return f, nil
}

// hostDelay maps poll.host_delay onto scraper.Options.HostDelay, where zero
// takes the fetcher's default: the config's own default is already laid
// under the file, so a zero here was written explicitly ("0s": no spacing)
// and becomes the fetcher's "none".
func hostDelay(d time.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return d
}

// poller builds the pipeline over the app's store and fetcher.
func (a *app) poller(progress func(poll.Progress)) *poll.Poller {
	return a.pollerWith(progress, "")
}

// pollerWith is poller with the dedup index snapshot file (see
// poll.Options.Snapshot); "" for none.
func (a *app) pollerWith(progress func(poll.Progress), snapshot string) *poll.Poller {
	host, _ := os.Hostname()
	return poll.New(poll.FromDB(a.db), a.fetcher, poll.Options{
		Snapshot:    snapshot,
		Owner:       fmt.Sprintf("%s-%d-%d", host, os.Getpid(), time.Now().UnixNano()),
		Lease:       a.cfg.Poll.Lease.D(),
		Concurrency: a.cfg.Poll.Concurrency,
		Schedule: poll.Schedule{
			Start: a.cfg.Poll.Interval.D(),
			Min:   a.cfg.Poll.MinInterval.D(),
			Max:   a.cfg.Poll.MaxInterval.D(),
		},
		Articles:   a.cfg.Scrape.Articles,
		Robots:     a.cfg.Scrape.Robots,
		Window:     a.cfg.Dedup.Window.D(),
		Memory:     int64(a.cfg.Dedup.Memory),
		FeedBudget: a.cfg.FeedBudget(),
		Logger:     a.log,
		Metrics:    a.metrics,
		Progress:   progress,
		Now:        a.now,
	})
}

// logLevel reads WIREDESK_LOG (debug, info, warn, error); default warn, so
// that cron mail carries only what needs a look.
func logLevel() slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(os.Getenv("WIREDESK_LOG"))); err != nil || os.Getenv("WIREDESK_LOG") == "" {
		return slog.LevelWarn
	}
	return l
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
