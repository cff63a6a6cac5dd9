package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The republished feeds open with serve.feed_key as ?key=, besides the
// bearer token and a dashboard session: feed readers send neither. The key
// is read-only and opens only /feed.xml, /feed.atom and /feed.json.

// feedKeyOK reports whether r carries ?key= equal to the feed key.
func (s *Server) feedKeyOK(r *http.Request) bool {
	if s.opt.FeedKey == "" {
		return false
	}
	a := sha256.Sum256([]byte(r.URL.Query().Get("key")))
	b := sha256.Sum256([]byte(s.opt.FeedKey))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// feed guards a republished feed: the feed key, else what guards the API.
func (s *Server) feed(h http.HandlerFunc) http.HandlerFunc {
	guarded := s.api(h)
	return func(w http.ResponseWriter, r *http.Request) {
		if s.feedKeyOK(r) {
			h(w, r)
			return
		}
		guarded(w, r)
	}
}

// withoutKey is uri without its key parameter: the feed's self link must
// not copy the key into a document that caches and proxies may keep.
func withoutKey(u *url.URL) string {
	q := u.Query()
	if !q.Has("key") {
		return u.RequestURI()
	}
	q.Del("key")
	c := *u
	c.RawQuery = q.Encode()
	return c.RequestURI()
}

// feedURLs are the ready-to-paste subscription URLs shown on the feeds
// page: with the feed key when one is set.
func (s *Server) feedURLs(r *http.Request) []string {
	base := s.baseURL(r)
	var out []string
	for _, p := range []string{"/feed.xml", "/feed.atom", "/feed.json"} {
		u := base + p
		if s.opt.FeedKey != "" {
			u += "?key=" + url.QueryEscape(s.opt.FeedKey)
		}
		out = append(out, u)
	}
	return out
}

// conditional gives a feed an ETag (a digest of the body) and passes on
// its Last-Modified, and answers If-None-Match and If-Modified-Since with
// 304: a reader polling an unchanged feed downloads nothing.
func conditional(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rec := &bufWriter{header: w.Header()}
		h(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		if rec.status != http.StatusOK {
			w.WriteHeader(rec.status)
			_, _ = w.Write(rec.buf) // the client went away; nothing to do
			return
		}
		sum := sha256.Sum256(rec.buf)
		etag := `"` + hex.EncodeToString(sum[:12]) + `"`
		hd := w.Header()
		hd.Set("ETag", etag)
		hd.Set("Cache-Control", "private, no-cache")
		if notModified(r, etag, hd.Get("Last-Modified")) {
			hd.Del("Content-Type")
			hd.Del("Content-Length")
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(rec.buf) // the client went away; nothing to do
	}
}

// notModified applies RFC 9110's rules: If-None-Match wins over
// If-Modified-Since.
func notModified(r *http.Request, etag, lastMod string) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		return etagMatch(inm, etag)
	}
	ims, err := http.ParseTime(r.Header.Get("If-Modified-Since"))
	if err != nil || lastMod == "" {
		return false
	}
	lm, err := http.ParseTime(lastMod)
	return err == nil && !lm.After(ims.Truncate(time.Second))
}

// etagMatch is the weak comparison of If-None-Match.
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || t == etag || t == "W/"+etag {
			return true
		}
	}
	return false
}

// bufWriter holds a response until conditional has seen all of it.
type bufWriter struct {
	header http.Header
	status int
	buf    []byte
}

func (b *bufWriter) Header() http.Header { return b.header }
func (b *bufWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
func (b *bufWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	b.buf = append(b.buf, p...)
	return len(p), nil
}
