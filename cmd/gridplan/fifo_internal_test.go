//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A pipes makes named pipes in a directory of its own, each written once
// by a goroutine, as a shell's `<(cat file)` is.
type pipes struct {
	t       *testing.T
	dir     string
	names   map[string]string // pipe -> file it carries
	written []<-chan error
}

func newPipes(t *testing.T) *pipes {
	return &pipes{t: t, dir: t.TempDir(), names: map[string]string{}}
}

// of returns a new named pipe that carries the file at path to one
// reader: a reader that opens it again waits for a writer that never
// comes.
func (ps *pipes) of(path string) string {
	t := ps.t
	t.Helper()
	data, err := os.ReadFile(path)
	must(t, err)
	sub := filepath.Join(ps.dir, strconv.Itoa(len(ps.names))) // a pipe of the file's name
	must(t, os.Mkdir(sub, 0o755))
	p := filepath.Join(sub, filepath.Base(path))
	must(t, syscall.Mkfifo(p, 0o600))
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
	t.Cleanup(func() { releaseWriter(p) })
	ps.names[p] = path
	ps.written = append(ps.written, done)
	return p
}

// check fails the test unless each pipe was written whole: a reader
// that closed it early makes its writer fail.
func (ps *pipes) check() {
	ps.t.Helper()
	for _, done := range ps.written {
		if err := <-done; err != nil {
			ps.t.Errorf("writing a pipe: %v (closed before the end?)", err)
		}
	}
	ps.written = nil
}

// asFiles rewrites the names of the pipes in data as the files they carry.
func (ps *pipes) asFiles(data []byte) []byte {
	for p, f := range ps.names {
		data = bytes.ReplaceAll(data, []byte(p), []byte(f))
	}
	return data
}

// releaseWriter lets a writer still waiting for a reader of the pipe p
// go: it opens p for reading and closes it at once.
func releaseWriter(p string) {
	if f, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
		f.Close()
	}
}

// releaseReader lets a reader still waiting for a writer of the pipe p
// go: it opens p for writing and closes it at once.
func releaseReader(p string) {
	if f, err := os.OpenFile(p, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
		f.Close()
	}
}

// gridplanWithin is gridplan, failing the test if the run has not ended
// within half a minute (it is then left running).
func gridplanWithin(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	type result struct {
		code           int
		stdout, stderr string
	}
	done := make(chan result, 1)
	go func() {
		var out, errb bytes.Buffer
		code := run(context.Background(), append([]string{"gridplan"}, args...), bytes.NewReader(nil), &out, &errb)
		done <- result{code, out.String(), errb.String()}
	}()
	select {
	case r := <-done:
		return r.code, r.stdout, r.stderr
	case <-time.After(30 * time.Second):
		t.Fatalf("%v: still running after 30 s (waiting for a pipe's writer?)", args)
		return 0, "", ""
	}
}

