package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLoadRepositoryConfig(t *testing.T) {
	t.Setenv("WIREDESK_STORE", "")
	t.Setenv("WIREDESK_TOKEN", "s3cret-0123456789")
	cfg, err := Load(filepath.Join("..", "..", "config.yaml"), false)
	if err != nil {
		t.Fatalf("Load(config.yaml): %v", err)
	}
	def := Default()
	checks := []struct {
		name      string
		got, want any
	}{
		{"store", cfg.Store, def.Store},
		{"timeout", cfg.HTTP.Timeout.D(), 20 * time.Second},
		{"max_body", cfg.HTTP.MaxBody, ByteSize(10 << 20)},
		{"interval", cfg.Poll.Interval.D(), 30 * time.Minute},
		{"per_host", cfg.Poll.PerHost, 2},
		{"host_delay", cfg.Poll.HostDelay.D(), 500 * time.Millisecond},
		{"window", cfg.Dedup.Window.D(), 72 * time.Hour},
		{"dedup memory", cfg.Dedup.Memory, ByteSize(32 << 20)},
		{"token expanded", cfg.Serve.Token, "s3cret-0123456789"},
		{"feeds", len(cfg.Feeds), 1},
		{"rules body", cfg.Feeds[0].Rules.Body, "div.story-body"},
		{"alerts retry", cfg.Alerts.Retry, def.Alerts.Retry},
		{"alerts give_up", cfg.Alerts.GiveUp, def.Alerts.GiveUp},
		{"alerts timeout", cfg.Alerts.Timeout, def.Alerts.Timeout},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if c.got != c.want {
				t.Errorf("got %v, want %v", c.got, c.want)
			}
		})
	}
	out, err := cfg.Redacted()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "s3cret-0123456789") {
		t.Errorf("redacted config shows the token:\n%s", out)
	}
}

func TestLoadErrors(t *testing.T) {
	cases := []struct {
		name string
		yaml string
		want []string // every one must appear in the error
	}{
		{"unknown key", "stor: sqlite:x.db\n", []string{"stor"}},
		{"bad duration", "poll:\n  interval: soon\n", []string{"invalid duration"}},
		{"every problem at once", `store: mysql://x
http:
  user_agent: ""
  allow_networks: [not-a-cidr]
poll:
  min_interval: 10m
  max_interval: 5m
  per_host: 0
feeds:
  - url: ftp://example.org/x
  - url: https://example.org/a
    rules: {body: "div[["}
`, []string{"store:", "user_agent", "allow_networks[0]", "max_interval", "per_host", "feeds[0].url", "feeds[1].rules.body"}},
		{"type errors and unknown keys at once", `http:
  timeout: banana
  colour: red
poll:
  per_host: many
  nope: 1
feeds:
  - url: https://a.example/rss
    nam: x
  - url: https://b.example/rss
    tags: 5
`, []string{"http.timeout", "http.colour", "poll.per_host", "poll.nope", "feeds[0].nam", "feeds[1].tags"}},
		{"one-character token", "serve:\n  token: x\n", []string{"serve.token: 1 characters is too short"}},
		{"short feed key", "serve:\n  feed_key: abc\n", []string{"serve.feed_key: 3 characters"}},
		{"feed key is the token", "serve:\n  token: 0123456789abcdef\n  feed_key: 0123456789abcdef\n", []string{"must differ from serve.token"}},
		{"duplicate feed", "feeds:\n  - url: https://a.example/x\n  - url: https://a.example/x\n", []string{"repeats feeds[0]"}},
		// go-yaml panics on this one (found by FuzzParse).
		{"tag the parser trips on", "feeds:\n  - url: http://0\n    tags: !00\n000000000:\n      0000: 0\n", []string{"YAML parser failed"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "config.yaml")
			if err := os.WriteFile(p, []byte(c.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := Load(p, false)
			if err == nil {
				t.Fatal("Load succeeded, want an error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not mention %q:\n%v", w, err)
				}
			}
			if !strings.Contains(err.Error(), p) {
				t.Errorf("error does not name the file %s: %v", p, err)
			}
		})
	}
}

func TestStoreOverride(t *testing.T) {
	t.Setenv("WIREDESK_STORE", "sqlite:/tmp/other.db")
	cfg, err := Load(filepath.Join(t.TempDir(), "missing.yaml"), true)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Store != "sqlite:/tmp/other.db" {
		t.Errorf("store = %q, want the WIREDESK_STORE value", cfg.Store)
	}
}

