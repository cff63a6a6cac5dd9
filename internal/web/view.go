package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wiredesk/wiredesk/internal/export"
)

// parsePages parses every page template together with the layout. The
// templates are embedded, so a parse error is a programming error.
func parsePages() map[string]*template.Template {
	funcs := template.FuncMap{
		"ago": ago, "lag": export.Lag, "dir": dirOf, "spark": sparkline, "pill": pillClass,
		"ms": func(v int64) string { return strconv.FormatInt(v, 10) + " ms" }, "utc": utc,
		"every": every, "sum": sum, "updates": updates,
		"iso": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	}
	pages := map[string]*template.Template{}
	for _, name := range []string{"index", "story", "article", "feeds", "login", "error", "alerts"} {
		pages[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(templateFS,
			"templates/layout.html", "templates/"+name+".html"))
	}
	return pages
}

// base is what the layout needs on every page.
type base struct {
	Title  string
	Page   string
	Nav    string // active nav item
	CSRF   string
	Locked bool // a token guards the dashboard: show the logout button
	Now    time.Time
	Query  string // the search box
	Lang   string
	Tag    string
	Tags   []string
	Langs  []string
}

func (s *Server) base(page, sess string) base {
	return base{Title: s.opt.Title, Page: page, Nav: page, CSRF: s.csrfToken(sess), Locked: s.opt.Token != "", Now: s.opt.Now()}
}

// render executes a page into a buffer, so that a template error becomes a
// clean 500, then writes it with status.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		s.log.Error("render page", "page", name, "path", r.URL.Path, "err", err)
		http.Error(w, "internal error rendering the page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w) // the client went away; nothing to do
}

type errorView struct {
	base
	Status  int
	Message string
}

type loginView struct {
	base
	Next      string
	Failed    bool
	Throttled bool
}

func (s *Server) pageError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	v := errorView{base: base{Title: s.opt.Title, Page: "error", Now: s.opt.Now()}, Status: status, Message: msg}
	s.render(w, r, status, "error", v)
}

// ago formats t relative to now: "just now", "4m ago", "3h ago", "2d ago".
func ago(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	switch {
	case d < 0:
		return "in " + strings.TrimPrefix(export.Lag(-d), "+")
	case d < 30*time.Second:
		return "just now"
	case d < time.Minute:
		return fmt.Sprintf("%ds ago", int(d/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d/time.Hour))
	default:
		return fmt.Sprintf("%dd ago", int(d/(24*time.Hour)))
	}
}

func utc(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// dirOf is the text direction of a language: rtl for right-to-left
// scripts, else auto (the browser looks at the first strong character).
func dirOf(lang string) string {
	base, _, _ := strings.Cut(strings.ToLower(lang), "-")
	switch base {
	case "ar", "fa", "ur", "he", "iw", "yi", "ps", "sd", "ug", "ckb", "dv", "syr":
		return "rtl"
	}
	return "auto"
}

func pillClass(status string) string {
	switch status {
	case "ok", "error", "failing", "new":
		return "pill pill-" + status
	}
	return "pill"
}

// sparkline draws counts (oldest first) as an inline SVG bar chart. Only
// numbers go into the markup.
func sparkline(counts []int) template.HTML {
	const w, h, gap = 4, 18, 1
	peak := 1
	for _, c := range counts {
		peak = max(peak, c)
	}
	var b strings.Builder
	width := len(counts) * (w + gap)
	fmt.Fprintf(&b, `<svg class="spark" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="items per day: %s">`,
		width, h, width, h, every(counts))
	for i, c := range counts {
		bh := 1
		if c > 0 {
			bh = max(2, c*h/peak)
		}
		cls := "bar"
		if c == 0 {
			cls = "bar zero"
		}
		fmt.Fprintf(&b, `<rect class="%s" x="%d" y="%d" width="%d" height="%d"><title>%d</title></rect>`,
			cls, i*(w+gap), h-bh, w, bh, c)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // #nosec: built from integers only
}

func every(counts []int) string {
	parts := make([]string, len(counts))
	for i, c := range counts {
		parts[i] = strconv.Itoa(c)
	}
	return strings.Join(parts, " ")
}

func sum(counts []int) int {
	t := 0
	for _, c := range counts {
		t += c
	}
	return t
}

// listURL is path with the filters of p and an offset.
func listURL(path string, p listParams, offset int) string {
	q := url.Values{}
	for k, v := range map[string]string{"q": p.Search, "lang": p.Lang, "tag": p.Tag} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if offset > 0 {
		q.Set("offset", strconv.Itoa(offset))
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}
