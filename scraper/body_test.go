package scraper

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
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
			got, release, err := readAll(io.LimitReader(bytes.NewReader(want), int64(tc.n)), tc.size, func() (func(), error) {
				gated++
				return func() { released++ }, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			release()
			if !bytes.Equal(got, want) {
				t.Errorf("read %d bytes, want %d", len(got), len(want))
			}
			if gated != tc.gated || released != gated {
				t.Errorf("gate taken %d, released %d; want %d", gated, released, tc.gated)
			}
		})
	}
}

// TestFetchHoldsBigBodies: with Hold, a large body keeps one of the
// bigBodies slots until Release; a small body or a Fetch without Hold
// keeps none.
func TestFetchHoldsBigBodies(t *testing.T) {
	big := bytes.Repeat([]byte("x"), 2*bigBody)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/small" {
			w.Write([]byte("small"))
			return
		}
		w.Write(big)
	}))
	defer srv.Close()
	opt := testOptions()
	opt.PerHost, opt.MaxBody = 8, 4*bigBody
	f := newTestFetcher(t, opt)
	ctx := context.Background()
	fetch := func(path string, hold bool) *Response {
		t.Helper()
		resp, err := f.Fetch(ctx, Request{URL: srv.URL + path, Hold: hold})
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	fetch("/big", false)
	fetch("/small", true)
	if n := len(f.big); n != 0 {
		t.Fatalf("%d slots held without Hold or a large body", n)
	}
	var held []*Response
	for range bigBodies {
		held = append(held, fetch("/big", true))
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fetch("/big", true).Release()
	}()
	select {
	case <-done:
		t.Fatal("a large body was read while every slot was held")
	case <-time.After(200 * time.Millisecond):
	}
	held[0].Release()
	held[0].Release() // twice is harmless
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Release did not free a slot")
	}
	held[1].Release()
	if n := len(f.big); n != 0 {
		t.Errorf("%d slots held after every Release", n)
	}
}
