// Package parallel runs loops over independent indices on up to
// GOMAXPROCS goroutines. Callers write only to their own index's results,
// so the outcome never depends on the number of threads.
package parallel

import (
	"context"
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

// EachContext is Each until ctx is done: from then on no fn(i) starts
// (those running finish), and it returns ctx.Err(). fn should take
// milliseconds at most, or check ctx itself.
func EachContext(ctx context.Context, n int, fn func(i int)) error {
	const chunk = 256
	return EachChunkContext(ctx, n, chunk, fn)
}

// EachChunkContext is EachChunk until ctx is done, as EachContext.
func EachChunkContext(ctx context.Context, n, chunk int, fn func(i int)) error {
	EachChunk(n, chunk, func(i int) {
		if ctx.Err() == nil {
			fn(i)
		}
	})
	return ctx.Err()
}

// Ranges runs f over [0, n) split into one contiguous range per CPU, each
// of at least 4096 indices.
func Ranges(n int, f func(lo, hi int)) {
	Split(Workers(n, 4096), n, func(_, lo, hi int) { f(lo, hi) })
}

// Workers is the number of goroutines for n indices, at least perWorker
// each: between 1 and GOMAXPROCS.
func Workers(n, perWorker int) int {
	return max(1, min(runtime.GOMAXPROCS(0), n/max(1, perWorker)))
}

// Split runs f(w, lo, hi) for w in [0, workers), on goroutines of their
// own, over contiguous ranges that split [0, n) in order. Callers that
// assemble per-worker results in w order get the same result for any
// number of workers.
func Split(workers, n int, f func(w, lo, hi int)) {
	if workers <= 1 {
		f(0, 0, n)
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(w, w*n/workers, (w+1)*n/workers)
		}()
	}
	wg.Wait()
}

// Do runs each of fs on a goroutine of its own (the last on the caller's)
// and returns when all have returned: independent steps, serial or
// parallel loops themselves, that may overlap. They must not write what
// another reads or writes.
func Do(fs ...func()) {
	var wg sync.WaitGroup
	for _, f := range fs[:max(0, len(fs)-1)] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f()
		}()
	}
	if len(fs) > 0 {
		fs[len(fs)-1]()
	}
	wg.Wait()
}
