package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/internal/loadroom"
	"github.com/wiredesk/wiredesk/internal/poll"
	"github.com/wiredesk/wiredesk/news"
	"github.com/wiredesk/wiredesk/store"
)

// binary is wiredesk built once for the tests that run it as a process.
var binary struct {
	once sync.Once
	path string
	err  error
}

// buildBinary compiles wiredesk once for tests that run it as a process.
func buildBinary(tb testing.TB) string {
	tb.Helper()
	binary.once.Do(func() {
		dir, err := os.MkdirTemp("", "wiredesk-bin-")
		if err != nil {
			binary.err = err
			return
		}
		binary.path = filepath.Join(dir, "wiredesk")
		if out, err := exec.Command("go", "build", "-o", binary.path, ".").CombinedOutput(); err != nil {
			binary.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binary.err != nil {
		tb.Fatal(binary.err)
	}
	return binary.path
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binary.path != "" {
		os.RemoveAll(filepath.Dir(binary.path))
	}
	os.Exit(code)
}

// envInt reads a positive integer from the environment, or def.
func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// BenchmarkPollPass runs `wiredesk poll` as a child process over a loopback
// newsroom of WIREDESK_BENCH_FEEDS feeds (default 1000; the figure
// is 10000) × 20 items, scrape.articles false, on a fresh SQLite store, then
// a second pass with nothing changed. The child's wall time, CPU and peak
// RSS are the poller's own: the newsroom runs in this process.
//
//	WIREDESK_BENCH_FEEDS=10000 go test -run '^$' -bench PollPass -benchtime 1x ./cmd/wiredesk/
func BenchmarkPollPass(b *testing.B) {
	feeds := envInt("WIREDESK_BENCH_FEEDS", 1000)
	hosts := max(1, feeds/20)
	bin := buildBinary(b)
	room := loadroom.New(feeds, hosts, 20)
	defer room.Close()
	for b.Loop() {
		dir := b.TempDir()
		cfg := writeBenchConfig(b, dir, "articles: false", "concurrency: 128")
		seedFeeds(b, "sqlite:"+filepath.Join(dir, "w.db"), room.FeedURLs)
		first := mustPoll(b, bin, cfg)
		before := room.Requests.Load()
		before304 := room.NotModified.Load()
		makeAllDue(b, filepath.Join(dir, "w.db"))
		second := mustPoll(b, bin, cfg)
		reqs := room.Requests.Load() - before
		b.ReportMetric(first.wall.Seconds(), "pass1-s")
		b.ReportMetric(float64(first.cpu.Microseconds())/1000/float64(feeds), "pass1-cpu-ms/feed")
		b.ReportMetric(float64(first.maxRSS)/(1<<20), "pass1-peak-MB")
		b.ReportMetric(float64(first.sum.Articles), "pass1-articles")
		b.ReportMetric(second.wall.Seconds(), "pass2-s")
		b.ReportMetric(100*float64(room.NotModified.Load()-before304)/float64(max(reqs, 1)), "pass2-%304")
	}
}

// makeAllDue sets every feed due now, as the schedule would later.
func makeAllDue(tb testing.TB, dbPath string) {
	db, err := sql.Open("sqlite", dbPath)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE feeds SET next_poll = 0`); err != nil {
		tb.Fatal(err)
	}
}

type childRun struct {
	wall, cpu time.Duration
	maxRSS    int64 // bytes
	sum       poll.Summary
}

func writeBenchConfig(tb testing.TB, dir, scrape, poll string) string {
	cfg := fmt.Sprintf(`store: sqlite:%s
http:
  allow_networks: [127.0.0.0/8]
  timeout: 30s
poll:
  per_host: 2
  host_delay: 5ms
  %s
scrape:
  %s
`, filepath.Join(dir, "w.db"), poll, scrape)
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

func seedFeeds(tb testing.TB, dsn string, urls []string) {
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	for _, u := range urls {
		if _, err := db.UpsertFeed(ctx, news.Feed{URL: u}); err != nil {
			tb.Fatal(err)
		}
	}
}

func mustPoll(tb testing.TB, bin, cfg string, env ...string) childRun {
	r, err := runPollChild(bin, cfg, env...)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// runPollChild runs `wiredesk poll -json` and measures it. The child's peak
// RSS comes from /usr/bin/time where there is one: a child started from
// this process directly (a vfork) inherits this process's peak resident
// size, the newsroom's, in its own.
func runPollChild(bin, cfg string, env ...string) (childRun, error) {
	args := []string{"poll", "-json", "-config", cfg}
	cmd := exec.Command(bin, args...)
	var peakFile string
	if _, err := os.Stat("/usr/bin/time"); err == nil {
		f, err := os.CreateTemp("", "wiredesk-peak-")
		if err != nil {
			return childRun{}, err
		}
		f.Close()
		peakFile = f.Name()
		defer os.Remove(peakFile)
		cmd = exec.Command("/usr/bin/time", append([]string{"-f", "%M", "-o", peakFile, bin}, args...)...)
	}
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	err := cmd.Run()
	r := childRun{wall: time.Since(start)}
	if err != nil {
		return r, fmt.Errorf("wiredesk poll: %v\n%s", err, errb.Bytes())
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	r.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	r.maxRSS = ru.Maxrss * 1024
	if peakFile != "" {
		data, err := os.ReadFile(peakFile)
		lines := strings.Fields(string(data))
		if err != nil || len(lines) == 0 {
			return r, fmt.Errorf("peak RSS of wiredesk poll: %v %q", err, data)
		}
		kb, err := strconv.ParseInt(lines[len(lines)-1], 10, 64)
		if err != nil {
			return r, fmt.Errorf("peak RSS of wiredesk poll: %q", data)
		}
		r.maxRSS = kb * 1024
	}
	if path := os.Getenv("WIREDESK_BENCH_STDERR"); path != "" {
		// the child's log (e.g. GODEBUG=gctrace=1), kept for a look
		_ = os.WriteFile(fmt.Sprintf("%s.%d", path, cmd.Process.Pid), errb.Bytes(), 0o600)
	}
	if err := json.Unmarshal(out.Bytes(), &r.sum); err != nil {
		return r, fmt.Errorf("poll -json output: %v\n%s", err, out.Bytes())
	}
	return r, nil
}

// BenchmarkPoliteArticles polls 1,000 feeds (WIREDESK_BENCH_FEEDS) of 20
// items with their article pages on 20 hosts, per_host 2 and host_delay
// 10ms, and reports what the server saw: the most requests in flight to
// one host, and the mean gap between request starts on the busiest rate.
func BenchmarkPoliteArticles(b *testing.B) {
	feeds := envInt("WIREDESK_BENCH_FEEDS", 1000)
	bin := buildBinary(b)
	room := loadroom.New(feeds, 20, 20)
	defer room.Close()
	for b.Loop() {
		dir := b.TempDir()
		cfg := writeBenchConfig(b, dir, "articles: true", "concurrency: 64")
		if err := os.WriteFile(cfg, []byte(strings.Replace(mustRead(b, cfg), "host_delay: 5ms", "host_delay: 10ms", 1)), 0o600); err != nil {
			b.Fatal(err)
		}
		seedFeeds(b, "sqlite:"+filepath.Join(dir, "w.db"), room.FeedURLs)
		r := mustPoll(b, bin, cfg)
		b.ReportMetric(r.wall.Seconds(), "pass-s")
		b.ReportMetric(float64(room.MaxInflight()), "max-inflight/host")
		b.ReportMetric(float64(room.MeanSpacing().Microseconds())/1000, "mean-gap-ms")
		b.ReportMetric(float64(r.sum.Articles), "articles")
	}
}

func mustRead(tb testing.TB, path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return string(data)
}
