package store

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestSessions: sessions are stored by digest, read back, touched, ended,
// and pruned when a new one is added; on both databases.
func TestSessions(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for name, dsn := range backends(t) {
		t.Run(name, func(t *testing.T) {
			requireBackend(t, name)
			db := openTest(t, dsn(t))
			steps := []struct {
				name string
				run  func() error
			}{
				{"add", func() error { return db.AddSession(ctx, "a", t0, t0.Add(-time.Hour), t0.Add(-time.Hour)) }},
				{"read", func() error {
					created, used, err := db.Session(ctx, "a")
					if err == nil && (!created.Equal(t0) || !used.Equal(t0)) {
						return errors.New("times differ: " + created.String() + " " + used.String())
					}
					return err
				}},
				{"touch", func() error {
					if err := db.TouchSession(ctx, "a", t0.Add(time.Minute)); err != nil {
						return err
					}
					_, used, err := db.Session(ctx, "a")
					if err == nil && !used.Equal(t0.Add(time.Minute)) {
						return errors.New("used not moved: " + used.String())
					}
					return err
				}},
				{"prune on add", func() error {
					// b is added 2 h later with "unused for an hour" expiring a.
					if err := db.AddSession(ctx, "b", t0.Add(2*time.Hour), t0.Add(time.Hour), t0); err != nil {
						return err
					}
					if _, _, err := db.Session(ctx, "a"); !errors.Is(err, ErrNotFound) {
						return errors.New("a survived the prune")
					}
					_, _, err := db.Session(ctx, "b")
					return err
				}},
				{"end", func() error {
					if err := db.EndSession(ctx, "b"); err != nil {
						return err
					}
					if _, _, err := db.Session(ctx, "b"); !errors.Is(err, ErrNotFound) {
						return errors.New("b survived its end")
					}
					return db.EndSession(ctx, "b") // twice: no error
				}},
			}
			for _, s := range steps {
				if err := s.run(); err != nil {
					t.Fatalf("%s: %v", s.name, err)
				}
			}
		})
	}
}

// TestTakeLogin: an address has burst tries at once, then one per
// interval; addresses do not share budgets; two handles on one store
// share one; many tries at once never overdraw it. On both databases.
func TestTakeLogin(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	const every, burst = time.Second, 3
	for name, dsn := range backends(t) {
		t.Run(name, func(t *testing.T) {
			requireBackend(t, name)
			d := dsn(t)
			db, other := openTest(t, d), openTest(t, d)
			tries := []struct {
				db   *DB
				addr string
				at   time.Duration
				want bool
			}{
				{db, "a", 0, true}, {db, "a", 0, true}, {other, "a", 0, true}, // the burst, from two handles
				{other, "a", 0, false}, {db, "a", 500 * time.Millisecond, false},
				{db, "b", 0, true},                                          // another address
				{db, "a", time.Second, true}, {db, "a", time.Second, false}, // one more a second
				{db, "a", 10 * time.Second, true}, {db, "a", 10 * time.Second, true}, {db, "a", 10 * time.Second, true},
				{db, "a", 10 * time.Second, false}, // idle: the whole burst again, no more
			}
			for i, tr := range tries {
				got, err := tr.db.TakeLogin(ctx, tr.addr, t0.Add(tr.at), every, burst)
				if err != nil || got != tr.want {
					t.Fatalf("try %d (%s at +%v) = %v, %v; want %v", i, tr.addr, tr.at, got, err, tr.want)
				}
			}
			var n int
			if err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM login_throttle`).Scan(&n); err != nil || n != 1 {
				t.Errorf("%d rows (%v); want only a's: b's budget is whole again and pruned", n, err)
			}
			// Ten handles' worth of tries at once spend exactly the burst.
			var wg sync.WaitGroup
			var allowed atomic.Int64
			for i := range 12 {
				h := db
				if i%2 == 1 {
					h = other
				}
				wg.Go(func() {
					ok, err := h.TakeLogin(ctx, "c", t0, every, burst)
					if err != nil {
						t.Error(err)
					}
					if ok {
						allowed.Add(1)
					}
				})
			}
			wg.Wait()
			if allowed.Load() != burst {
				t.Errorf("%d of 12 concurrent tries allowed; want %d", allowed.Load(), burst)
			}
		})
	}
}
