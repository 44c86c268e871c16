package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gridplan/cmd/gridplan/internal/outset"
	"gridplan/geo/synth"
)

// narrowBand is a band narrower than the default: another plan of the same
// district.
var narrowBand = []string{"--min", "250", "--target", "350", "--max", "450"}

// planSet reads the files of a plan in dir, the run time masked; a
// directory in it reads as its name and a slash.
func planSet(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	set := map[string][]byte{}
	for _, name := range listFiles(t, dir) {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if fi, serr := os.Stat(filepath.Join(dir, name)); serr == nil && fi.IsDir() {
			data, err = []byte(name+"/"), nil
		}
		must(t, err)
		set[name] = maskRunTime(data)
	}
	return set
}

func sameSet(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			return false
		}
	}
	return true
}

// A smallCity is a generated district small enough to plan in a few
// milliseconds, in a directory of its own.
type smallCity struct{ buildings, communities string }

func newSmallCity(t *testing.T) smallCity {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "city")
	if code, _, stderr := gridplan(t, "generate", "--buildings", "150", "--seed", "2", "--out", dir); code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, stderr)
	}
	return smallCity{filepath.Join(dir, synth.BuildingsFile), filepath.Join(dir, synth.CommunitiesFile)}
}

// partition returns the arguments that plan the city into out.
func (c smallCity) partition(out string, flags ...string) []string {
	return append(append([]string{"partition", "--communities", c.communities, "--out", out}, flags...), c.buildings)
}

// plan plans the city into out and returns the files written.
func (c smallCity) plan(t *testing.T, out string, flags ...string) map[string][]byte {
	t.Helper()
	if code, _, stderr := gridplan(t, c.partition(out, flags...)...); code != 0 {
		t.Fatalf("partition %v: exit %d\n%s", flags, code, stderr)
	}
	return planSet(t, out)
}

// checkNoLeftovers fails if dir holds anything but the names given: no
// lock, no temporary or earlier output directories.
func checkNoLeftovers(t *testing.T, dir string, names ...string) {
	t.Helper()
	if got := listFiles(t, dir); !slices.Equal(got, names) {
		t.Errorf("%s holds %q, want %q", dir, got, names)
	}
}

// TestOutputNotReplacedInPart: a run that cannot replace one file of the
// plan replaces none (here assignment.csv is a directory in the way).
func TestOutputNotReplacedInPart(t *testing.T) {
	city := newSmallCity(t)
	parent := t.TempDir()
	out := filepath.Join(parent, "plan")
	city.plan(t, out)
	must(t, os.Remove(filepath.Join(out, "assignment.csv")))
	must(t, os.MkdirAll(filepath.Join(out, "assignment.csv", "x"), 0o755))
	before := planSet(t, out)
	code, _, stderr := gridplan(t, city.partition(out, narrowBand...)...)
	if code != 2 || !strings.Contains(stderr, "assignment.csv") {
		t.Errorf("exit %d, stderr %q; want 2 naming assignment.csv", code, stderr)
	}
	if !sameSet(planSet(t, out), before) {
		t.Errorf("a failed run changed files of the earlier plan")
	}
	checkNoLeftovers(t, parent, "plan")
}

