package parallel_test

import (
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
