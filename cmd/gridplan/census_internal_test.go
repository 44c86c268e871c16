package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gridplan/geo/plan/plantest"
)

// TestCensusTablesRefused: a household table or an earlier plan that would
// corrupt a plan is refused with exit status 2, naming the file and the
// line or what is missing, and nothing is written: counts past the limit
// (four of 2^62 wrap a 64-bit sum), a bad first row that is no header,
// bytes that are not UTF-8, an earlier assignment cut short.
func TestCensusTablesRefused(t *testing.T) {
	dir := t.TempDir()
	bpath := filepath.Join(dir, "buildings.geojson")
	must(t, os.WriteFile(bpath, []byte(plantest.Collection(row("B", 8, 0, 40.08, "", 0, 0)...)), 0o644))
	prev := filepath.Join(dir, "p0")
	partitionGrids(t, bpath, prev)
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(prev, name))
		must(t, err)
		return string(data)
	}
	assignment, grids, stats := read("assignment.csv"), read("grids.geojson"), read("stats.json")
	lines := strings.SplitAfter(assignment, "\n") // the header, 8 rows and ""
	if len(lines) != 10 {
		t.Fatalf("assignment.csv of %d lines, want 9:\n%s", len(lines)-1, assignment)
	}
	const huge = "4611686018427387904" // 2^62
	for _, tc := range []struct {
		name       string
		households string            // --households table, if not ""
		previous   map[string]string // files of --previous (a directory), if not nil
		bare       string            // --previous as an assignment alone, if not ""
		says       []string          // in stderr
	}{
		{name: "counts that wrap a sum", households: "id,households\nB0," + huge + "\nB1," + huge + "\nB2," + huge + "\nB3," + huge + "\n",
			says: []string{"households.csv: 4 bad lines", `line 2 (id "B0")`, `line 5 (id "B3")`, "too large", "limit of 100000"}},
		{name: "a count too large", households: "B0,1000000\n", says: []string{`households.csv: line 1 (id "B0")`, "too large", "limit of 100000"}},
		{name: "a count that underflows", households: "B0,1e-400\n", says: []string{`households.csv: line 1 (id "B0")`, "not a whole number"}},
		{name: "a bad first row", households: "B0,abc\nB1,40\n", says: []string{`households.csv: line 1 (id "B0")`, `"abc", not a number`}},
		{name: "an id not UTF-8", households: "id,households\nB0,40\nB\xff1,40\n", says: []string{"households.csv: line 3", "not UTF-8"}},
		{name: "ids of no building", households: "id,households\nX1,40\nB1,40\nX2,40\n", says: []string{"2 bad lines", `line 2 (id "X1")`, `line 4 (id "X2")`, "no building"}},
		{name: "a bad count and an id of no building", households: "id,households\nB1,40\nX1,5\nB2,-1\n", says: []string{"2 bad lines", `line 3 (id "X1")`, "no building", `line 4 (id "B2")`, "negative"}},
		{name: "assignment cut at a line break", previous: map[string]string{"assignment.csv": strings.Join(lines[:7], "")},
			says: []string{"assignment.csv has 6 rows of buildings", "stats.json counts 8 (totals.buildings)"}},
		{name: "assignment cut mid-row", previous: map[string]string{"assignment.csv": strings.Join(lines[:8], "") + lines[8][:len("B7,0")]},
			says: []string{"assignment.csv", "cut short", `"B7,0"`}},
		{name: "no stats.json", previous: map[string]string{"stats.json": ""}, says: []string{"no stats.json"}},
		{name: "bare assignment cut mid-row", bare: strings.Join(lines[:8], "") + lines[8][:len("B7,0")], says: []string{"assignment.csv", "cut short"}},
		{name: "bare assignment, an id not UTF-8", bare: strings.Replace(assignment, "B3,", "B\xff3,", 1), says: []string{"assignment.csv", "line 5", "not UTF-8"}},
		{name: "bare assignment, a row of two fields", bare: strings.Replace(assignment, "B3,", "", 1), says: []string{"assignment.csv", "line 5", "want 3 fields"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			args := []string{"repartition", "--buildings", bpath, "--out", filepath.Join(tmp, "out"), "--previous", prev}
			if tc.households != "" {
				hpath := filepath.Join(tmp, "households.csv")
				must(t, os.WriteFile(hpath, []byte(tc.households), 0o644))
				args = append(args, "--households", hpath)
			}
			if tc.previous != nil {
				pdir := filepath.Join(tmp, "p0")
				must(t, os.Mkdir(pdir, 0o755))
				for name, data := range map[string]string{"assignment.csv": assignment, "grids.geojson": grids, "stats.json": stats} {
					if s, ok := tc.previous[name]; ok {
						data = s
					}
					if data != "" {
						must(t, os.WriteFile(filepath.Join(pdir, name), []byte(data), 0o644))
					}
				}
				args[len(args)-1] = pdir
			}
			if tc.bare != "" {
				path := filepath.Join(tmp, "assignment.csv")
				must(t, os.WriteFile(path, []byte(tc.bare), 0o644))
				args[len(args)-1] = path
			}
			code, _, stderr := gridplan(t, args...)
			if code != 2 {
				t.Fatalf("exit %d, want 2\n%s", code, stderr)
			}
			for _, s := range tc.says {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr %q does not say %q", stderr, s)
				}
			}
			if files := listFiles(t, filepath.Join(tmp, "out")); len(files) > 0 {
				t.Errorf("wrote %v on bad input", files)
			}
		})
	}

	// An assignment alone is read, and said not to be cross-checked.
	out := filepath.Join(dir, "from-bare")
	code, _, stderr := gridplan(t, "repartition", "--previous", filepath.Join(prev, "assignment.csv"), "--buildings", bpath, "--out", out)
	if code != 0 || !strings.Contains(stderr, "warning: --previous "+filepath.Join(prev, "assignment.csv")) || !strings.Contains(stderr, "no grids.geojson and stats.json to cross-check") {
		t.Errorf("--previous assignment.csv: exit %d, stderr %q; want 0 and a warning that it is not cross-checked", code, stderr)
	}
	if ch := changesOf(t, out); !strings.Contains(ch.PreviousUnchecked, "an assignment alone") {
		t.Errorf("stats.json changes.previous_unchecked = %q, want it to say the assignment was alone", ch.PreviousUnchecked)
	}
	if ch := changesOf(t, filepath.Join(dir, "from-bare")); ch.Classes["U"] != ch.PreviousGrids {
		t.Errorf("changes %+v, want every grid unchanged", ch)
	}

	// check reads --households as repartition does: counts that would wrap
	// its total are refused, not reported as a wrapped figure.
	hpath := filepath.Join(dir, "huge.csv")
	must(t, os.WriteFile(hpath, []byte("id,households\nB0,"+huge+"\nB1,"+huge+"\nB2,"+huge+"\nB3,"+huge+"\n"), 0o644))
	code, stdout, stderr := gridplan(t, "check", "--grids", filepath.Join(prev, "grids.geojson"), "--buildings", bpath, "--households", hpath, "--out", filepath.Join(dir, "audit"))
	if code != 2 || !strings.Contains(stderr, "huge.csv: 4 bad lines") || !strings.Contains(stderr, "too large") || stdout != "" {
		t.Errorf("check --households of counts past the limit: exit %d, stdout %q, stderr %q; want 2 naming the lines", code, stdout, stderr)
	}
}
