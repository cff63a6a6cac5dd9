package store

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/news"
	"github.com/wiredesk/wiredesk/store/storetest"
)

// t0 is the tests' reference time.
var t0 = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

// backends returns the DSN makers to run a test on: SQLite always,
// PostgreSQL when WIREDESK_TEST_POSTGRES is set.
func backends(t testing.TB) map[string]func(t testing.TB) string {
	m := map[string]func(t testing.TB) string{"sqlite": sqliteDSN}
	m["postgres"] = postgresDSN
	return m
}

// requireBackend skips t when backend is not available; in CI (CI=true)
// the PostgreSQL half must run, so a missing server address fails.
func requireBackend(t testing.TB, backend string) {
	if backend == "postgres" && os.Getenv("WIREDESK_TEST_POSTGRES") == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but WIREDESK_TEST_POSTGRES is not set: the PostgreSQL half must not skip in CI")
		}
		t.Skip("WIREDESK_TEST_POSTGRES not set: PostgreSQL half skipped (set it to e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
}

func sqliteDSN(t testing.TB) string { return storetest.SQLiteDSN(t) }

// postgresDSN is a fresh schema on WIREDESK_TEST_POSTGRES (see storetest).
func postgresDSN(t testing.TB) string {
	t.Helper()
	requireBackend(t, "postgres")
	return storetest.PostgresDSN(t)
}

// openTest opens a store on dsn, closed at cleanup.
func openTest(t testing.TB, dsn string) *DB {
	t.Helper()
	db, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return db
}

// saveArticle stores a through a batch of one, the write path that
// production (the poller's Ingest) uses.
func saveArticle(ctx context.Context, db *DB, a *news.Article, as Assignment) error {
	return db.Ingest(ctx, func(b *Batch) error { return b.SaveArticle(a, as) })
}
