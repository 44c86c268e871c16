package parallel

import (
	"context"
	"sync"
)

// Overlap runs produce on a goroutine of its own while the caller's
// goroutine consumes what it produces: reading the next round of a file
// while the previous one is decoded, say. produce hands each item to send;
// consume gets the items in the order sent, one at a time, on the
// caller's goroutine (it may itself run a parallel loop).
//
// send returns once consume has finished with the item before and taken
// this one, so at most two items are in flight: the one consumed and the
// one produced. The buffers of an item may thus be reused by produce two
// items later. send returns false, and produce should return, once the
// consumer has stopped: ctx done, or consume returned an error.
//
// Overlap returns after produce has returned and every item sent before
// has been consumed (the items sent before a stop are not, and neither is
// any item after). It returns the error of consume, or else ctx.Err() if
// ctx is done, or else produce's error. A panic in produce is raised
// again on the caller's goroutine.
func Overlap[T any](ctx context.Context, produce func(send func(T) bool) error, consume func(T) error) error {
	items := make(chan T) // unbuffered: a send waits for the consumer
	stop := make(chan struct{})
	done := make(chan struct{})
	var perr error
	var panicked any
	go func() {
		defer close(done)
		defer close(items)
		defer func() {
			if p := recover(); p != nil {
				panicked = p
			}
		}()
		perr = produce(func(v T) bool {
			select {
			case <-stop:
				return false
			default:
			}
			select {
			case items <- v:
				return true
			case <-stop:
				return false
			}
		})
	}()
	var stopOnce sync.Once
	halt := func() {
		stopOnce.Do(func() { close(stop) })
		for range items { // until produce returns
		}
	}
	// A panic of consume stops the producer too before it goes on up.
	defer func() {
		if p := recover(); p != nil {
			halt()
			panic(p)
		}
	}()
	var err error
	for v := range items {
		if err = ctx.Err(); err == nil {
			err = consume(v)
		}
		if err != nil {
			halt()
			break
		}
	}
	<-done
	if panicked != nil {
		panic(panicked)
	}
	switch {
	case err != nil:
		return err
	case ctx.Err() != nil:
		return ctx.Err()
	}
	return perr
}
