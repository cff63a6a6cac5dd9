package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/wiredesk/wiredesk/news"
)

// Readers only the tests use: production reads feeds through Feeds and
// LeaseFrontier and has no use for store-wide totals, so these are not
// part of the package's API.

// Counts are the store's totals.
type Counts struct{ Feeds, Articles, Stories, Duplicates int64 }

const countsSQL = `SELECT
	(SELECT count(*) FROM feeds),
	(SELECT count(*) FROM articles),
	(SELECT count(*) FROM stories),
	(SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL)`

// Counts returns the number of feeds, articles, stories and articles that
// duplicate an earlier one.
func (db *DB) Counts(ctx context.Context) (Counts, error) {
	var c Counts
	err := db.r.QueryRowContext(ctx, countsSQL).Scan(&c.Feeds, &c.Articles, &c.Stories, &c.Duplicates)
	if err != nil {
		return c, fmt.Errorf("counts: %w", err)
	}
	return c, nil
}

// Feed returns the feed with id, or ErrNotFound.
func (db *DB) Feed(ctx context.Context, id int64) (news.Feed, error) {
	f, err := scanFeed(db.readRow(ctx, db.q(`SELECT `+feedCols+` FROM feeds WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("feed %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return f, fmt.Errorf("feed %d: %w", id, err)
	}
	return f, nil
}
