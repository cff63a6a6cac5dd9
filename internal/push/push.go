// Package push delivers what the store's outbox holds (README, "Push"):
// alerts to webhooks and NATS JetStream subjects, at least once and always
// with the same id, and the stream of stored articles, revisions and story
// changes to NATS. The store decides alerts and appends events in the
// transaction of the write that makes them true; this package only reads
// what committed.
package push

import (
	"encoding/json"
	"strconv"
	"sync"
	"time"

	"github.com/wiredesk/wiredesk/store"
)

// Envelope is an alert as sinks receive it.
type Envelope struct {
	ID    string          `json:"id"`
	Rule  string          `json:"rule"`
	Kind  string          `json:"kind"` // story or feed
	At    time.Time       `json:"at"`
	Story json.RawMessage `json:"story,omitempty"`
	Feed  json.RawMessage `json:"feed,omitempty"`
}

// NewEnvelope returns a's envelope. The same alert always gives the same
// bytes: redeliveries carry the same body and signature.
func NewEnvelope(a store.Alert) Envelope {
	e := Envelope{ID: AlertID(a.ID), Rule: a.Rule, Kind: a.Kind, At: a.Created.UTC()}
	if a.Kind == "feed" {
		e.Feed = a.Body
	} else {
		e.Story = a.Body
	}
	return e
}

// AlertID is the id an alert is delivered with.
func AlertID(id int64) string { return strconv.FormatInt(id, 10) }

// Bell wakes whoever waits for new commits: the deliverers and the live
// streams of this process (other processes' commits are found by looking
// again after a short while).
type Bell struct {
	mu sync.Mutex
	ch chan struct{}
}

// NewBell returns a Bell.
func NewBell() *Bell { return &Bell{ch: make(chan struct{})} }

// Ring wakes every waiter.
func (b *Bell) Ring() {
	b.mu.Lock()
	defer b.mu.Unlock()
	close(b.ch)
	b.ch = make(chan struct{})
}

// C returns a channel closed at the next Ring.
func (b *Bell) C() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.ch
}
