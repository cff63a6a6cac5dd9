package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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
	like:        "ILIKE",
	dayExpr:     "floor(extract(epoch from seen) / 86400)::bigint",
	articleLock: "SELECT pg_advisory_xact_lock(7470023011)",
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

// Pool sizes. Story-lock holders keep a connection of the lock pool while
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
	p, err := openPgPool(ctx, dsn, pgMaxConns)
	if err != nil {
		return nil, err
	}
	lk, err := openPgPool(ctx, dsn, pgMaxLockConns)
	if err != nil {
		return nil, errors.Join(err, p.Close())
	}
	return &DB{r: p, w: p, locks: lk, dialect: postgresDialect}, nil
}

func openPgPool(ctx context.Context, dsn string, size int) (*sql.DB, error) {
	p, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres %s: %w", redact(dsn), err)
	}
	p.SetMaxOpenConns(size)
	p.SetMaxIdleConns(size / 2)
	p.SetConnMaxIdleTime(5 * time.Minute)
	if err := p.PingContext(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("open postgres %s: %w", redact(dsn), err), p.Close())
	}
	return p, nil
}
