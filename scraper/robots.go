package scraper

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/temoto/robotstxt"
)

// robotsErrorTTL is how long a 5xx robots.txt keeps a host disallowed
// before we ask again (RFC 9309 §2.3.1.4: assume complete disallow).
const robotsErrorTTL = 30 * time.Minute

// Allowed reports whether robots.txt lets our User-Agent fetch rawURL. The
// file is cached per host for RobotsTTL. A 4xx robots.txt allows all; a 5xx
// or 429 disallows all for a while (RFC 9309); a network failure returns false and
// the error, and is not cached. A Crawl-delay raises the host's spacing.
// Allowed does not return ErrRobots: callers that skip a page wrap it.
func (f *Fetcher) Allowed(ctx context.Context, rawURL string) (bool, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false, fmt.Errorf("robots %s: %w", rawURL, err)
	}
	if err := f.checkURL(u); err != nil {
		return false, fmt.Errorf("robots %s: %w", rawURL, err)
	}
	rd, err := f.robots(ctx, u)
	if err != nil {
		return false, fmt.Errorf("robots %s: %w", rawURL, err)
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	return rd.TestAgent(path, robotsAgent(f.opt.UserAgent)), nil
}

// robotsAgent is the product token of a User-Agent ("wiredesk/0.1 (+…)" →
// "wiredesk").
func robotsAgent(ua string) string {
	tok, _, _ := strings.Cut(strings.TrimSpace(ua), " ")
	tok, _, _ = strings.Cut(tok, "/")
	return strings.ToLower(tok)
}

// robots returns u's host's robots.txt, from cache or fetched; concurrent
// callers for one host share one fetch.
func (f *Fetcher) robots(ctx context.Context, u *url.URL) (*robotstxt.RobotsData, error) {
	host := hostKey(u.Scheme, u.Host)
	for {
		f.hosts.mu.Lock()
		hs := f.hosts.getLocked(host)
		if hs.robots != nil && time.Now().Before(hs.robotsExp) {
			rd := hs.robots
			f.hosts.mu.Unlock()
			return rd, nil
		}
		if wait := hs.robotsFetch; wait != nil {
			f.hosts.mu.Unlock()
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		done := make(chan struct{})
		hs.robotsFetch = done
		f.hosts.mu.Unlock()

		rd, ttl, err := f.fetchRobots(ctx, u.Scheme+"://"+u.Host+"/robots.txt")
		f.hosts.mu.Lock()
		hs.robotsFetch = nil
		if err == nil {
			hs.robots, hs.robotsExp = rd, time.Now().Add(ttl)
		}
		f.hosts.mu.Unlock()
		close(done)
		if err != nil {
			return nil, err
		}
		if g := rd.FindGroup(robotsAgent(f.opt.UserAgent)); g != nil && g.CrawlDelay > 0 {
			f.hosts.setCrawlDelay(host, g.CrawlDelay)
		}
		return rd, nil
	}
}

// fetchRobots fetches and parses one robots.txt, returning how long to
// cache the result.
func (f *Fetcher) fetchRobots(ctx context.Context, robotsURL string) (*robotstxt.RobotsData, time.Duration, error) {
	resp, err := f.Fetch(ctx, Request{URL: robotsURL, Kind: "robots"})
	var he *HTTPError
	switch {
	case err == nil:
		rd, perr := robotstxt.FromBytes(resp.Body)
		if perr != nil { // unparsable: treat as no rules
			rd, _ = robotstxt.FromStatusAndBytes(404, nil)
		}
		return rd, f.opt.RobotsTTL, nil
	case errors.Is(err, ErrHostBackoff):
		return nil, 0, err
	case errors.As(err, &he) && he.StatusCode >= 400 && he.StatusCode < 500 && he.StatusCode != 429:
		rd, _ := robotstxt.FromStatusAndBytes(he.StatusCode, nil)
		return rd, f.opt.RobotsTTL, nil
	case errors.As(err, &he) && (he.StatusCode >= 500 || he.StatusCode == 429):
		rd, _ := robotstxt.FromStatusAndBytes(503, nil)
		return rd, min(robotsErrorTTL, f.opt.RobotsTTL), nil
	}
	return nil, 0, err
}
