package web

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"
)

const (
	// sessionMaxAge is how long a session lives at most from login.
	sessionMaxAge = 30 * 24 * time.Hour
	// sessionIdle ends a session unused this long.
	sessionIdle = 7 * 24 * time.Hour
	// maxSessions bounds the table: past it the least recently used
	// session ends (an open dashboard hands one to every visitor).
	maxSessions = 10_000
)

// sessionTable holds the live sessions server-side: a cookie is only a
// random id, so logout (or a restart, or a changed token) ends a session
// for good. Ids are kept as digests, so a lookup's timing reveals nothing
// of a live id.
type sessionTable struct {
	mu   sync.Mutex
	live map[[32]byte]sessionTimes
}

type sessionTimes struct{ created, used time.Time }

func newSessionID() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

// add starts a session and returns its id.
func (t *sessionTable) add(now time.Time) string {
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
	return id
}

// evict drops the expired sessions, else the least recently used one.
func (t *sessionTable) evict(now time.Time) {
	var oldest [32]byte
	var oldestUsed time.Time
	for k, v := range t.live {
		if expired(v, now) {
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

func expired(v sessionTimes, now time.Time) bool {
	return now.Sub(v.created) > sessionMaxAge || now.Sub(v.used) > sessionIdle
}

// check reports whether id is a live session, and marks it used.
func (t *sessionTable) check(id string, now time.Time) bool {
	k := sha256.Sum256([]byte(id))
	t.mu.Lock()
	defer t.mu.Unlock()
	v, ok := t.live[k]
	if !ok {
		return false
	}
	if expired(v, now) {
		delete(t.live, k)
		return false
	}
	v.used = now
	t.live[k] = v
	return true
}

// end forgets session id.
func (t *sessionTable) end(id string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.live, sha256.Sum256([]byte(id)))
}
