package push

import (
	"fmt"
	"net"
	"os"
	"testing"
	"time"
)

// natsURL is the NATS server (with JetStream) the tests use:
// WIREDESK_TEST_NATS, else 127.0.0.1:4222 when something listens there.
// With WIREDESK_TEST_NATS set (CI), an unreachable server fails the test;
// otherwise the test is skipped with a message.
func natsURL(t testing.TB) string {
	t.Helper()
	url := os.Getenv("WIREDESK_TEST_NATS")
	demanded := url != ""
	if !demanded {
		url = "nats://127.0.0.1:4222"
	}
	c, err := net.DialTimeout("tcp", "127.0.0.1:4222", time.Second)
	if demanded {
		c, err = net.DialTimeout("tcp", hostOf(url), time.Second)
	}
	if err != nil {
		if demanded {
			t.Fatalf("WIREDESK_TEST_NATS=%s is not reachable: %v", url, err)
		}
		t.Skipf("no NATS server on 127.0.0.1:4222 (start nats-server -js, or set WIREDESK_TEST_NATS): %v", err)
	}
	c.Close()
	return url
}

func hostOf(url string) string {
	var host string
	if _, err := fmt.Sscanf(url, "nats://%s", &host); err != nil {
		return url
	}
	return host
}