// TestNamedPipeInputs: every input of partition, repartition and check
// given as a named pipe (as by a shell's process substitution) is read
// once, and gives the plan, or the findings, that the files give.
func TestNamedPipeInputs(t *testing.T) {
	city := newSmallCity(t)
	dir := t.TempDir()
	want := city.plan(t, filepath.Join(dir, "want"))
	ps := newPipes(t)
	out := filepath.Join(dir, "got")
	if code, _, stderr := gridplanWithin(t, partitionArgs(ps.of(city.buildings), ps.of(city.communities), out)...); code != 0 {
		t.Fatalf("partition from named pipes: exit %d\n%s", code, stderr)
	}
	ps.check()
	samePlan(t, "partition from named pipes", ps, planSet(t, out), want)

	// repartition: a census update of the first buildings, the earlier
	// assignment alone.
	prev := filepath.Join(dir, "want", "assignment.csv")
	data, err := os.ReadFile(prev)
	must(t, err)
	rows := strings.Split(string(data), "\n")
	households := "id,households\n"
	for _, row := range rows[1:min(len(rows), 11)] {
		id, _, _ := strings.Cut(row, ",")
		households += id + ",45\n"
	}
	table := filepath.Join(dir, "households.csv")
	must(t, os.WriteFile(table, []byte(households), 0o644))
	repartition := func(prev, buildings, communities, table, out string) []string {
		return []string{"repartition", "--previous", prev, "--buildings", buildings, "--communities", communities, "--households", table, "--out", out}
	}
	if code, _, stderr := gridplan(t, repartition(prev, city.buildings, city.communities, table, filepath.Join(dir, "want2"))...); code != 0 {
		t.Fatalf("repartition: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := gridplanWithin(t, repartition(ps.of(prev), ps.of(city.buildings), ps.of(city.communities), ps.of(table), filepath.Join(dir, "got2"))...); code != 0 {
		t.Fatalf("repartition from named pipes: exit %d\n%s", code, stderr)
	}
	ps.check()
	samePlan(t, "repartition from named pipes", ps, planSet(t, filepath.Join(dir, "got2")), planSet(t, filepath.Join(dir, "want2")))

	grids := filepath.Join(dir, "want", "grids.geojson")
	check := func(grids, buildings, communities, table string) []string {
		return []string{"check", "--grids", grids, "--buildings", buildings, "--communities", communities, "--households", table}
	}
	wantCode, wantOut, wantErr := gridplan(t, check(grids, city.buildings, city.communities, table)...)
	code, stdout, stderr := gridplanWithin(t, check(ps.of(grids), ps.of(city.buildings), ps.of(city.communities), ps.of(table))...)
	ps.check()
	if code != wantCode || string(ps.asFiles([]byte(stdout))) != wantOut || string(ps.asFiles([]byte(stderr))) != wantErr {
		t.Errorf("check from named pipes: exit %d\n%s%s\nwant exit %d\n%s%s", code, stdout, stderr, wantCode, wantOut, wantErr)
	}
}

// partitionArgs returns the arguments that plan buildings in communities
// into out.
func partitionArgs(buildings, communities, out string) []string {
	return smallCity{buildings, communities}.partition(out)
}

// samePlan fails the test unless got, a plan made from the pipes of ps,
// is want, made from the files they carry.
func samePlan(t *testing.T, what string, ps *pipes, got, want map[string][]byte) {
	t.Helper()
	for name, data := range got {
		got[name] = ps.asFiles(data)
	}
	if !sameSet(got, want) {
		for name := range want {
			if !bytes.Equal(got[name], want[name]) {
				t.Errorf("%s: %s differs from the plan of the files", what, name)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s: files %q, want %q", what, mapKeys(got), mapKeys(want))
		}
	}
}

func mapKeys(m map[string][]byte) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// TestNamedPipeInterrupted: a run waiting for the writer of a named pipe,
// as a layer, a household table or an earlier plan, ends when it is
// interrupted, with exit status 130, leaving nothing behind.
func TestNamedPipeInterrupted(t *testing.T) {
	city := newSmallCity(t)
	prev := filepath.Join(t.TempDir(), "prev")
	city.plan(t, prev)
	for _, input := range []string{"buildings", "communities", "households", "previous", "grids"} {
		t.Run(input, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "pipe")
			must(t, syscall.Mkfifo(p, 0o600))
			defer releaseReader(p)
			parent := t.TempDir()
			out := filepath.Join(parent, "out")
			var args []string
			switch input {
			case "buildings":
				args = partitionArgs(p, city.communities, out)
			case "communities":
				args = partitionArgs(city.buildings, p, out)
			case "households":
				args = []string{"repartition", "--previous", prev, "--buildings", city.buildings, "--households", p, "--out", out}
			case "previous":
				args = []string{"repartition", "--previous", p, "--buildings", city.buildings, "--out", out}
			case "grids":
				args = []string{"check", "--grids", p, "--buildings", city.buildings, "--out", out}
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan int, 1)
			var stdout, stderr bytes.Buffer
			go func() { done <- run(ctx, append([]string{"gridplan"}, args...), nil, &stdout, &stderr) }()
			waitForLock(out)
			cancel()
			select {
			case code := <-done:
				if code != 130 || !strings.Contains(stderr.String(), "gridplan: interrupted\n") {
					t.Errorf("%v interrupted: exit %d, stderr %q; want 130, interrupted", args, code, stderr.String())
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("%v: still running 10 s after it was interrupted", args)
			}
			checkNoLeftovers(t, parent)
		})
	}
}

// waitForLock waits, up to 10 s, until a run writing out holds its lock,
// which it takes before it reads its inputs; and then a little more.
func waitForLock(out string) {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if _, err := os.Stat(out + ".lock"); err == nil {
			break
		}
	}
	time.Sleep(100 * time.Millisecond)
}

// TestSIGINTWaitingForPipe runs the gridplan binary on a named pipe that
// no one writes, and expects SIGINT and SIGTERM to end it with exit status
// 130 within seconds: a goroutine left waiting to open the pipe must not
// keep the program running.
func TestSIGINTWaitingForPipe(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := buildGridplan(t, dir)
	p := filepath.Join(dir, "buildings.geojson")
	must(t, syscall.Mkfifo(p, 0o600))
	defer releaseReader(p)
	out := filepath.Join(dir, "out")
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		cmd := exec.Command(bin, "partition", "--out", out, p)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		must(t, cmd.Start())
		exited := make(chan struct{})
		go func() {
			cmd.Wait()
			close(exited)
		}()
		waitForLock(out)
		must(t, cmd.Process.Signal(sig))
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
			t.Fatalf("%v while waiting for a pipe's writer: still running after 10 s\n%s", sig, stderr.String())
		}
		if code := cmd.ProcessState.ExitCode(); code != 130 || !strings.Contains(stderr.String(), "gridplan: interrupted") {
			t.Errorf("%v while waiting for a pipe's writer: exit %d; want 130, interrupted\n%s", sig, code, stderr.String())
		}
	}
}
