package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// articleCols are the columns scanArticle reads, in order, from alias a.
const articleCols = `a.id, a.feed_id, a.outlet, a.guid, a.url, a.canonical_url, a.title, a.byline, a.text,
	a.lang, a.image, a.published, a.seen, a.updated, a.revisions, a.fetched, a.content_hash, a.story_id,
	a.duplicate_of, a.score, a.reason, a.origin`

func scanArticle(s scanner) (news.Article, error) {
	var (
		a           news.Article
		feedID, dup sql.NullInt64
	)
	err := s.Scan(&a.ID, &feedID, &a.Outlet, strCol{&a.GUID}, &a.URL, strCol{&a.CanonicalURL}, &a.Title,
		&a.Byline, &a.Text, &a.Lang, &a.Image, timeCol{&a.Published}, timeCol{&a.Seen}, timeCol{&a.Updated},
		&a.Revisions, timeCol{&a.Fetched}, &a.ContentHash,
		&a.StoryID, &dup, &a.Score, &a.Reason, &a.Origin)
	a.FeedID, a.DuplicateOf = feedID.Int64, dup.Int64
	return a, err
}

func collectArticles(rows *sql.Rows) ([]news.Article, error) {
	defer rows.Close()
	var as []news.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		as = append(as, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return as, rows.Close()
}

// ItemKey identifies a feed item for KnownItems.
type ItemKey struct{ GUID, CanonicalURL string }

// knownBatch bounds the placeholders of one KnownItems query.
const knownBatch = 200

// Known is what the store holds of a feed item: the article it became (0:
// the item is new), the hash of the feed entry that article was last
// fetched for ("" when stored before item hashes were kept), and whether
// the article came from this feed (Own) rather than being known by its
// canonical URL from another feed.
type Known struct {
	ArticleID int64
	ItemHash  string
	Own       bool
}

// KnownItems reports, for each key, the article stored with the same feed
// and GUID, or else with the same canonical URL in any feed. Empty fields
// never match.
func (db *DB) KnownItems(ctx context.Context, feedID int64, keys []ItemKey) ([]Known, error) {
	known := make([]Known, len(keys))
	for start := 0; start < len(keys); start += knownBatch {
		end := min(start+knownBatch, len(keys))
		if err := db.knownBatch(ctx, feedID, keys[start:end], known[start:end]); err != nil {
			return nil, fmt.Errorf("known items of feed %d: %w", feedID, err)
		}
	}
	return known, nil
}

func (db *DB) knownBatch(ctx context.Context, feedID int64, keys []ItemKey, known []Known) error {
	var guids, urls []any
	for _, k := range keys {
		if k.GUID != "" {
			guids = append(guids, k.GUID)
		}
		if k.CanonicalURL != "" {
			urls = append(urls, k.CanonicalURL)
		}
	}
	if len(guids) == 0 && len(urls) == 0 {
		return nil
	}
	// Both lists are padded with NULLs (which match nothing) to one of a
	// few lengths, so that the query has a few shapes, each prepared once
	// (parsing it was most of what a feed's lookup cost on SQLite).
	n := knownShape(max(len(guids), len(urls)))
	q := `SELECT id, feed_id, guid, canonical_url, item_hash FROM articles WHERE (feed_id = ? AND guid IN (` + marks(n) +
		`)) OR canonical_url IN (` + marks(n) + `)`
	args := make([]any, 0, 1+2*n)
	args = append(append(args, feedID), guids...)
	args = append(append(args, make([]any, n-len(guids))...), urls...)
	args = append(args, make([]any, n-len(urls))...)
	rows, err := db.read(ctx, db.q(q), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	gs, us := map[string]Known{}, map[string]Known{}
	for rows.Next() {
		var (
			k    Known
			f    sql.NullInt64
			g, u string
		)
		if err := rows.Scan(&k.ArticleID, &f, strCol{&g}, strCol{&u}, &k.ItemHash); err != nil {
			return err
		}
		k.Own = f.Int64 == feedID
		if k.Own {
			gs[g] = k
		}
		if old, ok := us[u]; !ok || (k.Own && !old.Own) {
			us[u] = k
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i, k := range keys {
		if g, ok := gs[k.GUID]; ok && k.GUID != "" {
			known[i] = g
		} else if u, ok := us[k.CanonicalURL]; ok && k.CanonicalURL != "" {
			known[i] = u
		}
	}
	return rows.Close()
}

// knownShape is the length KnownItems pads a list of n keys to.
func knownShape(n int) int {
	for _, size := range []int{8, 32} {
		if n <= size {
			return size
		}
	}
	return knownBatch
}

// marks returns n comma-separated placeholders; NULL when n is 0 so that
// "IN (NULL)" matches nothing.
func marks(n int) string {
	if n == 0 {
		return "NULL"
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// Article returns the article with id, or ErrNotFound.
func (db *DB) Article(ctx context.Context, id int64) (news.Article, error) {
	a, err := scanArticle(db.readRow(ctx, db.q(`SELECT `+articleCols+` FROM articles a WHERE a.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("article %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return a, fmt.Errorf("article %d: %w", id, err)
	}
	return a, nil
}

// Articles returns articles matching q, newest (published, else fetched)
// first. Search is a word search (see search.go).
func (db *DB) Articles(ctx context.Context, q news.ArticleQuery) ([]news.Article, error) {
	var (
		where []string
		args  []any
	)
	if q.FeedID != 0 {
		where, args = append(where, `a.feed_id = ?`), append(args, q.FeedID)
	}
	if q.Lang != "" {
		where, args = append(where, `a.lang = ?`), append(args, q.Lang)
	}
	if q.Tag != "" {
		where = append(where, `a.feed_id IN (SELECT feed_id FROM feed_tags WHERE tag = ?)`)
		args = append(args, q.Tag)
	}
	if q.Search != "" {
		f, err := db.planSearch(ctx, q.Search, q.FeedID != 0 || q.Lang != "" || q.Tag != "")
		if err != nil {
			return nil, fmt.Errorf("list articles: %w", err)
		}
		cond, cargs := f.articleCond("a")
		where, args = append(where, cond), append(args, cargs...)
	}
	if !q.Since.IsZero() {
		where, args = append(where, `a.seen >= ?`), append(args, db.tv(q.Since))
	}
	query := `SELECT ` + articleCols + ` FROM articles a` + whereClause(where) +
		` ORDER BY a.seen DESC, a.id DESC LIMIT ? OFFSET ?`
	limit, offset := page(q.Limit, q.Offset)
	rows, err := db.read(ctx, db.q(query), append(args, limit, offset)...)
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	as, err := collectArticles(rows)
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	return as, nil
}

func whereClause(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(conds, " AND ")
}

// page applies the default limit of 50 and the maximum of 1000.
func page(limit, offset int) (int, int) {
	if limit <= 0 {
		limit = 50
	}
	return min(limit, 1000), max(offset, 0)
}

// WalkArticles calls fn for each article seen (published, else fetched)
// at or after since, oldest first. It streams rows; an error from fn stops
// the walk and is returned.
func (db *DB) WalkArticles(ctx context.Context, since time.Time, fn func(news.Article) error) error {
	_, err := db.WalkWindow(ctx, since, fn)
	return err
}
