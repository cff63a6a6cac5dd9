package config

import (
	"fmt"
	"net/url"
	"slices"
	"time"
)

// Alerts configures push alerts (README, "Push").
type Alerts struct {
	Sinks []Sink `yaml:"sinks,omitempty"`
	Rules []Rule `yaml:"rules,omitempty"`
	// Retry is the first wait after a failed delivery; it doubles up to a
	// minute. GiveUp bounds how long an alert is retried; Timeout is one
	// delivery's.
	Retry   Duration `yaml:"retry"`
	GiveUp  Duration `yaml:"give_up"`
	Timeout Duration `yaml:"timeout"`
}

// Sink is where alerts go: a webhook or a NATS JetStream subject.
type Sink struct {
	Name    string `yaml:"name"`
	Webhook string `yaml:"webhook,omitempty"`
	Secret  string `yaml:"secret,omitempty"`
	Format  string `yaml:"format,omitempty"` // json (default) or slack
	NATS    string `yaml:"nats,omitempty"`
	Subject string `yaml:"subject,omitempty"`
	Stream  string `yaml:"stream,omitempty"` // JetStream stream name (default from the subject)
}

// Rule is an alert rule: a story rule (min_outlets, within and filters)
// or a feed rule (feed_health).
type Rule struct {
	Name       string   `yaml:"name"`
	MinOutlets int      `yaml:"min_outlets,omitempty"`
	Within     Duration `yaml:"within,omitempty"` // default dedup.window
	Lang       []string `yaml:"lang,omitempty"`
	Tags       []string `yaml:"tags,omitempty"`
	Origin     []string `yaml:"origin,omitempty"`
	Words      []string `yaml:"words,omitempty"`
	FeedHealth []string `yaml:"feed_health,omitempty"`
	To         []string `yaml:"to"`
}

// Stream configures the NATS stream of every stored article, revision and
// story change.
type Stream struct {
	NATS    string `yaml:"nats,omitempty"`
	Subject string `yaml:"subject,omitempty"`
	Stream  string `yaml:"stream,omitempty"` // JetStream stream name (default from the subject)
}

// defaultAlerts are the delivery defaults.
func defaultAlerts() Alerts {
	return Alerts{Retry: Duration(time.Second), GiveUp: Duration(24 * time.Hour), Timeout: Duration(10 * time.Second)}
}

var healthConditions = []string{"failing", "gap", "stale"}

// validate reports every problem of the alerts and stream sections.
func (a Alerts) validate(s Stream) []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if a.Retry <= 0 {
		add("alerts.retry: must be positive")
	}
	if a.GiveUp < a.Retry {
		add("alerts.give_up: must be at least alerts.retry")
	}
	if a.Timeout <= 0 {
		add("alerts.timeout: must be positive")
	}
	sinks := map[string]bool{}
	for i, k := range a.Sinks {
		key := fmt.Sprintf("alerts.sinks[%d]", i)
		switch {
		case k.Name == "":
			add("%s.name: required", key)
		case sinks[k.Name]:
			add("%s.name: %q is used twice", key, k.Name)
		}
		sinks[k.Name] = true
		switch {
		case (k.Webhook == "") == (k.NATS == ""):
			add("%s: needs one of webhook or nats", key)
		case k.Webhook != "":
			if u, err := url.Parse(k.Webhook); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				add("%s.webhook: not an http(s) URL", key)
			}
			if k.Format != "" && k.Format != "json" && k.Format != "slack" {
				add("%s.format: %q is not json or slack", key, k.Format)
			}
		default:
			errs = append(errs, checkNATS(key, k.NATS, k.Subject)...)
		}
	}
	rules := map[string]bool{}
	for i, r := range a.Rules {
		errs = append(errs, r.validate(fmt.Sprintf("alerts.rules[%d]", i), sinks, rules)...)
		rules[r.Name] = true
	}
	if s.NATS != "" || s.Subject != "" {
		errs = append(errs, checkNATS("stream", s.NATS, s.Subject)...)
	}
	return errs
}

func (r Rule) validate(key string, sinks, rules map[string]bool) []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	switch {
	case r.Name == "":
		add("%s.name: required", key)
	case rules[r.Name]:
		add("%s.name: %q is used twice", key, r.Name)
	}
	if len(r.To) == 0 {
		add("%s.to: name at least one sink", key)
	}
	for j, to := range r.To {
		if !sinks[to] {
			add("%s.to[%d]: no sink named %q", key, j, to)
		}
	}
	if r.MinOutlets < 0 {
		add("%s.min_outlets: must not be negative", key)
	}
	if r.Within < 0 {
		add("%s.within: must not be negative", key)
	}
	story := r.MinOutlets > 0 || r.Within > 0 || len(r.Lang)+len(r.Tags)+len(r.Origin)+len(r.Words) > 0
	if len(r.FeedHealth) > 0 && story {
		add("%s.feed_health: a feed rule takes no story conditions (min_outlets, within, lang, tags, origin, words)", key)
	}
	for j, c := range r.FeedHealth {
		if !slices.Contains(healthConditions, c) {
			add("%s.feed_health[%d]: %q is not failing, gap or stale", key, j, c)
		}
	}
	return errs
}

func checkNATS(key, addr, subject string) []error {
	var errs []error
	if u, err := url.Parse(addr); err != nil || (u.Scheme != "nats" && u.Scheme != "tls") || u.Host == "" {
		errs = append(errs, fmt.Errorf("%s.nats: %q is not a nats:// URL", key, Redact(addr)))
	}
	if subject == "" {
		errs = append(errs, fmt.Errorf("%s.subject: required with nats", key))
	}
	return errs
}

// redactPush hides the push sections' secrets: webhook secrets, the
// webhook URLs' paths and queries (Slack's carry a token) and NATS
// passwords.
func redactPush(a Alerts, s Stream) (Alerts, Stream) {
	a.Sinks = slices.Clone(a.Sinks)
	for i := range a.Sinks {
		k := &a.Sinks[i]
		if k.Secret != "" {
			k.Secret = "REDACTED"
		}
		if u, err := url.Parse(k.Webhook); err == nil && k.Webhook != "" && (u.Path != "" && u.Path != "/" || u.RawQuery != "") {
			u.Path, u.RawQuery, u.User = "/REDACTED", "", nil
			k.Webhook = u.String()
		}
		k.NATS = Redact(k.NATS)
	}
	s.NATS = Redact(s.NATS)
	return a, s
}
