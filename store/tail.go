package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// Workers sharing a store follow each other's articles through the append
// order: a position per stored article that becomes visible in increasing
// order, so that a reader who has seen everything up to position p and
// reads "after p" never skips an article committed late.
//
// On SQLite the position is the article id: there is one writer at a time.
// On PostgreSQL, ids are handed out when rows are inserted, not when they
// commit, so concurrent transactions make them visible out of order. Each
// write transaction therefore appends its articles to article_log at its
// very end, under a transaction-scoped advisory lock that it holds only
// for that one insert and its commit: log positions become visible in
// order, while the rest of the transactions (the article and story writes)
// run side by side.

// Appended is an article with its position in the append order.
type Appended struct {
	Pos int64
	news.Article
}

// Tail returns up to limit articles appended after position after, in
// append order (limit <= 0: 1000). A page may come back short when
// articles were deleted since they were appended.
func (db *DB) Tail(ctx context.Context, after int64, limit int) ([]Appended, error) {
	if limit <= 0 {
		limit = 1000
	}
	rows, err := db.r.QueryContext(ctx, db.q(db.appendedAfter(articleCols)), after, limit)
	if err != nil {
		return nil, fmt.Errorf("articles after position %d: %w", after, err)
	}
	defer rows.Close()
	var out []Appended
	for rows.Next() {
		var ap Appended
		if ap.Article, err = scanArticle(posScanner{rows, &ap.Pos}); err != nil {
			return nil, fmt.Errorf("articles after position %d: %w", after, err)
		}
		out = append(out, ap)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("articles after position %d: %w", after, err)
	}
	return out, rows.Close()
}

// appendedAfter is the query of cols (of articles a) for the articles
// appended after a position (the first argument), in append order, at most
// the second argument of them; the position is the first column.
func (db *DB) appendedAfter(cols string) string {
	if db.dialect.articleLog != "" {
		return `SELECT l.seq, ` + cols + ` FROM article_log l JOIN articles a ON a.id = l.article_id
			WHERE l.seq > ? ORDER BY l.seq LIMIT ?`
	}
	return `SELECT a.id, ` + cols + ` FROM articles a WHERE a.id > ? ORDER BY a.id LIMIT ?`
}

// posScanner reads a position column before an article's columns.
type posScanner struct {
	rows *sql.Rows
	pos  *int64
}

func (s posScanner) Scan(dest ...any) error {
	return s.rows.Scan(append([]any{s.pos}, dest...)...)
}

// WalkWindow calls fn for each article seen at or after since, oldest
// first, as WalkArticles does, and returns the append position the walk
// saw up to: Tail from there reads exactly the articles the walk missed.
// The walk and the position come from one snapshot.
func (db *DB) WalkWindow(ctx context.Context, since time.Time, fn func(news.Article) error) (int64, error) {
	return db.walkWindow(ctx, since, articleCols, func(rows *sql.Rows) error {
		a, err := scanArticle(rows)
		if err != nil {
			return fmt.Errorf("walk articles: %w", err)
		}
		return fn(a)
	})
}

// Sketched is what rebuilding a dedup index needs of a stored article:
// its sketch (dedup.Fingerprint's binary form) and its story membership,
// not its text. Text and URL are filled only for an article stored
// without a sketch.
type Sketched struct {
	ID, StoryID, DuplicateOf int64
	Seen                     time.Time
	Outlet, Title            string
	Score                    float64
	Origin                   string
	// Sketch is valid only during the call of WalkSketches's fn.
	Sketch    sql.RawBytes
	Text, URL string
}

const sketchedCols = `a.id, a.story_id, a.duplicate_of, a.seen, a.outlet, a.title, a.score, a.origin, a.sketch,
	CASE WHEN a.sketch IS NULL THEN a.text ELSE '' END, CASE WHEN a.sketch IS NULL THEN a.url ELSE '' END`

