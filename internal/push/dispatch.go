package push

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/wiredesk/wiredesk/store"
)

// Sink delivers an alert somewhere.
type Sink interface {
	Deliver(ctx context.Context, e Envelope) error
}

// Outbox is what a Dispatcher needs of the store.
type Outbox interface {
	ClaimDeliveries(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]store.Delivery, error)
	Settle(ctx context.Context, d store.Delivery, owner, status string, at, next time.Time, lastErr string) error
}

// Options configure a Dispatcher.
type Options struct {
	Owner   string        // this process, as claims name it
	Retry   time.Duration // first wait after a failure; doubles up to MaxWait
	GiveUp  time.Duration // an alert is retried for this long after its commit
	Timeout time.Duration // one delivery
	Logger  *slog.Logger
	Metrics *Metrics
	Bell    *Bell // rung after local commits; nil: look every Look
	Look    time.Duration
}

// MaxWait caps the wait between two attempts.
const MaxWait = time.Minute

// concurrency bounds the deliveries in flight.
const concurrency = 16

// Dispatcher claims due deliveries from the outbox and delivers them.
type Dispatcher struct {
	ob    Outbox
	sinks map[string]Sink
	opt   Options
}

// NewDispatcher returns a Dispatcher over ob delivering to sinks by name.
func NewDispatcher(ob Outbox, sinks map[string]Sink, opt Options) *Dispatcher {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Metrics == nil {
		opt.Metrics = NewMetrics(nil)
	}
	if opt.Look <= 0 {
		opt.Look = 250 * time.Millisecond
	}
	if opt.Bell == nil {
		opt.Bell = NewBell()
	}
	return &Dispatcher{ob: ob, sinks: sinks, opt: opt}
}

// lease is how long a claim holds: past it, a delivery whose deliverer
// died is claimed again.
func (d *Dispatcher) lease() time.Duration { return d.opt.Timeout + 5*time.Second }

// Run delivers until ctx ends, then waits for the deliveries in flight.
func (d *Dispatcher) Run(ctx context.Context) {
	sem := make(chan struct{}, concurrency)
	var wg sync.WaitGroup
	defer wg.Wait()
	for ctx.Err() == nil {
		bell := d.opt.Bell.C()
		free := concurrency - len(sem)
		var ds []store.Delivery
		if free > 0 {
			var err error
			ds, err = d.ob.ClaimDeliveries(ctx, d.opt.Owner, time.Now(), d.lease(), free)
			if err != nil && ctx.Err() == nil {
				d.opt.Logger.Error("claim alert deliveries", "err", err)
			}
		}
		for _, dl := range ds {
			sem <- struct{}{}
			wg.Go(func() {
				defer func() { <-sem }()
				d.deliver(ctx, dl)
			})
		}
		if len(ds) == free && free > 0 {
			continue // there may be more due
		}
		t := time.NewTimer(d.opt.Look)
		select {
		case <-ctx.Done():
		case <-bell:
		case <-t.C:
		}
		t.Stop()
	}
}

// Drain delivers what is due now, once (wiredesk poll, after its pass):
// failures wait for the next run or a serve.
func (d *Dispatcher) Drain(ctx context.Context) error {
	for {
		ds, err := d.ob.ClaimDeliveries(ctx, d.opt.Owner, time.Now(), d.lease(), concurrency)
		if err != nil || len(ds) == 0 {
			return err
		}
		var wg sync.WaitGroup
		for _, dl := range ds {
			wg.Go(func() { d.deliver(ctx, dl) })
		}
		wg.Wait()
	}
}

// deliver makes one attempt at dl and records its outcome.
func (d *Dispatcher) deliver(ctx context.Context, dl store.Delivery) {
	e := NewEnvelope(dl.Alert)
	log := d.opt.Logger.With("alert", e.ID, "rule", e.Rule, "sink", dl.Sink, "attempt", dl.Attempts)
	sink, ok := d.sinks[dl.Sink]
	var err error
	if !ok {
		err = &PermanentError{fmt.Errorf("no sink named %q in the configuration", dl.Sink)}
	} else {
		dctx, cancel := context.WithTimeout(ctx, d.opt.Timeout)
		err = sink.Deliver(dctx, e)
		cancel()
	}
	now := time.Now()
	status, next, msg := store.DeliveryDelivered, now, ""
	var perm *PermanentError
	switch {
	case err == nil:
		d.opt.Metrics.Latency.WithLabelValues(dl.Sink).Observe(now.Sub(dl.Created).Seconds())
	case ctx.Err() != nil:
		status, msg = store.DeliveryPending, "interrupted: "+err.Error() // shutting down: the next run retries at once
	case errors.As(err, &perm):
		status, msg = store.DeliveryFailed, err.Error()
	default:
		status, msg = store.DeliveryPending, err.Error()
		next = now.Add(d.backoff(dl.Attempts))
		if next.Sub(dl.Created) > d.opt.GiveUp {
			status, msg = store.DeliveryFailed, fmt.Sprintf("gave up after %d attempts: %v", dl.Attempts, err)
		}
	}
	outcome := map[string]string{store.DeliveryDelivered: "delivered", store.DeliveryPending: "retried", store.DeliveryFailed: "failed"}[status]
	d.opt.Metrics.Alerts.WithLabelValues(e.Rule, outcome).Inc()
	switch status {
	case store.DeliveryDelivered:
		log.Debug("alert delivered", "latency_ms", now.Sub(dl.Created).Milliseconds())
	case store.DeliveryPending:
		log.Warn("alert delivery failed; will retry", "err", msg, "retry_at", next)
	default:
		log.Error("alert delivery given up", "err", msg)
	}
	if err := d.ob.Settle(context.WithoutCancel(ctx), dl, d.opt.Owner, status, now, next, msg); err != nil {
		log.Error("settle alert delivery", "err", err)
	}
}

// backoff is the wait after the attempt-th failed attempt: Retry doubled
// per attempt, at most MaxWait, ±20%.
func (d *Dispatcher) backoff(attempt int) time.Duration {
	w := d.opt.Retry
	for i := 1; i < attempt && w < MaxWait; i++ {
		w *= 2
	}
	w = min(w, MaxWait)
	return time.Duration(float64(w) * (0.8 + 0.4*rand.Float64()))
}

func jsonMarshal(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("alert body: %w", err)
	}
	return b, nil
}
