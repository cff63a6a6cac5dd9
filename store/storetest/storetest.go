// Package storetest gives tests a fresh store: SQLite in a temporary
// directory, or a fresh PostgreSQL schema on WIREDESK_TEST_POSTGRES.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the pgx database/sql driver

	"github.com/wiredesk/wiredesk/news"
)

// SQLiteDSN is a DSN for a new SQLite file in t's temporary directory.
func SQLiteDSN(t testing.TB) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
}

// PostgresDSN creates a fresh schema on WIREDESK_TEST_POSTGRES, dropped at
// cleanup, and returns a DSN whose search_path is that schema. Without the
// variable it skips t, except in CI (CI=true), where PostgreSQL tests must
// run, and it fails t.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv("WIREDESK_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but WIREDESK_TEST_POSTGRES is not set: PostgreSQL tests must not skip in CI")
		}
		t.Skip("WIREDESK_TEST_POSTGRES not set: PostgreSQL test skipped")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", base, err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "wdtest_" + hex.EncodeToString(b)
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "search_path=" + schema
}

// ArticlesByURL reads every stored article keyed by its item link,
// reporting each link stored more than once as an error of t; n counts
// the rows read, duplicates included.
func ArticlesByURL(t testing.TB, db interface {
	WalkArticles(context.Context, time.Time, func(news.Article) error) error
}) (byURL map[string]news.Article, n int) {
	t.Helper()
	byURL = map[string]news.Article{}
	err := db.WalkArticles(context.Background(), time.Time{}, func(a news.Article) error {
		n++
		if _, dup := byURL[a.URL]; dup {
			t.Errorf("item %s stored twice", a.URL)
		}
		byURL[a.URL] = a
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return byURL, n
}
