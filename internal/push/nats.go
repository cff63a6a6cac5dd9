package push

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Conns shares one NATS connection per server URL between sinks and the
// stream. Connections reconnect forever; publishes fail (and are retried)
// while the server is away.
type Conns struct {
	mu sync.Mutex
	m  map[string]jetstream.JetStream
	nc []*nats.Conn
}

// JetStream returns the JetStream context of url's connection.
func (c *Conns) JetStream(url string) (jetstream.JetStream, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if js, ok := c.m[url]; ok {
		return js, nil
	}
	nc, err := nats.Connect(url, nats.Name("wiredesk"), nats.MaxReconnects(-1), nats.RetryOnFailedConnect(true),
		nats.ReconnectWait(time.Second))
	if err != nil {
		return nil, fmt.Errorf("nats connect: %w", err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("nats jetstream: %w", err)
	}
	if c.m == nil {
		c.m = map[string]jetstream.JetStream{}
	}
	c.m[url] = js
	c.nc = append(c.nc, nc)
	return js, nil
}

// Close closes the connections. Nothing is pending on them: every
// publish waited for its acknowledgement.
func (c *Conns) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, nc := range c.nc {
		nc.Close()
	}
	c.nc, c.m = nil, nil
	return nil
}

// Subject publishes on a JetStream subject, creating a stream for it when
// none holds it.
type Subject struct {
	JS      jetstream.JetStream
	Subject string
	Stream  string // the stream to create (default from the subject)

	mu    sync.Mutex
	ready bool
}

// StreamName is the default stream name of a subject: WIREDESK_ALERTS for
// wiredesk.alerts.
func StreamName(subject string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '_'
	}, subject)
}

// ensure creates the stream when no stream holds the subject.
func (s *Subject) ensure(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ready {
		return nil
	}
	_, err := s.JS.StreamNameBySubject(ctx, s.Subject)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		name := s.Stream
		if name == "" {
			name = StreamName(s.Subject)
		}
		_, err = s.JS.CreateStream(ctx, jetstream.StreamConfig{Name: name, Subjects: []string{s.Subject}})
		if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
			err = nil // another worker made it
		}
	}
	if err != nil {
		return fmt.Errorf("nats stream for %s: %w", s.Subject, err)
	}
	s.ready = true
	return nil
}

// Publish publishes data with msgID as Nats-Msg-Id, so that the server
// drops a republished message (within the stream's duplicate window).
func (s *Subject) Publish(ctx context.Context, msgID string, header nats.Header, data []byte) error {
	if err := s.ensure(ctx); err != nil {
		return err
	}
	m := &nats.Msg{Subject: s.Subject, Header: header, Data: data}
	if _, err := s.JS.PublishMsg(ctx, m, jetstream.WithMsgID(msgID)); err != nil {
		return fmt.Errorf("nats publish %s: %w", s.Subject, err)
	}
	return nil
}

// NATSSink delivers alerts on a JetStream subject, Nats-Msg-Id the alert
// id.
type NATSSink struct{ *Subject }

// Deliver publishes e.
func (n NATSSink) Deliver(ctx context.Context, e Envelope) error {
	body, err := jsonMarshal(e)
	if err != nil {
		return &PermanentError{err}
	}
	return n.Publish(ctx, e.ID, nats.Header{"Wiredesk-Rule": []string{e.Rule}}, body)
}
