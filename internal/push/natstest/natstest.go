// Package natstest gives tests the NATS server (with JetStream) they push
// to.
package natstest

import (
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

// URL is the NATS server of the push tests: WIREDESK_TEST_NATS, else
// 127.0.0.1:4222 when something listens there. With WIREDESK_TEST_NATS set
// (CI), an unreachable server fails t; otherwise t is skipped with a
// message.
func URL(t testing.TB) string {
	t.Helper()
	url := os.Getenv("WIREDESK_TEST_NATS")
	addr := strings.TrimPrefix(url, "nats://")
	if url == "" {
		url, addr = "nats://127.0.0.1:4222", "127.0.0.1:4222"
	}
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		if os.Getenv("WIREDESK_TEST_NATS") != "" {
			t.Fatalf("WIREDESK_TEST_NATS=%s is not reachable: %v", url, err)
		}
		t.Skipf("no NATS server on 127.0.0.1:4222 (start nats-server -js, or set WIREDESK_TEST_NATS): %v", err)
	}
	c.Close()
	return url
}
