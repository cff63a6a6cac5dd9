package poll

import (
	"context"
	"sync"
)

// waitingBytes bounds the memory of prepared feeds that gave their slot to
// the next feed while they wait for the writer; waitingFactor bounds their
// number, as a multiple of the pass's concurrency (the goroutines of a pass
// are concurrency × waitingFactor, at most concurrency of them fetching).
// Each byte waiting costs about two of peak RSS (the heap's goal is twice
// what it holds): with 8 MB the 10,000-feed PollPass peaked at 217 MB, with
// 4 MB at 209, with 2 MB at 201, as the build before (target 200 MB).
const (
	waitingBytes  = 2 << 20
	waitingFactor = 2
)

// byteBudget is a counting semaphore over bytes. A request larger than
// the whole budget is granted when nothing else holds any.
type byteBudget struct {
	mu    sync.Mutex
	max   int64
	used  int64
	freed chan struct{} // closed and replaced at each release
}

func newByteBudget(max int64) *byteBudget {
	return &byteBudget{max: max, freed: make(chan struct{})}
}

// acquire waits until n bytes fit in the budget, or ctx ends.
func (b *byteBudget) acquire(ctx context.Context, n int64) error {
	for {
		b.mu.Lock()
		if b.used == 0 || b.used+n <= b.max {
			b.used += n
			b.mu.Unlock()
			return nil
		}
		freed := b.freed
		b.mu.Unlock()
		select {
		case <-freed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// release gives back n bytes acquired before.
func (b *byteBudget) release(n int64) {
	b.mu.Lock()
	b.used -= n
	close(b.freed)
	b.freed = make(chan struct{})
	b.mu.Unlock()
}

// weight estimates the memory j holds until its commit: its articles'
// strings, their fingerprints (a shingle of 8 bytes about every word) and
// sketches, and a fixed part for the rest.
func (j *job) weight() int64 {
	n := int64(1 << 10)
	for _, pd := range j.arts {
		if pd == nil {
			continue
		}
		a := pd.a
		n += 512 + int64(len(a.Title)+len(a.URL)+len(a.GUID)+len(pd.sketch)) + 3*int64(len(a.Text))
	}
	return n
}
