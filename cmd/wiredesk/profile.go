package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
)

// startProfiles writes a CPU profile of the pass to $WIREDESK_CPUPROFILE.PID
// and a heap profile at its end to $WIREDESK_MEMPROFILE.PID, when set: for
// finding where a large pass spends its time and memory.
func startProfiles(stderr io.Writer) (stop func()) {
	cpuPath, memPath := os.Getenv("WIREDESK_CPUPROFILE"), os.Getenv("WIREDESK_MEMPROFILE")
	var cpu *os.File
	if cpuPath != "" {
		cpuPath = fmt.Sprintf("%s.%d", cpuPath, os.Getpid())
		f, err := os.Create(cpuPath)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintf(stderr, "wiredesk: cpu profile %s: %v\n", cpuPath, err)
		} else {
			cpu = f
		}
	}
	return func() {
		if cpu != nil {
			pprof.StopCPUProfile()
			cpu.Close()
		}
		if memPath == "" {
			return
		}
		f, err := os.Create(fmt.Sprintf("%s.%d", memPath, os.Getpid()))
		if err == nil {
			runtime.GC()
			err = pprof.WriteHeapProfile(f)
			f.Close()
		}
		if err != nil {
			fmt.Fprintf(stderr, "wiredesk: heap profile %s: %v\n", memPath, err)
		}
		// the process's view of its memory, beside the heap's
		if b, err := os.ReadFile("/proc/self/smaps_rollup"); err == nil {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b = fmt.Appendf(b, "HeapInuse %d MB\nHeapIdle %d MB\nHeapReleased %d MB\nStackSys %d MB\nSys %d MB\n",
				ms.HeapInuse>>20, ms.HeapIdle>>20, ms.HeapReleased>>20, ms.StackSys>>20, ms.Sys>>20)
			_ = os.WriteFile(fmt.Sprintf("%s.%d.mem", memPath, os.Getpid()), b, 0o600)
		}
	}
}
