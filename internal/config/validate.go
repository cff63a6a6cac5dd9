package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/andybalholm/cascadia"
	"github.com/goccy/go-yaml"

	"github.com/wiredesk/wiredesk/store"
)

// Validate reports every problem of the configuration at once.
func (c Config) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	if err := checkStore(c.Store); err != nil {
		add("store: %v", err)
	}
	if strings.TrimSpace(c.HTTP.UserAgent) == "" {
		add("http.user_agent: must not be empty (say who you are to the sites you poll)")
	}
	if c.HTTP.Timeout <= 0 {
		add("http.timeout: must be positive")
	}
	if c.HTTP.MaxBody < 1024 {
		add("http.max_body: %s is too small (at least 1KiB)", c.HTTP.MaxBody)
	}
	for i, n := range c.HTTP.AllowNetworks {
		if _, err := parsePrefix(n); err != nil {
			add("http.allow_networks[%d]: %q is not a CIDR or an IP address", i, n)
		}
	}
	if c.HTTP.Proxy != "" {
		if u, err := url.Parse(c.HTTP.Proxy); err != nil || u.Host == "" {
			add("http.proxy: %q is not a URL", c.HTTP.Proxy)
		}
	}
	errs = append(errs, c.Poll.validate()...)
	if c.Dedup.Window <= 0 {
		add("dedup.window: must be positive")
	}
	if c.Dedup.Memory < 1<<20 {
		add("dedup.memory: %s is too small (at least 1MiB)", c.Dedup.Memory)
	}
	errs = append(errs, c.Serve.validate()...)
	if c.Serve.Addr != "" {
		if _, _, err := net.SplitHostPort(c.Serve.Addr); err != nil {
			add("serve.addr: %q is not host:port", c.Serve.Addr)
		}
	}
	errs = append(errs, validateFeeds(c.Feeds)...)
	errs = append(errs, c.Alerts.validate(c.Stream)...)
	return errors.Join(errs...)
}

// minSecretLen is the shortest serve.token and serve.feed_key accepted:
// a short one is guessed even at one try a second per address.
const minSecretLen = 16

func (s Serve) validate() []error {
	var errs []error
	if n := len(s.Token); n > 0 && n < minSecretLen {
		errs = append(errs, fmt.Errorf("serve.token: %d characters is too short (at least %d; e.g. openssl rand -hex 16)", n, minSecretLen))
	}
	if n := len(s.FeedKey); n > 0 && n < minSecretLen {
		errs = append(errs, fmt.Errorf("serve.feed_key: %d characters is too short (at least %d; e.g. openssl rand -hex 16)", n, minSecretLen))
	}
	if s.FeedKey != "" && s.FeedKey == s.Token {
		errs = append(errs, fmt.Errorf("serve.feed_key: must differ from serve.token (it goes into feed URLs, which readers and logs keep)"))
	}
	return errs
}

func checkStore(dsn string) error {
	switch {
	case dsn == "":
		return errors.New("must not be empty")
	case strings.HasPrefix(dsn, "sqlite:"):
		if strings.TrimPrefix(dsn, "sqlite:") == "" {
			return errors.New("sqlite: needs a file path (sqlite:wiredesk.db)")
		}
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		if _, err := url.Parse(dsn); err != nil {
			return fmt.Errorf("invalid postgres URL: %v", redactErr(err))
		}
	default:
		return fmt.Errorf("%q: want sqlite:PATH or a postgres:// URL", Redact(dsn))
	}
	return nil
}

// redactErr avoids echoing a DSN (with its password) inside a parse error.
func redactErr(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return "malformed"
}

func (p Poll) validate() []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if p.MinInterval <= 0 {
		add("poll.min_interval: must be positive")
	}
	if p.MaxInterval < p.MinInterval {
		add("poll.max_interval: %s is below poll.min_interval %s", p.MaxInterval.D(), p.MinInterval.D())
	}
	if p.Interval < p.MinInterval || p.Interval > p.MaxInterval {
		add("poll.interval: %s is outside [min_interval, max_interval]", p.Interval.D())
	}
	if p.Concurrency < 1 || p.Concurrency > 10000 {
		add("poll.concurrency: %d is outside 1..10000", p.Concurrency)
	}
	if p.PerHost < 1 || p.PerHost > 100 {
		add("poll.per_host: %d is outside 1..100", p.PerHost)
	}
	if p.Lease.D() < 100*time.Millisecond {
		add("poll.lease: %s is too short (at least 100ms)", p.Lease.D())
	}
	if p.FeedBudget < 0 {
		add("poll.feed_budget: must not be negative (0s: three times http.timeout)")
	}
	if p.HostDelay < 0 {
		add("poll.host_delay: must not be negative")
	}
	return errs
}

func validateFeeds(feeds []Feed) []error {
	var errs []error
	seen := map[string]int{}
	for i, f := range feeds {
		u, err := url.Parse(f.URL)
		switch {
		case f.URL == "":
			errs = append(errs, fmt.Errorf("feeds[%d].url: missing", i))
		case err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https"):
			errs = append(errs, fmt.Errorf("feeds[%d].url: %q is not an http or https URL", i, f.URL))
		}
		if j, dup := seen[f.URL]; dup && f.URL != "" {
			errs = append(errs, fmt.Errorf("feeds[%d].url: %q repeats feeds[%d]", i, f.URL, j))
		}
		seen[f.URL] = i
		if f.Rules == nil {
			continue
		}
		if f.Rules.Body != "" {
			if _, err := cascadia.ParseGroup(f.Rules.Body); err != nil {
				errs = append(errs, fmt.Errorf("feeds[%d].rules.body: %q: %v", i, f.Rules.Body, err))
			}
		}
		for j, sel := range f.Rules.Remove {
			if _, err := cascadia.ParseGroup(sel); err != nil {
				errs = append(errs, fmt.Errorf("feeds[%d].rules.remove[%d]: %q: %v", i, j, sel, err))
			}
		}
	}
	return errs
}

// Redact hides every secret of a DSN (see store.RedactDSN).
func Redact(dsn string) string { return store.RedactDSN(dsn) }

// Redacted returns the effective configuration as YAML with secrets hidden.
func (c Config) Redacted() ([]byte, error) {
	c.Store = Redact(c.Store)
	c.Poll.FeedBudget = Duration(c.FeedBudget()) // 0 means derived: show what applies
	if c.Serve.Token != "" {
		c.Serve.Token = "REDACTED"
	}
	if c.Serve.FeedKey != "" {
		c.Serve.FeedKey = "REDACTED"
	}
	c.HTTP.Proxy = Redact(c.HTTP.Proxy)
	c.Alerts, c.Stream = redactPush(c.Alerts, c.Stream)
	return yaml.Marshal(c)
}
