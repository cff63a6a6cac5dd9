package store

import (
	"context"
	"strings"
	"testing"
)

func TestRedactDSN(t *testing.T) {
	for name, c := range map[string]struct{ in, want string }{
		"userinfo":          {"postgres://u:s3cr3t@db.example/w", "postgres://u:REDACTED@db.example/w"},
		"userinfo at slash": {"postgres://u:s3/c@r?t@db.example/w", "postgres://u:REDACTED@db.example/w"},
		"user only":         {"postgres://u@db.example/w", "postgres://u@db.example/w"},
		"query password":    {"postgres://u@db.example/w?sslmode=disable&password=s3cr3t", "postgres://u@db.example/w?sslmode=disable&password=REDACTED"},
		"query first":       {"postgresql://db.example/w?password=s3cr3t&x=1", "postgresql://db.example/w?password=REDACTED&x=1"},
		"query mixed case":  {"postgres://db.example/w?PassWord=s3cr3t", "postgres://db.example/w?PassWord=REDACTED"},
		"sslpassword":       {"postgres://db.example/w?sslpassword=s3cr3t", "postgres://db.example/w?sslpassword=REDACTED"},
		"both":              {"postgres://u:one@db.example/w?password=two", "postgres://u:REDACTED@db.example/w?password=REDACTED"},
		"key value":         {"host=db user=u password=s3cr3t dbname=w", "host=db user=u password=REDACTED dbname=w"},
		"key value spaces":  {"host=db password = s3cr3t dbname=w", "host=db password = REDACTED dbname=w"},
		"key value quoted":  {"host=db password='s3 cr\\'3t' dbname=w", "host=db password=REDACTED dbname=w"},
		"key value first":   {"password=s3cr3t host=db", "password=REDACTED host=db"},
		"sqlite auth":       {"sqlite:w.db?_auth&_auth_user=u&_auth_pass=s3cr3t", "sqlite:w.db?_auth&_auth_user=u&_auth_pass=REDACTED"},
		"sqlite plain":      {"sqlite:w.db", "sqlite:w.db"},
		"no secret":         {"postgres://db.example/w?sslmode=disable", "postgres://db.example/w?sslmode=disable"},
		"malformed":         {"postgres://u:s3cr3t@db example/%zz?password=s3cr3t", "postgres://u:REDACTED@db example/%zz?password=REDACTED"},
		"passfile kept":     {"postgres://db.example/w?passfile=/x", "postgres://db.example/w?passfile=/x"},
	} {
		t.Run(name, func(t *testing.T) {
			got := RedactDSN(c.in)
			if got != c.want {
				t.Errorf("RedactDSN(%q) = %q, want %q", c.in, got, c.want)
			}
			if strings.Contains(got, "s3") {
				t.Errorf("RedactDSN(%q) = %q keeps the secret", c.in, got)
			}
		})
	}
}

// TestOpenErrorsRedacted: a DSN that fails to open is named in the error
// without its secrets.
func TestOpenErrorsRedacted(t *testing.T) {
	for name, dsn := range map[string]string{
		"bad url":        "postgres://u:s3cr3t@db example/%zz?password=s3cr3t",
		"bad pool size":  "postgres://u:s3cr3t@127.0.0.1:1/w?password=s3cr3t&pool_max_conns=x",
		"key value":      "host=127.0.0.1 password=s3cr3t",
		"unknown scheme": "mysql://u:s3cr3t@127.0.0.1/w?password=s3cr3t",
	} {
		t.Run(name, func(t *testing.T) {
			db, err := Open(context.Background(), dsn)
			if err == nil {
				db.Close()
				t.Fatal("opened")
			}
			if strings.Contains(err.Error(), "s3cr3t") {
				t.Errorf("error shows the secret: %v", err)
			}
		})
	}
}
