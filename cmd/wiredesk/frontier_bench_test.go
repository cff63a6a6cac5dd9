package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/internal/loadroom"
	"github.com/wiredesk/wiredesk/store/storetest"
)

// frontierCase is one shape of feed list polled by BenchmarkFrontier.
type frontierCase struct {
	name         string
	feeds, hosts int
	grouped      bool // listed outlet by outlet (else round-robin)
	perHost      int
	hostDelay    string
	workers      int  // >1: processes on one PostgreSQL database
	postgres     bool // one worker on PostgreSQL
	secondPass   bool
	concurrency  int
}

var frontierCases = []frontierCase{
	{name: "grouped-1000x10-delay100ms", feeds: 1000, hosts: 10, grouped: true, perHost: 2, hostDelay: "100ms", workers: 1, concurrency: 64},
	{name: "interleaved-1000x10-delay100ms", feeds: 1000, hosts: 10, perHost: 2, hostDelay: "100ms", workers: 1, concurrency: 64},
	{name: "grouped-1000x10-delay0", feeds: 1000, hosts: 10, grouped: true, perHost: 2, hostDelay: "0s", workers: 1, concurrency: 64},
	{name: "grouped-1000x10-delay100ms-postgres", feeds: 1000, hosts: 10, grouped: true, perHost: 2, hostDelay: "100ms", workers: 1, postgres: true, concurrency: 64},
	{name: "grouped-1000x10-delay100ms-3workers", feeds: 1000, hosts: 10, grouped: true, perHost: 2, hostDelay: "100ms", workers: 3, concurrency: 64},
	{name: "interleaved-1000x10-delay100ms-3workers", feeds: 1000, hosts: 10, perHost: 2, hostDelay: "100ms", workers: 3, concurrency: 64},
	{name: "grouped-10000x50-delay0", feeds: 10000, hosts: 50, grouped: true, perHost: 4, hostDelay: "0s", workers: 1, secondPass: true, concurrency: 64},
}

// BenchmarkFrontier polls grouped (outlet by outlet) and interleaved feed
// lists, feeds only, with one `wiredesk poll` process on SQLite or three
// on one PostgreSQL database (skipped without WIREDESK_TEST_POSTGRES), and
// reports what the loopback hosts saw: the most requests in flight on one
// host and the smallest and mean gap between two request starts on one
// host.
//
//	go test -run '^$' -bench 'Frontier/grouped-1000x10-delay100ms$' -benchtime 1x ./cmd/wiredesk/
func BenchmarkFrontier(b *testing.B) {
	for _, c := range frontierCases {
		if c.secondPass { // WIREDESK_BENCH_FEEDS scales the large case, 200 feeds an outlet
			c.feeds = envInt("WIREDESK_BENCH_FEEDS", c.feeds)
			c.hosts = max(1, c.feeds/200)
		}
		b.Run(c.name, func(b *testing.B) {
			var dsn string
			if c.workers > 1 || c.postgres {
				dsn = storetest.PostgresDSN(b)
			}
			bin := buildBinary(b)
			for b.Loop() {
				runFrontierCase(b, bin, c, dsn)
			}
		})
	}
}

func runFrontierCase(b *testing.B, bin string, c frontierCase, dsn string) {
	newRoom := loadroom.New
	if c.grouped {
		newRoom = loadroom.NewGrouped
	}
	room := newRoom(c.feeds, c.hosts, 20)
	defer room.Close()
	dir := b.TempDir()
	if dsn == "" {
		dsn = "sqlite:" + filepath.Join(dir, "w.db")
	}
	cfg := writeFrontierConfig(b, dir, c)
	seedFeeds(b, dsn, room.FeedURLs)
	env := []string{"WIREDESK_STORE=" + dsn}
	start := time.Now()
	runs := make([]childRun, c.workers)
	errs := make([]error, c.workers)
	var wg sync.WaitGroup
	for w := range c.workers {
		wg.Go(func() { runs[w], errs[w] = runPollChild(bin, cfg, env...) })
	}
	wg.Wait()
	wall := time.Since(start)
	articles, slowest, cpu := 0, time.Duration(0), time.Duration(0)
	for w, err := range errs {
		if err != nil {
			b.Fatal(err)
		}
		articles += runs[w].sum.Articles
		slowest = max(slowest, runs[w].wall)
		cpu += runs[w].cpu
		b.Logf("worker %d: %d feeds on %d hosts (%d deferred) in %s", w, runs[w].sum.Feeds, runs[w].sum.Hosts, runs[w].sum.Deferred, runs[w].wall.Round(time.Millisecond))
	}
	if articles != c.feeds*20 {
		b.Errorf("stored %d articles, want %d", articles, c.feeds*20)
	}
	reportHosts(b, room, "")
	b.ReportMetric(wall.Seconds(), "pass-s")
	b.ReportMetric(slowest.Seconds(), "slowest-worker-s")
	b.ReportMetric(cpu.Seconds(), "workers-cpu-s")
	if c.secondPass {
		room.Reset()
		before, before304 := room.Requests.Load(), room.NotModified.Load()
		makeAllDue(b, filepath.Join(dir, "w.db"))
		second := mustPoll(b, bin, cfg, env...)
		reqs := room.Requests.Load() - before
		b.ReportMetric(second.wall.Seconds(), "pass2-s")
		b.ReportMetric(100*float64(room.NotModified.Load()-before304)/float64(max(reqs, 1)), "pass2-%304")
	}
}

// reportHosts reports the worst host: most in flight, smallest gap, the
// smallest mean gap and the longest gap.
func reportHosts(b *testing.B, room *loadroom.Room, prefix string) {
	var maxIn int64
	minGap, minMean, maxGap := time.Duration(1<<62), time.Duration(1<<62), time.Duration(0)
	for _, h := range room.Hosts() {
		maxIn = max(maxIn, h.MaxInflight)
		if h.Requests > 1 {
			minGap, minMean = min(minGap, h.MinGap), min(minMean, h.MeanGap)
			maxGap = max(maxGap, h.MaxGap)
		}
	}
	b.ReportMetric(float64(maxIn), prefix+"max-inflight/host")
	b.ReportMetric(float64(minGap.Microseconds())/1000, prefix+"min-gap-ms")
	b.ReportMetric(float64(minMean.Microseconds())/1000, prefix+"min-mean-gap-ms")
	// A host's longest wait between two starts: where a pass stalls.
	b.ReportMetric(float64(maxGap.Microseconds())/1000, prefix+"max-gap-ms")
}

func writeFrontierConfig(tb testing.TB, dir string, c frontierCase) string {
	cfg := fmt.Sprintf(`store: sqlite:%s
http:
  allow_networks: [127.0.0.0/8]
  timeout: 30s
poll:
  concurrency: %d
  per_host: %d
  host_delay: %s
scrape:
  articles: false
`, filepath.Join(dir, "w.db"), c.concurrency, c.perHost, c.hostDelay)
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}
