package partition

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"sync/atomic"
	"testing"
)

// A countdown is a context whose Err turns context.Canceled from its n-th
// call on: it stops a search at a given poll, deterministically.
type countdown struct {
	context.Context
	n            int64
	calls, after atomic.Int64 // calls of Err, and those once it turned
}

func newCountdown(n int64) *countdown {
	return &countdown{Context: context.Background(), n: n}
}

func (c *countdown) Err() error {
	if c.calls.Add(1) >= c.n {
		c.after.Add(1)
		return context.Canceled
	}
	return nil
}

// TestSolveCancelled cancels a search from its Progress callback after the
// first community: Solve returns context.Canceled and solves no other
// community; a context that is never cancelled leaves the result as
// without one.
func TestSolveCancelled(t *testing.T) {
	p := LatticeProblem(1, 20, 10)
	want, err := Solve(context.Background(), p, &Settings{Seed: 1, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{1, 4} {
		ctx, cancel := context.WithCancel(context.Background())
		got, err := Solve(ctx, p, &Settings{Seed: 1, Workers: workers})
		cancel()
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Workers %d: Solve with a context never cancelled differs from Solve with context.Background (err %v)", workers, err)
		}

		ctx, cancel = context.WithCancel(context.Background())
		var solved atomic.Int64
		res, err := Solve(ctx, p, &Settings{Seed: 1, Workers: workers, Progress: func(done, total int) {
			solved.Add(1)
			cancel()
		}})
		cancel()
		if !errors.Is(err, context.Canceled) || res != nil {
			t.Errorf("Workers %d: Solve cancelled after the first community = %v, %v; want nil, context.Canceled", workers, res, err)
		}
		// Each worker finishes at most the community it was solving
		// when another reported.
		if n := solved.Load(); n < 1 || n > int64(workers) {
			t.Errorf("Workers %d: %d communities solved after the cancel from the first; want 1..%d", workers, n, workers)
		}
	}
}

// TestSolveStopsMidCommunity stops the search of one large community at
// many of its polls: Solve returns context.Canceled, and no poll comes
// after the one that saw the context done but Solve's own final check.
func TestSolveStopsMidCommunity(t *testing.T) {
	p := LatticeProblem(2, 1, 24)
	full := newCountdown(1 << 62)
	if _, err := Solve(full, p, &Settings{Seed: 1, Workers: 1}); err != nil {
		t.Fatal(err)
	}
	polls := full.calls.Load()
	t.Logf("%d polls", polls)
	if polls < 20 {
		t.Fatalf("a search of %d atoms polled its context %d times; want many", len(p.Atoms), polls)
	}
	for _, n := range []int64{1, 2, 3, polls / 7, polls / 3, polls / 2, polls - 2} {
		ctx := newCountdown(n)
		res, err := Solve(ctx, p, &Settings{Seed: 1, Workers: 1})
		if !errors.Is(err, context.Canceled) || res != nil {
			t.Errorf("Solve stopped at poll %d of %d = %v, %v; want nil, context.Canceled", n, polls, res, err)
		}
		if a := ctx.after.Load(); a > 2 {
			t.Errorf("Solve stopped at poll %d of %d polled %d more times; want at most the final check", n, polls, a-1)
		}
	}
}

// TestExactSearchStops stops the exhaustive searches, whose steps take
// microseconds and which may run for seconds, from inside their recursion.
func TestExactSearchStops(t *testing.T) {
	polled := 0
	for seed := uint64(1); seed <= 60 && polled < 5; seed++ {
		rng := rand.New(rand.NewPCG(seed, 5))
		p := LatticeProblem(seed, 1, 6)
		for i := range p.Atoms {
			if rng.IntN(3) == 0 {
				p.Atoms[i].Weight = 0
			}
		}
		set, _ := (&Settings{}).withDefaults()
		comp := seq(len(p.Atoms))
		run := func(ctx context.Context) (stopped bool) {
			cs := newCommunitySolver(&p, buildAdjacency(p), 0, comp, &set, rand.New(rand.NewPCG(1, 1)))
			cs.ctx = ctx
			defer func() {
				if v := recover(); v != nil {
					if _, ok := v.(stopSearch); !ok {
						panic(v)
					}
					stopped = true
				}
			}()
			cs.exactLeast(comp, math.MaxInt, leastBudget)
			cs.exactPlan(comp)
			return false
		}
		count := newCountdown(1 << 62)
		if run(count); count.calls.Load() == 0 {
			continue // too small a search to poll
		}
		polled++
		if stop := newCountdown(1); !run(stop) || stop.calls.Load() != 1 {
			t.Errorf("seed %d: the exhaustive searches went on after their context was done (%d polls)", seed, stop.calls.Load())
		}
	}
	if polled == 0 {
		t.Fatal("no exhaustive search was long enough to poll its context")
	}
	t.Logf("%d searches polled", polled)
}
