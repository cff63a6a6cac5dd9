package push

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/wiredesk/wiredesk/news"
	"github.com/wiredesk/wiredesk/store"
)

// EventStore is what Events reads.
type EventStore interface {
	EventsAfter(ctx context.Context, after int64, limit int) ([]store.PushEvent, error)
	LastEvent(ctx context.Context) (int64, error)
	ArticlesByID(ctx context.Context, ids []int64) (map[int64]news.Article, error)
	StoriesByID(ctx context.Context, ids []int64) (map[int64]news.Story, error)
	RevisionsByRef(ctx context.Context, refs []store.RevisionRef) (map[store.RevisionRef]news.Revision, error)
	AlertsByID(ctx context.Context, ids []int64) (map[int64]store.Alert, error)
}

// Events renders the store's push events for the live streams (SSE and
// NATS): an article as the API serves it, a revision, a story (its state
// when read), an alert as sinks receive it. What was deleted since is
// {"id":N,"deleted":true}.
type Events struct {
	St   EventStore
	Bell *Bell
}

// After returns up to limit events after position after, rendered. What
// the events name is read in one batch per kind.
func (ev *Events) After(ctx context.Context, after int64, limit int) ([]news.Event, error) {
	pes, err := ev.St.EventsAfter(ctx, after, limit)
	if err != nil {
		return nil, err
	}
	r, err := ev.read(ctx, pes)
	if err != nil {
		return nil, fmt.Errorf("events after %d: %w", after, err)
	}
	out := make([]news.Event, 0, len(pes))
	for _, pe := range pes {
		data, err := r.render(pe)
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

// eventData is what a page of events names, read.
type eventData struct {
	articles  map[int64]news.Article
	stories   map[int64]news.Story
	revisions map[store.RevisionRef]news.Revision
	alerts    map[int64]store.Alert
}

func (ev *Events) read(ctx context.Context, pes []store.PushEvent) (eventData, error) {
	var (
		d                     eventData
		arts, stories, alerts []int64
		revs                  []store.RevisionRef
		err                   error
	)
	for _, pe := range pes {
		switch pe.Kind {
		case "article":
			arts = append(arts, pe.Ref)
		case "story":
			stories = append(stories, pe.Ref)
		case "revision":
			revs = append(revs, store.RevisionRef{ArticleID: pe.Ref, Rev: pe.Rev})
		case "alert":
			alerts = append(alerts, pe.Ref)
		}
	}
	if d.articles, err = ev.St.ArticlesByID(ctx, arts); err != nil {
		return d, err
	}
	if d.stories, err = ev.St.StoriesByID(ctx, stories); err != nil {
		return d, err
	}
	if d.revisions, err = ev.St.RevisionsByRef(ctx, revs); err != nil {
		return d, err
	}
	d.alerts, err = ev.St.AlertsByID(ctx, alerts)
	return d, err
}

// render is an event's data; what was deleted since is {"id":N,"deleted":true}.
func (d eventData) render(pe store.PushEvent) ([]byte, error) {
	var (
		v  any
		ok bool
	)
	switch pe.Kind {
	case "article":
		v, ok = d.articles[pe.Ref]
	case "story":
		v, ok = d.stories[pe.Ref]
	case "revision":
		v, ok = d.revisions[store.RevisionRef{ArticleID: pe.Ref, Rev: pe.Rev}]
	case "alert":
		var a store.Alert
		if a, ok = d.alerts[pe.Ref]; ok {
			v = NewEnvelope(a)
		}
	default:
		return nil, fmt.Errorf("unknown event kind %q", pe.Kind)
	}
	if !ok {
		v = deleted{pe.Ref, true}
	}
	return json.Marshal(v)
}

type deleted struct {
	ID      int64 `json:"id"`
	Deleted bool  `json:"deleted"`
}
