//go:build !unix

package dedup

import "errors"

// mapAnon is not available here: the table stays in the Go heap.
func mapAnon(int) ([]byte, error) { return nil, errors.New("no anonymous mappings") }

func unmapAnon([]byte) {}

func mapAnonFilled(int) ([]byte, error) { return nil, errors.New("no anonymous mappings") }
