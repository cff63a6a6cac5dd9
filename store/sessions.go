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
