package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// progressEnv names the environment variable that, set to 1, shows
// progress even when stderr is not a terminal, one line per report (for a
// log, or a program waiting for the search to start).
const progressEnv = "GRIDPLAN_PROGRESS"

// progress returns a callback that reports done/total on w, at most a few
// times a second, and only when w is a terminal (progress is for people, not
// for logs) or progressEnv asks for it.
func progress(w io.Writer, what string) func(done, total int) {
	w = raw(w) // what it writes is its own, carriage return included
	terminal := isTerminal(w)
	lines := !terminal && os.Getenv(progressEnv) == "1"
	if !terminal && !lines {
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
		if lines {
			fmt.Fprintf(w, "gridplan: %d/%d %s\n", done, total, what)
			return
		}
		fmt.Fprintf(w, "\rgridplan: %d/%d %s", done, total, what)
		if done == total {
			fmt.Fprintln(w)
		}
	}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
