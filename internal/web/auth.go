package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"
)

const (
	sessionCookie = "wiredesk_session"
	maxFormBytes  = 64 << 10
)

func (s *Server) mac(purpose, id string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(purpose + "\x00" + id))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// newSession starts a server-side session and returns its id.
func (s *Server) newSession(ctx context.Context) (string, error) {
	return s.sessions.add(ctx, s.opt.Now())
}

// session returns the request's live session id, if any.
func (s *Server) session(r *http.Request) (string, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || len(c.Value) != 64 {
		return "", false
	}
	if !s.sessions.check(r.Context(), c.Value, s.opt.Now()) {
		return "", false
	}
	return c.Value, true
}

func (s *Server) setSession(w http.ResponseWriter, r *http.Request, id string) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: id, Path: "/",
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
			var err error
			if sess, err = s.newSession(r.Context()); err != nil {
				s.log.Error("start session", "err", err)
				s.pageError(w, r, http.StatusInternalServerError, "could not start a session")
				return
			}
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
	now := s.opt.Now()
	// Every try spends from the client's own limiter, before the token is
	// looked at (atomically, so parallel guesses cannot overdraw it): a
	// throttled guesser learns nothing, and slows only its own address.
	if !s.allowLogin(r) {
		s.refuseLogin(r, "throttled", now)
		s.render(w, r, http.StatusTooManyRequests, "login", loginView{Next: next, Throttled: true})
		return
	}
	if !s.tokenOK(r.PostFormValue("token")) {
		s.refuseLogin(r, "wrong_token", now)
		s.render(w, r, http.StatusUnauthorized, "login", loginView{Next: next, Failed: true})
		return
	}
	if old, ok := s.session(r); ok {
		s.sessions.end(r.Context(), old) // a fresh id at login: no session fixation
	}
	sess, err := s.newSession(r.Context())
	if err != nil {
		s.log.Error("start session", "err", err)
		s.pageError(w, r, http.StatusInternalServerError, "could not start a session")
		return
	}
	s.setSession(w, r, sess)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// refuseLogin counts a refused login and logs it in a bounded way.
func (s *Server) refuseLogin(r *http.Request, reason string, now time.Time) {
	s.opt.Metrics.LoginRefusals.WithLabelValues(reason).Inc()
	s.refusals.add(s.log, reason, r.RemoteAddr, now)
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request, sess string) {
	s.sessions.end(r.Context(), sess)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// safeNext keeps a post-login redirect on this site: a path, judged as
// the browser will read it. Browsers drop TAB, CR and LF anywhere in a URL,
// trim leading and trailing controls and spaces, and read a backslash as
// a slash, so "/<TAB>/host" and "/\\host" both mean "//host", another
// site. The cleaned form is both what is checked and what is returned.
func safeNext(next string) string {
	next = strings.Map(func(r rune) rune {
		switch r {
		case '\t', '\r', '\n':
			return -1
		case '\\':
			return '/'
		}
		return r
	}, next)
	next = strings.TrimFunc(next, func(r rune) bool { return r <= ' ' })
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return "/"
	}
	for _, r := range next {
		if r < ' ' || r == 0x7f {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}
