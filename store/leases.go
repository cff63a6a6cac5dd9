package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// dueSQL selects due feeds whose lease is free or expired. %s is the
// dialect's row-locking suffix (FOR UPDATE SKIP LOCKED on PostgreSQL; on
// SQLite the write transaction is BEGIN IMMEDIATE, which serializes).
const dueSQL = `SELECT id FROM feeds
WHERE next_poll <= ? AND (lease_until IS NULL OR lease_until <= ?)
ORDER BY next_poll, id LIMIT ?%s`

// leaseSQL claims the selected feeds; %s is their id placeholders.
const leaseSQL = `UPDATE feeds SET lease_owner = ?, lease_until = ? WHERE id IN (%s) RETURNING ` + feedCols

// LeaseDueFeeds atomically claims up to limit feeds with next_poll <= now
// whose lease is free or expired, for owner until now+lease. Two concurrent
// callers never get the same feed. Feeds come ordered by next_poll, id.
func (db *DB) LeaseDueFeeds(ctx context.Context, now time.Time, owner string, lease time.Duration, limit int) ([]news.Feed, error) {
	if limit <= 0 {
		return nil, nil
	}
	var fs []news.Feed
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		ids, err := db.dueIDs(ctx, tx, now, limit)
		if err != nil || len(ids) == 0 {
			return err
		}
		args := append([]any{owner, db.tv(now.Add(lease))}, ids...)
		rows, err := tx.QueryContext(ctx, db.q(fmt.Sprintf(leaseSQL, marks(len(ids)))), args...)
		if err != nil {
			return err
		}
		fs, err = collectFeeds(rows)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("lease due feeds for %s: %w", owner, err)
	}
	sort.Slice(fs, func(i, j int) bool {
		if !fs[i].NextPoll.Equal(fs[j].NextPoll) {
			return fs[i].NextPoll.Before(fs[j].NextPoll)
		}
		return fs[i].ID < fs[j].ID
	})
	return fs, nil
}

func (db *DB) dueIDs(ctx context.Context, tx *sql.Tx, now time.Time, limit int) ([]any, error) {
	rows, err := tx.QueryContext(ctx, db.q(fmt.Sprintf(dueSQL, db.dialect.skipLocked)), db.tv(now), db.tv(now), limit)
	if err != nil {
		return nil, err
	}
	return scanIDs(rows)
}

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
