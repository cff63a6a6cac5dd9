package store

import (
	"os"
	"testing"

	"github.com/wiredesk/wiredesk/store/storetest"
)

func init() {
	testBackends["postgres"] = testBackend{dsn: postgresDSN, require: requirePostgres}
}

// requirePostgres skips t when WIREDESK_TEST_POSTGRES is not set; in CI
// (CI=true) the PostgreSQL half must run, so a missing server address
// fails.
func requirePostgres(t testing.TB) {
	if os.Getenv("WIREDESK_TEST_POSTGRES") == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but WIREDESK_TEST_POSTGRES is not set: the PostgreSQL half must not skip in CI")
		}
		t.Skip("WIREDESK_TEST_POSTGRES not set: PostgreSQL half skipped (set it to e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	}
}

// postgresDSN is a fresh schema on WIREDESK_TEST_POSTGRES (see storetest).
func postgresDSN(t testing.TB) string {
	t.Helper()
	requirePostgres(t)
	return storetest.PostgresDSN(t)
}
