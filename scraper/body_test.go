package scraper

import (
	"bytes"
	"io"
	"testing"
)

// TestReadAll: bodies come out whole, of known or unknown size, and a
// body over bigBody takes the gate once.
func TestReadAll(t *testing.T) {
	tests := []struct {
		name  string
		n     int
		size  int64 // -1: unknown
		gated int
	}{
		{"empty", 0, -1, 0},
		{"small unknown", 1000, -1, 0},
		{"small known", 1000, 1000, 0},
		{"several pieces", 5*readChunk + 17, -1, 0},
		{"big unknown", bigBody + 2*readChunk, -1, 1},
		{"big known", 3 * bigBody, 3 * bigBody, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			want := bytes.Repeat([]byte("0123456789abcdef"), tc.n/16+1)[:tc.n]
			gated, released := 0, 0
			got, err := readAll(io.LimitReader(bytes.NewReader(want), int64(tc.n)), tc.size, func() (func(), error) {
				gated++
				return func() { released++ }, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("read %d bytes, want %d", len(got), len(want))
			}
			if gated != tc.gated || released != gated {
				t.Errorf("gate taken %d, released %d; want %d", gated, released, tc.gated)
			}
		})
	}
}
