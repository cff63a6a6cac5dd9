package main

import (
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wiredesk/wiredesk/internal/loadroom"
)

// TestFullDisk polls into a store on a tiny tmpfs: the pass stops with a
// clear error naming the store and exit status 1, and the database stays
// intact. It needs root (to mount the tmpfs) and skips otherwise.
func TestFullDisk(t *testing.T) {
	if testing.Short() {
		t.Skip("mounts a tmpfs; skipped with -short")
	}
	dir := t.TempDir()
	mnt := filepath.Join(dir, "full")
	if err := os.Mkdir(mnt, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1664k", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs (needs root): %v %s", err, out)
	}
	defer exec.Command("umount", mnt).Run()

	bin := buildBinary(t)
	room := loadroom.New(60, 6, 20)
	defer room.Close()
	dbPath := filepath.Join(mnt, "w.db")
	seedFeeds(t, "sqlite:"+dbPath, room.FeedURLs)
	cfg := writeBenchConfig(t, dir, "articles: true", "concurrency: 16")
	cmd := exec.Command(bin, "poll", "-config", cfg)
	cmd.Env = append(os.Environ(), "WIREDESK_STORE=sqlite:"+dbPath)
	out, err := cmd.CombinedOutput()
	code := cmd.ProcessState.ExitCode()
	if err == nil || code != exitFatal {
		t.Fatalf("poll on a full disk: exit %d, want 1\n%s", code, out)
	}
	t.Logf("poll said: %s", lastLines(string(out), 1))
	if !strings.Contains(string(out), "full") {
		t.Errorf("the error does not say the disk is full:\n%s", lastLines(string(out), 5))
	}
	db, err := sql.Open("sqlite", dbPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var integrity string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&integrity); err != nil || integrity != "ok" {
		t.Errorf("integrity_check after a full disk: %q %v", integrity, err)
	}
	var orphans int
	if err := db.QueryRow(`SELECT count(*) FROM stories s WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id)`).Scan(&orphans); err != nil || orphans != 0 {
		t.Errorf("%d stories without articles (%v)", orphans, err)
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
