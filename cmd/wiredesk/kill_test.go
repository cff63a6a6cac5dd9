package main

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/internal/loadroom"
	_ "modernc.org/sqlite"
)

// TestKillPoll kills `wiredesk poll` with SIGKILL at random points of its
// pass (WIREDESK_KILLS times, default 50), then lets a run finish, and
// checks the store: no item lost, none stored twice, integrity_check clean,
// and every story consistent with its members (syndicated copies in one
// story each).
func TestKillPoll(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process many times; skipped with -short")
	}
	kills := envInt("WIREDESK_KILLS", 50)
	bin, room, dbPath, cfg := signalRig(t)

	rng := rand.New(rand.NewPCG(1, uint64(time.Now().UnixNano())))
	killedMidway := 0
	for range kills {
		cmd := exec.Command(bin, "poll", "-config", cfg)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done: // finished before the kill point
		case <-time.After(time.Duration(rng.IntN(400)) * time.Millisecond):
			cmd.Process.Kill()
			<-done
			killedMidway++
		}
		makeAllDue(t, dbPath)
		time.Sleep(300 * time.Millisecond) // the dead run's lease and lock expire
	}
	// A last, complete run picks up whatever the kills left.
	makeAllDue(t, dbPath)
	if out, err := exec.Command(bin, "poll", "-config", cfg).CombinedOutput(); err != nil {
		t.Fatalf("final poll: %v\n%s", err, out)
	}
	t.Logf("%d runs killed mid-way", killedMidway)
	checkStoreAfterKills(t, dbPath, room, rigFeeds, rigItems)
}

func checkStoreAfterKills(t *testing.T, dbPath string, room *loadroom.Room, feeds, items int) {
	db, err := sql.Open("sqlite", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	one := func(q string) int {
		var n int
		if err := db.QueryRow(q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	var integrity string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&integrity); err != nil || integrity != "ok" {
		t.Errorf("integrity_check: %q %v", integrity, err)
	}
	checks := []struct {
		name string
		q    string
		want int
	}{
		{"every item stored", `SELECT count(*) FROM articles`, feeds * items},
		{"no item twice", `SELECT count(*) FROM (SELECT feed_id, guid FROM articles GROUP BY feed_id, guid HAVING count(*) > 1)`, 0},
		{"one story per syndicated pair", `SELECT count(*) FROM stories`, feeds * items / 2},
		{"no empty story", `SELECT count(*) FROM stories s WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id)`, 0},
		{"member counts match", `SELECT count(*) FROM stories s WHERE s.articles != (SELECT count(*) FROM articles a WHERE a.story_id = s.id)`, 0},
		{"matches stay in their story", `SELECT count(*) FROM articles a JOIN articles d ON d.id = a.duplicate_of WHERE d.story_id != a.story_id`, 0},
	}
	for _, c := range checks {
		if got := one(c.q); got != c.want {
			t.Errorf("%s: got %d, want %d", c.name, got, c.want)
		}
	}
	// Each syndicated copy sits in its source's story.
	split := 0
	rows, err := db.Query(`SELECT a.url, a.story_id FROM articles a`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	storyOf := map[string]int64{}
	for rows.Next() {
		var u string
		var s int64
		if err := rows.Scan(&u, &s); err != nil {
			t.Fatal(err)
		}
		storyOf[u] = s
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for n := 1; n < feeds; n += 2 {
		for i := range items {
			copyURL := fmt.Sprintf("%s/article/%d/%d", hostOf(room.FeedURLs[n]), n, i)
			srcURL := fmt.Sprintf("%s/article/%d/%d", hostOf(room.FeedURLs[n-1]), n-1, i)
			if storyOf[copyURL] == 0 || storyOf[copyURL] != storyOf[srcURL] {
				split++
			}
		}
	}
	if split != 0 {
		t.Errorf("%d syndicated copies are not in their source's story", split)
	}
}

func hostOf(feedURL string) string {
	// http://127.0.0.1:PORT/feed/N.xml → http://127.0.0.1:PORT
	for i, n := 0, 0; i < len(feedURL); i++ {
		if feedURL[i] == '/' {
			n++
			if n == 3 {
				return feedURL[:i]
			}
		}
	}
	return feedURL
}

// TestTermPoll stops `wiredesk poll` with SIGTERM mid-pass a few times:
// each run exits promptly, saying it was interrupted, and what it stored is
// whole; a last run completes the rest.
func TestTermPoll(t *testing.T) {
	if testing.Short() {
		t.Skip("signals a child process; skipped with -short")
	}
	bin, room, dbPath, cfg := signalRig(t)
	interrupted := 0
	for i := range 5 {
		cmd := exec.Command(bin, "poll", "-config", cfg)
		var errb strings.Builder
		cmd.Stderr = &errb
		before := room.Requests.Load()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// The signal comes once the pass is fetching (opening the store
		// takes a while under -race on a busy machine), a little later on
		// each run.
		for deadline := time.Now().Add(10 * time.Second); room.Requests.Load() == before && time.Now().Before(deadline); {
			time.Sleep(2 * time.Millisecond)
		}
		time.Sleep(time.Duration(20*i) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("run %d did not stop within 15s of SIGTERM", i)
		}
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			continue // the signal came before the handler was installed: nothing started
		}
		if code := cmd.ProcessState.ExitCode(); code != exitOK && !strings.Contains(errb.String(), "interrupted") {
			t.Errorf("run %d: exit %d without saying it was interrupted:\n%s", i, code, lastLines(errb.String(), 5))
		} else if code != exitOK && strings.Contains(errb.String(), "interrupted after") {
			interrupted++
		}
		time.Sleep(300 * time.Millisecond) // leases of the stopped run expire
	}
	if interrupted == 0 {
		t.Error("no run was interrupted mid-pass: the test did not exercise SIGTERM")
	}
	time.Sleep(300 * time.Millisecond)
	if out, err := exec.Command(bin, "poll", "-config", cfg).CombinedOutput(); err != nil {
		t.Fatalf("final poll: %v\n%s", err, out)
	}
	checkStoreAfterKills(t, dbPath, room, rigFeeds, rigItems)
}

// The newsroom the kill and signal tests poll: every odd feed republishes
// the even one's items.
const rigFeeds, rigHosts, rigItems = 40, 8, 5

// signalRig builds wiredesk and a syndicating newsroom, and seeds a SQLite
// store with its feeds under a short lease (so a stopped run's feeds are
// free again quickly). It returns the binary, the room, the store file and
// the config.
func signalRig(t *testing.T) (bin string, room *loadroom.Room, dbPath, cfg string) {
	t.Helper()
	bin = buildBinary(t)
	room = loadroom.New(rigFeeds, rigHosts, rigItems)
	room.Syndicate = true
	t.Cleanup(room.Close)
	dir := t.TempDir()
	dbPath = filepath.Join(dir, "w.db")
	cfg = writeBenchConfig(t, dir, "articles: true", "lease: 250ms\n  concurrency: 16")
	seedFeeds(t, "sqlite:"+dbPath, room.FeedURLs)
	return bin, room, dbPath, cfg
}
