// Package store keeps feeds, articles and stories in SQLite or PostgreSQL
// behind one API. Open picks the dialect from the DSN's scheme and applies
// the embedded migrations.
//
// Times are stored in UTC with microsecond precision in both dialects
// (SQLite: integer unix nanoseconds; PostgreSQL: timestamptz), so values read
// back are equal on both. A zero time.Time is stored as NULL.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Sentinel errors.
var (
	// ErrNotFound reports a feed, article, story or lock that does not exist.
	ErrNotFound = errors.New("not found")
	// ErrDuplicate reports an article whose (feed, GUID) or canonical URL is
	// already stored; nothing was written.
	ErrDuplicate = errors.New("duplicate article")
)

// DB is a wiredesk store. It is safe for concurrent use.
type DB struct {
	r       *sql.DB // reads
	w       *sql.DB // writes; on SQLite a single connection with BEGIN IMMEDIATE
	dialect dialect

	mu     sync.RWMutex
	prefer []string
	push   pushState // what writes record for push (push.go)

	searchMu sync.Mutex // one search index catch-up at a time in this process
	// searchDenseAt overrides searchDense (tests); 0 keeps it.
	searchDenseAt int

	stmts stmtCache // prepared read statements (SQLite)
	path  string    // the SQLite file; "" on PostgreSQL
}

// Path returns the SQLite store's file, "" for PostgreSQL: files that
// belong with the store (the dedup index snapshot) go beside it.
func (db *DB) Path() string { return db.path }

// Open opens the store named by dsn and applies pending migrations.
// "sqlite:PATH" or a bare path ending in .db opens SQLite; "postgres://" or
// "postgresql://" opens PostgreSQL (the dialects and their forms are
// listed in dialect.go).
func Open(ctx context.Context, dsn string) (*DB, error) {
	d, ok := dialectFor(dsn)
	if !ok {
		return nil, fmt.Errorf("open store %q: unknown scheme (want %s)", redact(dsn), dsnForms())
	}
	db, err := d.open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	db.dialect = d
	if err := db.migrate(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open store %s: %w", redact(dsn), err)
	}
	if err := db.fillHosts(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open store %s: %w", redact(dsn), err)
	}
	return db, nil
}

// Close closes the store's connections.
func (db *DB) Close() error {
	err := errors.Join(db.stmts.close(), db.w.Close())
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	return err
}

// Dialect returns "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.name }

// OneWriter tells a store whose database takes one writer at a time
// (SQLite): two poll runs over it should not overlap, where on a shared
// server workers split the feeds through leases.
func (db *DB) OneWriter() bool { return db.dialect.oneWriter }

// SetPrefer sets the outlets preferred as a story's representative, in
// order (dedup.prefer). Outlets compare case-insensitively. It applies to
// stories saved from now on.
func (db *DB) SetPrefer(outlets []string) {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.prefer = append([]string(nil), outlets...)
}

func (db *DB) preferred() []string {
	db.mu.RLock()
	defer db.mu.RUnlock()
	return db.prefer
}

// inTx runs fn in a write transaction, committing when fn returns nil.
func (db *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		return errors.Join(err, ignoreDone(tx.Rollback()))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func ignoreDone(err error) error {
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

// tv converts t to the dialect's column value: NULL for the zero time.
func (db *DB) tv(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return db.dialect.timeValue(t.UTC().Truncate(time.Microsecond))
}

// q rewrites a query's ? placeholders for the dialect.
func (db *DB) q(query string) string { return db.dialect.bind(query) }

// timeCol scans a nullable time column of either dialect.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.t = time.Time{}
	case int64:
		*c.t = time.Unix(0, v).UTC()
	case time.Time:
		*c.t = v.UTC()
	default:
		return fmt.Errorf("scan time: unsupported type %T", src)
	}
	return nil
}

// nullStr stores "" as NULL.
func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// strCol scans a nullable text column into a string.
type strCol struct{ s *string }

func (c strCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.s = ""
	case string:
		*c.s = v
	case []byte:
		*c.s = string(v)
	default:
		return fmt.Errorf("scan string: unsupported type %T", src)
	}
	return nil
}

// firstSight is when an article is first stored: when it was fetched,
// or now. The outlet's published date never stands in for it (see
// news.Article.Seen).
func firstSight(fetched time.Time) time.Time {
	if !fetched.IsZero() {
		return fetched
	}
	return time.Now()
}
