package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/wiredesk/wiredesk/internal/config"
	"github.com/wiredesk/wiredesk/internal/push"
	"github.com/wiredesk/wiredesk/internal/web"
	"github.com/wiredesk/wiredesk/store"
)

// pusher is the app's push side (README, "Push"): the store records
// events and decides alerts in its write transactions; serve and poll
// deliver them.
type pusher struct {
	bell    *push.Bell
	metrics *push.Metrics
	events  *push.Events
	conns   push.Conns
	owner   string
}

// setupPush tells the store what to record and registers push's metrics.
func (a *app) setupPush() {
	p := &pusher{bell: push.NewBell(), metrics: push.NewMetrics(a.metrics.Registry)}
	host, _ := os.Hostname()
	p.owner = fmt.Sprintf("%s-%d-%d", host, os.Getpid(), time.Now().UnixNano())
	p.events = &push.Events{St: a.db, Bell: p.bell}
	rules := make([]store.AlertRule, len(a.cfg.Alerts.Rules))
	for i, r := range a.cfg.Alerts.Rules {
		within := r.Within.D()
		if within == 0 && len(r.FeedHealth) == 0 {
			within = a.cfg.Dedup.Window.D()
		}
		rules[i] = store.AlertRule{Name: r.Name, MinOutlets: r.MinOutlets, Within: within, Lang: r.Lang,
			Tags: r.Tags, Origin: r.Origin, Words: r.Words, FeedHealth: r.FeedHealth, To: r.To}
		for _, o := range []string{"decided", "delivered", "retried", "failed"} {
			p.metrics.Alerts.WithLabelValues(r.Name, o) // show every series from the start
		}
	}
	a.db.SetPush(store.PushOptions{Events: true, Rules: rules, Notify: func(decided map[string]int) {
		for rule, n := range decided {
			p.metrics.Alerts.WithLabelValues(rule, "decided").Add(float64(n))
		}
		p.bell.Ring()
	}})
	a.push = p
}

// dispatcher builds the alert deliverer over the configured sinks.
func (a *app) dispatcher() (*push.Dispatcher, error) {
	al := a.cfg.Alerts
	client := &http.Client{Timeout: al.Timeout.D()}
	sinks := map[string]push.Sink{}
	for _, k := range al.Sinks {
		if k.Webhook != "" {
			sinks[k.Name] = &push.Webhook{URL: k.Webhook, Secret: k.Secret, Format: k.Format, Client: client}
			continue
		}
		js, err := a.push.conns.JetStream(k.NATS)
		if err != nil {
			return nil, fmt.Errorf("alerts sink %s: %w", k.Name, err)
		}
		sinks[k.Name] = push.NATSSink{Subject: &push.Subject{JS: js, Subject: k.Subject, Stream: k.Stream}}
	}
	return push.NewDispatcher(a.db, sinks, push.Options{Owner: a.push.owner, Retry: al.Retry.D(), GiveUp: al.GiveUp.D(),
		Timeout: al.Timeout.D(), Logger: a.log, Metrics: a.push.metrics, Bell: a.push.bell}), nil
}

// streamer builds the NATS stream publisher, nil when stream is not
// configured.
func (a *app) streamer() (*push.Streamer, error) {
	s := a.cfg.Stream
	if s.NATS == "" {
		return nil, nil
	}
	js, err := a.push.conns.JetStream(s.NATS)
	if err != nil {
		return nil, fmt.Errorf("stream: %w", err)
	}
	return &push.Streamer{Events: a.push.events, Cursors: a.db, Subject: &push.Subject{JS: js, Subject: s.Subject, Stream: s.Stream},
		Owner: a.push.owner, Logger: a.log, Metrics: a.push.metrics}, nil
}

// runPush delivers alerts and publishes the stream until ctx ends; the
// returned function waits for them to stop.
func (a *app) runPush(ctx context.Context) (func(), error) {
	d, err := a.dispatcher()
	if err != nil {
		return nil, err
	}
	s, err := a.streamer()
	if err != nil {
		return nil, err
	}
	var wg sync.WaitGroup
	wg.Go(func() { d.Run(ctx) })
	if s != nil {
		wg.Go(func() { s.Run(ctx) })
	}
	return wg.Wait, nil
}

// drainPush delivers what is due and publishes the stream up to now, once
// (after a poll pass).
func (a *app) drainPush(ctx context.Context) error {
	if len(a.cfg.Alerts.Rules) > 0 {
		d, err := a.dispatcher()
		if err != nil {
			return err
		}
		if err := d.Drain(ctx); err != nil {
			return fmt.Errorf("deliver alerts: %w", err)
		}
	}
	s, err := a.streamer()
	if err != nil || s == nil {
		return err
	}
	return s.CatchUp(ctx)
}

// alertSource is the dashboard's view of the rules and the delivery log.
type alertSource struct{ a *app }

func (s alertSource) Rules() []web.AlertRule {
	var out []web.AlertRule
	for _, r := range s.a.cfg.Alerts.Rules {
		out = append(out, web.AlertRule{Name: r.Name, When: describeRule(r, s.a.cfg.Dedup.Window.D()), To: r.To})
	}
	return out
}

func (s alertSource) Deliveries(ctx context.Context, limit int) ([]web.Delivery, error) {
	ds, err := s.a.db.DeliveryLog(ctx, limit)
	out := make([]web.Delivery, len(ds))
	for i, d := range ds {
		out[i] = web.Delivery(d)
	}
	return out, err
}

// describeRule puts a rule in words.
func describeRule(r config.Rule, window time.Duration) string {
	if len(r.FeedHealth) > 0 {
		return "a feed's health changes: " + strings.Join(r.FeedHealth, ", ")
	}
	within := r.Within.D()
	if within == 0 {
		within = window
	}
	parts := []string{fmt.Sprintf("a story reaches %d outlets within %s", max(r.MinOutlets, 1), within)}
	for _, f := range []struct {
		key  string
		vals []string
	}{{"lang", r.Lang}, {"tags", r.Tags}, {"origin", r.Origin}, {"words", r.Words}} {
		if len(f.vals) > 0 {
			parts = append(parts, f.key+" "+strings.Join(f.vals, " | "))
		}
	}
	return strings.Join(parts, "; ")
}
