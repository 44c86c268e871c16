package main

import (
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gridplan/cmd/gridplan/internal/progress"
	"gridplan/geo"
	"gridplan/geo/plan/plantest"
	"gridplan/geo/synth"
)

// phaseLine matches a line of progress: the phase, and its counts if any.
var phaseLine = regexp.MustCompile(`^gridplan: ([a-z' ]+?)(?: ([0-9.]+)/([0-9.]+) (B|kB|MB|communities|grids|buildings))?$`)

// phases returns the phases in lines of progress, in order, each once, and
// for each the counts of its last line ("12/12 communities"), "" if none.
func phases(t *testing.T, stderr string) (names []string, last map[string]string) {
	t.Helper()
	last = map[string]string{}
	for _, line := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
		m := phaseLine.FindStringSubmatch(line)
		if m == nil || strings.HasPrefix(line, "gridplan: check found") {
			continue
		}
		if len(names) == 0 || names[len(names)-1] != m[1] {
			names = append(names, m[1])
		}
		if m[2] != "" {
			last[m[1]] = m[2] + "/" + m[3] + " " + m[4]
		}
	}
	return names, last
}

// TestProgressLines: with GRIDPLAN_PROGRESS=1 off a terminal, partition,
// repartition and check report each phase of a small generated city as it
// begins, the counted ones ending with all done: every community planned,
// tessellated, searched and drawn, every byte read and written, every grid
// and building audited.
func TestProgressLines(t *testing.T) {
	t.Setenv(progress.Env, "1")
	dir := t.TempDir()
	generated, err := synth.Generate(synth.Options{Buildings: 600, Seed: 2})
	must(t, err)
	must(t, generated.Write(dir))
	city := smallCity{filepath.Join(dir, synth.BuildingsFile), filepath.Join(dir, synth.CommunitiesFile)}
	out := filepath.Join(dir, "plan")
	code, _, stderr := gridplan(t, city.partition(out)...)
	if code != 0 {
		t.Fatalf("partition: exit %d\n%s", code, stderr)
	}
	s := statsOf(t, out)
	if s.Totals.Communities < 3 {
		t.Fatalf("%d communities, want a few", s.Totals.Communities)
	}
	communities := strconv.Itoa(s.Totals.Communities)
	grids, buildings := strconv.Itoa(s.Totals.Grids), strconv.Itoa(s.Totals.Buildings)
	allDone := func(name, stderr string, want []string, counted map[string]string) {
		t.Helper()
		names, last := phases(t, stderr)
		if !slices.Equal(names, want) {
			t.Errorf("%s: phases\n%q\nwant\n%q\nstderr:\n%s", name, names, want, stderr)
		}
		for phase, unit := range counted {
			// Lines mode prints a phase as it begins and as it ends, once.
			if n := strings.Count(stderr, "gridplan: "+phase+" "+last[phase]+"\n"); n > 1 {
				t.Errorf("%s: phase %q printed its end %d times:\n%s", name, phase, n, stderr)
			}
			f := strings.Fields(last[phase])
			if len(f) != 2 {
				t.Errorf("%s: phase %q has no counts:\n%s", name, phase, stderr)
				continue
			}
			done, total, _ := strings.Cut(f[0], "/")
			if done != total || f[1] != unit || unit == "communities" && total != communities ||
				unit == "grids" && total != grids || unit == "buildings" && total != buildings {
				t.Errorf("%s: phase %q ends at %s, want all done (of %s communities, %s grids, %s buildings)", name, phase, last[phase], communities, grids, buildings)
			}
		}
	}
	allDone("partition", stderr, []string{"reading buildings", "reading communities", "finding stacked buildings", "grouping buildings into units",
		"planning", "computing statistics", "encoding output", "writing output"},
		map[string]string{"reading buildings": "kB", "planning": "communities", "writing output": "kB"})

	again := filepath.Join(dir, "again")
	code, _, stderr = gridplan(t, "repartition", "--previous", out, "--buildings", city.buildings, "--communities", city.communities, "--out", again)
	if code != 0 {
		t.Fatalf("repartition: exit %d\n%s", code, stderr)
	}
	allDone("repartition", stderr, []string{"reading the earlier plan", "reading buildings", "reading communities", "finding stacked buildings",
		"grouping buildings into units", "tessellating", "searching", "drawing grids", "computing statistics", "encoding output", "writing output"},
		map[string]string{"tessellating": "communities", "searching": "communities", "drawing grids": "communities", "writing output": "kB"})

	code, _, stderr = gridplan(t, "check", "--grids", filepath.Join(out, "grids.geojson"), "--buildings", city.buildings,
		"--communities", city.communities, "--out", filepath.Join(dir, "findings"))
	if code > 1 {
		t.Fatalf("check: exit %d\n%s", code, stderr)
	}
	want := []string{"reading buildings", "reading communities", "reading grids", "auditing grids", "finding the community of",
		"finding the grid of", "checking the coverage of", "checking overlaps of"}
	if code == 1 { // out-of-band grids: a search proves what redrawing cannot fix
		want = append(want, "tessellating", "searching")
	}
	want = append(want, "encoding output", "writing output")
	allDone("check", stderr, want, map[string]string{"reading grids": "kB", "finding the community of": "grids",
		"finding the grid of": "buildings", "checking the coverage of": "communities", "checking overlaps of": "grids", "writing output": "kB"})
}

