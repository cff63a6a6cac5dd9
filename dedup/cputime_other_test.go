//go:build !linux

package dedup

import "time"

// threadCPU falls back to wall time where thread CPU time is not read.
func threadCPU() time.Duration { return time.Duration(time.Now().UnixNano()) }

// processCPU falls back to wall time.
func processCPU() time.Duration { return time.Duration(time.Now().UnixNano()) }
