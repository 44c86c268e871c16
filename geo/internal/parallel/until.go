package parallel

import "context"

// UntilDone calls f on a goroutine of its own and returns what it
// returns, or ctx.Err() as soon as ctx is done, whichever comes first;
// f, left to finish alone then, should stop too, as ctx says. It is for
// calls that nothing else can stop, such as opening a named pipe, which
// waits in the kernel for a writer: the caller goes on, and the goroutine
// ends with the call, or with the program. f must not write what the
// caller reads.
func UntilDone[T any](ctx context.Context, f func() (T, error)) (T, error) {
	if ctx.Done() == nil { // never done
		return f()
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1) // buffered: f's goroutine never waits for the caller
	go func() {
		v, err := f()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
