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

// TestGenerateCommunityHouseholds checks --community-households: larger
// communities, fewer of them; the default by name is the default; a value
// out of range is a usage error that writes nothing.
func TestGenerateCommunityHouseholds(t *testing.T) {
	dir := t.TempDir()
	read := func(sub, name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, sub, name))
		must(t, err)
		return b
	}
	for _, run := range []struct{ sub, hh string }{{"default", ""}, {"named", "2500"}, {"large", "8000"}} {
		args := []string{"generate", "--buildings", "3000", "--seed", "5", "--out", filepath.Join(dir, run.sub)}
		if run.hh != "" {
			args = append(args, "--community-households", run.hh)
		}
		if code, _, stderr := gridplan(t, args...); code != 0 {
			t.Fatalf("--community-households %q: exit %d\n%s", run.hh, code, stderr)
		}
	}
	for _, name := range []string{"buildings.geojson", "communities.geojson"} {
		if !bytes.Equal(read("default", name), read("named", name)) {
			t.Errorf("%s: --community-households 2500 is not the default", name)
		}
	}
	def := bytes.Count(read("default", "communities.geojson"), []byte(`"type":"Feature"`))
	large := bytes.Count(read("large", "communities.geojson"), []byte(`"type":"Feature"`))
	if large == 0 || large*2 > def {
		t.Errorf("%d communities at 8000 households each, %d by default: want fewer than half as many", large, def)
	}
	for _, bad := range []string{"1499", "12001", "x"} {
		out := filepath.Join(dir, "bad")
		code, _, stderr := gridplan(t, "generate", "--buildings", "400", "--community-households", bad, "--out", out)
		if code != 2 || !strings.Contains(stderr, "community-households") {
			t.Errorf("--community-households %s: exit %d, stderr %q; want 2 naming the flag", bad, code, stderr)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("--community-households %s created the output directory", bad)
		}
	}
}
