package web

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// maxCached bounds the response cache; when it is full it starts over.
const maxCached = 1024

// maxCachedBody is the largest response body kept.
const maxCachedBody = 1 << 20

// respCache is a micro-cache of GET responses by request URI: under many
// concurrent readers, identical API and feed requests within ttl share one
// store query. The store changes once per poll pass, so a second of
// staleness is invisible; feed edits from the dashboard clear it.
type respCache struct {
	ttl      time.Duration
	mu       sync.Mutex
	entries  map[string]cachedResp
	inflight map[string]chan struct{} // closed when the key's computation ends
}

type cachedResp struct {
	at      time.Time
	status  int
	ctype   string
	lastMod string // Last-Modified, replayed for conditional requests
	body    []byte
}

// begin returns the fresh cached response for key, if any. Otherwise,
// when another request is computing key it waits for that one; else it
// makes the caller the one computing key, and the caller must call finish
// (with nil when the response is not cacheable). finish is nil when ctx
// ended while waiting: compute without caching then.
func (c *respCache) begin(ctx context.Context, key string) (e cachedResp, ok bool, finish func(*cachedResp)) {
	for {
		c.mu.Lock()
		if e, ok := c.entries[key]; ok && time.Since(e.at) <= c.ttl {
			c.mu.Unlock()
			return e, true, nil
		}
		if wait, busy := c.inflight[key]; busy {
			c.mu.Unlock()
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return cachedResp{}, false, nil
			}
		}
		done := make(chan struct{})
		if c.inflight == nil {
			c.inflight = make(map[string]chan struct{})
		}
		c.inflight[key] = done
		c.mu.Unlock()
		return cachedResp{}, false, func(e *cachedResp) {
			c.mu.Lock()
			defer c.mu.Unlock()
			if e != nil {
				if c.entries == nil || len(c.entries) >= maxCached {
					c.entries = make(map[string]cachedResp)
				}
				c.entries[key] = *e
			}
			delete(c.inflight, key)
			close(done)
		}
	}
}

// clear drops every entry (after the feed list changed).
func (c *respCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = nil
}

// recorder captures a response while writing it through.
type recorder struct {
	http.ResponseWriter
	status    int
	buf       bytes.Buffer
	truncated bool
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	if r.buf.Len()+len(p) <= maxCachedBody {
		r.buf.Write(p)
	} else {
		r.truncated = true
	}
	return r.ResponseWriter.Write(p)
}

// cached serves h through the cache. It runs after authentication, so only
// callers allowed to see a response get it.
func (s *Server) cached(h http.HandlerFunc) http.HandlerFunc {
	if s.opt.CacheTTL <= 0 {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet {
			h(w, r)
			return
		}
		key := r.Host + " " + r.URL.RequestURI()
		e, ok, finish := s.cache.begin(r.Context(), key)
		if ok {
			w.Header().Set("Content-Type", e.ctype)
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("X-Cache", "hit")
			if e.lastMod != "" {
				w.Header().Set("Last-Modified", e.lastMod)
			}
			w.Header().Set("Content-Length", strconv.Itoa(len(e.body)))
			w.WriteHeader(e.status)
			_, _ = w.Write(e.body) // the client went away; nothing to do
			return
		}
		if finish == nil {
			h(w, r)
			return
		}
		rec := &recorder{ResponseWriter: w}
		var keep *cachedResp
		defer func() { finish(keep) }()
		h(rec, r)
		if rec.status == http.StatusOK && !rec.truncated {
			keep = &cachedResp{at: time.Now(), status: rec.status,
				ctype: w.Header().Get("Content-Type"), lastMod: w.Header().Get("Last-Modified"), body: bytes.Clone(rec.buf.Bytes())}
		}
	}
}
