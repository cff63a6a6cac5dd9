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
	t.Setenv("WIREDESK_TOKEN", "s3cret")
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
		{"token expanded", cfg.Serve.Token, "s3cret"},
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
	if strings.Contains(string(out), "s3cret") {
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
