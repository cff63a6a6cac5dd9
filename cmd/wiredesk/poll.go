package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/wiredesk/wiredesk/internal/poll"
)

func runPoll(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("poll", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := configFlag(fs)
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	wait := fs.Bool("wait", false, "if another poll is running, wait for it instead of exiting")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	// A signal while the store opens or the cron lock is taken stops the
	// run before anything was fetched: say so, not just "context canceled".
	early := func(err error) error {
		if err != nil && ctx.Err() != nil {
			return fmt.Errorf("poll interrupted before its pass began, nothing fetched or stored: %w", err)
		}
		return err
	}
	a, err := openConfigured(ctx, *cfgPath, stderr)
	if err != nil {
		return early(err)
	}
	defer a.Close()
	if a.db.OneWriter() {
		unlock, err := cronLock(ctx, a, a.cfg.Poll.Lease.D(), *wait, stderr)
		if err != nil || unlock == nil {
			return early(err)
		}
		defer unlock()
	}
	var bar *progressBar
	if isTerminal(stderr) {
		bar = &progressBar{w: stderr}
	}
	stopProfile := startProfiles(stderr)
	// A cron run on SQLite (one writer at a time) loads the dedup index
	// the last run left beside the store instead of rebuilding it.
	snapshot := ""
	if path := a.db.Path(); path != "" {
		snapshot = path + ".dedup"
	}
	p := a.pollerWith(bar.update, snapshot)
	sum, err := p.Pass(ctx)
	stopProfile() // with p alive: the peak report counts the dedup index
	runtime.KeepAlive(p)
	bar.finish()
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("poll interrupted after %d feeds: articles in flight were rolled back; unfinished feeds are polled next run", sum.Feeds)
	}
	if err != nil {
		return fmt.Errorf("poll: %w", err)
	}
	if err := a.drainPush(ctx); err != nil {
		// Kept in the store: the next run or a serve delivers it.
		a.log.Error("push after pass", "err", err)
	}
	return reportPass(sum, *asJSON, stdout, stderr)
}

// cronLock keeps two overlapping runs on a one-writer store (SQLite)
// apart (on PostgreSQL, workers share the feeds through leases instead). It returns
// nil, nil when another run holds the lock and wait is false.
func cronLock(ctx context.Context, a *app, lease time.Duration, wait bool, stderr io.Writer) (unlock func(), err error) {
	owner := fmt.Sprintf("poll-%d-%d", os.Getpid(), time.Now().UnixNano())
	// The cron lock lives as long as a lease without a refresh: a killed
	// run's lock and feeds are free again after poll.lease.
	got, err := acquirePollLock(ctx, a, owner, lease, wait)
	if err != nil || !got {
		if err == nil {
			fmt.Fprintln(stderr, "wiredesk: another poll is running on this store; exiting (use -wait to wait for it)")
		}
		return nil, err
	}
	stopRefresh := keepLock(ctx, a, owner, lease)
	return func() {
		stopRefresh()
		if err := a.db.Unlock(context.WithoutCancel(ctx), "poll", owner); err != nil {
			a.log.Warn("release poll lock", "err", err)
		}
	}, nil
}

func reportPass(sum poll.Summary, asJSON bool, stdout, stderr io.Writer) error {
	for _, f := range sum.Failures {
		fmt.Fprintf(stderr, "feed %s failed (%s): %s\n", f.URL, f.Class, f.Error)
	}
	if asJSON {
		if err := json.NewEncoder(stdout).Encode(sum); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(stdout, sum.String())
	}
	if sum.Failed > 0 {
		return errFeedsFailed
	}
	return nil
}

func acquirePollLock(ctx context.Context, a *app, owner string, ttl time.Duration, wait bool) (bool, error) {
	for {
		ok, err := a.db.TryLock(ctx, "poll", owner, ttl)
		if err != nil {
			return false, fmt.Errorf("poll lock: %w", err)
		}
		if ok || !wait {
			return ok, nil
		}
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// keepLock refreshes the poll lock while a pass runs.
func keepLock(ctx context.Context, a *app, owner string, ttl time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(ttl / 4)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := a.db.RefreshLock(ctx, "poll", owner, ttl); err != nil && ctx.Err() == nil {
					a.log.Warn("refresh poll lock", "err", err)
				}
			}
		}
	}()
	return func() { cancel(); <-done }
}

// progressBar draws feeds done of total, new items, errors, deferred feeds
// and the hosts in flight and waiting on a terminal.
type progressBar struct {
	w     io.Writer
	drawn bool
}

func (b *progressBar) update(p poll.Progress) {
	if b == nil {
		return
	}
	const width = 30
	fill := 0
	if p.Total > 0 {
		fill = min(width, p.Done*width/p.Total)
	}
	fmt.Fprintf(b.w, "\r[%s%s] %d/%d feeds, %d new items, %d errors, %d deferred; hosts: %d in flight, %d waiting ",
		strings.Repeat("#", fill), strings.Repeat(".", width-fill), p.Done, p.Total, p.NewItems, p.Errors, p.Deferred,
		p.HostsInFlight, p.HostsWaiting)
	b.drawn = true
}

func (b *progressBar) finish() {
	if b != nil && b.drawn {
		fmt.Fprint(b.w, "\r\033[K")
	}
}
