package web

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

const testToken = "s3cret-token"

// login posts the token and returns a client holding the session cookie.
func login(t *testing.T, base string) *http.Client {
	t.Helper()
	c := jarClient(t)
	r := postForm(t, c, base+"/login", url.Values{"token": {testToken}, "next": {"/feeds"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/feeds" {
		t.Fatalf("login = %d %q, want 303 /feeds", r.status, r.header.Get("Location"))
	}
	return c
}

func jarClient(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := noRedirect()
	c.Jar = jar
	return c
}

func postForm(t *testing.T, c *http.Client, u string, form url.Values, hdr ...string) result {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return do(t, c, req)
}

func csrfFrom(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no csrf field in the page")
	}
	return m[1]
}

func TestTokenGuards(t *testing.T) {
	ts := newTestServer(t, demoStore(), testToken)
	for name, c := range map[string]struct {
		path   string
		hdr    []string
		status int
	}{
		"api no token":       {"/api/stories", nil, 401},
		"api wrong token":    {"/api/stories", []string{"Authorization", "Bearer nope"}, 401},
		"api bearer":         {"/api/stories", []string{"Authorization", "Bearer " + testToken}, 200},
		"api bearer case":    {"/api/feeds", []string{"Authorization", "bearer " + testToken}, 200},
		"api basic":          {"/api/feeds", []string{"Authorization", "Basic " + testToken}, 401},
		"metrics no token":   {"/metrics", nil, 401},
		"metrics bearer":     {"/metrics", []string{"Authorization", "Bearer " + testToken}, 200},
		"feed no token":      {"/feed.xml", nil, 401},
		"feed bearer":        {"/feed.atom", []string{"Authorization", "Bearer " + testToken}, 200},
		"dashboard redirect": {"/?q=oil", nil, 303},
		"login form":         {"/login", nil, 200},
		"healthz open":       {"/healthz", nil, 200},
		"static open":        {"/static/style.css", nil, 200},
		"forged cookie":      {"/api/stories", []string{"Cookie", sessionCookie + "=1.abc.def"}, 401},
		"revisions no token": {"/api/articles/2/revisions", nil, 401},
		"revisions bearer":   {"/api/articles/2/revisions", []string{"Authorization", "Bearer " + testToken}, 200},
		"versions redirect":  {"/articles/2", nil, 303},
	} {
		t.Run(name, func(t *testing.T) {
			r := get(t, nil, ts.URL+c.path, c.hdr...)
			if r.status != c.status {
				t.Fatalf("GET %s = %d, want %d: %s", c.path, r.status, c.status, r.body)
			}
			if c.status == 303 && r.header.Get("Location") != "/login?next="+url.QueryEscape(c.path) {
				t.Errorf("redirect to %q", r.header.Get("Location"))
			}
		})
	}
}

func TestLogin(t *testing.T) {
	ts := newTestServer(t, demoStore(), testToken)
	t.Run("wrong token", func(t *testing.T) {
		r := postForm(t, nil, ts.URL+"/login", url.Values{"token": {"guess"}})
		if r.status != http.StatusUnauthorized || r.header.Get("Set-Cookie") != "" || !strings.Contains(r.body, "Wrong token") {
			t.Errorf("wrong token: %d, cookie %q", r.status, r.header.Get("Set-Cookie"))
		}
	})
	t.Run("cookie", func(t *testing.T) {
		r := postForm(t, nil, ts.URL+"/login", url.Values{"token": {testToken}, "next": {"//evil.example/"}})
		ck := r.header.Get("Set-Cookie")
		for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/"} {
			if !strings.Contains(ck, want) {
				t.Errorf("cookie %q lacks %s", ck, want)
			}
		}
		if strings.Contains(ck, testToken) {
			t.Errorf("cookie %q holds the token", ck)
		}
		if loc := r.header.Get("Location"); loc != "/" {
			t.Errorf("open redirect: Location %q", loc)
		}
	})
	t.Run("cross-site login", func(t *testing.T) {
		r := postForm(t, nil, ts.URL+"/login", url.Values{"token": {testToken}}, "Sec-Fetch-Site", "cross-site")
		if r.status != http.StatusForbidden {
			t.Errorf("cross-site login = %d", r.status)
		}
	})
	t.Run("session", func(t *testing.T) {
		c := login(t, ts.URL)
		for _, p := range []string{"/", "/feeds", "/api/stories", "/stories/2", "/articles/2", "/api/articles/2/revisions"} {
			if r := get(t, c, ts.URL+p); r.status != 200 {
				t.Errorf("GET %s with session = %d", p, r.status)
			}
		}
		r := get(t, c, ts.URL+"/")
		if r := postForm(t, c, ts.URL+"/logout", url.Values{"csrf": {csrfFrom(t, r.body)}}); r.status != http.StatusSeeOther {
			t.Fatalf("logout = %d", r.status)
		}
		if r := get(t, c, ts.URL+"/"); r.status != http.StatusSeeOther {
			t.Errorf("after logout GET / = %d", r.status)
		}
	})
	t.Run("logout ends the session", func(t *testing.T) {
		c := login(t, ts.URL)
		u, err := url.Parse(ts.URL)
		if err != nil {
			t.Fatal(err)
		}
		var old string
		for _, ck := range c.Jar.Cookies(u) {
			if ck.Name == sessionCookie {
				old = ck.Value
			}
		}
		if old == "" {
			t.Fatal("no session cookie after login")
		}
		cookie := []string{"Cookie", sessionCookie + "=" + old}
		if r := get(t, nil, ts.URL+"/api/stories", cookie...); r.status != 200 {
			t.Fatalf("before logout: GET /api/stories = %d", r.status)
		}
		r := get(t, c, ts.URL+"/")
		if r := postForm(t, c, ts.URL+"/logout", url.Values{"csrf": {csrfFrom(t, r.body)}}); r.status != http.StatusSeeOther {
			t.Fatalf("logout = %d", r.status)
		}
		// The old cookie, replayed by hand (as a thief would), opens nothing.
		for _, p := range []string{"/api/stories", "/feed.xml", "/metrics"} {
			if r := get(t, nil, ts.URL+p, cookie...); r.status != http.StatusUnauthorized {
				t.Errorf("after logout: GET %s with the old cookie = %d, want 401", p, r.status)
			}
		}
		if r := get(t, nil, ts.URL+"/feeds", cookie...); r.status != http.StatusSeeOther {
			t.Errorf("after logout: GET /feeds with the old cookie = %d, want 303 to login", r.status)
		}
	})
}