// TestOutputSwapFails: when the new set cannot be renamed into place, the
// earlier plan stays whole and nothing is left beside it.
func TestOutputSwapFails(t *testing.T) {
	city := newSmallCity(t)
	parent := t.TempDir()
	out := filepath.Join(parent, "plan")
	city.plan(t, out)
	before := planSet(t, out)
	defer func() { outset.Rename = os.Rename }()
	outset.Rename = func(from, to string) error {
		if strings.Contains(from, ".tmp-") {
			return errors.New("injected failure")
		}
		return os.Rename(from, to)
	}
	code, _, stderr := gridplan(t, city.partition(out, narrowBand...)...)
	if code != 2 || !strings.Contains(stderr, "injected failure") {
		t.Errorf("exit %d, stderr %q; want 2 with the rename's error", code, stderr)
	}
	if !sameSet(planSet(t, out), before) {
		t.Errorf("a failed swap changed the earlier plan")
	}
	checkNoLeftovers(t, parent, "plan")
	// A failure while writing the new set leaves nothing either.
	outset.Rename = os.Rename
	o, err := outset.Open(out, planFiles, nil, &bytes.Buffer{})
	must(t, err)
	err = o.Swap(context.Background(), func(dir string) error {
		must(t, os.WriteFile(filepath.Join(dir, "grids.geojson"), nil, 0o644))
		return errors.New("disk full")
	})
	o.Close()
	if err == nil {
		t.Errorf("swap returned no error when writing failed")
	}
	if !sameSet(planSet(t, out), before) {
		t.Errorf("a failed write changed the earlier plan")
	}
	checkNoLeftovers(t, parent, "plan")
}

// TestOutputKilledRun: a run killed between moving the earlier plan aside
// and renaming the new one into place leaves no --out; the next run puts
// the earlier plan back, takes over the dead run's lock and removes its
// temporary directory.
func TestOutputKilledRun(t *testing.T) {
	city := newSmallCity(t)
	parent := t.TempDir()
	out := filepath.Join(parent, "plan")
	city.plan(t, out)
	before := planSet(t, out)
	must(t, os.Rename(out, out+".old-00000000000000aa"))
	must(t, os.MkdirAll(out+".tmp-00000000000000bb", 0o755))
	must(t, os.WriteFile(filepath.Join(out+".tmp-00000000000000bb", "grids.geojson"), []byte("{"), 0o644))
	const deadPID = 1 << 30                                                                                         // above any system's largest pid
	lock := fmt.Sprintf("pid %d\nsince %s\n", deadPID, time.Now().Add(-2*outset.StaleLockAge).Format(time.RFC3339)) // stale also where the pid cannot be checked
	must(t, os.WriteFile(out+".lock", []byte(lock), 0o644))
	// A run refused for bad input still tidies up.
	code, _, stderr := gridplan(t, "partition", "--communities", city.communities, "--out", out, filepath.Join(parent, "missing.geojson"))
	if code != 2 {
		t.Errorf("missing input: exit %d, want 2\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "taking over the lock") || !strings.Contains(stderr, "put back the earlier output") {
		t.Errorf("stderr does not warn of the stale lock and the restored plan:\n%s", stderr)
	}
	if !sameSet(planSet(t, out), before) {
		t.Errorf("the earlier plan was not put back whole")
	}
	checkNoLeftovers(t, parent, "plan")
}

// TestOutputLocked: a run into an --out another live run is writing is
// refused, and leaves that run's lock alone.
func TestOutputLocked(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "plan")
	lock := fmt.Sprintf("pid %d\nsince %s\n", os.Getpid(), time.Now().Format(time.RFC3339))
	must(t, os.WriteFile(out+".lock", []byte(lock), 0o644))
	code, stdout, stderr := gridplan(t, "partition", "--out", out)
	want := fmt.Sprintf("another gridplan run is writing %s (pid %d since", out, os.Getpid())
	if code != 2 || !strings.Contains(stderr, want) || stdout != "" {
		t.Errorf("exit %d, stdout %q, stderr %q; want 2 and %q", code, stdout, stderr, want)
	}
	if got, err := os.ReadFile(out + ".lock"); err != nil || string(got) != lock {
		t.Errorf("the refused run changed the other run's lock: %q, %v", got, err)
	}
	checkNoLeftovers(t, parent, "plan.lock")
}

