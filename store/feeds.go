package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// feedCols are the columns scanFeed reads, in order.
const feedCols = `id, url, name, tags, rules, etag, last_modified, status, error_class, last_error,
	failures, last_polled, next_poll, interval_ns, latency_ms, last_item_at, gap, stale, item_count, created,
	host, deferred_until`

type scanner interface{ Scan(dest ...any) error }

func scanFeed(s scanner) (news.Feed, error) {
	var (
		f           news.Feed
		tags, rules string
		interval    int64
	)
	err := s.Scan(&f.ID, &f.URL, &f.Name, &tags, strCol{&rules}, &f.ETag, &f.LastModified, &f.Status,
		&f.ErrorClass, &f.LastError, &f.Failures, timeCol{&f.LastPolled}, timeCol{&f.NextPoll}, &interval,
		&f.LatencyMS, timeCol{&f.LastItemAt}, &f.Gap, &f.Stale, &f.ItemCount, timeCol{&f.Created},
		&f.Host, timeCol{&f.DeferredUntil})
	if err != nil {
		return f, err
	}
	f.Interval = time.Duration(interval)
	if err := json.Unmarshal([]byte(tags), &f.Tags); err != nil {
		return f, fmt.Errorf("feed %d tags: %w", f.ID, err)
	}
	if rules != "" {
		f.Rules = new(news.Rules)
		if err := json.Unmarshal([]byte(rules), f.Rules); err != nil {
			return f, fmt.Errorf("feed %d rules: %w", f.ID, err)
		}
	}
	return f, nil
}

func collectFeeds(rows *sql.Rows) ([]news.Feed, error) {
	defer rows.Close()
	var fs []news.Feed
	for rows.Next() {
		f, err := scanFeed(rows)
		if err != nil {
			return nil, err
		}
		fs = append(fs, f)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return fs, rows.Close()
}

func encodeFeedMeta(f news.Feed) (tags string, rules any, err error) {
	if f.Tags == nil {
		f.Tags = []string{}
	}
	b, err := json.Marshal(f.Tags)
	if err != nil {
		return "", nil, err
	}
	if f.Rules == nil {
		return string(b), nil, nil
	}
	r, err := json.Marshal(f.Rules)
	if err != nil {
		return "", nil, err
	}
	return string(b), string(r), nil
}

const upsertFeedSQL = `INSERT INTO feeds (url, name, tags, rules, status, next_poll, interval_ns, created, host)
VALUES (?, ?, ?, ?, 'new', ?, ?, ?, ?)
ON CONFLICT (url) DO UPDATE SET name = excluded.name, tags = excluded.tags, rules = excluded.rules,
	host = excluded.host
RETURNING id`

// UpsertFeed adds the feed with f.URL, or updates an existing one's name,
// tags and rules only. A new feed is due now with status "new" and starts
// at f.Interval. It returns the feed's id.
func (db *DB) UpsertFeed(ctx context.Context, f news.Feed) (int64, error) {
	if f.URL == "" {
		return 0, errors.New("upsert feed: empty url")
	}
	tags, rules, err := encodeFeedMeta(f)
	if err != nil {
		return 0, fmt.Errorf("upsert feed %s: %w", f.URL, err)
	}
	now := db.tv(time.Now())
	var id int64
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, db.q(upsertFeedSQL), f.URL, f.Name, tags, rules, now,
			int64(f.Interval), now, news.FeedHost(f.URL)).Scan(&id)
		if err != nil {
			return err
		}
		if err := addHost(ctx, db, tx, news.FeedHost(f.URL)); err != nil {
			return err
		}
		return db.setFeedTags(ctx, tx, id, f.Tags)
	})
	if err != nil {
		return 0, fmt.Errorf("upsert feed %s: %w", f.URL, err)
	}
	return id, nil
}

func (db *DB) setFeedTags(ctx context.Context, tx *sql.Tx, id int64, tags []string) error {
	if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM feed_tags WHERE feed_id = ?`), id); err != nil {
		return err
	}
	for _, t := range tags {
		_, err := tx.ExecContext(ctx, db.q(`INSERT INTO feed_tags (feed_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING`), id, t)
		if err != nil {
			return err
		}
	}
	return nil
}

// Feeds returns every feed by id.
func (db *DB) Feeds(ctx context.Context) ([]news.Feed, error) {
	rows, err := db.read(ctx, `SELECT `+feedCols+` FROM feeds ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list feeds: %w", err)
	}
	fs, err := collectFeeds(rows)
	if err != nil {
		return nil, fmt.Errorf("list feeds: %w", err)
	}
	return fs, nil
}

// RemoveFeed deletes the feed with id, or returns ErrNotFound. Its stored
// articles stay, as history, with no feed (Article.FeedID 0).
func (db *DB) RemoveFeed(ctx context.Context, id int64) error {
	res, err := db.w.ExecContext(ctx, db.q(`DELETE FROM feeds WHERE id = ?`), id)
	if err != nil {
		return fmt.Errorf("remove feed %d: %w", id, err)
	}
	return affected(res, fmt.Sprintf("feed %d", id))
}

// affected returns ErrNotFound, naming what, when res changed no row.
func affected(res sql.Result, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	return nil
}
