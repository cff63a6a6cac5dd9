package store

import (
	"context"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// t0 is the tests' reference time.
var t0 = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

// testBackend gives the tests fresh stores of one dialect. Each
// dialect_NAME_test.go registers its own in testBackends, under the
// dialect's name; the tests that run on every backend then run on it.
type testBackend struct {
	dsn func(t testing.TB) string // a DSN of a fresh, empty store
	// require skips t when the database is not available (in CI, where
	// every backend must run, it fails t instead); nil: always available.
	require func(t testing.TB)
}

// testBackends are the registered test backends, by dialect name.
var testBackends = map[string]testBackend{}

// backends returns the DSN makers to run a test on, one for each dialect
// of the list (dialect.go); a dialect without a test backend fails t.
func backends(t testing.TB) map[string]func(t testing.TB) string {
	m := map[string]func(t testing.TB) string{}
	for _, d := range dialects {
		b, ok := testBackends[d.name]
		if !ok {
			t.Fatalf("dialect %s has no test backend: register one in dialect_%s_test.go", d.name, d.name)
		}
		m[d.name] = b.dsn
	}
	return m
}

// requireBackend skips t when backend is not available (see testBackend).
func requireBackend(t testing.TB, backend string) {
	if r := testBackends[backend].require; r != nil {
		r(t)
	}
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
