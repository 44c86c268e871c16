// Package parallel runs loops over independent indices on up to
// GOMAXPROCS goroutines. Callers write only to their own index's results,
// so the outcome never depends on the number of threads.
package parallel

import (
	"runtime"
	"sync"
)

// Each calls fn(i) for i in [0, n) on up to GOMAXPROCS
// goroutines. fn must only write to its own index's results.
func Each(n int, fn func(i int)) {
	const chunk = 256 // features per work item: amortises scheduling
	EachChunk(n, chunk, fn)
}

// EachChunk is Each handing out chunk indexes at a
// time.
func EachChunk(n, chunk int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), (n+chunk-1)/chunk)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				lo := next
				next += chunk
				mu.Unlock()
				if lo >= n {
					return
				}
				for i := lo; i < min(lo+chunk, n); i++ {
					fn(i)
				}
			}
		}()
	}
	wg.Wait()
}

// Ranges runs f over [0, n) split into one contiguous range per CPU.
func Ranges(n int, f func(lo, hi int)) {
	nw := max(1, min(runtime.GOMAXPROCS(0), n/4096))
	var wg sync.WaitGroup
	for w := range nw {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(w*n/nw, (w+1)*n/nw)
		}()
	}
	wg.Wait()
}
