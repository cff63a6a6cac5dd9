package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// AddSession stores a session under the digest of its id, first deleting
// the sessions unused since usedBefore or started before createdBefore.
func (db *DB) AddSession(ctx context.Context, hash string, now, usedBefore, createdBefore time.Time) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM sessions WHERE used < ? OR created < ?`),
			db.tv(usedBefore), db.tv(createdBefore)); err != nil {
			return fmt.Errorf("prune sessions: %w", err)
		}
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO sessions (id_hash, created, used) VALUES (?, ?, ?)`),
			hash, db.tv(now), db.tv(now)); err != nil {
			return fmt.Errorf("add session: %w", err)
		}
		return nil
	})
}

// Session returns when the session stored under hash was started and
// last used, or ErrNotFound. The caller decides what counts as expired.
func (db *DB) Session(ctx context.Context, hash string) (created, used time.Time, err error) {
	err = db.r.QueryRowContext(ctx, db.q(`SELECT created, used FROM sessions WHERE id_hash = ?`), hash).
		Scan(timeCol{&created}, timeCol{&used})
	if errors.Is(err, sql.ErrNoRows) {
		return created, used, fmt.Errorf("session: %w", ErrNotFound)
	}
	if err != nil {
		return created, used, fmt.Errorf("session: %w", err)
	}
	return created, used, nil
}

// TouchSession records that the session under hash was used at.
func (db *DB) TouchSession(ctx context.Context, hash string, at time.Time) error {
	if _, err := db.w.ExecContext(ctx, db.q(`UPDATE sessions SET used = ? WHERE id_hash = ?`), db.tv(at), hash); err != nil {
		return fmt.Errorf("touch session: %w", err)
	}
	return nil
}

// EndSession deletes the session under hash (no error when it is gone).
func (db *DB) EndSession(ctx context.Context, hash string) error {
	if _, err := db.w.ExecContext(ctx, db.q(`DELETE FROM sessions WHERE id_hash = ?`), hash); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// TakeLogin spends one login try of client address addr at now, from a
// budget of burst tries that refills one per every and is shared by every
// serve instance on the store: false when addr has none left. It is a
// generic cell rate algorithm on one row per address (its theoretical
// arrival time); addresses whose budget is whole again are pruned.
func (db *DB) TakeLogin(ctx context.Context, addr string, now time.Time, every time.Duration, burst int) (bool, error) {
	n, e := now.UnixNano(), every.Nanoseconds()
	ok := false
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM login_throttle WHERE tat < ?`), n); err != nil {
			return err
		}
		// What is left has tat >= now: a try is allowed while tat stays
		// within burst-1 intervals ahead, and moves it one interval on.
		var tat int64
		err := tx.QueryRowContext(ctx, db.q(`INSERT INTO login_throttle (addr, tat) VALUES (?, ?)
			ON CONFLICT (addr) DO UPDATE SET tat = login_throttle.tat + ?
			WHERE login_throttle.tat <= ?
			RETURNING tat`), addr, n+e, e, n+int64(burst-1)*e).Scan(&tat)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		ok = err == nil
		return err
	})
	if err != nil {
		return false, fmt.Errorf("login throttle of %s: %w", addr, err)
	}
	return ok, nil
}
