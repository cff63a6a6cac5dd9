package push

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/wiredesk/wiredesk/store"
)

// CursorStore keeps the stream's position in the store.
type CursorStore interface {
	LeaseCursor(ctx context.Context, name, owner string, now, until time.Time) (int64, bool, error)
	SaveCursor(ctx context.Context, name, owner string, seq int64) error
}

// Streamer publishes every event but alerts (which go to their sinks) on
// a NATS subject, in order, Nats-Msg-Id the event's append position and
// the kind in the Wiredesk-Event header. Its position is a cursor in the
// store, leased so that one worker publishes at a time; after a crash the
// events past the saved position are published again and the server drops
// them as duplicates.
type Streamer struct {
	Events  *Events
	Cursors CursorStore
	Subject *Subject
	Owner   string
	Logger  *slog.Logger
	Metrics *Metrics
	Look    time.Duration // how often to look for other processes' events (500ms)
}

// streamLease is how long the stream's cursor stays with its publisher
// (renewed at every look): after a crash another process, or the same one
// restarted, takes over within it.
const streamLease = 5 * time.Second

// Run publishes until ctx ends.
func (s *Streamer) Run(ctx context.Context) {
	if s.Look <= 0 {
		s.Look = 500 * time.Millisecond
	}
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	name := "nats:" + s.Subject.Subject
	wait := s.Look
	for ctx.Err() == nil {
		bell := s.Events.Wait()
		n, err := s.pass(ctx, name)
		switch {
		case err != nil && ctx.Err() == nil:
			s.Metrics.StreamErr.Inc()
			s.Logger.Error("nats stream", "subject", s.Subject.Subject, "err", err)
			wait = min(2*wait, 30*time.Second)
		case err == nil:
			wait = s.Look
		}
		if n > 0 && err == nil {
			continue
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-bell:
		case <-t.C:
		}
		t.Stop()
	}
}

// pass publishes one page of events past the cursor, if this process
// holds it, and moves the cursor past what was published.
func (s *Streamer) pass(ctx context.Context, name string) (int, error) {
	now := time.Now()
	pos, ok, err := s.Cursors.LeaseCursor(ctx, name, s.Owner, now, now.Add(streamLease))
	if err != nil || !ok {
		return 0, err
	}
	evs, err := s.Events.After(ctx, pos, 500)
	if err != nil {
		return 0, err
	}
	done := pos
	var perr error
	for _, e := range evs {
		if e.Kind != "alert" {
			h := nats.Header{"Wiredesk-Event": []string{e.Kind}}
			if perr = s.Subject.Publish(ctx, strconv.FormatInt(e.Seq, 10), h, e.Data); perr != nil {
				break
			}
			s.Metrics.Streamed.WithLabelValues(e.Kind).Inc()
		}
		done = e.Seq
	}
	if done > pos {
		if err := s.Cursors.SaveCursor(context.WithoutCancel(ctx), name, s.Owner, done); err != nil {
			return 0, err
		}
	}
	return len(evs), perr
}

var _ CursorStore = (*store.DB)(nil)

// CatchUp publishes every event committed so far, once (wiredesk poll).
func (s *Streamer) CatchUp(ctx context.Context) error {
	name := "nats:" + s.Subject.Subject
	for {
		n, err := s.pass(ctx, name)
		if err != nil {
			s.Metrics.StreamErr.Inc()
			return err
		}
		if n == 0 {
			return nil
		}
	}
}
