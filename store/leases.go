package store

import (
	"context"
	"fmt"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// DueCount returns how many feeds have next_poll <= now, leased or not.
func (db *DB) DueCount(ctx context.Context, now time.Time) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, db.q(`SELECT count(*) FROM feeds WHERE next_poll <= ?`), db.tv(now)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("due count: %w", err)
	}
	return n, nil
}

const saveFeedStateSQL = `UPDATE feeds SET etag = ?, last_modified = ?, status = ?, error_class = ?,
	last_error = ?, failures = ?, last_polled = ?, next_poll = ?, interval_ns = ?, latency_ms = ?,
	last_item_at = ?, gap = ?, stale = ?, deferred_until = NULL,
	lease_until = CASE WHEN lease_owner = ? THEN NULL ELSE lease_until END,
	lease_owner = CASE WHEN lease_owner = ? THEN NULL ELSE lease_owner END
WHERE id = ?`

// saveFeedState writes the poll outcome fields of f (see SaveFeedState,
// push.go) with q.
func (db *DB) saveFeedState(ctx context.Context, q txQuerier, f news.Feed, owner string) error {
	next := f.NextPoll
	if next.IsZero() {
		next = time.Now()
	}
	res, err := q.ExecContext(ctx, db.q(saveFeedStateSQL), f.ETag, f.LastModified, f.Status, f.ErrorClass,
		f.LastError, f.Failures, db.tv(f.LastPolled), db.tv(next), int64(f.Interval), f.LatencyMS,
		db.tv(f.LastItemAt), f.Gap, f.Stale, owner, owner, f.ID)
	if err != nil {
		return fmt.Errorf("save feed %d state: %w", f.ID, err)
	}
	return affected(res, fmt.Sprintf("save feed %d state", f.ID))
}

// ReleaseLease frees feedID's lease if owner holds it; otherwise it does
// nothing.
func (db *DB) ReleaseLease(ctx context.Context, feedID int64, owner string) error {
	_, err := db.w.ExecContext(ctx, db.q(`UPDATE feeds SET lease_owner = NULL, lease_until = NULL
		WHERE id = ? AND lease_owner = ?`), feedID, owner)
	if err != nil {
		return fmt.Errorf("release lease of feed %d: %w", feedID, err)
	}
	return nil
}
