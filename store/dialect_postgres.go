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

// postgresDialect: a pool of writers side by side, row locks and
// transaction-scoped advisory locks, tsvector search over a GIN index,
// times as timestamptz.
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

// pgMaxConns is the default pool size; the DSN parameter pool_max_conns=N
// sets it.
const pgMaxConns = 16

// openPostgres opens one pool for reads and writes.
func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	dsn, size, err := poolSize(dsn)
	if err != nil {
		return nil, err
	}
	p, err := openPgPool(ctx, dsn, cmp.Or(size, pgMaxConns))
	if err != nil {
		return nil, err
	}
	return &DB{r: p, w: p}, nil
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
