package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"syscall"
	"testing"
	"time"
)

// BenchmarkAlertLatency measures, in `serve`, the time from the commit
// that makes an alert true (a story's copy reaching a third outlet) to
// the alert's arrival at a loopback webhook: the alert's decision time is
// in its body ("at"). Reported: the median and the 90th percentile over
// b.N alerts (go test -run '^$' -bench AlertLatency -benchtime 30x).
func BenchmarkAlertLatency(b *testing.B) {
	const feeds = 6
	r := newPushRig(b, feeds, 100*time.Millisecond)
	r.hook.fail = 0
	db := r.sqlDB(b)
	cmd := r.serve(b, "")
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	for deadline := time.Now().Add(60 * time.Second); countRows(b, db, `SELECT count(*) FROM articles`) < feeds*40; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			b.Fatal("the first pass did not store the newsroom's items within 60s")
		}
	}
	n := min(b.N, 39)
	b.ResetTimer()
	for k := range n {
		src := fmt.Sprintf("%d/%d", k%feeds, k)
		r.live.Republish(src, (k+1)%feeds, (k+2)%feeds)
		time.Sleep(100 * time.Millisecond)
	}
	for deadline := time.Now().Add(60 * time.Second); len(r.hook.snapshot()) < n; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d alerts delivered within 60s", len(r.hook.snapshot()), n)
		}
	}
	b.StopTimer()
	var lat []time.Duration
	for _, c := range r.hook.snapshot() {
		var e struct {
			At time.Time `json:"at"`
		}
		if err := json.Unmarshal(c.body, &e); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, c.at.Sub(e.At))
	}
	slices.Sort(lat)
	med, p90 := lat[len(lat)/2], lat[len(lat)*9/10]
	b.ReportMetric(float64(med.Milliseconds()), "median-ms")
	b.ReportMetric(float64(p90.Milliseconds()), "p90-ms")
	b.Logf("%d alerts: commit to webhook median %v, p90 %v, max %v", len(lat), med, p90, lat[len(lat)-1])
	if med > time.Second {
		b.Errorf("median commit-to-delivery latency %v, over 1s", med)
	}
}
