package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServe starts `wiredesk serve` on a free port, checks /healthz and
// /api/stories, then stops it as SIGTERM would (ctx cancelled) and expects
// a clean exit.
func TestServe(t *testing.T) {
	cfg := writeFile(t, "c.yaml", "store: sqlite:"+filepath.Join(t.TempDir(), "w.db")+"\n")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-config", cfg, "-addr", "127.0.0.1:0"}, pw, io.Discard)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("no address printed: %v", err)
	}
	go io.Copy(io.Discard, pr)
	base := strings.TrimSuffix(strings.TrimSpace(line[strings.Index(line, "http://"):]), "/")
	cases := []struct{ path, want string }{
		{"/healthz", "ok"},
		{"/api/stories", `"items"`},
		{"/api/feeds", `"items"`},
		{"/metrics", "wiredesk_due_feeds"},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			resp, err := http.Get(base + c.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), c.want) {
				t.Errorf("GET %s: %d %.200s", c.path, resp.StatusCode, body)
			}
			if strings.HasPrefix(c.path, "/api/") && !json.Valid(body) {
				t.Errorf("GET %s: not JSON", c.path)
			}
		})
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after cancel: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop within 15s of its signal")
	}
}
