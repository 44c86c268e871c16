package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
)

// Profiles for whoever measures gridplan on their own layers: with
// GRIDPLAN_CPUPROFILE=FILE the whole run is CPU-profiled into FILE, with
// GRIDPLAN_MEMPROFILE=FILE the heap is written to FILE at the end (read
// both with `go tool pprof`).
const (
	cpuProfileEnv = "GRIDPLAN_CPUPROFILE"
	memProfileEnv = "GRIDPLAN_MEMPROFILE"
)

// Garbage collection: gridplan allocates much short-lived geometry while
// its live heap stays small (about 130 MB for 60,000 buildings), so by
// default the collector runs at GOGC=400, a quarter as often as Go's
// default: against GOGC=200 that saves 4 % of the CPU time of a
// 60,000-building city for 110 MB more memory (340 MB at peak). Above
// largeInput buildings it runs at GOGC=200 again, where the larger heap
// bought nothing (600,000 buildings: the same wall time, 1.9 against
// 2.7 GB and 7 s of system time paging); a soft limit of
// defaultMemoryLimit holds the heap of the largest cities near it.
// The GOGC and GOMEMLIMIT environment variables, if set, win.
const (
	defaultGCPercent   = 400
	largeGCPercent     = 200
	largeInput         = 250_000
	defaultMemoryLimit = 3 << 30
)

// tuneGC applies the defaults above where the environment sets nothing.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
}

// tuneGCFor sets the collector for an input of n buildings, once loaded.
func tuneGCFor(n int) {
	if os.Getenv("GOGC") == "" && n > largeInput {
		debug.SetGCPercent(largeGCPercent)
	}
}

// startProfiles starts what the environment asks for and returns the
// function that finishes it; a profile that cannot be written is a warning
// on stderr, never a failure of the run.
func startProfiles(stderr io.Writer) (stop func()) {
	var cpu *os.File
	if name := os.Getenv(cpuProfileEnv); name != "" {
		f, err := os.Create(name)
		if err == nil {
			err = pprof.StartCPUProfile(f)
			if err != nil {
				f.Close()
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "gridplan: warning: %s: %v\n", cpuProfileEnv, err)
		} else {
			cpu = f
		}
	}
	return func() {
		if cpu != nil {
			pprof.StopCPUProfile()
			cpu.Close()
		}
		if name := os.Getenv(memProfileEnv); name != "" {
			runtime.GC()
			f, err := os.Create(name)
			if err == nil {
				err = pprof.WriteHeapProfile(f)
				if cerr := f.Close(); err == nil {
					err = cerr
				}
			}
			if err != nil {
				fmt.Fprintf(stderr, "gridplan: warning: %s: %v\n", memProfileEnv, err)
			}
		}
	}
}