// TestOutputConcurrentRuns: two runs into one --out at once either refuse
// one (exit 2) or follow each other; the plan left is one run's whole set.
func TestOutputConcurrentRuns(t *testing.T) {
	city := newSmallCity(t)
	plans := [][]string{nil, narrowBand}
	var refs []map[string][]byte
	for i, flags := range plans {
		refs = append(refs, city.plan(t, filepath.Join(t.TempDir(), fmt.Sprint(i)), flags...))
	}
	if sameSet(refs[0], refs[1]) {
		t.Fatal("the two bands give one plan: the test could not tell them apart")
	}
	parent := t.TempDir()
	out := filepath.Join(parent, "plan")
	codes := make([]int, len(plans))
	stderrs := make([]string, len(plans))
	var start, done sync.WaitGroup
	start.Add(1)
	for i, args := range plans {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			var so, se bytes.Buffer
			codes[i] = run(context.Background(), append([]string{"gridplan"}, city.partition(out, args...)...), nil, &so, &se)
			stderrs[i] = se.String()
		}()
	}
	start.Done()
	done.Wait()
	t.Logf("exit statuses %v", codes)
	var winners []int
	for i, code := range codes {
		switch {
		case code == 0:
			winners = append(winners, i)
		case code != 2 || !strings.Contains(stderrs[i], "another gridplan run is writing"):
			t.Errorf("run %d: exit %d, stderr %q; want 0, or 2 saying another run is writing", i, code, stderrs[i])
		}
	}
	if len(winners) == 0 {
		t.Fatalf("no run succeeded: %v", stderrs)
	}
	got := planSet(t, out)
	if !sameSet(got, refs[0]) && !sameSet(got, refs[1]) {
		t.Errorf("the plan left is not one run's whole set (exit statuses %v)", codes)
	}
	if len(winners) == 1 && !sameSet(got, refs[winners[0]]) {
		t.Errorf("the plan left is not that of the run that succeeded")
	}
	checkNoLeftovers(t, parent, "plan")
}

// TestOutputHoldsInput: an output that is an input, or a directory holding
// one, is refused before any work, and the input is left as it was.
func TestOutputHoldsInput(t *testing.T) {
	city := newSmallCity(t)
	buildings, err := os.ReadFile(city.buildings)
	must(t, err)
	communities, err := os.ReadFile(city.communities)
	must(t, err)
	parent := t.TempDir()
	plan := filepath.Join(parent, "plan")
	city.plan(t, plan)
	write := func(path string, data []byte) string {
		must(t, os.MkdirAll(filepath.Dir(path), 0o755))
		must(t, os.WriteFile(path, data, 0o644))
		return path
	}
	in := filepath.Join(parent, "in")
	b := write(filepath.Join(in, "buildings.geojson"), buildings)
	c := write(filepath.Join(in, "communities.geojson"), communities)
	g := write(filepath.Join(in, "grids.geojson"), buildings)
	s := write(filepath.Join(parent, "s", "stats.json"), communities)
	f := write(filepath.Join(parent, "f", "findings.geojson"), buildings)
	linked := filepath.Join(parent, "linked")
	symlinks := os.Symlink(in, linked) == nil
	hard := filepath.Join(parent, "hard.geojson")
	must(t, os.Link(filepath.Join(plan, "grids.geojson"), hard))
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"buildings named like an output", []string{"partition", "--out", in, g}},
		{"buildings in --out", []string{"partition", "--out", in, b}},
		{"communities named stats.json", []string{"partition", "--communities", s, "--out", filepath.Dir(s), b}},
		{"--out is a link to the inputs' folder", []string{"partition", "--communities", c, "--out", linked, b}},
		{"barriers a hard link of an output", []string{"partition", "--barriers", hard, "--out", plan, b}},
		{"--previous is --out", []string{"repartition", "--previous", plan, "--buildings", b, "--out", plan}},
		{"--previous in --out", []string{"repartition", "--previous", filepath.Join(plan, "assignment.csv"), "--buildings", b, "--out", plan}},
		{"--grids in --out", []string{"check", "--grids", filepath.Join(plan, "grids.geojson"), "--buildings", b, "--out", plan}},
		{"check's grids named findings.geojson", []string{"check", "--grids", f, "--buildings", b, "--out", filepath.Dir(f)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if slices.Contains(tc.args, linked) && !symlinks {
				t.Skip("no symbolic links")
			}
			before := map[string]map[string][]byte{}
			for _, dir := range []string{in, plan, filepath.Dir(s), filepath.Dir(f)} {
				before[dir] = planSet(t, dir)
			}
			code, stdout, stderr := gridplan(t, tc.args...)
			if code != 2 || !strings.Contains(stderr, "holds the input") || stdout != "" {
				t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 saying --out holds the input", tc.args, code, stdout, stderr)
			}
			for dir, set := range before {
				if !sameSet(planSet(t, dir), set) {
					t.Errorf("%v changed files in %s", tc.args, dir)
				}
			}
		})
	}
	want := []string{"f", "hard.geojson", "in", "linked", "plan", "s"}
	if !symlinks {
		want = slices.Delete(want, 3, 4)
	}
	checkNoLeftovers(t, parent, want...)
}

