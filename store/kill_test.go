package store

import (
	"bufio"
	"context"
	"fmt"
	"hash/fnv"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// killEnv names the DSN the helper process writes to.
const killEnv = "WIREDESK_KILL_HELPER_DSN"

// TestKillHelper is the victim process of TestSIGKILL: it leases every
// feed and saves articles under story locks until it is killed.
func TestKillHelper(t *testing.T) {
	dsn := os.Getenv(killEnv)
	if dsn == "" {
		t.Skip("helper process for TestSIGKILL")
	}
	ctx := context.Background()
	db, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := db.LeaseDueFeeds(ctx, time.Now(), "victim", time.Minute, 100)
	if err != nil || len(fs) == 0 {
		t.Fatalf("lease: %v, %v", fs, err)
	}
	var prev int64
	for i := 0; ; i++ {
		err := db.WithStoryLock(ctx, []uint64{uint64(i % 3)}, func(ctx context.Context) error {
			a := art(fs[0].ID, "victim.example", fmt.Sprint(i), i, "T", "x")
			dup := prev
			if i%4 == 0 {
				dup = 0
			}
			if err := saveArticle(ctx, db, a, Assignment{DuplicateOf: dup}); err != nil {
				return err
			}
			prev = a.ID
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if i == 20 {
			fmt.Println("ready")
		}
	}
}

// TestSIGKILL kills a worker mid-pass: its committed articles and stories
// are whole, nothing half-written remains, its feeds are taken over once
// the lease expires, and (PostgreSQL) its story locks die with it.
func TestSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode: SIGKILL test skipped")
	}
	for name, dsn := range backends(t) {
		t.Run(name, func(t *testing.T) {
			requireBackend(t, name)
			d := dsn(t)
			db := openTest(t, d)
			for i := range 3 {
				addFeed(t, db, fmt.Sprintf("https://f%d.example/rss", i), "F")
			}
			victim := d
			if name == "postgres" {
				victim += "&application_name=" + victimApp(d)
			}
			runVictim(t, victim)
			if name == "postgres" {
				waitBackendsGone(t, db, victimApp(d))
			}
			assertConsistent(t, db)
			ctx := context.Background()
			c, err := db.Counts(ctx)
			if err != nil || c.Articles < 20 {
				t.Fatalf("victim wrote %+v, %v; want >= 20 articles", c, err)
			}
			t.Logf("victim committed %d articles in %d stories before SIGKILL", c.Articles, c.Stories)
			fs, err := db.LeaseDueFeeds(ctx, time.Now(), "survivor", time.Minute, 10)
			if err != nil || len(fs) != 0 {
				t.Errorf("leased %d feeds before expiry, %v", len(fs), err)
			}
			fs, err = db.LeaseDueFeeds(ctx, time.Now().Add(2*time.Minute), "survivor", time.Minute, 10)
			if err != nil || len(fs) != 3 {
				t.Errorf("after expiry leased %d feeds, %v; want 3", len(fs), err)
			}
			if name != "postgres" {
				return // SQLite lock rows outlive a killed holder until their TTL
			}
			lctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			if err := db.WithStoryLock(lctx, []uint64{0, 1, 2}, func(context.Context) error { return nil }); err != nil {
				t.Errorf("story locks of the killed worker: %v", err)
			}
		})
	}
}

// victimApp is the application_name the victim's PostgreSQL sessions
// carry, one per test schema.
func victimApp(dsn string) string {
	h := fnv.New32a()
	h.Write([]byte(dsn))
	return fmt.Sprintf("wdvictim%x", h.Sum32())
}

// waitBackendsGone waits until the server has noticed that the killed
// victim's connections closed. SIGKILL closes the sockets at once, but
// each server backend notices on its own and aborts its transaction some
// milliseconds later; until then its row locks make SKIP LOCKED pass over
// the feed it was writing for, which is the server catching up, not a
// lease that survived its holder.
func waitBackendsGone(t *testing.T, db *DB, app string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int
		err := db.r.QueryRowContext(context.Background(),
			`SELECT count(*) FROM pg_stat_activity WHERE application_name = $1`, app).Scan(&n)
		if err != nil {
			t.Fatalf("pg_stat_activity: %v", err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d sessions of the killed victim still open after 10s", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// runVictim starts TestKillHelper on dsn, lets it write, and SIGKILLs it.
func runVictim(t *testing.T, dsn string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), killEnv+"="+dsn)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.TrimSpace(sc.Text()) == "ready" {
				ready <- true
			}
		}
		close(ready)
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatalf("helper exited early: %v", cmd.Wait())
		}
	case <-time.After(60 * time.Second):
		t.Error("helper not ready in 60s")
	}
	time.Sleep(30 * time.Millisecond) // kill it mid-write
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait() // "signal: killed"
}
