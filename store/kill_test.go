package store

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"hash/fnv"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// killEnv names the DSN the helper process writes to.
const killEnv = "WIREDESK_KILL_HELPER_DSN"

// TestKillHelper is the victim process of TestSIGKILL: it leases every
// feed through LeaseFrontier and writes through Ingest, as the poller
// does, until it is killed. Each batch stores two articles of one feed
// (a new story, or copies joining earlier ones) and, for the first two
// feeds, the feed's state with its ETag set to the batch number; the third
// feed's state is never saved, so its lease is still held when it dies.
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
	l, err := db.LeaseFrontier(ctx, LeaseSpec{Now: time.Now(), Owner: "victim", Lease: time.Minute, Limit: 100})
	if err != nil || len(l.Feeds) != 3 {
		t.Fatalf("lease: %v, %v; want 3 feeds", feedIDs(l.Feeds), err)
	}
	fs := l.Feeds
	slices.SortFunc(fs, func(a, b news.Feed) int { return cmp.Compare(a.ID, b.ID) })
	var prev int64
	for i := 0; ; i++ {
		f := fs[i%3]
		err := db.Ingest(ctx, func(b *Batch) error {
			a := art(f.ID, "victim.example", fmt.Sprint(i), i, "T", "x")
			dup := prev
			if i%4 == 0 {
				dup = 0
			}
			if err := b.SaveArticle(a, Assignment{DuplicateOf: dup}); err != nil {
				return err
			}
			c := art(f.ID, "victim.example", fmt.Sprint(i, "c"), i, "T", "x")
			if err := b.SaveArticle(c, Assignment{DuplicateOf: a.ID}); err != nil {
				return err
			}
			prev = a.ID
			if i%3 == 2 {
				return nil
			}
			st := f
			st.Status, st.ETag, st.LastPolled = news.StatusOK, fmt.Sprint(i), time.Now()
			return b.SaveFeedState(st, "victim")
		})
		if err != nil {
			t.Fatal(err)
		}
		if i == 20 {
			fmt.Println("ready")
		}
	}
}

// TestSIGKILL kills a worker mid-pass: its committed articles, stories and
// feed states are whole (a feed's ETag never runs ahead of or behind its
// stored items), nothing half-written remains, no one takes over its hosts
// and feeds until their lease expires and then a survivor takes them all,
// and nothing the dead worker held (PostgreSQL: its sessions) keeps others
// from writing.
func TestSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode: SIGKILL test skipped")
	}
	for name, dsn := range backends(t) {
		t.Run(name, func(t *testing.T) {
			requireBackend(t, name)
			d := dsn(t)
			db := openTest(t, d)
			var ids []int64
			for i := range 3 {
				ids = append(ids, addFeed(t, db, fmt.Sprintf("https://f%d.example/rss", i), "F"))
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
			checkVictimFeeds(t, db, ids)

			l, err := db.LeaseFrontier(ctx, LeaseSpec{Now: time.Now(), Owner: "survivor", Lease: time.Minute, Limit: 10})
			if err != nil || len(l.Feeds) != 0 || len(l.Hosts) != 0 {
				t.Errorf("before expiry leased feeds %v and hosts %v, %v; want none", feedIDs(l.Feeds), hostsOf(l.Hosts), err)
			}
			l, err = db.LeaseFrontier(ctx, LeaseSpec{Now: time.Now().Add(2 * time.Minute), Owner: "survivor", Lease: time.Minute, Limit: 10})
			if err != nil || len(l.Feeds) != 3 || len(l.Hosts) != 3 {
				t.Fatalf("after expiry leased feeds %v and hosts %v, %v; want all 3", feedIDs(l.Feeds), hostsOf(l.Hosts), err)
			}

			// The survivor writes: nothing of the victim's blocks it.
			wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			err = db.Ingest(wctx, func(b *Batch) error {
				if err := b.SaveArticle(art(ids[2], "survivor.example", "s", 0, "T", "y"), Assignment{}); err != nil {
					return err
				}
				f := l.Feeds[0]
				f.Status, f.NextPoll = news.StatusOK, time.Now().Add(time.Hour)
				return b.SaveFeedState(f, "survivor")
			})
			if err != nil {
				t.Errorf("survivor's write: %v", err)
			}
			assertConsistent(t, db)
		})
	}
}

// checkVictimFeeds checks that each feed's stored state and items were
// committed together: the ETag of the two feeds whose state the victim
// saved names the last batch stored for it, and every feed's item count is
// its articles.
func checkVictimFeeds(t *testing.T, db *DB, ids []int64) {
	t.Helper()
	ctx := context.Background()
	last, n := map[int64]int{}, map[int64]int64{}
	err := db.WalkArticles(ctx, time.Time{}, func(a news.Article) error {
		n[a.FeedID]++
		if i, err := strconv.Atoi(a.GUID); err == nil {
			last[a.FeedID] = max(last[a.FeedID], i)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for k, id := range ids {
		f, err := db.Feed(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if f.ItemCount != n[id] || n[id]%2 != 0 {
			t.Errorf("feed %d: item count %d, %d articles stored; want equal and even (two per batch)", k, f.ItemCount, n[id])
		}
		if k == 2 {
			if f.ETag != "" {
				t.Errorf("feed 2: ETag %q; its state was never saved", f.ETag)
			}
			continue
		}
		want := ""
		if n[id] > 0 {
			want = fmt.Sprint(last[id])
		}
		if f.ETag != want {
			t.Errorf("feed %d: ETag %q, last batch stored %s", k, f.ETag, want)
		}
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
