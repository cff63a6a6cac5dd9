package demo

import "testing"

// BenchmarkStart measures starting the whole newsroom (rendering every
// page and feed, one listener per outlet) and closing it.
func BenchmarkStart(b *testing.B) {
	for b.Loop() {
		n, err := Start(b.Context())
		if err != nil {
			b.Fatalf("Start: %v", err)
		}
		n.Close()
	}
}
