// Package config loads and validates wiredesk's YAML configuration. Only cmd
// imports it; every other package receives plain option structs.
package config

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/wiredesk/wiredesk/dedup"
	"github.com/wiredesk/wiredesk/internal/poll"
	"github.com/wiredesk/wiredesk/news"
)

// Config is the whole configuration file.
type Config struct {
	Store  string `yaml:"store"`
	HTTP   HTTP   `yaml:"http"`
	Poll   Poll   `yaml:"poll"`
	Scrape Scrape `yaml:"scrape"`
	Dedup  Dedup  `yaml:"dedup"`
	Serve  Serve  `yaml:"serve"`
	Feeds  []Feed `yaml:"feeds"`
	Alerts Alerts `yaml:"alerts"`
	Stream Stream `yaml:"stream"`

	warnings []string // see Warnings
}

// HTTP configures the fetcher.
type HTTP struct {
	UserAgent     string   `yaml:"user_agent"`
	Timeout       Duration `yaml:"timeout"`
	MaxBody       ByteSize `yaml:"max_body"`
	AllowNetworks []string `yaml:"allow_networks"`
	Proxy         string   `yaml:"proxy,omitempty"`
}

// Poll configures the scheduler.
type Poll struct {
	Interval    Duration `yaml:"interval"`
	MinInterval Duration `yaml:"min_interval"`
	MaxInterval Duration `yaml:"max_interval"`
	Concurrency int      `yaml:"concurrency"`
	PerHost     int      `yaml:"per_host"`
	HostDelay   Duration `yaml:"host_delay"`
	Lease       Duration `yaml:"lease"`
	// FeedBudget bounds one feed's poll, its page fetches included; 0:
	// FeedBudgetTimeouts × http.timeout (see Config.FeedBudget).
	FeedBudget Duration `yaml:"feed_budget"`
}

// FeedBudgetTimeouts is the default per-feed budget in http.timeouts: the
// feed's fetch and two rounds of page fetches.
const FeedBudgetTimeouts = 3

// FeedBudget is the effective per-feed time budget.
func (c Config) FeedBudget() time.Duration {
	if c.Poll.FeedBudget > 0 {
		return c.Poll.FeedBudget.D()
	}
	return FeedBudgetTimeouts * c.HTTP.Timeout.D()
}

// Scrape configures article fetching.
type Scrape struct {
	Articles bool `yaml:"articles"`
	Robots   bool `yaml:"robots"`
}

// Dedup configures story clustering.
type Dedup struct {
	Window Duration `yaml:"window"`
	Prefer []string `yaml:"prefer"`
	Memory ByteSize `yaml:"memory"` // the index's shingle table; past it the oldest stories are thinned
}

// Serve configures the daemon's web server.
type Serve struct {
	Addr    string `yaml:"addr"`
	Token   string `yaml:"token"`
	FeedKey string `yaml:"feed_key"` // read-only: opens /feed.* as ?key=, nothing else
}

// Feed is one configured feed.
type Feed struct {
	URL   string      `yaml:"url"`
	Name  string      `yaml:"name"`
	Tags  []string    `yaml:"tags"`
	Rules *news.Rules `yaml:"rules,omitempty"`
}

// Default returns the documented defaults.
func Default() Config {
	return Config{
		Store: "sqlite:wiredesk.db",
		HTTP: HTTP{
			UserAgent: "wiredesk/0.1 (+https://example.org/wiredesk)",
			Timeout:   Duration(20 * time.Second),
			MaxBody:   10 << 20,
		},
		Poll: Poll{
			Interval:    Duration(30 * time.Minute),
			MinInterval: Duration(5 * time.Minute),
			MaxInterval: Duration(6 * time.Hour),
			Concurrency: 64,
			PerHost:     2,
			HostDelay:   Duration(500 * time.Millisecond),
			Lease:       Duration(poll.DefaultLease),
		},
		Scrape: Scrape{Articles: true, Robots: true},
		Dedup:  Dedup{Window: Duration(dedup.DefaultWindow), Memory: dedup.DefaultMemory},
		Serve:  Serve{Addr: "127.0.0.1:8080"},
		Alerts: defaultAlerts(),
	}
}

// Load reads path over Default(), expanding ${VAR} from the environment;
// WIREDESK_STORE overrides store. A missing file is an error unless
// optional is set, in which case the defaults are returned. The result is
// validated: every problem is reported at once.
func Load(path string, optional bool) (Config, error) {
	cfg := Default()
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		if err := Parse(data, &cfg); err != nil {
			return cfg, fmt.Errorf("config %s: %w", path, err)
		}
	case errors.Is(err, os.ErrNotExist) && optional:
	default:
		return cfg, fmt.Errorf("config: %w", err)
	}
	if s := os.Getenv("WIREDESK_STORE"); s != "" {
		cfg.Store = s
	}
	if err := cfg.Validate(); err != nil {
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	return cfg, nil
}

// Parse lays the YAML document data over cfg, rejecting unknown keys.
func Parse(data []byte, cfg *Config) error {
	var vars []envVar
	expanded := os.Expand(string(data), func(name string) string {
		if name == "$" {
			return "$"
		}
		v, ok := os.LookupEnv(name)
		vars = append(vars, envVar{name, v, ok})
		return v
	})
	if strings.TrimSpace(expanded) == "" {
		return nil
	}
	if err := decode([]byte(expanded), cfg); err != nil {
		return errors.New(scrub(err.Error(), vars))
	}
	cfg.warnings = openWarnings(data, *cfg)
	return nil
}

// envVar is one ${VAR} of the document and what it expanded to.
type envVar struct {
	name, value string
	set         bool
}

// scrub hides secrets in a decode error, whose source excerpt shows the
// expanded document: each expanded value is shown as its ${VAR} again, and
// every line is passed through the DSN redaction.
func scrub(msg string, vars []envVar) string {
	for _, v := range vars {
		if len(v.value) >= 3 {
			msg = strings.ReplaceAll(msg, v.value, "${"+v.name+"}")
		}
	}
	lines := strings.Split(msg, "\n")
	for i, l := range lines {
		lines[i] = Redact(l)
	}
	return strings.Join(lines, "\n")
}

// openWarnings reports a serve.token written as ${VAR} that expanded to
// nothing: the operator meant a token, and the dashboard is open.
func openWarnings(raw []byte, cfg Config) []string {
	if cfg.Serve.Token != "" {
		return nil
	}
	var doc struct {
		Serve struct {
			Token string `yaml:"token"`
		} `yaml:"serve"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil || !strings.Contains(doc.Serve.Token, "$") {
		return nil
	}
	return []string{fmt.Sprintf("serve.token: %s is unset or empty, so the dashboard, API and feeds are open to anyone "+
		"who can reach serve.addr (%s); set it to a secret of at least %d characters", strings.TrimSpace(doc.Serve.Token),
		cfg.Serve.Addr, minSecretLen)}
}

// Warnings are what is valid but most likely not meant, one line each:
// cmd prints them in check and serve.
func (c Config) Warnings() []string { return c.warnings }

// AllowPrefixes parses http.allow_networks; Validate has checked them.
func (c Config) AllowPrefixes() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range c.HTTP.AllowNetworks {
		if p, err := parsePrefix(s); err == nil {
			out = append(out, p)
		}
	}
	return out
}

func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		return p.Masked(), err
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}
