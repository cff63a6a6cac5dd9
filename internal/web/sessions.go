package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"sync"
	"time"
)

const (
	// sessionMaxAge is how long a session lives at most from login.
	sessionMaxAge = 30 * 24 * time.Hour
	// sessionIdle ends a session unused this long.
	sessionIdle = 7 * 24 * time.Hour
	// sessionTouchEvery is how stale a session's last use may be before
	// it is recorded again (one write a minute, not one per request).
	sessionTouchEvery = time.Minute
	// maxSessions bounds the in-memory table: past it the least recently
	// used session ends (an open dashboard hands one to every visitor).
	maxSessions = 10_000
)

// SessionStore keeps dashboard sessions server-side, by the digest of
// their id, so that logout ends a session on every serve instance and a
// restart keeps it (store.DB implements it). Without one (or without a
// token), sessions live in the process.
type SessionStore interface {
	AddSession(ctx context.Context, hash string, now, usedBefore, createdBefore time.Time) error
	Session(ctx context.Context, hash string) (created, used time.Time, err error)
	TouchSession(ctx context.Context, hash string, at time.Time) error
	EndSession(ctx context.Context, hash string) error
}

// sessions are the live dashboard sessions: a cookie is only a random id,
// so ending a session here ends it for good. Ids are kept as digests, so a
// lookup's timing, or a copy of the store, reveals no live id.
type sessions interface {
	add(ctx context.Context, now time.Time) (string, error)
	check(ctx context.Context, id string, now time.Time) bool
	end(ctx context.Context, id string)
}

func newSessionID() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

func idHash(id string) string {
	h := sha256.Sum256([]byte(id))
	return hex.EncodeToString(h[:])
}

func expired(created, used, now time.Time) bool {
	return now.Sub(created) > sessionMaxAge || now.Sub(used) > sessionIdle
}

// storeSessions keeps sessions in the store.
type storeSessions struct {
	st         SessionStore
	log        *slog.Logger
	isNotFound func(error) bool
}

func (s storeSessions) add(ctx context.Context, now time.Time) (string, error) {
	id := newSessionID()
	if err := s.st.AddSession(ctx, idHash(id), now, now.Add(-sessionIdle), now.Add(-sessionMaxAge)); err != nil {
		return "", err
	}
	return id, nil
}

// check fails closed: a store error refuses the session (and is logged).
func (s storeSessions) check(ctx context.Context, id string, now time.Time) bool {
	h := idHash(id)
	created, used, err := s.st.Session(ctx, h)
	switch {
	case err != nil && s.isNotFound(err):
		return false
	case err != nil:
		s.log.Error("read session", "err", err)
		return false
	case expired(created, used, now):
		s.end(ctx, id)
		return false
	}
	if now.Sub(used) > sessionTouchEvery {
		if err := s.st.TouchSession(ctx, h, now); err != nil {
			s.log.Warn("touch session", "err", err)
		}
	}
	return true
}

func (s storeSessions) end(ctx context.Context, id string) {
	if err := s.st.EndSession(context.WithoutCancel(ctx), idHash(id)); err != nil {
		s.log.Error("end session", "err", err)
	}
}

// memSessions keeps sessions in the process.
type memSessions struct {
	mu   sync.Mutex
	live map[[32]byte]sessionTimes
}

type sessionTimes struct{ created, used time.Time }

func (t *memSessions) add(_ context.Context, now time.Time) (string, error) {
	id := newSessionID()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.live == nil {
		t.live = map[[32]byte]sessionTimes{}
	}
	if len(t.live) >= maxSessions {
		t.evict(now)
	}
	t.live[sha256.Sum256([]byte(id))] = sessionTimes{now, now}
	return id, nil
}

// evict drops the expired sessions, else the least recently used one.
func (t *memSessions) evict(now time.Time) {
	var oldest [32]byte
	var oldestUsed time.Time
	for k, v := range t.live {
		if expired(v.created, v.used, now) {
			delete(t.live, k)
			continue
		}
		if oldestUsed.IsZero() || v.used.Before(oldestUsed) {
			oldest, oldestUsed = k, v.used
		}
	}
	if len(t.live) >= maxSessions {
		delete(t.live, oldest)
	}
}

func (t *memSessions) check(_ context.Context, id string, now time.Time) bool {
	k := sha256.Sum256([]byte(id))
	t.mu.Lock()
	defer t.mu.Unlock()
	v, ok := t.live[k]
	if !ok {
		return false
	}
	if expired(v.created, v.used, now) {
		delete(t.live, k)
		return false
	}
	v.used = now
	t.live[k] = v
	return true
}

func (t *memSessions) end(_ context.Context, id string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.live, sha256.Sum256([]byte(id)))
}
