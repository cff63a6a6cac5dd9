package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Alert is a decided alert, as its deliverers read it.
type Alert struct {
	ID      int64
	Rule    string
	Kind    string // story or feed
	Created time.Time
	Body    []byte // the AlertStory or AlertFeed, JSON, as decided
}

// Delivery is an alert's delivery to one sink, claimed by a deliverer.
type Delivery struct {
	Alert
	Sink     string
	Attempts int // including this one
}

// Delivery statuses.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// ClaimDeliveries claims up to limit deliveries due at now for owner,
// until now+lease: no other deliverer takes them before then (on
// PostgreSQL the rows are picked FOR UPDATE SKIP LOCKED, so deliverers
// never wait on each other). A claim that its owner does not settle (a
// killed process) is taken again once it expires: delivery is at least
// once, always with the same alert id.
func (db *DB) ClaimDeliveries(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]Delivery, error) {
	rows, err := db.w.QueryContext(ctx, db.q(`UPDATE alert_deliveries SET claimed_by = ?, claimed_until = ?, attempts = attempts + 1
		WHERE (alert_id, sink) IN (SELECT alert_id, sink FROM alert_deliveries
			WHERE status = 'pending' AND next_attempt <= ? AND (claimed_until IS NULL OR claimed_until < ?)
			ORDER BY next_attempt LIMIT ?`+db.dialect.skipLocked+`)
		RETURNING alert_id, sink, attempts`), owner, db.tv(now.Add(lease)), db.tv(now), db.tv(now), limit)
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	defer rows.Close()
	var ds []Delivery
	for rows.Next() {
		var d Delivery
		if err := rows.Scan(&d.ID, &d.Sink, &d.Attempts); err != nil {
			return nil, fmt.Errorf("claim deliveries: %w", err)
		}
		ds = append(ds, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	ids := make([]int64, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	alerts, err := db.AlertsByID(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("claim deliveries: %w", err)
	}
	for i := range ds {
		a, ok := alerts[ds[i].ID]
		if !ok {
			return nil, fmt.Errorf("claim deliveries: alert %d: %w", ds[i].ID, ErrNotFound)
		}
		ds[i].Alert = a
	}
	return ds, nil
}

// Alert reads alert id.
func (db *DB) Alert(ctx context.Context, id int64) (Alert, error) {
	a := Alert{ID: id}
	var body string
	err := db.w.QueryRowContext(ctx, db.q(`SELECT rule, kind, created, body FROM alerts WHERE id = ?`), id).
		Scan(&a.Rule, &a.Kind, timeCol{&a.Created}, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("alert %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return a, fmt.Errorf("alert %d: %w", id, err)
	}
	a.Body = []byte(body)
	return a, nil
}

// Settle records the outcome of owner's claimed delivery d: delivered at
// at (status DeliveryDelivered), given up (DeliveryFailed), or retried at
// next (DeliveryPending). A claim that expired and was taken by another
// deliverer is left to that one (ErrNotFound).
func (db *DB) Settle(ctx context.Context, d Delivery, owner, status string, at, next time.Time, lastErr string) error {
	var delivered any
	latency := int64(0)
	if status == DeliveryDelivered {
		delivered = db.tv(at)
		latency = at.Sub(d.Created).Milliseconds()
	}
	res, err := db.w.ExecContext(ctx, db.q(`UPDATE alert_deliveries SET status = ?, next_attempt = ?, last_error = ?,
		delivered = ?, latency_ms = ?, claimed_until = NULL WHERE alert_id = ? AND sink = ? AND claimed_by = ?`),
		status, db.tv(next), lastErr, delivered, latency, d.ID, d.Sink, owner)
	if err != nil {
		return fmt.Errorf("settle alert %d to %s: %w", d.ID, d.Sink, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("settle alert %d to %s: claim lost: %w", d.ID, d.Sink, ErrNotFound)
	}
	return nil
}

// DeliveryStatus is a line of the delivery log.
type DeliveryStatus struct {
	AlertID   int64     `json:"alert"`
	Rule      string    `json:"rule"`
	Kind      string    `json:"kind"`
	Sink      string    `json:"sink"`
	Status    string    `json:"status"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"last_error"`
	Created   time.Time `json:"created"`
	Delivered time.Time `json:"delivered"`
	LatencyMS int64     `json:"latency_ms"`
}

// DeliveryLog returns the latest limit deliveries, newest alert first.
func (db *DB) DeliveryLog(ctx context.Context, limit int) ([]DeliveryStatus, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT a.id, a.rule, a.kind, d.sink, d.status, d.attempts, d.last_error,
		a.created, d.delivered, d.latency_ms FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id
		ORDER BY a.id DESC, d.sink LIMIT ?`), limit)
	if err != nil {
		return nil, fmt.Errorf("delivery log: %w", err)
	}
	defer rows.Close()
	var out []DeliveryStatus
	for rows.Next() {
		var s DeliveryStatus
		if err := rows.Scan(&s.AlertID, &s.Rule, &s.Kind, &s.Sink, &s.Status, &s.Attempts, &s.LastError,
			timeCol{&s.Created}, timeCol{&s.Delivered}, &s.LatencyMS); err != nil {
			return nil, fmt.Errorf("delivery log: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("delivery log: %w", err)
	}
	return out, rows.Close()
}

// PushEvent is an entry of push_events: Ref is the article (article,
// revision), story or alert id; Rev the revision number.
type PushEvent struct {
	Seq  int64
	Kind string
	Ref  int64
	Rev  int
}

// EventsAfter returns up to limit events after position after, in order.
func (db *DB) EventsAfter(ctx context.Context, after int64, limit int) ([]PushEvent, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT seq, kind, ref, rev FROM push_events WHERE seq > ? ORDER BY seq LIMIT ?`), after, limit)
	if err != nil {
		return nil, fmt.Errorf("events after %d: %w", after, err)
	}
	defer rows.Close()
	var out []PushEvent
	for rows.Next() {
		var e PushEvent
		if err := rows.Scan(&e.Seq, &e.Kind, &e.Ref, &e.Rev); err != nil {
			return nil, fmt.Errorf("events after %d: %w", after, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("events after %d: %w", after, err)
	}
	return out, rows.Close()
}

// LastEvent returns the position of the latest event (0: none).
func (db *DB) LastEvent(ctx context.Context) (int64, error) {
	var seq sql.NullInt64
	if err := db.r.QueryRowContext(ctx, `SELECT max(seq) FROM push_events`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("last event: %w", err)
	}
	return seq.Int64, nil
}

// LeaseCursor takes the named cursor for owner until until, unless another
// owner holds it at now: its position and whether owner holds it.
func (db *DB) LeaseCursor(ctx context.Context, name, owner string, now, until time.Time) (int64, bool, error) {
	if _, err := db.w.ExecContext(ctx, db.q(`INSERT INTO push_cursors (name) VALUES (?) ON CONFLICT (name) DO NOTHING`), name); err != nil {
		return 0, false, fmt.Errorf("cursor %s: %w", name, err)
	}
	var seq int64
	err := db.w.QueryRowContext(ctx, db.q(`UPDATE push_cursors SET owner = ?, owner_until = ?
		WHERE name = ? AND (owner = ? OR owner_until IS NULL OR owner_until < ?) RETURNING seq`),
		owner, db.tv(until), name, owner, db.tv(now)).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("cursor %s: %w", name, err)
	}
	return seq, true, nil
}

// SaveCursor moves owner's cursor to seq.
func (db *DB) SaveCursor(ctx context.Context, name, owner string, seq int64) error {
	_, err := db.w.ExecContext(ctx, db.q(`UPDATE push_cursors SET seq = ? WHERE name = ? AND owner = ? AND seq < ?`), seq, name, owner, seq)
	if err != nil {
		return fmt.Errorf("cursor %s: %w", name, err)
	}
	return nil
}
