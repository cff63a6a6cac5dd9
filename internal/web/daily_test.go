package web

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// dailyStore answers FeedDaily with its call number.
type dailyStore struct {
	*fakeStore
	calls atomic.Int64
	gate  chan struct{} // when set, FeedDaily waits for it
}

func (d *dailyStore) FeedDaily(context.Context, int, time.Time) (map[int64][]int, error) {
	if d.gate != nil {
		<-d.gate
	}
	n := d.calls.Add(1)
	return map[int64][]int{1: {int(n)}}, nil
}

func TestDailyCache(t *testing.T) {
	st := &dailyStore{fakeStore: newFakeStore()}
	var c dailyCache
	ctx := t.Context()
	get := func(now time.Time) int {
		t.Helper()
		m, err := c.get(ctx, st, 1, now)
		if err != nil {
			t.Fatal(err)
		}
		return m[1][0]
	}
	t.Run("fill then fresh", func(t *testing.T) {
		if a, b := get(testNow), get(testNow); a != 1 || b != 1 {
			t.Errorf("got %d then %d, want 1 and 1", a, b)
		}
	})
	t.Run("stale while refreshing", func(t *testing.T) {
		st.gate = make(chan struct{})
		c.mu.Lock()
		c.at = time.Now().Add(-2 * dailyTTL)
		c.mu.Unlock()
		if v := get(testNow); v != 1 {
			t.Errorf("expired counts: got %d, want the stale 1 at once", v)
		}
		close(st.gate)
		deadline := time.Now().Add(5 * time.Second)
		for get(testNow) != 2 {
			if time.Now().After(deadline) {
				t.Fatal("background refresh never landed")
			}
			time.Sleep(5 * time.Millisecond)
		}
		st.gate = nil
	})
	t.Run("new day waits", func(t *testing.T) {
		if v := get(testNow.Add(24 * time.Hour)); v != 3 {
			t.Errorf("next day: got %d, want a fresh 3", v)
		}
	})
}