// TestOutputForeignFiles: gridplan refuses an --out holding files it does
// not write there, naming them, rather than delete them with the earlier
// plan.
func TestOutputForeignFiles(t *testing.T) {
	city := newSmallCity(t)
	parent := t.TempDir()
	out := filepath.Join(parent, "plan")
	city.plan(t, out)
	must(t, os.WriteFile(filepath.Join(out, "notes.txt"), []byte("mine"), 0o644))
	must(t, os.Mkdir(filepath.Join(out, "maps"), 0o755))
	before := planSet(t, out)
	code, _, stderr := gridplan(t, city.partition(out)...)
	if code != 2 || !strings.Contains(stderr, "notes.txt") || !strings.Contains(stderr, "maps") {
		t.Errorf("exit %d, stderr %q; want 2 naming notes.txt and maps", code, stderr)
	}
	if !sameSet(planSet(t, out), before) {
		t.Errorf("the refused run changed --out")
	}
	// check's --out may not hold a plan either.
	g := filepath.Join(parent, "g.geojson")
	must(t, os.WriteFile(g, before["grids.geojson"], 0o644))
	code, _, stderr = gridplan(t, "check", "--grids", g, "--buildings", g, "--out", out)
	if code != 2 || !strings.Contains(stderr, "assignment.csv") {
		t.Errorf("check into a plan's folder: exit %d, stderr %q; want 2 naming its files", code, stderr)
	}
	if !sameSet(planSet(t, out), before) {
		t.Errorf("the refused check changed --out")
	}
	checkNoLeftovers(t, parent, "g.geojson", "plan")
}

// TestOutputNotCreatedWhenRefused: a run refused for bad input or
// interrupted creates no --out, nor its parents, and leaves no lock.
func TestOutputNotCreatedWhenRefused(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "a", "b", "plan")
	code, _, stderr := gridplan(t, "partition", "--out", out, filepath.Join(parent, "missing.geojson"))
	if code != 2 {
		t.Errorf("missing input: exit %d, want 2\n%s", code, stderr)
	}
	checkNoLeftovers(t, parent)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var so, se bytes.Buffer
	if code := run(ctx, []string{"gridplan", "partition", "--out", out}, nil, &so, &se); code != 130 {
		t.Errorf("interrupted: exit %d, want 130\n%s", code, se.String())
	}
	checkNoLeftovers(t, parent)
}

// TestGenerateFileMode: generated files are readable by all, as the plans.
func TestGenerateFileMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix file modes")
	}
	dir := filepath.Join(t.TempDir(), "city")
	if code, _, stderr := gridplan(t, "generate", "--buildings", "50", "--out", dir); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, name := range []string{synth.BuildingsFile, synth.CommunitiesFile} {
		fi, err := os.Stat(filepath.Join(dir, name))
		must(t, err)
		if fi.Mode().Perm() != 0o644 {
			t.Errorf("%s has mode %v, want -rw-r--r--", name, fi.Mode().Perm())
		}
	}
}
