package geotest

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

// A CancelAfter is a context whose Err is nil for its first k calls and
// [context.Canceled] from then on, whatever the clock: a test cancels a
// function at its k-th look at the context, and counts the looks of a run
// that is never cancelled (k < 0). Its Done channel never closes; the
// functions it tests look at Err only.
type CancelAfter struct {
	context.Context
	k     int64
	calls atomic.Int64
}

// NewCancelAfter returns a context cancelled at the k-th call of its Err
// (k = 0: from the first), or never for a negative k.
func NewCancelAfter(k int) *CancelAfter {
	return &CancelAfter{Context: context.Background(), k: int64(k)}
}

// Err returns nil on the first k calls, then context.Canceled.
func (c *CancelAfter) Err() error {
	if n := c.calls.Add(1); c.k >= 0 && n > c.k {
		return context.Canceled
	}
	return nil
}

// Calls returns the number of calls of Err so far.
func (c *CancelAfter) Calls() int { return int(c.calls.Load()) }

// CheckStops checks that run, a call of a function that takes a context,
// returns an error wrapping context.Canceled when the context is done
// before the call, and when it becomes done at any look run takes at it
// (at most samples of them, spread over a run: every look is tried when
// they are fewer), and nil when it never is. It returns the number of
// looks of the run that is never cancelled.
func CheckStops(tb testing.TB, samples int, run func(ctx context.Context) error) int {
	tb.Helper()
	done, cancel := context.WithCancel(context.Background())
	cancel()
	if err := run(done); !errors.Is(err, context.Canceled) {
		tb.Fatalf("cancelled before the call: err = %v, want context.Canceled", err)
	}
	live := NewCancelAfter(-1)
	if err := run(live); err != nil {
		tb.Fatalf("never cancelled: err = %v", err)
	}
	n := live.Calls()
	step := max(1, n/max(1, samples))
	for k := 0; k < n; k += step {
		c := NewCancelAfter(k)
		if err := run(c); !errors.Is(err, context.Canceled) {
			tb.Fatalf("cancelled at look %d of %d: err = %v, want context.Canceled", k+1, n, err)
		}
	}
	if k := n - 1; k > 0 && k%step != 0 {
		if err := run(NewCancelAfter(k)); !errors.Is(err, context.Canceled) {
			tb.Fatalf("cancelled at the last look (%d): err = %v, want context.Canceled", n, err)
		}
	}
	return n
}
