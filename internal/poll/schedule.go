package poll

import (
	"hash/fnv"
	"math"
	"slices"
	"time"

	"github.com/wiredesk/wiredesk/news"
)

// Schedule bounds the adaptive polling interval.
type Schedule struct {
	Start, Min, Max time.Duration
}

// failingAfter is the number of consecutive failures after which a feed is
// flagged "failing" (it is still polled, with backoff).
const failingAfter = 3

// staleFactor: a feed is stale when it has been silent this many times its
// usual gap between items (and at least staleFloor).
const (
	staleFactor = 8
	staleFloor  = 48 * time.Hour
)

// rhythm is the median gap between consecutive item publication times, 0
// when fewer than two items carry a time.
func rhythm(items []news.Item) time.Duration {
	var ts []time.Time
	for _, it := range items {
		if !it.Published.IsZero() {
			ts = append(ts, it.Published)
		}
	}
	if len(ts) < 2 {
		return 0
	}
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	gaps := make([]time.Duration, 0, len(ts)-1)
	for i := 1; i < len(ts); i++ {
		gaps = append(gaps, ts[i].Sub(ts[i-1]))
	}
	slices.Sort(gaps)
	return gaps[len(gaps)/2]
}

// nextInterval adapts the interval to the feed's publishing rate: poll about
// twice per typical gap between items; with nothing new, slow down by half.
func (s Schedule) nextInterval(cur time.Duration, newItems int, gap time.Duration) time.Duration {
	if cur <= 0 {
		cur = s.Start
	}
	next := cur
	switch {
	case newItems > 0 && gap > 0:
		next = gap / 2
	case newItems > 0:
		next = cur * 3 / 4
	default:
		next = cur * 3 / 2
	}
	return s.clamp(next)
}

func (s Schedule) clamp(d time.Duration) time.Duration {
	return min(max(d, s.Min), s.Max)
}

// backoff is the wait after the n-th consecutive failure: exponential from
// Min, capped at Max, with ±20% jitter derived from the feed id and n, so
// that it is deterministic for a feed yet spreads feeds apart.
func (s Schedule) backoff(feedID int64, n int) time.Duration {
	d := float64(s.Min) * math.Pow(2, float64(min(n-1, 20)))
	d = min(d, float64(s.Max))
	h := fnv.New32a()
	var b [16]byte
	for i := range 8 {
		b[i] = byte(feedID >> (8 * i))
		b[8+i] = byte(n >> (8 * i))
	}
	h.Write(b[:])
	jitter := (float64(h.Sum32()%4001)/10000 - 0.2) // -0.2 .. +0.2
	return time.Duration(d * (1 + jitter))
}

// honour delays next so the server's freshness hint (Cache-Control max-age,
// Expires, RSS ttl) is respected, up to a day.
func honour(next, now time.Time, hint time.Duration) time.Time {
	if hint <= 0 {
		return next
	}
	hint = min(hint, 24*time.Hour)
	if at := now.Add(hint); at.After(next) {
		return at
	}
	return next
}

// isStale reports whether a feed has been silent for much longer than its
// usual rhythm.
func isStale(lastItem, now time.Time, gap time.Duration) bool {
	if lastItem.IsZero() {
		return false
	}
	limit := max(staleFloor, staleFactor*gap)
	return now.Sub(lastItem) > limit
}
