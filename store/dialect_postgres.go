package store

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// postgresDialect: a pool of writers side by side, row locks and advisory
// locks, tsvector search over a GIN index, story locks as session advisory
// locks, times as timestamptz.
var postgresDialect = dialect{
	name:     "postgres",
	prefixes: []string{"postgres://", "postgresql://"},
	dsnForms: "postgres://",
	open:     openPostgres,

	bind:      bindDollar,
	timeValue: func(t time.Time) any { return t },
	dayExpr:   "floor(extract(epoch from seen) / 86400)::bigint",

	skipLocked:  " FOR UPDATE SKIP LOCKED",
	forUpdate:   " FOR UPDATE",
	lockStory:   " FOR NO KEY UPDATE", // not in conflict with the key-share locks of inserts
	articleLock: "SELECT pg_advisory_xact_lock(7470023011)",
	writeLock:   "SELECT pg_advisory_xact_lock_shared(7470023012)",
	mergeLock:   "SELECT pg_advisory_xact_lock(7470023012)",
	snapshot:    &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true},
	storyLock:   (*DB).withAdvisoryLocks,
	articleLog: `INSERT INTO article_log (article_id)
		SELECT unnest($1::bigint[]) RETURNING seq`,

	// Migration 0005 makes the foreign key from articles to stories
	// deferred, so that the story row may follow.
	insertNewStorySQL: fmt.Sprintf(insertArticleTmpl, "nextval('stories_id_seq')"),

	migrationsTable: `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)`,
	// Serializes concurrent migrators.
	migrationLock: "SELECT pg_advisory_xact_lock(7470023010)",

	searchMatch:      searchQuery.tsquery,
	searchIDs:        `SELECT article_id FROM search_index WHERE doc @@ ?::tsquery`,
	insertSearchDocs: postgresInsertSearchDocs,
}

// postgresInsertSearchDocs writes docs to the index in one statement.
func postgresInsertSearchDocs(ctx context.Context, tx *sql.Tx, docs []searchDocRow) error {
	ids, texts := make([]int64, len(docs)), make([]string, len(docs))
	for i, d := range docs {
		ids[i], texts[i] = d.id, d.doc
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO search_index (article_id, doc)
		SELECT u.id, array_to_tsvector(string_to_array(u.doc, ' '))
		FROM unnest($1::bigint[], $2::text[]) AS u (id, doc)
		JOIN articles a ON a.id = u.id
		ON CONFLICT DO NOTHING`, ids, texts)
	if err != nil {
		return fmt.Errorf("insert index rows: %w", err)
	}
	return nil
}

// bindDollar rewrites ? placeholders as $1, $2, ... (queries here hold no
// literal question marks).
func bindDollar(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// Default pool sizes; the DSN parameter pool_max_conns=N sets both. Story-lock holders keep a connection of the lock pool while
// fn runs and fn uses the main pool, so the two pools never wait on each
// other in a cycle; with one pool, lock holders could take every
// connection and starve their own SaveArticle.
const (
	pgMaxConns     = 16
	pgMaxLockConns = 16
)

// openPostgres opens the main pool (reads and writes) and the pool that
// holds session advisory locks for WithStoryLock.
func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	dsn, size, err := poolSize(dsn)
	if err != nil {
		return nil, err
	}
	p, err := openPgPool(ctx, dsn, cmp.Or(size, pgMaxConns))
	if err != nil {
		return nil, err
	}
	lk, err := openPgPool(ctx, dsn, cmp.Or(size, pgMaxLockConns))
	if err != nil {
		return nil, errors.Join(err, p.Close())
	}
	return &DB{r: p, w: p, locks: lk}, nil
}

// poolSize removes pool_max_conns from a URL DSN (the server would reject
// it as a runtime parameter) and returns its value, 0 when absent.
func poolSize(dsn string) (string, int, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", 0, fmt.Errorf("open postgres %s: %w", redact(dsn), parseErr(err))
	}
	q := u.Query()
	v := q.Get("pool_max_conns")
	if v == "" {
		return dsn, 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return "", 0, fmt.Errorf("open postgres %s: pool_max_conns %q: want a positive integer", redact(dsn), v)
	}
	q.Del("pool_max_conns")
	u.RawQuery = q.Encode()
	return u.String(), n, nil
}

func openPgPool(ctx context.Context, dsn string, size int) (*sql.DB, error) {
	p, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres %s: %w", redact(dsn), err)
	}
	p.SetMaxOpenConns(size)
	p.SetMaxIdleConns(max(size/2, 1))
	p.SetConnMaxIdleTime(5 * time.Minute)
	if err := p.PingContext(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("open postgres %s: %w", redact(dsn), err), p.Close())
	}
	return p, nil
}

// withAdvisoryLocks takes session advisory locks in sorted key order (so
// holders of overlapping key sets cannot deadlock) on a connection of the
// lock pool; a dead worker's locks die with its session.
func (db *DB) withAdvisoryLocks(ctx context.Context, keys []uint64, fn func(ctx context.Context) error) (err error) {
	conn, err := db.locks.Conn(ctx)
	if err != nil {
		return fmt.Errorf("story lock: %w", err)
	}
	defer func() { err = errors.Join(err, conn.Close()) }()
	for _, k := range keys {
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, int64(k)); err != nil {
			return errors.Join(fmt.Errorf("story lock %x: %w", k, err), unlockAll(conn))
		}
	}
	ferr := fn(ctx)
	return errors.Join(ferr, unlockAll(conn))
}

// unlockAll releases the session's advisory locks; if that fails, the
// connection is discarded so the locks die with the session.
func unlockAll(conn *sql.Conn) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_unlock_all()`); err != nil {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		return fmt.Errorf("story unlock: %w", err)
	}
	return nil
}
