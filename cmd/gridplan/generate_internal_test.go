package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gridplan/geo/synth"
)

// TestGenerateMessy checks --messy: the same faults give the same bytes,
// faults change the city, and an unknown name is a usage error that lists
// the valid ones.
func TestGenerateMessy(t *testing.T) {
	dir := t.TempDir()
	read := func(sub, name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, sub, name))
		must(t, err)
		return b
	}
	for _, run := range []struct{ sub, messy string }{
		{"clean", ""}, {"a", "nullcommunity, clockwise"}, {"b", "clockwise,nullcommunity"}, {"all", "all"},
	} {
		args := []string{"generate", "--buildings", "400", "--seed", "3", "--out", filepath.Join(dir, run.sub)}
		if run.messy != "" {
			args = append(args, "--messy", run.messy)
		}
		if code, _, stderr := gridplan(t, args...); code != 0 {
			t.Fatalf("--messy %q: exit %d\n%s", run.messy, code, stderr)
		}
	}
	for _, name := range []string{"buildings.geojson", "communities.geojson"} {
		if !bytes.Equal(read("a", name), read("b", name)) {
			t.Errorf("%s differs between two runs with the same faults", name)
		}
		if bytes.Equal(read("a", name), read("clean", name)) || bytes.Equal(read("all", name), read("clean", name)) {
			t.Errorf("%s: --messy changed nothing", name)
		}
	}
	if !bytes.Contains(read("a", "buildings.geojson"), []byte(`"community":null`)) {
		t.Errorf("--messy nullcommunity wrote no null community")
	}
	code, _, stderr := gridplan(t, "generate", "--buildings", "400", "--messy", "spikes,bogus", "--out", filepath.Join(dir, "bad"))
	if code != 2 || !strings.Contains(stderr, `"bogus"`) {
		t.Errorf("--messy spikes,bogus: exit %d, stderr %q; want 2 naming the fault", code, stderr)
	}
	for _, name := range synth.FaultNames() {
		if !strings.Contains(stderr, name) {
			t.Errorf("the error for an unknown fault does not list %s: %q", name, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "bad")); err == nil {
		t.Errorf("a usage error created the output directory")
	}
}
