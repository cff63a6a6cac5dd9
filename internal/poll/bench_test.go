package poll

import (
	"context"
	"testing"
	"time"

	"github.com/wiredesk/wiredesk/internal/loadroom"
)

// BenchmarkPass is one in-process pass over 300 feeds × 20 items without
// article pages, for profiling the pipeline (-cpuprofile). The end-to-end
// figures come from BenchmarkPollPass in cmd/wiredesk.
func BenchmarkPass(b *testing.B) {
	const feeds = 300
	room := loadroom.New(feeds, feeds/20, 20)
	defer room.Close()
	b.StopTimer()
	for range b.N {
		db, p := roomPipeline(b, room, 2, time.Millisecond, Options{Concurrency: 64})
		b.StartTimer()
		sum, err := p.Pass(context.Background())
		if err != nil || sum.Articles != feeds*20 {
			b.Fatalf("pass: %v %s", err, sum)
		}
		b.StopTimer()
		db.Close()
	}
}