// TestNoProgressOffTerminal: off a terminal, without GRIDPLAN_PROGRESS,
// a run that has nothing to warn about prints nothing at all on stderr.
func TestNoProgressOffTerminal(t *testing.T) {
	t.Setenv(progress.Env, "")
	city := newSmallCity(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "plan")
	for _, args := range [][]string{
		city.partition(out),
		{"repartition", "--previous", out, "--buildings", city.buildings, "--communities", city.communities, "--out", filepath.Join(dir, "again")},
	} {
		if code, _, stderr := gridplan(t, args...); code != 0 || stderr != "" {
			t.Errorf("%s: exit %d, stderr %q; want 0 and nothing", args[0], code, stderr)
		}
	}
}

// TestWarningsOnce: the warnings of a messy city are printed once each,
// off a terminal, with GRIDPLAN_PROGRESS=1 and on a terminal, where the
// progress line is cleared before each and at the end, and the summary
// is the same.
func TestWarningsOnce(t *testing.T) {
	dir := t.TempDir()
	faults, err := synth.ParseFaults("all")
	must(t, err)
	city, err := synth.Generate(synth.Options{Buildings: 1000, Seed: 1, Messy: faults})
	must(t, err)
	must(t, city.Write(dir))
	pf := plantest.Files{Buildings: filepath.Join(dir, "buildings.geojson"), Communities: filepath.Join(dir, "communities.geojson"),
		Min: 300, Max: 500, Outside: geo.OutsideNearest}
	defer func(f func(io.Writer) bool) { progress.Terminal = f }(progress.Terminal)
	var plainOut string
	var plainWarnings []string
	for _, mode := range []string{"plain", "lines", "terminal"} {
		t.Run(mode, func(t *testing.T) {
			t.Setenv(progress.Env, map[bool]string{true: "1"}[mode == "lines"])
			progress.Terminal = func(io.Writer) bool { return mode == "terminal" }
			pf.Out = filepath.Join(dir, mode)
			code, stdout, stderr := gridplan(t, pf.Args()...)
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			stdout = strings.ReplaceAll(stdout, pf.Out, "OUT")
			var warnings []string
			lines := strings.Split(stderr, "\n")
			for _, line := range lines {
				shown := screen(line)
				if strings.Contains(line, "gridplan: warning: ") {
					if !strings.HasPrefix(shown, "gridplan: warning: ") {
						t.Errorf("a warning shows as %q", shown)
					}
					warnings = append(warnings, shown)
				}
			}
			seen := map[string]bool{}
			for _, w := range warnings {
				if seen[w] {
					t.Errorf("printed twice: %q", w)
				}
				seen[w] = true
			}
			if end := screen(lines[len(lines)-1]); end != "" {
				t.Errorf("the progress line is left at the end: %q", end)
			}
			if mode == "plain" {
				plainOut, plainWarnings = stdout, warnings
				if len(warnings) < 20 {
					t.Fatalf("%d warnings, want a messy city's many:\n%s", len(warnings), stderr)
				}
				return
			}
			if !slices.Equal(warnings, plainWarnings) {
				t.Errorf("warnings\n%s\nwant, as off a terminal,\n%s", strings.Join(warnings, "\n"), strings.Join(plainWarnings, "\n"))
			}
			if stdout != plainOut {
				t.Errorf("summary\n%s\nwant, as off a terminal,\n%s", stdout, plainOut)
			}
			if mode == "terminal" && !strings.Contains(stderr, "\rgridplan: planning") {
				t.Errorf("no progress line drawn on the terminal:\n%q", stderr)
			}
		})
	}
}

// screen returns what a terminal shows of a line written with carriage
// returns, trailing blanks left out.
func screen(line string) string {
	var shown []rune
	col := 0
	for _, r := range line {
		if r == '\r' {
			col = 0
			continue
		}
		if col < len(shown) {
			shown[col] = r
		} else {
			shown = append(shown, r)
		}
		col++
	}
	return strings.TrimRight(string(shown), " ")
}
