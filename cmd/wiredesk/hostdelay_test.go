package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestHostDelayZero: an explicit host_delay of 0s reaches the fetcher as no
// spacing; an absent key takes the documented default.
func TestHostDelayZero(t *testing.T) {
	cases := []struct {
		name string
		poll string
		want time.Duration
	}{
		{"explicit zero", "poll:\n  host_delay: 0s\n", 0},
		{"absent", "", 500 * time.Millisecond},
		{"set", "poll:\n  host_delay: 250ms\n", 250 * time.Millisecond},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "config.yaml")
			doc := "store: sqlite:" + filepath.Join(dir, "w.db") + "\n" + tc.poll
			if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := loadConfig(path)
			if err != nil {
				t.Fatal(err)
			}
			f, err := newFetcher(cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if got := f.HostSlot("example.org").Spacing; got != tc.want {
				t.Errorf("spacing = %v, want %v", got, tc.want)
			}
		})
	}
}