func TestLoginThrottle(t *testing.T) {
	ts := newTestServer(t, demoStore(), testToken)
	statuses := map[int]int{}
	for range 15 {
		statuses[postForm(t, nil, ts.URL+"/login", url.Values{"token": {"guess"}}).status]++
	}
	// 10 at once, then one a second: a slow machine may earn one or two more.
	if n := statuses[http.StatusUnauthorized]; n < 10 || n > 12 || statuses[http.StatusTooManyRequests] < 3 {
		t.Errorf("15 wrong logins: %v, want about 10 × 401 then 429s", statuses)
	}
}

func TestFeedForms(t *testing.T) {
	st := demoStore()
	ts := newTestServer(t, st, testToken)
	c := login(t, ts.URL)
	csrf := csrfFrom(t, get(t, c, ts.URL+"/feeds").body)
	add := url.Values{"url": {"https://new.example/rss"}, "name": {"New"}, "tags": {"en, wire"}, "csrf": {csrf}}
	for name, tc := range map[string]struct {
		path   string
		form   url.Values
		hdr    []string
		status int
	}{
		"no csrf":        {"/feeds", url.Values{"url": {"https://x.example/rss"}}, nil, 403},
		"wrong csrf":     {"/feeds", url.Values{"url": {"https://x.example/rss"}, "csrf": {"AAAA"}}, nil, 403},
		"cross-site":     {"/feeds", add, []string{"Sec-Fetch-Site", "cross-site"}, 403},
		"foreign origin": {"/feeds", add, []string{"Origin", "https://evil.example"}, 403},
		"bad url":        {"/feeds", url.Values{"url": {"javascript:alert(1)"}, "csrf": {csrf}}, nil, 400},
		"add":            {"/feeds", add, []string{"Origin", ts.URL, "Sec-Fetch-Site", "same-origin"}, 303},
		"remove":         {"/feeds/1/delete", url.Values{"csrf": {csrf}}, nil, 303},
		"remove missing": {"/feeds/999/delete", url.Values{"csrf": {csrf}}, nil, 404},
		"remove no csrf": {"/feeds/2/delete", nil, nil, 403},
		"remove bad id":  {"/feeds/x/delete", url.Values{"csrf": {csrf}}, nil, 400},
	} {
		t.Run(name, func(t *testing.T) {
			r := postForm(t, c, ts.URL+tc.path, tc.form, tc.hdr...)
			if r.status != tc.status {
				t.Errorf("POST %s = %d, want %d: %s", tc.path, r.status, tc.status, r.body)
			}
		})
	}
	feeds, _ := st.Feeds(t.Context())
	var urls []string
	for _, f := range feeds {
		urls = append(urls, f.URL)
	}
	got := strings.Join(urls, " ")
	if !strings.Contains(got, "https://new.example/rss") || strings.Contains(got, "sputnik.test") || !strings.Contains(got, "urdupoint.test") {
		t.Errorf("feeds after the forms: %s", got)
	}
	t.Run("other session's csrf", func(t *testing.T) {
		other := login(t, ts.URL)
		if r := postForm(t, other, ts.URL+"/feeds", add); r.status != http.StatusForbidden {
			t.Errorf("csrf token of another session accepted: %d", r.status)
		}
	})
}

