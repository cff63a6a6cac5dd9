package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

var postgresDialect = dialect{
	name:        "postgres",
	bind:        bindDollar,
	skipLocked:  " FOR UPDATE SKIP LOCKED",
	forUpdate:   " FOR UPDATE",
	dayExpr:     "floor(extract(epoch from seen) / 86400)::bigint",
	lockStory:   " FOR NO KEY UPDATE", // not in conflict with the key-share locks of inserts
	articleLog:  true,
	articleLock: "SELECT pg_advisory_xact_lock(7470023011)",
	writeLock:   "SELECT pg_advisory_xact_lock_shared(7470023012)",
	mergeLock:   "SELECT pg_advisory_xact_lock(7470023012)",
	// Migration 0005 makes the foreign key from articles to stories
	// deferred, so that the story row may follow.
	insertNewStorySQL: fmt.Sprintf(insertArticleTmpl, "nextval('stories_id_seq')"),
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
	return &DB{r: p, w: p, locks: lk, dialect: postgresDialect}, nil
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
