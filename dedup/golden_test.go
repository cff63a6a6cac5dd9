package dedup

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestGolden pins the verdicts (cluster, duplicate_of, score, reason,
// origin) on a small generated stream, so that any change in behavior shows
// up in review. Refresh with go test -run TestGolden -update.
func TestGolden(t *testing.T) {
	tests := []struct {
		name                 string
		seed                 uint64
		days, perDay, topics int
	}{
		{"small_stream", 3, 1, 40, 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			docs := newDenseGen(tc.seed).stream(tc.days, tc.perDay, tc.topics)
			ix := NewIndex(Options{})
			var b strings.Builder
			for i := range docs {
				r := ix.Add(&docs[i].Doc)
				fmt.Fprintf(&b, "%s %s story=%s cluster=%s duplicate_of=%q score=%.2f reason=%q origin=%q\n",
					docs[i].ID, docs[i].Outlet, docs[i].Story, r.Cluster, r.DuplicateOf, r.Score, r.Reason, r.Origin)
			}
			path := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got := b.String(); got != string(want) {
				t.Errorf("verdicts differ from %s (run with -update if the change is intended):\n%s", path, firstDiff(got, string(want)))
			}
		})
	}
}

// firstDiff shows the first differing line.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\n got  %s\n want %s", i+1, a, b)
		}
	}
	return ""
}
