package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"gridplan/cmd/gridplan/internal/outset"
	"gridplan/cmd/gridplan/internal/progress"
)

// rawSet returns the files of dir, byte for byte.
func rawSet(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	set := map[string][]byte{}
	for _, name := range listFiles(t, dir) {
		data, err := os.ReadFile(filepath.Join(dir, name))
		must(t, err)
		set[name] = data
	}
	return set
}

// A cancelWriter cancels a run when a line written to it holds on.
type cancelWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	on     string
	cancel func()
}

func (w *cancelWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if w.on != "" && strings.Contains(w.buf.String(), w.on) {
		w.cancel()
	}
	return len(p), nil
}

// TestInterrupted cancels partition and repartition runs at each moment of
// the run, from before loading to the last moment before the swap: each
// exits 130 saying "interrupted", leaves the earlier plan in --out byte for
// byte and nothing beside it (no new set, no earlier set, no lock).
func TestInterrupted(t *testing.T) {
	t.Setenv(progress.Env, "1") // the search reports each community
	city := newSmallCity(t)
	parent := t.TempDir()
	out := filepath.Join(parent, "plan")
	city.plan(t, out)
	prev := filepath.Join(t.TempDir(), "prev")
	city.plan(t, prev)
	before := rawSet(t, out)
	defer func() { outset.StageHook = nil }()
	commands := map[string][]string{
		"partition": city.partition(out, narrowBand...),
		"repartition": append([]string{"repartition", "--previous", prev, "--buildings", city.buildings, "--communities", city.communities,
			"--out", out}, narrowBand...),
	}
	for _, name := range []string{"partition", "repartition"} {
		for _, at := range []string{"start", "search", "encoding", "writing", "swapping"} {
			ctx, cancel := context.WithCancel(context.Background())
			stderr := &cancelWriter{cancel: cancel}
			outset.StageHook = func(s string) {
				if s == at {
					cancel()
				}
			}
			switch at {
			case "start":
				cancel()
			case "search":
				stderr.on = " communities\n"
			}
			var stdout bytes.Buffer
			code := run(ctx, append([]string{"gridplan"}, commands[name]...), nil, &stdout, stderr)
			cancel()
			if code != 130 || !strings.Contains(stderr.buf.String(), "gridplan: interrupted\n") {
				t.Errorf("%s interrupted at %s: exit %d, stderr %q; want 130, interrupted", name, at, code, stderr.buf.String())
			}
			if got := rawSet(t, out); !sameSet(got, before) {
				t.Errorf("%s interrupted at %s changed the earlier plan in --out", name, at)
			}
			checkNoLeftovers(t, parent, "plan")
		}
	}
}

// TestInterruptedDuringSwap: an interrupt once the swap has begun (after
// the earlier set was moved aside) lets it complete: the new plan is in
// --out, whole, and nothing is left beside it.
func TestInterruptedDuringSwap(t *testing.T) {
	city := newSmallCity(t)
	parent := t.TempDir()
	out := filepath.Join(parent, "plan")
	earlier := city.plan(t, out)
	want := city.plan(t, filepath.Join(t.TempDir(), "want"), narrowBand...)
	defer func(r func(string, string) error) { outset.Rename = r }(outset.Rename)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	renames := 0
	outset.Rename = func(from, to string) error {
		renames++
		cancel()
		return os.Rename(from, to)
	}
	var stdout, stderr bytes.Buffer
	code := run(ctx, append([]string{"gridplan"}, city.partition(out, narrowBand...)...), nil, &stdout, &stderr)
	if code != 0 || renames != 2 {
		t.Errorf("interrupted during the swap: exit %d after %d renames, stderr %q; want 0 after 2", code, renames, stderr.String())
	}
	got := planSet(t, out)
	if !sameSet(got, want) || sameSet(got, earlier) {
		t.Errorf("interrupted during the swap: --out does not hold the new plan")
	}
	checkNoLeftovers(t, parent, "plan")
}

// buildGridplan builds the gridplan binary into dir and returns its path.
func buildGridplan(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "gridplan")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, msg)
	}
	return bin
}

// TestSIGINT runs the gridplan binary on a generated city of 20,000
// buildings, sends SIGINT once the search has begun, and expects exit
// status 130 within a few seconds, the earlier output untouched and
// nothing left beside it.
func TestSIGINT(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and plans 20,000 buildings")
	}
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT to send")
	}
	dir := t.TempDir()
	bin := buildGridplan(t, dir)
	city := filepath.Join(dir, "city")
	if msg, err := exec.Command(bin, "generate", "--buildings", "20000", "--seed", "1", "--out", city).CombinedOutput(); err != nil {
		t.Fatalf("generate: %v\n%s", err, msg)
	}
	parent := filepath.Join(dir, "runs")
	out := filepath.Join(parent, "plan")
	must(t, os.MkdirAll(out, 0o755))
	earlier := []byte("building_id,grid_code,community\n")
	must(t, os.WriteFile(filepath.Join(out, "assignment.csv"), earlier, 0o644))

	for _, when := range []string{"loading", "search"} {
		cmd := exec.Command(bin, "partition", "--communities", filepath.Join(city, "communities.geojson"), "--out", out, filepath.Join(city, "buildings.geojson"))
		cmd.Env = append(os.Environ(), progress.Env+"=1")
		stderr, err := cmd.StderrPipe()
		must(t, err)
		must(t, cmd.Start())
		watchdog := time.AfterFunc(time.Minute, func() { cmd.Process.Kill() })
		lines := bufio.NewScanner(stderr)
		var log strings.Builder
		switch when {
		case "loading": // once the lock is taken
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
				if _, err := os.Stat(out + ".lock"); err == nil {
					break
				}
			}
		case "search": // once the search has solved a community
			for lines.Scan() {
				log.WriteString(lines.Text() + "\n")
				if strings.HasSuffix(lines.Text(), " communities") {
					break
				}
			}
		}
		sent := time.Now()
		must(t, cmd.Process.Signal(os.Interrupt))
		exited := make(chan struct{})
		go func() {
			for lines.Scan() {
				log.WriteString(lines.Text() + "\n")
			}
			cmd.Wait()
			close(exited)
		}()
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-exited
			t.Fatalf("SIGINT during %s: still running after 10 s\n%s", when, log.String())
		}
		took := time.Since(sent)
		watchdog.Stop()
		if code := cmd.ProcessState.ExitCode(); code != 130 || !strings.Contains(log.String(), "gridplan: interrupted") {
			t.Errorf("SIGINT during %s: exit %d; want 130, interrupted\n%s", when, code, log.String())
		}
		t.Logf("SIGINT during %s: exit after %v", when, took.Round(time.Millisecond))
		if got := rawSet(t, out); !sameSet(got, map[string][]byte{"assignment.csv": earlier}) {
			t.Errorf("SIGINT during %s changed --out", when)
		}
		checkNoLeftovers(t, parent, "plan")
	}
}
