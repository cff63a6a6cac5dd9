package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOpenDSN(t *testing.T) {
	dir := t.TempDir()
	notDir := filepath.Join(dir, "file")
	if err := os.WriteFile(notDir, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("not a database ", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, dsn, wantErr, dialect string
	}{
		{"sqlite scheme", "sqlite:" + filepath.Join(dir, "a.db"), "", "sqlite"},
		{"bare db path", filepath.Join(dir, "b.db"), "", "sqlite"},
		{"sqlite with spaces", "sqlite:" + filepath.Join(dir, "with space.sqlite"), "", "sqlite"},
		{"unknown scheme", "mysql://x", "unknown scheme", ""},
		{"memory refused", "sqlite::memory:", "in-memory", ""},
		{"missing directory", "sqlite:" + filepath.Join(dir, "nope", "c.db"), "no such file", ""},
		{"parent is a file", "sqlite:" + filepath.Join(notDir, "c.db"), "not a directory", ""},
		{"not a database", "sqlite:" + garbage, "garbage.db", ""},
		{"postgres unreachable", "postgres://u:secret@127.0.0.1:1/x?connect_timeout=2", "127.0.0.1:1", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db, err := Open(context.Background(), c.dsn)
			if c.wantErr != "" {
				if err == nil {
					_ = db.Close()
					t.Fatalf("Open(%q) succeeded; want error containing %q", c.dsn, c.wantErr)
				}
				if !strings.Contains(err.Error(), c.wantErr) || strings.Contains(err.Error(), "secret") {
					t.Errorf("Open(%q) = %v; want error containing %q, no password", c.dsn, err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if db.Dialect() != c.dialect {
				t.Errorf("Dialect = %q; want %q", db.Dialect(), c.dialect)
			}
			v, err := db.SchemaVersion(context.Background())
			if err != nil || v < 1 {
				t.Errorf("SchemaVersion = %d, %v", v, err)
			}
		})
	}
}

// TestOpenReadOnly opens a read-only SQLite file. Root ignores file modes,
// so the test is skipped as root.
func TestOpenReadOnly(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: file permissions are not enforced")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "ro.db")
	db, err := Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o755) })
	db, err = Open(context.Background(), "sqlite:"+path)
	if err == nil {
		_ = db.Close()
		t.Fatal("Open of read-only file succeeded")
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %v does not name %s", err, path)
	}
}

func TestMigrateIdempotent(t *testing.T) {
	for name, dsn := range backends(t) {
		t.Run(name, func(t *testing.T) {
			d := dsn(t)
			a := openTest(t, d)
			b := openTest(t, d) // second open re-runs migrations: no-op
			va, err := a.SchemaVersion(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			vb, err := b.SchemaVersion(context.Background())
			if err != nil || va != vb {
				t.Errorf("versions %d, %d, %v", va, vb, err)
			}
			ms, err := loadMigrations(name)
			if err != nil || ms[len(ms)-1].version != va {
				t.Errorf("latest migration %v, applied %d, %v", ms, va, err)
			}
		})
	}
}
