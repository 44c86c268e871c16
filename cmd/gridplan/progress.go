package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// progress returns a callback that reports done/total on w, at most a few
// times a second, and only when w is a terminal (progress is for people, not
// for logs).
func progress(w io.Writer, what string) func(done, total int) {
	w = raw(w) // what it writes is its own, carriage return included
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	if fi, err := f.Stat(); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	const interval = 200 * time.Millisecond
	var mu sync.Mutex
	var last time.Time
	return func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if done < total && time.Since(last) < interval {
			return
		}
		last = time.Now()
		fmt.Fprintf(w, "\rgridplan: %d/%d %s", done, total, what)
		if done == total {
			fmt.Fprintln(w)
		}
	}
}