func TestByteSize(t *testing.T) {
	cases := map[string]ByteSize{"10MiB": 10 << 20, "512KiB": 512 << 10, "1GB": 1e9, "2048": 2048, "1.5MiB": 3 << 19}
	for in, want := range cases {
		t.Run(in, func(t *testing.T) {
			got, err := ParseByteSize(in)
			if err != nil || got != want {
				t.Errorf("ParseByteSize(%q) = %v, %v; want %v", in, got, err, want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	seed, _ := os.ReadFile(filepath.Join("..", "..", "config.yaml"))
	f.Add(seed)
	f.Add([]byte("poll: {interval: 5m}\n"))
	f.Add([]byte("feeds: [{url: 'https://x', rules: {body: 'p'}}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg := Default()
		if err := Parse(data, &cfg); err != nil {
			return
		}
		_ = cfg.Validate()
	})
}

// TestUnsetTokenWarns: serve.token written as ${VAR} with VAR unset leaves
// the dashboard open; Load says so in one warning line. A token left out
// on purpose warns of nothing.
func TestUnsetTokenWarns(t *testing.T) {
	t.Setenv("WIREDESK_SET_TOKEN", "0123456789abcdef-set")
	for name, c := range map[string]struct {
		doc  string
		warn bool
	}{
		"unset var":  {"serve:\n  token: ${WIREDESK_NEVER_SET_TOKEN}\n", true},
		"unset $VAR": {"serve:\n  token: $WIREDESK_NEVER_SET_TOKEN\n", true},
		"set var":    {"serve:\n  token: ${WIREDESK_SET_TOKEN}\n", false},
		"no token":   {"serve:\n  addr: 127.0.0.1:1\n", false},
		"empty":      {"", false},
	} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "config.yaml")
			if err := os.WriteFile(p, []byte(c.doc), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := Load(p, false)
			if err != nil {
				t.Fatal(err)
			}
			w := cfg.Warnings()
			if c.warn != (len(w) == 1) || len(w) > 1 {
				t.Fatalf("warnings %q, want one: %v", w, c.warn)
			}
			if c.warn && (!strings.Contains(w[0], "WIREDESK_NEVER_SET_TOKEN") || !strings.Contains(w[0], "open") || strings.Contains(w[0], "\n")) {
				t.Errorf("warning %q does not say in one line that the dashboard is open and why", w[0])
			}
		})
	}
}

// TestSecretsRedacted: the effective config and the errors show no DSN
// password in any form, nor an expanded secret.
func TestSecretsRedacted(t *testing.T) {
	t.Setenv("WIREDESK_STORE", "")
	t.Setenv("WIREDESK_TEST_PW", "envpw-secret-1")
	for name, doc := range map[string]string{
		"query password":     "store: postgres://u@127.0.0.1/w?sslmode=disable&password=qpw-secret-1\n",
		"userinfo":           "store: postgres://u:upw-secret-1@127.0.0.1/w\n",
		"both":               "store: postgres://u:upw-secret-1@127.0.0.1/w?password=qpw-secret-1\n",
		"key value":          "store: host=127.0.0.1 password=kvpw-secret-1\n",
		"proxy":              "store: sqlite:w.db\nhttp:\n  proxy: http://u:ppw-secret-1@127.0.0.1:3128\n",
		"env in bad doc":     "store: postgres://u:${WIREDESK_TEST_PW}@127.0.0.1/w\npoll:\n  per_host: many\n",
		"literal in bad doc": "store: postgres://u:lpw-secret-1@127.0.0.1/w?password=lpw-secret-1\npoll:\n  per_host: many\n",
	} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "config.yaml")
			if err := os.WriteFile(p, []byte(doc), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := Load(p, false)
			text := ""
			if err != nil {
				text = err.Error()
			} else {
				out, err := cfg.Redacted()
				if err != nil {
					t.Fatal(err)
				}
				text = string(out)
			}
			if strings.Contains(text, "secret-1") {
				t.Errorf("a secret shows:\n%s", text)
			}
		})
	}
}

// TestRedactedShowsDerivedFeedBudget: the effective configuration shows
// the feed budget that applies, not the 0s that means "derived".
func TestRedactedShowsDerivedFeedBudget(t *testing.T) {
	for _, c := range []struct {
		doc, want string
	}{
		{"http:\n  timeout: 7s\n", "feed_budget: 21s"},
		{"http:\n  timeout: 7s\npoll:\n  feed_budget: 5s\n", "feed_budget: 5s"},
	} {
		cfg := Default()
		if err := Parse([]byte(c.doc), &cfg); err != nil {
			t.Fatal(err)
		}
		out, err := cfg.Redacted()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(out), c.want) {
			t.Errorf("%q: effective config lacks %q:\n%s", c.doc, c.want, out)
		}
	}
}
