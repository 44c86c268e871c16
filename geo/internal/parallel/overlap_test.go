package parallel_test

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"gridplan/geo/internal/parallel"
)

// Overlap consumes every item sent, in order, with at most two in flight:
// a send returns only once the item before has been consumed, so a buffer
// of item k may be reused for item k+2. The consumer checks that the
// buffer it was given still holds what was written in it.
func TestOverlapOrder(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 2, 8} {
		runtime.GOMAXPROCS(procs)
		for _, n := range []int{0, 1, 2, 3, 1000} {
			var bufs [2][]int
			var got []int
			var consumed atomic.Int64
			err := parallel.Overlap(context.Background(), func(send func([]int) bool) error {
				for k := range n {
					b := bufs[k%2][:0]
					for range 50 {
						b = append(b, k)
					}
					bufs[k%2] = b
					if !send(b) {
						t.Errorf("send %d returned false", k)
						return nil
					}
					// The item before this one is consumed.
					if c := consumed.Load(); c < int64(k) {
						t.Errorf("GOMAXPROCS %d: send of item %d returned with %d items consumed", procs, k, c)
					}
				}
				return nil
			}, func(b []int) error {
				k := len(got)
				for _, v := range b {
					if v != k {
						t.Fatalf("GOMAXPROCS %d: item %d holds %d: its buffer was reused while consumed", procs, k, v)
					}
				}
				// Work in parallel, as a decoder does.
				var sum atomic.Int64
				parallel.EachChunk(len(b), 4, func(i int) { sum.Add(int64(b[i])) })
				if sum.Load() != int64(50*k) {
					t.Fatalf("item %d: parallel sum %d", k, sum.Load())
				}
				got = append(got, k)
				consumed.Add(1)
				return nil
			})
			if err != nil {
				t.Fatalf("Overlap = %v", err)
			}
			if len(got) != n {
				t.Fatalf("GOMAXPROCS %d: %d of %d items consumed", procs, len(got), n)
			}
		}
	}
}

// Errors: produce's is returned after every item sent has been consumed;
// consume's stops the consumer (no item after it is consumed, send returns
// false) and wins over produce's.
func TestOverlapErrors(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	errProduce, errConsume := errors.New("produce"), errors.New("consume")
	for _, procs := range []int{1, 4} {
		runtime.GOMAXPROCS(procs)
		var consumed int
		err := parallel.Overlap(context.Background(), func(send func(int) bool) error {
			for k := range 10 {
				send(k)
			}
			return errProduce
		}, func(int) error { consumed++; return nil })
		if !errors.Is(err, errProduce) || consumed != 10 {
			t.Errorf("GOMAXPROCS %d: produce failing after 10 items: %v, %d consumed; want %v, 10", procs, err, consumed, errProduce)
		}

		consumed = 0
		var falses, sent int
		err = parallel.Overlap(context.Background(), func(send func(int) bool) error {
			for k := range 100 {
				if !send(k) {
					falses++
					return errProduce
				}
				sent++
			}
			return nil
		}, func(k int) error {
			consumed++
			if k == 5 {
				return errConsume
			}
			return nil
		})
		if !errors.Is(err, errConsume) {
			t.Errorf("GOMAXPROCS %d: consume failing at item 5: %v, want %v", procs, err, errConsume)
		}
		if consumed != 6 || falses != 1 || sent > 7 {
			t.Errorf("GOMAXPROCS %d: consume failing at item 5: %d consumed, %d sent, send false %d times; want 6, at most 7, 1", procs, consumed, sent, falses)
		}
	}
}

// A done context stops the consumer at the next item, makes send return
// false, and is the error returned; the producer is waited for.
func TestOverlapCancel(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 4} {
		runtime.GOMAXPROCS(procs)
		ctx, cancel := context.WithCancel(context.Background())
		var consumed int
		var returned atomic.Bool
		err := parallel.Overlap(ctx, func(send func(int) bool) error {
			defer returned.Store(true)
			for k := 0; ; k++ {
				if !send(k) {
					return nil
				}
			}
		}, func(k int) error {
			consumed++
			if k == 3 {
				cancel()
			}
			return nil
		})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("GOMAXPROCS %d: Overlap cancelled = %v, want context.Canceled", procs, err)
		}
		if consumed != 4 {
			t.Errorf("GOMAXPROCS %d: %d items consumed after a cancel at the 4th", procs, consumed)
		}
		if !returned.Load() {
			t.Errorf("GOMAXPROCS %d: Overlap returned before produce", procs)
		}

		// Done before: nothing is consumed, and a producer that checks
		// ctx itself ends.
		consumed = 0
		err = parallel.Overlap(ctx, func(send func(int) bool) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			send(0)
			return nil
		}, func(int) error { consumed++; return nil })
		if !errors.Is(err, context.Canceled) || consumed != 0 {
			t.Errorf("GOMAXPROCS %d: Overlap on a done context = %v with %d consumed", procs, err, consumed)
		}
	}
}

// A panic of produce is raised on the caller's goroutine.
func TestOverlapPanic(t *testing.T) {
	defer func() {
		if p := recover(); p != "boom" {
			t.Errorf("recovered %v, want boom", p)
		}
	}()
	_ = parallel.Overlap(context.Background(), func(send func(int) bool) error {
		send(1)
		panic("boom")
	}, func(int) error { return nil })
	t.Error("Overlap returned after produce panicked")
}

// TestOverlapConsumePanics checks that a panic of consume reaches the
// caller and leaves no producer behind.
func TestOverlapConsumePanics(t *testing.T) {
	produced := make(chan struct{})
	func() {
		defer func() {
			if p := recover(); p != "consume" {
				t.Fatalf("recovered %v, want the panic of consume", p)
			}
		}()
		parallel.Overlap(context.Background(), func(send func(int) bool) error {
			defer close(produced)
			for i := 0; send(i); i++ {
			}
			return nil
		}, func(v int) error {
			if v == 3 {
				panic("consume")
			}
			return nil
		})
	}()
	select {
	case <-produced:
	case <-time.After(10 * time.Second):
		t.Fatal("the producer still runs after consume panicked")
	}
}