// WalkSketches is WalkWindow reading only what an index rebuild needs: a
// run loads its index from the sketches without reading or
// fingerprinting the texts. fn may keep nothing of s past its call.
func (db *DB) WalkSketches(ctx context.Context, since time.Time, fn func(s *Sketched) error) (int64, error) {
	var s Sketched
	return db.walkWindow(ctx, since, sketchedCols, func(rows *sql.Rows) error {
		var dup sql.NullInt64
		s.Sketch = s.Sketch[:0]
		err := rows.Scan(&s.ID, &s.StoryID, &dup, timeCol{&s.Seen}, &s.Outlet, &s.Title, &s.Score, &s.Origin,
			&s.Sketch, &s.Text, &s.URL)
		if err != nil {
			return fmt.Errorf("walk sketches: %w", err)
		}
		s.DuplicateOf = dup.Int64
		return fn(&s)
	})
}

// SketchBytes returns how many articles seen at or after since have a
// sketch, and their sketches' total size: what an index rebuild will
// insert (see dedup.Index.Grow).
func (db *DB) SketchBytes(ctx context.Context, since time.Time) (n int, size int64, err error) {
	err = db.r.QueryRowContext(ctx, db.q(`SELECT count(sketch), coalesce(sum(length(sketch)), 0) FROM articles
		WHERE seen >= ?`), db.tv(since)).Scan(&n, &size)
	if err != nil {
		return 0, 0, fmt.Errorf("size of sketches: %w", err)
	}
	return n, size, nil
}

// walkWindow runs the query of cols for the articles seen at or after
// since, oldest first, calling scan on each row, in one snapshot with the
// append position it returns.
func (db *DB) walkWindow(ctx context.Context, since time.Time, cols string, scan func(*sql.Rows) error) (int64, error) {
	tx, err := db.r.BeginTx(ctx, db.dialect.snapshot)
	if err != nil {
		return 0, fmt.Errorf("walk articles: %w", err)
	}
	defer tx.Rollback() // read-only: nothing to undo
	posQuery := `SELECT coalesce(max(id), 0) FROM articles`
	if db.dialect.articleLog != "" {
		posQuery = `SELECT coalesce(max(seq), 0) FROM article_log`
	}
	var pos int64
	if err := tx.QueryRowContext(ctx, posQuery).Scan(&pos); err != nil {
		return 0, fmt.Errorf("walk articles: append position: %w", err)
	}
	cond, args := "", []any{}
	if !since.IsZero() {
		cond, args = ` WHERE a.seen >= ?`, append(args, db.tv(since))
	}
	rows, err := tx.QueryContext(ctx, db.q(`SELECT `+cols+` FROM articles a`+cond+
		` ORDER BY a.seen, a.id`), args...)
	if err != nil {
		return 0, fmt.Errorf("walk articles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return 0, err
		}
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("walk articles: %w", err)
	}
	return pos, rows.Close()
}

// lockWrites starts an article write: see dialect.writeLock.
func (db *DB) lockWrites(ctx context.Context, tx txQuerier) error {
	if db.dialect.writeLock == "" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, db.dialect.writeLock); err != nil {
		return fmt.Errorf("lock writes: %w", err)
	}
	return nil
}

// appendArticles gives the articles ids, just stored by tx, their append
// positions and returns them. It is the last write of the transaction:
// on PostgreSQL it takes the append lock, held until the commit.
func (db *DB) appendArticles(ctx context.Context, tx txQuerier, ids []int64) ([]int64, error) {
	if db.dialect.articleLog == "" || len(ids) == 0 {
		return ids, nil
	}
	if _, err := tx.ExecContext(ctx, db.dialect.articleLock); err != nil {
		return nil, fmt.Errorf("lock append order: %w", err)
	}
	rows, err := tx.QueryContext(ctx, db.dialect.articleLog, ids)
	if err != nil {
		return nil, fmt.Errorf("append articles: %w", err)
	}
	pos, err := column[int64](rows)
	if err != nil {
		return nil, fmt.Errorf("append articles: %w", err)
	}
	return pos, nil
}
