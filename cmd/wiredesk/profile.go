package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync"
	"time"

	"github.com/wiredesk/wiredesk/dedup"
)

// startProfiles writes a CPU profile of the pass to $WIREDESK_CPUPROFILE.PID
// and a heap profile at its end to $WIREDESK_MEMPROFILE.PID, when set: for
// finding where a large pass spends its time and memory. With the heap
// profile comes $WIREDESK_MEMPROFILE.PID.mem: what the process held at its
// peak resident size (sampled every 50 ms), by kind.
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
	var peak peakSampler
	if memPath != "" {
		peak.start()
	}
	return func() {
		if cpu != nil {
			pprof.StopCPUProfile()
			cpu.Close()
		}
		if memPath == "" {
			return
		}
		report := peak.stop()
		f, err := os.Create(fmt.Sprintf("%s.%d", memPath, os.Getpid()))
		if err == nil {
			runtime.GC()
			err = pprof.WriteHeapProfile(f)
			f.Close()
		}
		if err == nil {
			err = os.WriteFile(fmt.Sprintf("%s.%d.mem", memPath, os.Getpid()), report, 0o600)
		}
		if err != nil {
			fmt.Fprintf(stderr, "wiredesk: heap profile %s: %v\n", memPath, err)
		}
	}
}

// peakSampler records the process's memory at its highest resident size.
type peakSampler struct {
	done   chan struct{}
	wg     sync.WaitGroup
	rss    int64
	report []byte
}

func (p *peakSampler) start() {
	p.done = make(chan struct{})
	p.wg.Go(func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-p.done:
				return
			case <-t.C:
				p.sample()
			}
		}
	})
}

func (p *peakSampler) stop() []byte {
	close(p.done)
	p.wg.Wait()
	return p.report
}

func (p *peakSampler) sample() {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return
	}
	rss := statusKB(status, "VmRSS:")
	if rss <= p.rss {
		return
	}
	p.rss = rss
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	p.report = fmt.Appendf(nil, "peak VmRSS %d MB (anon %d, file %d)\nGo: heap in use %d MB, idle not released %d MB, stacks %d MB, other runtime %d MB\ndedup mappings %d MB\n",
		rss>>10, statusKB(status, "RssAnon:")>>10, statusKB(status, "RssFile:")>>10,
		ms.HeapInuse>>20, (ms.HeapIdle-ms.HeapReleased)>>20, ms.StackSys>>20,
		(ms.Sys-ms.HeapSys-ms.StackSys)>>20, dedup.MappedBytes()>>20)
}

// statusKB reads a "Name:   123 kB" line of /proc/self/status.
func statusKB(status []byte, name string) int64 {
	i := bytes.Index(status, []byte(name))
	if i < 0 {
		return 0
	}
	f := bytes.Fields(status[i+len(name):])
	if len(f) == 0 {
		return 0
	}
	n, _ := strconv.ParseInt(string(f[0]), 10, 64)
	return n
}
