package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

const tryLockSQL = `INSERT INTO locks (name, owner, expires) VALUES (?, ?, ?)
ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires = excluded.expires
WHERE locks.owner = excluded.owner OR locks.expires <= ?
RETURNING owner`

// TryLock takes (or renews) the named lock for owner until now+ttl. It
// returns false when another owner holds it and it has not expired.
func (db *DB) TryLock(ctx context.Context, name, owner string, ttl time.Duration) (bool, error) {
	var ok bool
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		ok, err = db.tryLock(ctx, tx, name, owner, ttl)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("lock %s: %w", name, err)
	}
	return ok, nil
}

func (db *DB) tryLock(ctx context.Context, tx *sql.Tx, name, owner string, ttl time.Duration) (bool, error) {
	now := time.Now()
	var got string
	err := tx.QueryRowContext(ctx, db.q(tryLockSQL), name, owner, db.tv(now.Add(ttl)), db.tv(now)).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// RefreshLock extends owner's hold on the named lock to now+ttl, or returns
// ErrNotFound when owner no longer holds it.
func (db *DB) RefreshLock(ctx context.Context, name, owner string, ttl time.Duration) error {
	res, err := db.w.ExecContext(ctx, db.q(`UPDATE locks SET expires = ? WHERE name = ? AND owner = ?`),
		db.tv(time.Now().Add(ttl)), name, owner)
	if err != nil {
		return fmt.Errorf("refresh lock %s: %w", name, err)
	}
	return affected(res, "refresh lock "+name)
}

// Unlock releases the named lock if owner holds it.
func (db *DB) Unlock(ctx context.Context, name, owner string) error {
	_, err := db.w.ExecContext(ctx, db.q(`DELETE FROM locks WHERE name = ? AND owner = ?`), name, owner)
	if err != nil {
		return fmt.Errorf("unlock %s: %w", name, err)
	}
	return nil
}
