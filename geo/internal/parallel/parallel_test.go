package parallel_test

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"testing"

	"gridplan/geo/internal/parallel"
)

// Every index is visited exactly once, and Split's ranges are contiguous
// and in worker order, for any number of threads.
func TestEveryIndexOnce(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 2, 3, 8} {
		runtime.GOMAXPROCS(procs)
		for _, n := range []int{0, 1, 7, 255, 256, 257, 10_000} {
			seen := make([]atomic.Int32, n)
			parallel.Each(n, func(i int) { seen[i].Add(1) })
			parallel.EachChunk(n, 3, func(i int) { seen[i].Add(1) })
			parallel.Ranges(n, func(lo, hi int) {
				for i := lo; i < hi; i++ {
					seen[i].Add(1)
				}
			})
			nw := parallel.Workers(n, 100)
			if nw < 1 || nw > procs {
				t.Fatalf("Workers(%d, 100) = %d with GOMAXPROCS %d", n, nw, procs)
			}
			bounds := make([][2]int, nw)
			parallel.Split(nw, n, func(w, lo, hi int) {
				bounds[w] = [2]int{lo, hi}
				for i := lo; i < hi; i++ {
					seen[i].Add(1)
				}
			})
			for w := range bounds {
				if (w == 0 && bounds[w][0] != 0) || (w > 0 && bounds[w][0] != bounds[w-1][1]) {
					t.Fatalf("n %d procs %d: ranges %v not contiguous", n, procs, bounds)
				}
			}
			if nw > 0 && bounds[nw-1][1] != n {
				t.Fatalf("n %d procs %d: ranges %v end before n", n, procs, bounds)
			}
			for i := range seen {
				if c := seen[i].Load(); c != 4 {
					t.Fatalf("n %d procs %d: index %d visited %d times, want 4", n, procs, i, c)
				}
			}
		}
	}
}

// EachContext visits every index once while its context lives, and starts
// no fn once it is done: only calls already started when it was
// cancelled (one per other worker at most) run after it.
func TestEachContext(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 2, 4} {
		runtime.GOMAXPROCS(procs)
		const n = 10_000
		seen := make([]atomic.Int32, n)
		if err := parallel.EachContext(context.Background(), n, func(i int) { seen[i].Add(1) }); err != nil {
			t.Fatalf("EachContext(Background) = %v", err)
		}
		for i := range seen {
			if seen[i].Load() != 1 {
				t.Fatalf("GOMAXPROCS %d: index %d visited %d times", procs, i, seen[i].Load())
			}
		}
		for _, at := range []int{0, 1, 300, n - 1} {
			ctx, cancel := context.WithCancel(context.Background())
			var calls, after atomic.Int64
			var stopped atomic.Bool
			err := parallel.EachChunkContext(ctx, n, 16, func(i int) {
				calls.Add(1)
				if stopped.Load() {
					after.Add(1)
				}
				if i == at {
					// Cancel first: a call that sees stopped has then
					// started after the cancel, or just before it.
					cancel()
					stopped.Store(true)
				}
			})
			cancel()
			if !errors.Is(err, context.Canceled) {
				t.Errorf("GOMAXPROCS %d: EachChunkContext cancelled at %d = %v, want context.Canceled", procs, at, err)
			}
			if a := after.Load(); a > int64(procs-1) {
				t.Errorf("GOMAXPROCS %d: %d calls started after the cancel at index %d; want at most %d", procs, a, at, procs-1)
			}
			if c := calls.Load(); c == n && at < n-1 {
				t.Errorf("GOMAXPROCS %d: all %d indices visited after a cancel at %d", procs, n, at)
			}
		}
	}
}

// countCtx counts the calls of its Err, done from call done on (0: never).
type countCtx struct {
	context.Context
	calls, done int64
}

func (c *countCtx) Err() error {
	c.calls++
	if c.done > 0 && c.calls >= c.done {
		return context.Canceled
	}
	return nil
}

// A Poll looks at its context once every PollEvery steps, and stops the
// loop at the first look that finds it done; RangesContext visits every
// index of a live context and returns the context's error.
func TestPoll(t *testing.T) {
	ctx := &countCtx{Context: context.Background()}
	p := parallel.NewPoll(ctx)
	for i := 1; i <= 3*parallel.PollEvery; i++ {
		if p.Stop() {
			t.Fatalf("step %d: a live context stopped the loop", i)
		}
		if want := int64(i / parallel.PollEvery); ctx.calls != want {
			t.Fatalf("after %d steps the context was looked at %d times, want %d", i, ctx.calls, want)
		}
	}
	ctx = &countCtx{Context: context.Background(), done: 2}
	p = parallel.NewPoll(ctx)
	steps := 1
	for !p.Stop() {
		steps++
	}
	if steps != 2*parallel.PollEvery {
		t.Errorf("a context done at its second look stopped the loop at step %d, want %d", steps, 2*parallel.PollEvery)
	}

	const n = 3 * parallel.PollEvery
	seen := make([]atomic.Int32, n)
	if err := parallel.RangesContext(context.Background(), n, func(lo, hi int, p *parallel.Poll) {
		for i := lo; i < hi && !p.Stop(); i++ {
			seen[i].Add(1)
		}
	}); err != nil {
		t.Fatalf("RangesContext(Background) = %v", err)
	}
	for i := range seen {
		if seen[i].Load() != 1 {
			t.Fatalf("index %d visited %d times", i, seen[i].Load())
		}
	}
	done, cancel := context.WithCancel(context.Background())
	cancel()
	var visited atomic.Int64
	err := parallel.RangesContext(done, 4*n, func(lo, hi int, p *parallel.Poll) {
		for i := lo; i < hi && !p.Stop(); i++ {
			visited.Add(1)
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("RangesContext(cancelled) = %v, want context.Canceled", err)
	}
	if v := visited.Load(); v >= 4*n {
		t.Errorf("RangesContext(cancelled) visited all %d indices", v)
	}
}

// Do runs every function once, each on a goroutine of its own: two that
// wait for each other both return, whatever GOMAXPROCS.
func TestDo(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	parallel.Do()
	for _, procs := range []int{1, 2, 4} {
		runtime.GOMAXPROCS(procs)
		var calls [3]atomic.Int32
		a, b := make(chan struct{}), make(chan struct{})
		parallel.Do(func() {
			calls[0].Add(1)
			close(a)
			<-b
		}, func() {
			calls[1].Add(1)
			<-a
			close(b)
		}, func() {
			calls[2].Add(1)
			parallel.Each(1000, func(int) {})
		})
		for k := range calls {
			if c := calls[k].Load(); c != 1 {
				t.Errorf("GOMAXPROCS %d: function %d called %d times", procs, k, c)
			}
		}
	}
}
