package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// MergeStoriesOf folds the stories of articles a and b into one, when two
// workers sharing the store each started a story for copies of the same
// text before seeing the other's (see README, "Scale out"). The older story
// (lower id) survives; the first article of the other story records that it
// matched the other article, with score and reason. It reports whether a
// merge happened: false when both are in one story already.
func (db *DB) MergeStoriesOf(ctx context.Context, a, b int64, score float64, reason string) (bool, error) {
	merged := false
	var rec pushRecord
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		// A merge runs alone: no other merge, and no article write that
		// may hold one of its stories (see dialect.writeLock).
		if db.dialect.mergeLock != "" {
			if _, err := tx.ExecContext(ctx, db.dialect.mergeLock); err != nil {
				return fmt.Errorf("lock merges: %w", err)
			}
		}
		sa, err := storyOf(ctx, db, tx, a)
		if err != nil {
			return err
		}
		sb, err := storyOf(ctx, db, tx, b)
		if err != nil || sa == sb {
			return err
		}
		keep, drop := min(sa, sb), max(sa, sb)
		matched := a // the article of the surviving story
		if sa == drop {
			matched = b
		}
		for _, id := range []int64{keep, drop} { // lock in id order
			var locked int64
			err := tx.QueryRowContext(ctx, db.q(`SELECT id FROM stories WHERE id = ?`+db.dialect.forUpdate), id).Scan(&locked)
			if err != nil {
				return fmt.Errorf("lock story %d: %w", id, err)
			}
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE articles SET duplicate_of = ?, score = ?, reason = ?
			WHERE story_id = ? AND duplicate_of IS NULL`), matched, score, reason, drop); err != nil {
			return fmt.Errorf("merge story %d: %w", drop, err)
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE articles SET story_id = ? WHERE story_id = ?`), keep, drop); err != nil {
			return fmt.Errorf("merge story %d into %d: %w", drop, keep, err)
		}
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM stories WHERE id = ?`), drop); err != nil {
			return fmt.Errorf("drop merged story %d: %w", drop, err)
		}
		merged = true
		if err := db.refreshStory(ctx, tx, keep); err != nil {
			return err
		}
		rec, err = db.pushMerge(ctx, tx, keep)
		return err
	})
	if err == nil {
		db.notifyPush(rec)
	}
	if err != nil {
		return false, fmt.Errorf("merge stories of articles %d and %d: %w", a, b, err)
	}
	return merged, nil
}

func storyOf(ctx context.Context, db *DB, tx *sql.Tx, article int64) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, db.q(`SELECT story_id FROM articles WHERE id = ?`), article).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("article %d: %w", article, ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("story of article %d: %w", article, err)
	}
	return id, nil
}
