package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// dialect holds what differs between SQLite and PostgreSQL.
type dialect struct {
	name       string
	bind       func(string) string
	skipLocked string // row-locking suffix for lease selection
	forUpdate  string // row-locking suffix for a story row
	dayExpr    string // UTC day number of the articles.seen column
	lockStory  string // row-locking suffix for a story row whose aggregates change
	// articleLog: articles get their append position in article_log, under
	// articleLock (see tail.go). SQLite needs neither: it has one writer, and
	// article ids are the append order.
	articleLog  bool
	articleLock string
	// writeLock is taken shared by every article write and exclusive by
	// every story merge: writes run side by side, a merge runs alone, so no
	// write ever holds a story that a merge deletes under it.
	writeLock string
	mergeLock string
	// insertNewStorySQL inserts an article with a new story id, when the
	// dialect can hand one out before the story's row exists.
	insertNewStorySQL string
	// lastArticleSQL, where set, gives the largest article id ever used: an
	// ingest batch then hands out article ids itself (the next ones; there
	// is one writer), so that a new story's row is written whole, with its
	// first article as representative, before that article (the foreign
	// key is checked at once). A story that gets more members in the batch
	// is updated at its end. (Deferring the foreign keys instead, to write
	// the story after its articles, made every article insert scan the
	// whole table: with a violation outstanding, SQLite looks for the rows
	// a new parent row satisfies, and articles.duplicate_of, which refers
	// to articles, has no index.)
	lastArticleSQL string
	// lastStorySQL, where lastArticleSQL is set, gives the largest story
	// id ever used: new stories' rows then wait with the articles and are
	// written many to a statement, before them (batch_insert.go).
	lastStorySQL string
}

var sqliteDialect = dialect{
	name:    "sqlite",
	bind:    func(q string) string { return q },
	dayExpr: "(seen / 86400000000000)",
	// articles.id is AUTOINCREMENT: a deleted article's id is not reused.
	lastArticleSQL: `SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'articles'), 0),
		coalesce((SELECT max(id) FROM articles), 0))`,
	lastStorySQL: `SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'stories'), 0),
		coalesce((SELECT max(id) FROM stories), 0))`,
}

// sqlitePragmas apply to every connection. temp_store(MEMORY) keeps the
// statement journals of an ingest batch (each INSERT … ON CONFLICT
// RETURNING into a table with foreign keys opens one) off the disk: written
// to a temporary file they were a sixth of a large pass's CPU, in write
// syscalls.
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
	"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)" +
	"&_pragma=temp_store(MEMORY)"

// openSQLite opens path, retrying while another process or handle holds
// the lock that switching a new file to WAL needs (that switch answers
// SQLITE_BUSY at once instead of waiting for busy_timeout).
func openSQLite(ctx context.Context, path string) (*DB, error) {
	delay := 10 * time.Millisecond
	for attempt := 0; ; attempt++ {
		db, err := openSQLiteOnce(ctx, path)
		if err == nil || attempt == 8 || !isBusy(err) {
			return db, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(delay):
		}
		delay *= 2
	}
}

func isBusy(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "SQLITE_BUSY") || strings.Contains(msg, "database is locked")
}

// sqliteReaders is the size of the SQLite read pool.
const sqliteReaders = 8

// openSQLiteOnce opens path with a read pool and a single-connection write
// pool whose transactions BEGIN IMMEDIATE, so writers queue instead of
// failing with SQLITE_BUSY.
func openSQLiteOnce(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("open sqlite: empty path")
	}
	if path == ":memory:" || strings.Contains(path, "mode=memory") {
		return nil, fmt.Errorf("open sqlite %s: in-memory databases are not supported (each pooled connection would get its own); use a file", path)
	}
	if dir := filepath.Dir(path); dir != "" {
		if st, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("open sqlite %s: %w", path, err)
		} else if !st.IsDir() {
			return nil, fmt.Errorf("open sqlite %s: %s is not a directory", path, dir)
		}
	}
	base := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + sqlitePragmas
	// The one writer gets a larger page cache (16 MiB; the default is 2): a
	// batch of a large pass touches index pages all over the articles
	// table, and reading them again through the OS cost a tenth of its CPU.
	// It also checkpoints the WAL less often (every 10,000 pages, 40 MB,
	// not 1,000): a checkpoint writes each page changed since the last
	// one, and index pages change again and again between two, so at
	// 1,000 the writer's checkpoints were a twentieth of a large pass.
	w, err := sql.Open("sqlite", base+"&_pragma=cache_size(-16384)&_pragma=wal_autocheckpoint(10000)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// The first write makes an unwritable file or directory fail here, clearly.
	if _, err := w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("open sqlite %s: not writable: %w", path, err)
	}
	r, err := sql.Open("sqlite", base)
	if err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// Readers run side by side in WAL mode. database/sql hands a freed
	// connection to a random waiter, and closes those beyond its idle limit
	// (2 by default) when they are freed: with 4 connections and 2 idle, a
	// burst of API requests reopened connections (schema read, cold page
	// cache) and queued the rest in random order. 8, all kept open, serve
	// the 50-client load test with half the waits, and a few slow
	// dashboard queries (a search, the per-day counts) no longer hold every
	// reader.
	r.SetMaxOpenConns(sqliteReaders)
	r.SetMaxIdleConns(sqliteReaders)
	return &DB{r: r, w: w, dialect: sqliteDialect, path: path}, nil
}
