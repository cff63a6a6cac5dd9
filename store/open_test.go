package store

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
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
		{"bad pool size", "postgres://u@127.0.0.1:1/x?pool_max_conns=0", "pool_max_conns", ""},
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

// TestOpenReadOnly opens a SQLite file in a read-only directory. Root
// ignores file modes, so as root the test re-runs itself as user nobody.
func TestOpenReadOnly(t *testing.T) {
	if os.Geteuid() == 0 {
		rerunAsNobody(t, "^TestOpenReadOnly$")
		return
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
	for _, p := range []string{path, dir} {
		if err := os.Chmod(p, 0o555); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o755) })
	db, err = Open(context.Background(), "sqlite:"+path)
	if err == nil {
		_ = db.Close()
		t.Fatal("Open of read-only file succeeded")
	}
	if msg := err.Error(); !strings.Contains(msg, path) || !strings.Contains(msg, "readonly") && !strings.Contains(msg, "not writable") {
		t.Errorf("error %q does not say that %s is not writable", err, path)
	}
	t.Logf("error: %v", err)
}

// rerunAsNobody runs the test binary's tests matching run as uid 65534.
func rerunAsNobody(t *testing.T, run string) {
	t.Helper()
	tmp, err := os.MkdirTemp("", "wdnobody")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(tmp) })
	if err := os.Chmod(tmp, 0o777); err != nil {
		t.Fatal(err)
	}
	bin, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(tmp, "store.test")
	if err := os.WriteFile(exe, bin, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run="+run, "-test.count=1", "-test.v")
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "GOCOVERDIR="+tmp)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Skipf("cannot run as nobody: %v: %s", err, out)
	}
	if err != nil {
		t.Fatalf("as nobody: %v\n%s", err, out)
	}
	t.Logf("as nobody:\n%s", out)
}

func TestPoolSize(t *testing.T) {
	cases := []struct {
		name, dsn, want string
		size            int
	}{
		{"absent", "postgres://u@h/db?sslmode=disable", "postgres://u@h/db?sslmode=disable", 0},
		{"removed", "postgres://u@h/db?pool_max_conns=4&sslmode=disable", "postgres://u@h/db?sslmode=disable", 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, n, err := poolSize(c.dsn)
			if err != nil || got != c.want || n != c.size {
				t.Errorf("poolSize(%q) = %q, %d, %v; want %q, %d", c.dsn, got, n, err, c.want, c.size)
			}
		})
	}
}

func TestMigrateIdempotent(t *testing.T) {
	for name, dsn := range backends(t) {
		t.Run(name, func(t *testing.T) {
			requireBackend(t, name)
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

// TestOpenConcurrent opens one fresh database from several handles at
// once, as workers starting together do: migrations apply exactly once.
func TestOpenConcurrent(t *testing.T) {
	for name, dsn := range backends(t) {
		t.Run(name, func(t *testing.T) {
			requireBackend(t, name)
			d := dsn(t)
			errs := make(chan error, 4)
			for range 4 {
				go func() {
					db, err := Open(context.Background(), d)
					if err == nil {
						err = db.Close()
					}
					errs <- err
				}()
			}
			for range 4 {
				if err := <-errs; err != nil {
					t.Error(err)
				}
			}
			db := openTest(t, d)
			var n int
			if err := db.r.QueryRowContext(context.Background(), `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if ms, _ := loadMigrations(name); n != len(ms) {
				t.Errorf("%d migration rows; want %d", n, len(ms))
			}
		})
	}
}
