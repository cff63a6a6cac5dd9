package main

import (
	"sync"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/internal/loadroom"
	"github.com/wiredesk/wiredesk/store/storetest"
)

// BenchmarkScaleOut polls WIREDESK_BENCH_FEEDS loopback feeds (default
// 2000; the figure is 10000) that answer after 50 ms, once with one
// `wiredesk poll` worker and once with three on one PostgreSQL database,
// and reports the speed-up.
//
//	WIREDESK_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//	WIREDESK_BENCH_FEEDS=10000 go test -run '^$' -bench ScaleOut -benchtime 1x ./cmd/wiredesk/
func BenchmarkScaleOut(b *testing.B) {
	feeds := envInt("WIREDESK_BENCH_FEEDS", 2000)
	bin := buildBinary(b)
	room := loadroom.New(feeds, max(1, feeds/20), 2)
	room.Latency = 50 * time.Millisecond
	defer room.Close()
	for b.Loop() {
		one, oneCPU := scaleOutRun(b, bin, room, 1)
		three, threeCPU := scaleOutRun(b, bin, room, 3)
		b.ReportMetric(one.Seconds(), "1-worker-s")
		b.ReportMetric(three.Seconds(), "3-workers-s")
		b.ReportMetric(one.Seconds()/three.Seconds(), "speedup")
		b.ReportMetric(oneCPU.Seconds(), "1-worker-cpu-s")
		b.ReportMetric(threeCPU.Seconds(), "3-workers-cpu-s")
	}
}

// scaleOutRun seeds a fresh schema with the room's feeds and runs workers
// `wiredesk poll` processes at once, returning the wall time of the pass
// and the CPU time of the workers.
func scaleOutRun(b *testing.B, bin string, room *loadroom.Room, workers int) (wall, cpu time.Duration) {
	dsn := storetest.PostgresDSN(b)
	dir := b.TempDir()
	// Each worker is a modest one (16 feeds in flight), so that one worker
	// is bound by the feeds' latency, as a worker with a full share of a
	// larger site list is; more workers then add capacity.
	cfg := writeBenchConfig(b, dir, "articles: false", "concurrency: 16")
	seedFeeds(b, dsn, room.FeedURLs)
	start := time.Now()
	var wg sync.WaitGroup
	articles := make([]int, workers)
	cpus := make([]time.Duration, workers)
	errs := make([]error, workers)
	for w := range workers {
		wg.Go(func() {
			r, err := runPollChild(bin, cfg, "WIREDESK_STORE="+dsn)
			articles[w], cpus[w], errs[w] = r.sum.Articles, r.cpu, err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			b.Fatal(err)
		}
	}
	elapsed := time.Since(start)
	total := 0
	for w, n := range articles {
		total += n
		cpu += cpus[w]
	}
	if total != len(room.FeedURLs)*2 {
		b.Fatalf("%d workers stored %d articles, want %d", workers, total, len(room.FeedURLs)*2)
	}
	return elapsed, cpu
}
