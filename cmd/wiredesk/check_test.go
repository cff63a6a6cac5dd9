package main

import (
	"strings"
	"testing"
)

// TestCheckSecrets: `check` prints no DSN password in any form, and says
// in one line when serve.token's variable is unset.
func TestCheckSecrets(t *testing.T) {
	t.Setenv("WIREDESK_STORE", "")
	cases := map[string]struct {
		doc    string
		code   int
		stderr []string
	}{
		"query password": {doc: "store: postgres://u@127.0.0.1/w?sslmode=disable&password=pw-secret-9\n", code: exitOK},
		"userinfo and query": {doc: "store: postgres://u:pw-secret-9@127.0.0.1/w?sslpassword=pw-secret-9&password=pw-secret-9\n",
			code: exitOK},
		"key value": {doc: "store: host=127.0.0.1 password=pw-secret-9\n", code: exitUsage, stderr: []string{"store:", "REDACTED"}},
		"unset token": {doc: "store: sqlite:w.db\nserve:\n  token: ${WIREDESK_TOKEN_NEVER_SET}\n", code: exitOK,
			stderr: []string{"warning: serve.token: ${WIREDESK_TOKEN_NEVER_SET} is unset or empty", "open"}},
		"one-character token": {doc: "store: sqlite:w.db\nserve:\n  token: x\n", code: exitUsage, stderr: []string{"serve.token", "too short"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			code, out, errs := runCLI(t, "check", "-config", writeFile(t, "c.yaml", c.doc))
			if code != c.code {
				t.Fatalf("exit %d, want %d\n%s\n%s", code, c.code, out, errs)
			}
			if strings.Contains(out+errs, "pw-secret-9") {
				t.Errorf("a password shows:\n%s\n%s", out, errs)
			}
			for _, w := range c.stderr {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
			if c.code == exitOK && !strings.Contains(out, "valid") {
				t.Errorf("stdout: %s", out)
			}
			if name == "unset token" && strings.Count(errs, "\n") != 1 {
				t.Errorf("want one line on stderr, got:\n%s", errs)
			}
		})
	}
}
