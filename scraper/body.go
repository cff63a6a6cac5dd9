package scraper

import (
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
)

// bigBody is the size past which a body is large: reading it takes one of
// bigBodies slots, so that eight 8 MB feeds in one pass are not all in
// memory twice over (the pieces and the joined body) at once.
const (
	bigBody   = 1 << 20
	bigBodies = 2
)

// readBody reads hresp's body, decompressing gzip and deflate itself, and
// returns ErrTooLarge once more than limit bytes come out after
// decompression (so a gzip bomb stops at limit). Past bigBody bytes (or
// announced), the rest waits for a slot of big, which release frees
// (never nil; a no-op when no slot was taken).
func readBody(ctx context.Context, hresp *http.Response, limit int64, big chan struct{}) (body []byte, release func(), err error) {
	release = func() {}
	if hresp.ContentLength > limit && hresp.Header.Get("Content-Encoding") == "" {
		return nil, release, fmt.Errorf("content-length %d over %d: %w", hresp.ContentLength, limit, ErrTooLarge)
	}
	r, err := decoder(hresp)
	if err != nil {
		return nil, release, err
	}
	defer r.Close()
	size := int64(-1)
	if hresp.Header.Get("Content-Encoding") == "" {
		size = hresp.ContentLength
	}
	buf, release, err := readAll(io.LimitReader(r, limit+1), size, func() (func(), error) {
		select {
		case big <- struct{}{}:
			return sync.OnceFunc(func() { <-big }), nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	})
	if err != nil {
		release()
		return nil, func() {}, fmt.Errorf("read body: %w", err)
	}
	if int64(len(buf)) > limit {
		release()
		return nil, func() {}, fmt.Errorf("over %d bytes: %w", limit, ErrTooLarge)
	}
	return buf, release, nil
}

func decoder(hresp *http.Response) (io.ReadCloser, error) {
	enc := strings.ToLower(strings.TrimSpace(hresp.Header.Get("Content-Encoding")))
	switch enc {
	case "", "identity":
		return io.NopCloser(hresp.Body), nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(hresp.Body)
		if errors.Is(err, io.EOF) { // empty body
			return io.NopCloser(strings.NewReader("")), nil
		}
		if err != nil {
			return nil, fmt.Errorf("gzip body: %w", err)
		}
		return zr, nil
	case "deflate":
		zr, err := zlib.NewReader(hresp.Body)
		if err != nil {
			return nil, fmt.Errorf("deflate body: %w", err)
		}
		return zr, nil
	}
	return nil, fmt.Errorf("unsupported content-encoding %q", enc)
}

// readChunk is the piece size readAll reads a body of unknown length in.
const readChunk = 64 << 10

// readAll reads r to the end into one slice allocated once: at its size
// when known (size >= 0), else from pieces joined at the end. io.ReadAll
// grows its slice by a quarter at a time and leaves every smaller one
// behind: some four times the body in garbage, which for eight 8 MB feeds
// at once is most of a pass's peak memory. A body over bigBody calls
// gate first; the release it returns is the caller's to call (a no-op
// when the gate was not taken).
func readAll(r io.Reader, size int64, gate func() (func(), error)) (buf []byte, release func(), err error) {
	var chunks [][]byte
	total := 0
	release = func() {}
	gated := false
	if size > bigBody && size < 1<<30 {
		if release, err = gate(); err != nil {
			return nil, func() {}, err
		}
		gated = true
	}
	for {
		n := readChunk
		if size >= 0 && size < 1<<30 && len(chunks) == 0 {
			n = int(size) + 1 // the whole announced body, and the read that sees EOF
		}
		var chunk []byte
		if n == readChunk {
			chunk = (*chunkPool.Get().(*[readChunk]byte))[:]
		} else {
			chunk = make([]byte, n)
		}
		m, err := io.ReadFull(r, chunk)
		chunks = append(chunks, chunk[:m])
		total += m
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, release, err
		}
		if !gated && total > bigBody {
			if release, err = gate(); err != nil {
				return nil, func() {}, err
			}
			gated = true
		}
	}
	if len(chunks) == 1 && size >= 0 {
		return chunks[0], release, nil
	}
	out := make([]byte, 0, total)
	for _, c := range chunks {
		out = append(out, c...)
		if cap(c) == readChunk {
			chunkPool.Put((*[readChunk]byte)(c[:readChunk]))
		}
	}
	return out, release, nil
}

// chunkPool holds readAll's pieces of bodies of unknown length: a body is
// copied out of them, so a feed served without a Content-Length (chunked,
// or compressed) left 64 KB of garbage, zeroed when allocated, behind.
var chunkPool = sync.Pool{New: func() any { return new([readChunk]byte) }}
