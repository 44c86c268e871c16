package parallel_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"gridplan/geo/internal/parallel"
)

// UntilDone returns what f returns, or the context's error at once when
// it is done first, leaving f blocked.
func TestUntilDone(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if v, err := parallel.UntilDone(ctx, func() (int, error) { return 7, nil }); v != 7 || err != nil {
		t.Errorf("UntilDone(f returning 7) = %d, %v", v, err)
	}
	errF := errors.New("f failed")
	if _, err := parallel.UntilDone(context.Background(), func() (int, error) { return 0, errF }); err != errF {
		t.Errorf("UntilDone(f failing) = %v, want %v", err, errF)
	}

	block := make(chan struct{})
	defer close(block) // lets f end
	time.AfterFunc(10*time.Millisecond, cancel)
	start := time.Now()
	_, err := parallel.UntilDone(ctx, func() (int, error) {
		<-block
		return 1, nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("UntilDone(f blocked, context cancelled) = %v, want %v", err, context.Canceled)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("UntilDone returned %v after the context was cancelled", d)
	}
}
