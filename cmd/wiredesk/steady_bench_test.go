package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/internal/loadroom"
)

// BenchmarkSteadyPass measures the cron pass of a store that has grown:
// `wiredesk poll` as a child process over WIREDESK_BENCH_FEEDS feeds
// (default 1000; the figure is 10000) × 20 items on feeds/20
// hosts, scrape.articles false. A first pass fills the store with the
// whole window (every item first seen now); then passes alternate between
// one that finds nothing new (every feed answers 304) and one where 1% of
// the feeds have one new item each (the index is loaded from the snapshot
// the last pass that changed it left). It reports the CPU, wall and peak
// RSS of each (medians of three), their CPU ratio, and two more 1% passes
// without the snapshot: one whose index is rebuilt from the stored
// sketches, one from the texts (sketches removed), as every run did
// before.
//
//	WIREDESK_BENCH_FEEDS=10000 go test -run '^$' -bench SteadyPass -benchtime 1x ./cmd/wiredesk/
func BenchmarkSteadyPass(b *testing.B) {
	feeds := envInt("WIREDESK_BENCH_FEEDS", 1000)
	bin := buildBinary(b)
	live := loadroom.NewLive(loadroom.LiveOptions{Feeds: feeds, Hosts: max(1, feeds/20), Items: 20, Backdate: 48 * time.Hour})
	defer live.Close()
	next := 0
	for b.Loop() {
		dir := b.TempDir()
		dbPath := filepath.Join(dir, "w.db")
		cfg := writeBenchConfig(b, dir, "articles: false", "concurrency: 128")
		seedFeeds(b, "sqlite:"+dbPath, live.FeedURLs)
		first := mustPoll(b, bin, cfg)
		var idle, busy []childRun
		for range 3 {
			makeAllDue(b, dbPath)
			idle = append(idle, mustPoll(b, bin, cfg))
			var changed []int
			for range max(1, feeds/100) {
				changed = append(changed, next%feeds)
				next += 97 // spread over the hosts
			}
			live.Publish(changed...)
			makeAllDue(b, dbPath)
			r := mustPoll(b, bin, cfg)
			if r.sum.Articles != len(changed) {
				b.Fatalf("1%% pass stored %d articles, want %d", r.sum.Articles, len(changed))
			}
			busy = append(busy, r)
		}
		if err := os.Remove(dbPath + ".dedup"); err != nil {
			b.Fatal(err)
		}
		live.Publish(next % feeds)
		next += 97
		makeAllDue(b, dbPath)
		fromSketches := mustPoll(b, bin, cfg)
		dropSketches(b, dbPath)
		live.Publish(next % feeds)
		next += 97
		makeAllDue(b, dbPath)
		fromText := mustPoll(b, bin, cfg)
		cpu := func(r childRun) time.Duration { return r.cpu }
		wall := func(r childRun) time.Duration { return r.wall }
		rss := func(r childRun) time.Duration { return time.Duration(r.maxRSS) }
		b.ReportMetric(first.cpu.Seconds(), "first-cpu-s")
		b.ReportMetric(first.wall.Seconds(), "first-s")
		b.ReportMetric(float64(first.maxRSS)/(1<<20), "first-peak-MB")
		b.ReportMetric(float64(first.sum.Articles), "window-articles")
		b.ReportMetric(medianOf(idle, cpu).Seconds(), "idle-cpu-s")
		b.ReportMetric(medianOf(idle, wall).Seconds(), "idle-s")
		b.ReportMetric(float64(medianOf(idle, rss))/(1<<20), "idle-peak-MB")
		b.ReportMetric(medianOf(busy, cpu).Seconds(), "new1%-cpu-s")
		b.ReportMetric(medianOf(busy, wall).Seconds(), "new1%-s")
		b.ReportMetric(float64(medianOf(busy, rss))/(1<<20), "new1%-peak-MB")
		b.ReportMetric(medianOf(busy, cpu).Seconds()/medianOf(idle, cpu).Seconds(), "cpu-ratio")
		b.ReportMetric(float64(selfRSS())/(1<<20), "newsroom-MB")
		b.ReportMetric(fromSketches.cpu.Seconds(), "fromsketch-cpu-s")
		b.ReportMetric(float64(fromSketches.maxRSS)/(1<<20), "fromsketch-peak-MB")
		b.ReportMetric(fromText.cpu.Seconds(), "fromtext-cpu-s")
		b.ReportMetric(float64(fromText.maxRSS)/(1<<20), "fromtext-peak-MB")
	}
}

// selfRSS is this process's resident size (the newsroom's; see
// runPollChild for why it matters); 0 when unknown.
func selfRSS() int64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	var size, rss int64
	if _, err := fmt.Sscan(string(data), &size, &rss); err != nil {
		return 0
	}
	return rss * int64(os.Getpagesize())
}

// dropSketches removes the stored sketches, as in a store written before
// they were kept.
func dropSketches(tb testing.TB, dbPath string) {
	db, err := sql.Open("sqlite", dbPath)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE articles SET sketch = NULL`); err != nil {
		tb.Fatal(err)
	}
	if err := os.Remove(dbPath + ".dedup"); err != nil && !os.IsNotExist(err) {
		tb.Fatal(err)
	}
}
