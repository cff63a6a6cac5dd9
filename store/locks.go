package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
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

// storyLockTTL bounds how long a crashed SQLite holder blocks others.
const storyLockTTL = 30 * time.Second

// WithStoryLock runs fn while holding exclusive locks on keys (dedup sketch
// keys), so that workers deduplicating the same story take turns. On
// PostgreSQL these are session advisory locks taken in sorted order; on
// SQLite rows of the locks table shared by every handle and process.
func (db *DB) WithStoryLock(ctx context.Context, keys []uint64, fn func(ctx context.Context) error) error {
	keys = slices.Clone(keys)
	slices.Sort(keys)
	keys = slices.Compact(keys)
	if len(keys) == 0 {
		return fn(ctx)
	}
	return db.dialect.storyLock(db, ctx, keys, fn)
}

// withLockRows is a storyLock on rows of the locks table, taken all or none
// and retried until they are free; a holder keeps them fresh while fn runs,
// and a dead holder's expire after storyLockTTL.
func (db *DB) withLockRows(ctx context.Context, keys []uint64, fn func(ctx context.Context) error) error {
	owner := lockOwner()
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = "story:" + strconv.FormatUint(k, 16)
	}
	wait := time.Millisecond
	for {
		ok, err := db.tryLocks(ctx, names, owner)
		if err != nil {
			return fmt.Errorf("story lock: %w", err)
		}
		if ok {
			break
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("story lock: %w", ctx.Err())
		case <-time.After(wait):
		}
		wait = min(2*wait, 50*time.Millisecond)
	}
	stop := db.keepLocks(ctx, names, owner)
	ferr := fn(ctx)
	stop()
	uctx := context.WithoutCancel(ctx)
	uerr := db.inTx(uctx, func(tx *sql.Tx) error {
		for _, n := range names {
			if _, err := tx.ExecContext(uctx, db.q(`DELETE FROM locks WHERE name = ? AND owner = ?`), n, owner); err != nil {
				return err
			}
		}
		return nil
	})
	if uerr != nil {
		uerr = fmt.Errorf("story unlock: %w", uerr)
	}
	if ferr != nil {
		return ferr
	}
	return uerr
}

// keepLocks extends owner's lock rows every third of their TTL while fn
// runs, so a long fn keeps them; the returned func stops it.
func (db *DB) keepLocks(ctx context.Context, names []string, owner string) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(storyLockTTL / 3)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				for _, n := range names {
					_ = db.RefreshLock(ctx, n, owner, storyLockTTL) // best effort; expiry is the fallback
				}
			}
		}
	}()
	return func() { cancel(); <-done }
}

// tryLocks takes all names for owner in one transaction, or none.
func (db *DB) tryLocks(ctx context.Context, names []string, owner string) (bool, error) {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		for _, n := range names {
			ok, err := db.tryLock(ctx, tx, n, owner, storyLockTTL)
			if err != nil {
				return err
			}
			if !ok {
				return errLockBusy
			}
		}
		return nil
	})
	if errors.Is(err, errLockBusy) {
		return false, nil
	}
	return err == nil, err
}

// errLockBusy rolls back a partial tryLocks.
var errLockBusy = errors.New("lock busy")

// lockOwner returns a random owner name for one WithStoryLock call.
func lockOwner() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return "story-" + hex.EncodeToString(b)
}
