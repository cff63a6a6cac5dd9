package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// EventSource is the live stream (README, "Push"): the store's events in
// append order.
type EventSource interface {
	// After returns up to limit events after position after, in order.
	After(ctx context.Context, after int64, limit int) ([]news.Event, error)
	// Last returns the latest position.
	Last(ctx context.Context) (int64, error)
	// Wait returns a channel closed at this process's next commit (nil:
	// none; the handler looks again every eventLook).
	Wait() <-chan struct{}
}

// eventLook is how often a stream looks for other processes' events;
// eventBeat how often an idle stream sends a comment to keep proxies open.
const (
	eventLook = time.Second
	eventBeat = 15 * time.Second
)

// apiEvents streams events as Server-Sent Events: "id: <append
// position>", "event: article|revision|story|alert", "data: <JSON>". A
// client resuming with Last-Event-ID (or ?after=N) gets every event after
// it; without one the stream starts at the latest event.
func (s *Server) apiEvents(w http.ResponseWriter, r *http.Request) {
	src := s.opt.Events
	if src == nil {
		writeError(w, http.StatusNotFound, "no live stream on this server")
		return
	}
	ctx := r.Context()
	after, err := eventStart(ctx, r, src)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // a stream outlives the server's write timeout; not every writer can say so
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if _, err := fmt.Fprint(w, "retry: 2000\n\n"); err != nil || rc.Flush() != nil {
		return
	}
	beat := time.Now()
	for ctx.Err() == nil {
		wait := src.Wait()
		evs, err := src.After(ctx, after, 500)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Error("live stream", "after", after, "err", err)
			}
			return // the client reconnects with the last id it saw
		}
		for _, e := range evs {
			if _, err := fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", e.Seq, e.Kind, e.Data); err != nil {
				return
			}
			after = e.Seq
		}
		if len(evs) == 0 && time.Since(beat) >= eventBeat {
			if _, err := fmt.Fprint(w, ": beat\n\n"); err != nil {
				return
			}
		}
		if len(evs) > 0 || time.Since(beat) >= eventBeat {
			beat = time.Now()
			if rc.Flush() != nil {
				return
			}
		}
		if len(evs) == 500 {
			continue
		}
		t := time.NewTimer(eventLook)
		select {
		case <-s.streams.Done():
			return // the server shuts down
		case <-ctx.Done():
		case <-wait:
		case <-t.C:
		}
		t.Stop()
	}
}

// eventStart is the position a stream starts after: Last-Event-ID, or
// ?after=, or the latest.
func eventStart(ctx context.Context, r *http.Request, src EventSource) (int64, error) {
	v := strings.TrimSpace(r.Header.Get("Last-Event-ID"))
	if v == "" {
		v = r.URL.Query().Get("after")
	}
	if v == "" {
		return src.Last(ctx)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("Last-Event-ID (or after) %q is not an event id", v)
	}
	return n, nil
}
