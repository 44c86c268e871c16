package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*/want* from current output")

// gridplan runs the command line with args and returns its exit status,
// stdout and stderr.
func gridplan(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), append([]string{"gridplan"}, args...), bytes.NewReader(nil), &out, &errb)
	return code, out.String(), errb.String()
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// checkGolden compares got with the file at path; -update rewrites it, and a
// mismatch leaves path.got beside it for viewing.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update { // read flags in tests, never in init(): they are parsed later
		must(t, os.MkdirAll(filepath.Dir(path), 0o755))
		must(t, os.WriteFile(path, got, 0o644))
		return
	}
	if want, err := os.ReadFile(path); err != nil || !bytes.Equal(got, want) {
		gotPath := path + ".got" // gitignored
		must(t, os.WriteFile(gotPath, got, 0o644))
		t.Errorf("%s differs (%v); see %s or run: go test ./cmd/gridplan -run '%s' -update", path, err, gotPath, t.Name())
	}
}

var (
	runTime = regexp.MustCompile(`"run_time_ms": \d+`)
	timing  = regexp.MustCompile(`(?s),\s*"timing": \{.*?\n  \}`)
)

// maskRunTime replaces the fields of stats.json that change between runs:
// the run time, and drops the timing of its phases.
func maskRunTime(b []byte) []byte {
	return timing.ReplaceAll(runTime.ReplaceAll(b, []byte(`"run_time_ms": 0`)), nil)
}

// listFiles returns the names of the files in dir.
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}
