package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// stmtCache keeps the prepared statements of the read queries the
// dashboard and API run again and again (a story, the story and article
// lists), where the dialect wants it (cacheStmts; SQLite): preparing one of them costs 15-25µs, a sixth of
// reading a story. database/sql prepares each again on every pooled
// connection it meets. PostgreSQL needs none: pgx keeps a statement cache
// per connection.
type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// maxStmts bounds the cache: the list queries' shapes (which filters are
// set) are few, but a cache must not grow with odd inputs.
const maxStmts = 64

// read runs a query on the read pool, prepared once where the dialect
// caches statements.
func (db *DB) read(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := db.readStmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return db.r.QueryContext(ctx, query, args...)
	}
	return st.QueryContext(ctx, args...)
}

// readRow is read for a query of one row.
func (db *DB) readRow(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := db.readStmt(ctx, query)
	if err != nil || st == nil {
		// A failed prepare fails the same way here, as a Row error.
		return db.r.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// readStmt returns the cached statement of query, preparing it when new;
// nil when statements are not cached (not the dialect's way, a full cache).
func (db *DB) readStmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if !db.dialect.cacheStmts {
		return nil, nil
	}
	c := &db.stmts
	c.mu.Lock()
	st, ok := c.m[query]
	full := len(c.m) >= maxStmts
	c.mu.Unlock()
	if ok || full {
		return st, nil
	}
	st, err := db.r.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev, ok := c.m[query]; ok { // prepared meanwhile by another caller
		return prev, st.Close()
	}
	if c.m == nil {
		c.m = make(map[string]*sql.Stmt)
	}
	c.m[query] = st
	return st, nil
}

// close closes the cached statements.
func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	for q, st := range c.m {
		err = errors.Join(err, st.Close())
		delete(c.m, q)
	}
	return err
}
