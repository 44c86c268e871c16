//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestClosedStdout runs the binary with stdout and stderr on a pipe that
// nobody reads any more (gridplan … 2>&1 | head -1 after its line): the
// run ends as it would have, exit 0, its outputs written and no lock left
// beside them. A SIGPIPE used to kill it (exit 141) and leave the lock.
func TestClosedStdout(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := buildGridplan(t, dir)
	b, c := writeCity(t, dir, 300, 2)
	out := filepath.Join(dir, "out")
	r, w, err := os.Pipe()
	must(t, err)
	must(t, r.Close())
	defer w.Close()
	cmd := exec.Command(bin, "partition", "--communities", c, "--out", out, b)
	cmd.Stdout, cmd.Stderr = w, w
	err = cmd.Run()
	if code := cmd.ProcessState.ExitCode(); err != nil || code != 0 {
		t.Errorf("partition with stdout closed: exit %d (%v), want 0", code, err)
	}
	if _, err := os.Stat(filepath.Join(out, "grids.geojson")); err != nil {
		t.Errorf("no plan written: %v", err)
	}
	entries, err := os.ReadDir(dir)
	must(t, err)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".lock") {
			t.Errorf("%s left beside the output", e.Name())
		}
	}
}
