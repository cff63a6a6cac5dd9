package store

import (
	"cmp"
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

// sqliteDialect: one file, a single writer (BEGIN IMMEDIATE), FTS5 search,
// times as unix nanoseconds.
var sqliteDialect = dialect{
	name:      "sqlite",
	oneWriter: true,
	prefixes:  []string{"sqlite:"},
	bare:      func(dsn string) bool { return strings.HasSuffix(dsn, ".db") },
	dsnForms:  "sqlite:PATH, PATH.db",
	open:      openSQLiteDSN,

	bind:       func(q string) string { return q },
	timeValue:  func(t time.Time) any { return t.UnixNano() },
	dayExpr:    "(seen / 86400000000000)",
	cacheStmts: true,

	// articles.id is AUTOINCREMENT: a deleted article's id is not reused.
	lastArticleSQL: `SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'articles'), 0),
		coalesce((SELECT max(id) FROM articles), 0))`,
	lastStorySQL: `SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'stories'), 0),
		coalesce((SELECT max(id) FROM stories), 0))`,

	migrationsTable: sqliteMigrationsTable,

	searchMatch:      searchQuery.fts5,
	searchIDs:        `SELECT rowid FROM search_fts WHERE search_fts MATCH ?`,
	searchWalk:       sqliteSearchWalk,
	insertSearchDocs: sqliteInsertSearchDocs,
}

// sqliteMigrationsTable is schema_migrations, applied_at in unix
// nanoseconds.
const sqliteMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)`

// openSQLiteDSN opens "sqlite:PATH" (also "sqlite://PATH") or a bare PATH.
func openSQLiteDSN(ctx context.Context, dsn string) (*DB, error) {
	if rest, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		dsn = strings.TrimPrefix(rest, "//")
	}
	return openSQLite(ctx, dsn)
}

// sqliteSearchWalk walks the rows when a search has more than searchDense
// matches (see search.go).
func sqliteSearchWalk(db *DB, ctx context.Context, match string) (bool, error) {
	dense := cmp.Or(db.searchDenseAt, searchDense)
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH ? LIMIT ?)`,
		match, dense+1).Scan(&n)
	return n > dense, err
}

// sqliteInsertSearchDocs writes docs to the FTS5 index, one prepared
// insert per row (in process, cheap).
func sqliteInsertSearchDocs(ctx context.Context, tx *sql.Tx, docs []searchDocRow) error {
	st, err := tx.PrepareContext(ctx, `INSERT INTO search_fts (rowid, doc) VALUES (?, ?)`)
	if err != nil {
		return fmt.Errorf("insert index rows: %w", err)
	}
	defer st.Close()
	for _, d := range docs {
		if _, err := st.ExecContext(ctx, d.id, d.doc); err != nil {
			return fmt.Errorf("insert index row %d: %w", d.id, err)
		}
	}
	return st.Close()
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
	if _, err := w.ExecContext(ctx, sqliteMigrationsTable); err != nil {
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
	return &DB{r: r, w: w, path: path}, nil
}
