package store

import (
	"context"
	"errors"
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
