package push

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/wiredesk/wiredesk/news"
	"github.com/wiredesk/wiredesk/store"
)

// EventStore is what Events reads.
type EventStore interface {
	EventsAfter(ctx context.Context, after int64, limit int) ([]store.PushEvent, error)
	LastEvent(ctx context.Context) (int64, error)
	Article(ctx context.Context, id int64) (news.Article, error)
	Story(ctx context.Context, id int64) (news.Story, error)
	ArticleRevisions(ctx context.Context, id int64) ([]news.Revision, error)
	Alert(ctx context.Context, id int64) (store.Alert, error)
}

// Events renders the store's push events for the live streams (SSE and
// NATS): an article as the API serves it, a revision, a story (its state
// when read), an alert as sinks receive it. What was deleted since is
// {"id":N,"deleted":true}.
type Events struct {
	St   EventStore
	Bell *Bell
}

// After returns up to limit events after position after, rendered.
func (ev *Events) After(ctx context.Context, after int64, limit int) ([]news.Event, error) {
	pes, err := ev.St.EventsAfter(ctx, after, limit)
	if err != nil {
		return nil, err
	}
	out := make([]news.Event, 0, len(pes))
	for _, pe := range pes {
		data, err := ev.render(ctx, pe)
		if err != nil {
			return nil, fmt.Errorf("event %d: %w", pe.Seq, err)
		}
		out = append(out, news.Event{Seq: pe.Seq, Kind: pe.Kind, Data: data})
	}
	return out, nil
}

// Last returns the position of the latest event.
func (ev *Events) Last(ctx context.Context) (int64, error) { return ev.St.LastEvent(ctx) }

// Wait returns a channel closed at this process's next commit (nil: none
// will tell; look again after a while).
func (ev *Events) Wait() <-chan struct{} {
	if ev.Bell == nil {
		return nil
	}
	return ev.Bell.C()
}

func (ev *Events) render(ctx context.Context, pe store.PushEvent) ([]byte, error) {
	var v any
	var err error
	switch pe.Kind {
	case "article":
		v, err = ev.St.Article(ctx, pe.Ref)
	case "story":
		v, err = ev.St.Story(ctx, pe.Ref)
	case "revision":
		var revs []news.Revision
		revs, err = ev.St.ArticleRevisions(ctx, pe.Ref)
		v = deleted{pe.Ref, true}
		for _, r := range revs {
			if r.Rev == pe.Rev {
				v = r
			}
		}
	case "alert":
		var a store.Alert
		if a, err = ev.St.Alert(ctx, pe.Ref); err == nil {
			v = NewEnvelope(a)
		}
	default:
		return nil, fmt.Errorf("unknown event kind %q", pe.Kind)
	}
	if errors.Is(err, store.ErrNotFound) {
		v, err = deleted{pe.Ref, true}, nil
	}
	if err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

type deleted struct {
	ID      int64 `json:"id"`
	Deleted bool  `json:"deleted"`
}
