//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package geo

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// mkfifo makes a named pipe in a directory of its own and returns its path.
func mkfifo(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// writePipe writes data to the named pipe p once a reader opens it, and
// sends the error of the writing on the channel returned.
func writePipe(p string, data []byte) <-chan error {
	done := make(chan error, 1)
	go func() {
		f, err := os.OpenFile(p, os.O_WRONLY, 0) // waits for the reader
		if err != nil {
			done <- err
			return
		}
		_, err = f.Write(data)
		done <- errors.Join(err, f.Close())
	}()
	return done
}

// releasePipe lets a reader still waiting for the writer of p go: it
// opens p and closes it at once, reading end of file.
func releasePipe(p string) {
	if f, err := os.OpenFile(p, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
		f.Close()
	}
}

// TestReadFileNamedPipe: a named pipe is read whole, as a file is, within
// the input limit.
func TestReadFileNamedPipe(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef"), 16<<10) // 256 KiB, more than a pipe holds
	p := mkfifo(t)
	written := writePipe(p, data)
	got, err := ReadFile(p)
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("ReadFile(a named pipe of %d bytes) = %d bytes, %v", len(data), len(got), err)
	}
	if err := <-written; err != nil {
		t.Errorf("writing the pipe: %v", err)
	}

	lowLimits(t, 64<<10, MaxFeatureBytes, MaxStringBytes)
	writePipe(p, data)
	if _, err := ReadFile(p); !errors.Is(err, ErrTooLarge) || !errors.As(err, new(*FileError)) {
		t.Errorf("ReadFile(a named pipe past the limit) = %v, want ErrTooLarge naming the pipe", err)
	}
}

// TestReadFileContextNamedPipe: once the context is done, ReadFileContext
// returns ctx.Err() at once, whether it waits for a writer to open the
// pipe or to write to it; and the read it waits for ends too.
func TestReadFileContextNamedPipe(t *testing.T) {
	const patience = 5 * time.Second
	for _, writer := range []string{"none", "silent"} {
		t.Run(writer, func(t *testing.T) {
			p := mkfifo(t)
			defer releasePipe(p)
			if writer == "silent" {
				opened := make(chan *os.File, 1)
				go func() {
					f, _ := os.OpenFile(p, os.O_WRONLY, 0)
					opened <- f
				}()
				defer func() {
					if f := <-opened; f != nil {
						f.Close()
					}
				}()
			}
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			start := time.Now()
			if _, err := ReadFileContext(ctx, p); !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("ReadFileContext(a pipe with writer %s) = %v, want %v", writer, err, context.DeadlineExceeded)
			}
			if d := time.Since(start); d > patience {
				t.Errorf("ReadFileContext returned %v after the context was done", d)
			}
			if writer == "none" {
				return // the open waits for a writer, whom no read can stop
			}
			// A read under way, waiting for the writer to write.
			ctx, cancel = context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() {
				_, err := readFile(ctx, p)
				done <- err
			}()
			time.Sleep(50 * time.Millisecond)
			cancel()
			select {
			case err := <-done:
				if err == nil {
					t.Errorf("readFile(a silent pipe) after the context was done: no error")
				}
			case <-time.After(patience):
				t.Errorf("readFile(a silent pipe) still reading %v after the context was done", patience)
			}
		})
	}
}
