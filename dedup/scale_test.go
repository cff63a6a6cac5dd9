package dedup

import (
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// replicate returns the dev document d as it appears in replica r of the
// dev stream: a third of the words (chosen by word and replica) carry a
// replica suffix, so each replica's stories are different stories while
// copies within a replica stay copies, and 1% of the words are dropped or
// doubled per document.
func replicate(d *Doc, r, seq int) Doc {
	if r == 0 {
		return *d
	}
	suffix := "q" + strconv.Itoa(r)
	var b strings.Builder
	b.Grow(len(d.Text) + len(d.Text)/8)
	h := uint64(seq)*0x9E3779B97F4A7C15 + 1
	for li, line := range strings.Split(d.Text, "\n") {
		if li > 0 {
			b.WriteByte('\n')
		}
		for wi, w := range strings.Fields(line) {
			h = mix(h)
			if h%100 == 0 {
				continue // dropped
			}
			if wi > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w)
			if (hashString(w)+uint64(r))%3 == 0 {
				b.WriteString(suffix)
			}
			if h%100 == 1 {
				b.WriteByte(' ')
				b.WriteString(w)
			}
		}
	}
	out := *d
	out.ID = d.ID + "r" + strconv.Itoa(r)
	out.URL = d.URL + "/" + strconv.Itoa(r)
	out.Title = d.Title + " " + suffix
	out.Text = b.String()
	return out
}

// BenchmarkScale builds an index of 1,000,000 articles (the dev stream
// replicated with edits, all within one window) and reports index memory
// per article (heap and mappings) and query latency (thread CPU time: the
// machine may be shared; wall times are logged too), with the default
// table budget (the oldest stories thinned) and with none. docs/s is per
// CPU-second of the indexing thread. Opt in with DEDUP_SCALE=1 (it takes
// minutes); DEDUP_SCALE=N sets the number of articles.
func BenchmarkScale(b *testing.B) {
	n := scaleArticles(b)
	docs := loadDev(b)
	for _, bc := range []struct {
		name   string
		memory int64
	}{{"budget", 0}, {"unbounded", -1}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				m := runScale(b, docs, n, Options{Memory: bc.memory})
				b.ReportMetric(m.bytesPerDoc, "B/article")
				b.ReportMetric(float64(m.p50.Nanoseconds())/1e3, "query-p50-cpu-µs")
				b.ReportMetric(float64(m.p99.Nanoseconds())/1e3, "query-p99-cpu-µs")
				b.ReportMetric(m.docsPerSec, "docs/s")
			}
		})
	}
}

func scaleArticles(b *testing.B) int {
	v := os.Getenv("DEDUP_SCALE")
	if v == "" {
		b.Skip("scale benchmark is opt-in: DEDUP_SCALE=1 (1,000,000 articles) or DEDUP_SCALE=N")
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 1 {
		n = 1_000_000
	}
	return n
}

type scaleMetrics struct {
	bytesPerDoc float64
	p50, p99    time.Duration
	docsPerSec  float64
}

func runScale(b *testing.B, docs []labeledDoc, n int, opt Options) scaleMetrics {
	base := docs[0].Published
	span := 60 * time.Hour  // every article inside the default 72h window
	heap := func() uint64 { // heap and mappings
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc + uint64(MappedBytes())
	}
	before := heap()
	ix := NewIndex(opt)
	lat := make([]time.Duration, 0, n/10+1)
	wallLat := make([]time.Duration, 0, n/10+1)
	var busy time.Duration
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu0 := processCPU()
	for i := range n {
		r := i / len(docs)
		d := replicate(&docs[i%len(docs)].Doc, r, i)
		d.Published = base.Add(time.Duration(int64(span) * int64(i) / int64(n)))
		start, startCPU := time.Now(), threadCPU()
		if i%10 == 0 {
			res := ix.Query(&d)
			lat = append(lat, threadCPU()-startCPU)
			wallLat = append(wallLat, time.Since(start))
			if res.Cluster == "" {
				res.Cluster = d.ID
			}
			ix.Insert(&d, res)
		} else {
			ix.Add(&d)
		}
		busy += threadCPU() - startCPU
	}
	cpu := processCPU() - cpu0
	after := heap()
	runtime.KeepAlive(ix)
	slices.Sort(lat)
	slices.Sort(wallLat)
	b.Logf("articles=%d live=%d memory=%d MiB (mapped %d MiB); index CPU %.1fs (process CPU incl. GC and generation %.1fs); query wall p50=%v p99=%v",
		n, ix.Len(), (after-before)>>20, MappedBytes()>>20, busy.Seconds(), cpu.Seconds(), wallLat[len(wallLat)/2], wallLat[len(wallLat)*99/100])
	return scaleMetrics{
		bytesPerDoc: float64(after-before) / float64(ix.Len()),
		p50:         lat[len(lat)/2],
		p99:         lat[len(lat)*99/100],
		docsPerSec:  float64(n) / busy.Seconds(),
	}
}
