package demo

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ServeHTTP answers from the prepared resources, with ETag and
// Last-Modified validators and 304 for a matching conditional GET.
func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	res, ok := s.res[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("ETag", res.etag)
	h.Set("Last-Modified", res.modified.Format(http.TimeFormat))
	h.Set("Cache-Control", "max-age=60")
	if notModified(r, res) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", res.ctype)
	h.Set("Content-Length", strconv.Itoa(len(res.body)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write(res.body) // the client went away; nothing to do
	}
}

// notModified reports whether r's validators match res: If-None-Match
// wins over If-Modified-Since, as RFC 9110 says.
func notModified(r *http.Request, res resource) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
			if tag == "*" || tag == res.etag {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		t, err := http.ParseTime(ims)
		return err == nil && !res.modified.Truncate(time.Second).After(t)
	}
	return false
}
