package scraper

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Discovered is a feed a site advertises, verified to parse.
type Discovered struct {
	URL, Title, Format string
}

// commonFeedPaths are probed when a page advertises no feed.
func commonFeedPaths() []string {
	return []string{"/feed", "/rss", "/rss.xml", "/atom.xml", "/feed.xml", "/index.xml", "/feed.json"}
}

// maxCandidates bounds the candidate feeds verified per page.
const maxCandidates = 12

// candidate is a possible feed URL and the title the page gave it.
type candidate struct{ url, title string }

// Discover finds the feeds siteURL advertises: siteURL itself if it is a
// feed; else <link rel=alternate> of RSS, Atom or JSON Feed type and <a>
// links that look like feeds; else the common paths (/feed, /rss, /rss.xml,
// /atom.xml, /feed.xml, /index.xml, /feed.json) on the site's origin. A
// siteURL without a scheme gets https://. Every
// candidate is fetched (politely, through Fetch) and kept only if it parses.
func (f *Fetcher) Discover(ctx context.Context, siteURL string) ([]Discovered, error) {
	siteURL = withScheme(siteURL)
	resp, err := f.Fetch(ctx, Request{URL: siteURL, Kind: "article"})
	if err != nil {
		return nil, fmt.Errorf("discover %s: %w", siteURL, err)
	}
	if pf, err := ParseFeedType(resp.Body, resp.ContentType, resp.URL, 1); err == nil {
		return []Discovered{{URL: resp.URL, Title: pf.Title, Format: pf.Format}}, nil
	}
	base, err := url.Parse(resp.URL)
	if err != nil {
		return nil, fmt.Errorf("discover %s: %w", siteURL, err)
	}
	found := f.verify(ctx, pageCandidates(resp.Body, base))
	if len(found) == 0 {
		var probes []candidate
		for _, p := range commonFeedPaths() {
			probes = append(probes, candidate{url: base.ResolveReference(&url.URL{Path: p}).String()})
		}
		found = f.verify(ctx, probes)
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("discover %s: no feed found: %w", siteURL, ErrNotFeed)
	}
	return found, nil
}

// withScheme prefixes https:// to a bare "example.org/path" as typed on a
// command line.
func withScheme(s string) string {
	s = strings.TrimSpace(s)
	if s != "" && !strings.Contains(s, "://") {
		return "https://" + s
	}
	return s
}

// verify fetches each candidate and keeps those that parse as feeds, once
// per final URL. A canceled ctx stops it.
func (f *Fetcher) verify(ctx context.Context, cands []candidate) []Discovered {
	var out []Discovered
	seen := map[string]bool{}
	for _, c := range cands {
		if ctx.Err() != nil {
			break
		}
		if seen[c.url] {
			continue
		}
		seen[c.url] = true
		resp, err := f.Fetch(ctx, Request{URL: c.url, Kind: "feed"})
		if err != nil {
			if errors.Is(err, ErrHostBackoff) {
				break
			}
			continue
		}
		pf, err := ParseFeedType(resp.Body, resp.ContentType, resp.URL, 1)
		if err != nil || seen[resp.URL] && resp.URL != c.url {
			continue
		}
		seen[resp.URL] = true
		title := c.title
		if title == "" {
			title = pf.Title
		}
		out = append(out, Discovered{URL: resp.URL, Title: title, Format: pf.Format})
	}
	return out
}

// pageCandidates lists feed links of an HTML page: <link rel=alternate>
// with a feed type first, then <a href> that look like feeds.
func pageCandidates(page []byte, base *url.URL) []candidate {
	var links, anchors []candidate
	seen := map[string]bool{}
	add := func(list *[]candidate, href, title string) {
		u, err := base.Parse(strings.TrimSpace(href))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return
		}
		u.Fragment = ""
		if s := u.String(); !seen[s] {
			seen[s] = true
			*list = append(*list, candidate{url: s, title: clean(title)})
		}
	}
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		switch tok.DataAtom {
		case atom.Link:
			if hasWord(attr(tok, "rel"), "alternate") && isFeedType(attr(tok, "type")) {
				add(&links, attr(tok, "href"), attr(tok, "title"))
			}
		case atom.A:
			if href := attr(tok, "href"); looksLikeFeed(href) {
				add(&anchors, href, attr(tok, "title"))
			}
		case atom.Base:
			if b, err := base.Parse(attr(tok, "href")); err == nil && attr(tok, "href") != "" {
				base = b
			}
		}
	}
	all := append(links, anchors...)
	return all[:min(len(all), maxCandidates)]
}

func attr(t html.Token, name string) string {
	for _, a := range t.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

func hasWord(s, w string) bool {
	for _, f := range strings.Fields(strings.ToLower(s)) {
		if f == w {
			return true
		}
	}
	return false
}

func isFeedType(t string) bool {
	t = strings.ToLower(strings.TrimSpace(t))
	t, _, _ = strings.Cut(t, ";")
	switch strings.TrimSpace(t) {
	case "application/rss+xml", "application/atom+xml", "application/feed+json",
		"application/rdf+xml", "application/json+feed", "application/x.atom+xml", "application/x-atom+xml":
		return true
	}
	return false
}

// looksLikeFeed guesses from an <a href> whether it points at a feed.
func looksLikeFeed(href string) bool {
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return false
	}
	p := strings.ToLower(u.Path)
	for _, suf := range []string{".rss", ".atom", ".rdf", "/rss.xml", "/atom.xml", "/feed.xml", "/index.xml", "/feed.json", "/feed", "/feed/", "/rss", "/rss/", "/atom", "/atom/"} {
		if strings.HasSuffix(p, suf) {
			return true
		}
	}
	return strings.Contains(p, "rss") && strings.HasSuffix(p, ".xml")
}
