package poll

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestRemoveStaleTemps(t *testing.T) {
	dir := t.TempDir()
	snap := filepath.Join(dir, "wiredesk.db.dedup")
	files := []struct {
		name string
		age  time.Duration
		kept bool
	}{
		{"wiredesk.db.dedup.123.tmp", time.Hour, false},  // left by a killed run
		{"wiredesk.db.dedup.456.tmp", time.Second, true}, // maybe a live writer's
		{"wiredesk.db.dedup", time.Hour, true},           // the snapshot itself
		{"other.db.dedup.789.tmp", time.Hour, true},      // another store's
		{"wiredesk.db", time.Hour, true},                 // the store
	}
	for _, f := range files {
		p := filepath.Join(dir, f.name)
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		at := time.Now().Add(-f.age)
		if err := os.Chtimes(p, at, at); err != nil {
			t.Fatal(err)
		}
	}
	removeStaleTemps(snap, 10*time.Minute)
	for _, f := range files {
		_, err := os.Stat(filepath.Join(dir, f.name))
		if kept := err == nil; kept != f.kept {
			t.Errorf("%s: kept %v, want %v", f.name, kept, f.kept)
		}
	}
}
