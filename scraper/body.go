package scraper

import (
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// readBody reads hresp's body, decompressing gzip and deflate itself, and
// returns ErrTooLarge once more than limit bytes come out after
// decompression (so a gzip bomb stops at limit).
func readBody(hresp *http.Response, limit int64) ([]byte, error) {
	if hresp.ContentLength > limit && hresp.Header.Get("Content-Encoding") == "" {
		return nil, fmt.Errorf("content-length %d over %d: %w", hresp.ContentLength, limit, ErrTooLarge)
	}
	r, err := decoder(hresp)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	buf, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if int64(len(buf)) > limit {
		return nil, fmt.Errorf("over %d bytes: %w", limit, ErrTooLarge)
	}
	return buf, nil
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
