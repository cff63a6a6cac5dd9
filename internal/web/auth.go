package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const (
	sessionCookie = "wiredesk_session"
	sessionMaxAge = 30 * 24 * time.Hour
	maxFormBytes  = 64 << 10
)

// sessionKey is the HMAC key of session cookies and CSRF tokens: the token
// itself, so that a cookie proves knowledge of the token without holding
// it, survives restarts, and dies when the token changes.
func sessionKey(token string) []byte { return []byte(token) }

func (s *Server) mac(purpose, id string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(purpose + "\x00" + id))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// newSession returns a fresh session id: issue time and 128 random bits.
func (s *Server) newSession() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return strconv.FormatInt(s.opt.Now().Unix(), 10) + "." + hex.EncodeToString(b)
}

// session returns the request's verified session id, if any.
func (s *Server) session(r *http.Request) (string, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return "", false
	}
	i := strings.LastIndexByte(c.Value, '.')
	if i < 0 {
		return "", false
	}
	id, sig := c.Value[:i], c.Value[i+1:]
	if !hmac.Equal([]byte(sig), []byte(s.mac("session", id))) {
		return "", false
	}
	ts, _, _ := strings.Cut(id, ".")
	issued, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || s.opt.Now().Sub(time.Unix(issued, 0)) > sessionMaxAge {
		return "", false
	}
	return id, true
}

func (s *Server) setSession(w http.ResponseWriter, r *http.Request, id string) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: id + "." + s.mac("session", id), Path: "/",
		MaxAge: int(sessionMaxAge / time.Second), HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: r.TLS != nil,
	})
}

// csrfToken is the form token tied to session id.
func (s *Server) csrfToken(id string) string { return s.mac("csrf", id) }

// tokenOK compares a presented token with the configured one in constant
// time (over digests, so the length does not leak either).
func (s *Server) tokenOK(presented string) bool {
	a := sha256.Sum256([]byte(presented))
	b := sha256.Sum256([]byte(s.opt.Token))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1 && s.opt.Token != ""
}

// bearerOK reports whether r carries "Authorization: Bearer <token>".
func (s *Server) bearerOK(r *http.Request) bool {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	return ok && strings.EqualFold(scheme, "Bearer") && s.tokenOK(strings.TrimSpace(tok))
}

// pageHandler is a dashboard page; sess is the session id its forms use.
type pageHandler func(w http.ResponseWriter, r *http.Request, sess string)

// page guards a dashboard page: with a token it needs a session (else the
// login form); without one it hands out an anonymous session for CSRF.
func (s *Server) page(h pageHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess, ok := s.session(r)
		if !ok {
			if s.opt.Token != "" {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			sess = s.newSession()
			s.setSession(w, r, sess)
		}
		h(w, r, sess)
	}
}

// form guards a state-changing POST: a session, a same-origin request and
// the session's CSRF token.
func (s *Server) form(h pageHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := s.cop.Check(r); err != nil {
			s.pageError(w, r, http.StatusForbidden, "cross-origin request refused")
			return
		}
		sess, ok := s.session(r)
		if !ok {
			s.pageError(w, r, http.StatusForbidden, "no session: reload the page and try again")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		if err := r.ParseForm(); err != nil {
			s.pageError(w, r, http.StatusBadRequest, "bad form")
			return
		}
		if !hmac.Equal([]byte(r.PostFormValue("csrf")), []byte(s.csrfToken(sess))) {
			s.pageError(w, r, http.StatusForbidden, "bad or missing CSRF token: reload the page and try again")
			return
		}
		h(w, r, sess)
	}
}

// api guards the API, feeds and metrics: with a token they need the bearer
// token or a dashboard session.
func (s *Server) api(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.opt.Token != "" && !s.bearerOK(r) {
			if _, ok := s.session(r); !ok {
				w.Header().Set("WWW-Authenticate", `Bearer realm="wiredesk"`)
				writeError(w, http.StatusUnauthorized, "missing or wrong bearer token")
				return
			}
		}
		h(w, r)
	}
}

func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	if s.opt.Token == "" {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "login", loginView{Next: safeNext(r.URL.Query().Get("next"))})
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	if s.opt.Token == "" {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	if err := s.cop.Check(r); err != nil {
		s.pageError(w, r, http.StatusForbidden, "cross-origin request refused")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.pageError(w, r, http.StatusBadRequest, "bad form")
		return
	}
	next := safeNext(r.PostFormValue("next"))
	if s.loginLimit.Tokens() < 1 {
		s.log.Warn("login throttled", "remote_addr", r.RemoteAddr)
		s.render(w, r, http.StatusTooManyRequests, "login", loginView{Next: next, Throttled: true})
		return
	}
	if !s.tokenOK(r.PostFormValue("token")) {
		s.loginLimit.Allow() // spend a token: failures are rate limited

		s.log.Warn("login failed", "remote_addr", r.RemoteAddr)
		s.render(w, r, http.StatusUnauthorized, "login", loginView{Next: next, Failed: true})
		return
	}
	s.setSession(w, r, s.newSession())
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request, _ string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	return next
}
