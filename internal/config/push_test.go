package config

import (
	"strings"
	"testing"
)

func TestAlertsConfig(t *testing.T) {
	const sinks = `
alerts:
  sinks:
    - name: ops
      webhook: https://hooks.example.org/T000/secret-path
      secret: ${WD_TEST_HOOK_SECRET}
    - name: bus
      nats: nats://u:pw@127.0.0.1:4222
      subject: wiredesk.alerts
`
	cases := map[string]struct {
		yaml string
		want []string // substrings of the error; none: valid
	}{
		"valid": {sinks + `
  rules:
    - {name: wide, min_outlets: 3, within: 6h, lang: [ar], to: [ops, bus]}
    - {name: feeds, feed_health: [failing, gap, stale], to: [ops]}
stream:
  nats: nats://127.0.0.1:4222
  subject: wiredesk.articles
`, nil},
		"unknown sink": {sinks + `
  rules:
    - {name: wide, min_outlets: 3, to: [pager]}
`, []string{`alerts.rules[0].to[0]: no sink named "pager"`}},
		"bad condition and mixed rule": {sinks + `
  rules:
    - {name: f, feed_health: [down], min_outlets: 2, to: [ops]}
`, []string{"alerts.rules[0].feed_health[0]", "alerts.rules[0].feed_health: a feed rule"}},
		"sink needs one target": {`
alerts:
  sinks:
    - {name: x}
    - {name: x, webhook: "ftp://a", format: xml}
`, []string{"alerts.sinks[0]: needs one of", `alerts.sinks[1].name: "x" is used twice`,
			"alerts.sinks[1].webhook", "alerts.sinks[1].format"}},
		"stream without subject": {`
stream:
  nats: nats://127.0.0.1:4222
`, []string{"stream.subject: required"}},
	}
	t.Setenv("WD_TEST_HOOK_SECRET", "s3cret")
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := Default()
			err := Parse([]byte(c.yaml), &cfg)
			if err == nil {
				err = cfg.Validate()
			}
			if len(c.want) == 0 {
				if err != nil {
					t.Fatalf("error %v", err)
				}
				out, err := cfg.Redacted()
				if err != nil {
					t.Fatal(err)
				}
				for _, secret := range []string{"s3cret", "secret-path", "pw@"} {
					if strings.Contains(string(out), secret) {
						t.Errorf("redacted config shows %q:\n%s", secret, out)
					}
				}
				if cfg.Alerts.Sinks[0].Secret != "s3cret" {
					t.Errorf("secret %q not expanded", cfg.Alerts.Sinks[0].Secret)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error; want %q", c.want)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}