func TestOpenCSRF(t *testing.T) {
	ts := newTestServer(t, demoStore(), "")
	form := url.Values{"url": {"https://x.example/rss"}}
	if r := postForm(t, nil, ts.URL+"/feeds", form); r.status != http.StatusForbidden {
		t.Errorf("POST without session = %d, want 403", r.status)
	}
	c := jarClient(t)
	form.Set("csrf", csrfFrom(t, get(t, c, ts.URL+"/feeds").body))
	if r := postForm(t, c, ts.URL+"/feeds", form); r.status != http.StatusSeeOther {
		t.Errorf("POST with session and token = %d, want 303", r.status)
	}
}

func TestSafeNext(t *testing.T) {
	for name, c := range map[string]struct{ in, want string }{
		"path":              {"/feeds", "/feeds"},
		"empty":             {"", "/"},
		"query":             {"/?q=x", "/?q=x"},
		"scheme relative":   {"//evil", "/"},
		"backslash":         {"/\\evil", "/"},
		"backslashes":       {"\\\\evil", "/"},
		"absolute":          {"https://evil", "/"},
		"crlf dropped":      {"/a\r\nb", "/ab"},
		"tab host":          {"/\t/127.0.0.200:1/x", "/"},
		"tabs host":         {"/\t\t/evil/x", "/"},
		"newline host":      {"/\n/127.0.0.200:1/x", "/"},
		"cr host":           {"/\r/127.0.0.200:1/x", "/"},
		"tab backslash":     {"/\t\\127.0.0.200:1/x", "/"},
		"leading space":     {" //evil", "/"},
		"leading tab":       {"\t//evil", "/"},
		"trailing controls": {"/feeds\x00", "/feeds"},
		"inner nul":         {"/fe\x00eds", "/"},
		"javascript":        {"javascript:alert(1)", "/"},
		"tab in scheme":     {"java\tscript:alert(1)", "/"},
		"encoded slash ok":  {"/%2F%2Fevil", "/%2F%2Fevil"},
	} {
		t.Run(name, func(t *testing.T) {
			if got := safeNext(c.in); got != c.want {
				t.Errorf("safeNext(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// TestLoginRedirectStaysOnSite: the Location a browser follows after
// login, after its own clean-up of TAB, CR, LF and backslashes, is a path
// on this site.
func TestLoginRedirectStaysOnSite(t *testing.T) {
	ts := newTestServer(t, demoStore(), testToken)
	for _, next := range []string{"/\t/127.0.0.200:1/x", "/\n/127.0.0.200:1/x", "/\r\n/127.0.0.200:1/x",
		"/\\127.0.0.200:1/x", "\\/127.0.0.200:1/x", "/\t\\127.0.0.200:1/x", "//127.0.0.200:1/x", "http://127.0.0.200:1/x"} {
		t.Run(next, func(t *testing.T) {
			r := postForm(t, nil, ts.URL+"/login", url.Values{"token": {testToken}, "next": {next}})
			loc := r.header.Get("Location")
			if r.status != http.StatusSeeOther {
				t.Fatalf("login = %d", r.status)
			}
			// What the browser does with it: drop TAB/CR/LF, read \\ as /.
			clean := strings.NewReplacer("\t", "", "\r", "", "\n", "", "\\", "/").Replace(loc)
			u, err := url.Parse(ts.URL + "/")
			if err != nil {
				t.Fatal(err)
			}
			to, err := u.Parse(clean)
			if err != nil || to.Host != u.Host {
				t.Errorf("Location %q leads to %v, off the site", loc, to)
			}
		})
	}
}

func TestHTTPServerTimeouts(t *testing.T) {
	srv := New(newFakeStore(), Options{}).HTTPServer("127.0.0.1:0")
	if srv.ReadHeaderTimeout == 0 || srv.ReadTimeout == 0 || srv.WriteTimeout == 0 || srv.IdleTimeout == 0 || srv.MaxHeaderBytes == 0 {
		t.Errorf("server without limits: %+v", srv)
	}
}

// FuzzSafeNext: whatever next is, the browser, after its own clean-up of
// the Location (TAB, CR, LF dropped, backslash read as slash), stays on
// this site.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/feeds", "/\t/evil/x", "/\\evil", "\\\\evil", "//evil", " //evil", "https://evil", "/a\r\nb"} {
		f.Add(s)
	}
	base, _ := url.Parse("http://127.0.0.1:8080/login")
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if !strings.HasPrefix(got, "/") {
			t.Fatalf("safeNext(%q) = %q: not a path", next, got)
		}
		clean := strings.TrimSpace(strings.NewReplacer("\t", "", "\r", "", "\n", "", "\\", "/").Replace(got))
		to, err := base.Parse(clean)
		if err != nil {
			t.Fatalf("safeNext(%q) = %q: %v", next, got, err)
		}
		if to.Host != base.Host || to.Scheme != base.Scheme {
			t.Fatalf("safeNext(%q) = %q leads to %s", next, got, to)
		}
	})
}
