package main

import (
	"encoding/json"
	"fmt"
	"gridplan/geo/plan/plantest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestPartitionBadInput(t *testing.T) {
	ok1 := plantest.Building("B1", "100", plantest.Square(113.30, 40.08))
	ok2 := plantest.Building("B2", "120", plantest.Square(113.301, 40.08))
	community := func(id string, lon0, lat0, lon1, lat1 float64) string {
		return fmt.Sprintf(`{"type":"Feature","properties":{"id":%q},"geometry":{"type":"Polygon","coordinates":[[[%[2]g,%[3]g],[%[4]g,%[3]g],[%[4]g,%[5]g],[%[2]g,%[5]g],[%[2]g,%[3]g]]]}}`, id, lon0, lat0, lon1, lat1)
	}
	for _, tc := range []struct {
		name        string
		buildings   string   // file content; "" = the file does not exist
		communities string   // file content, optional
		extra       []string // more flags
		want        []string // substrings of stderr
	}{
		{name: "missing file", want: []string{"buildings.geojson", "no such file"}},
		{name: "not JSON", buildings: "hello", want: []string{"buildings.geojson", "not JSON"}},
		{name: "not a FeatureCollection", buildings: `{"type":"Feature","properties":{},"geometry":null}`, want: []string{"buildings.geojson", "FeatureCollection"}},
		{name: "missing households", buildings: plantest.Collection(ok1, plantest.Building("B7", "", plantest.Square(113.302, 40.08))), want: []string{"buildings.geojson", "feature 1", `"B7"`, "missing household"}},
		{name: "negative households", buildings: plantest.Collection(ok1, plantest.Building("B7", "-3", plantest.Square(113.302, 40.08))), want: []string{"feature 1", `"B7"`, "negative"}},
		{name: "fractional households", buildings: plantest.Collection(plantest.Building("B7", "12.5", plantest.Square(113.302, 40.08)), ok1), want: []string{"feature 0", `"B7"`, "whole number"}},
		{name: "string households", buildings: plantest.Collection(ok1, ok2, plantest.Building("B7", `"12"`, plantest.Square(113.302, 40.08))), want: []string{"feature 2", `"B7"`}},
		{name: "duplicate ids", buildings: plantest.Collection(ok1, plantest.Building("B1", "5", plantest.Square(113.302, 40.08))), want: []string{"feature 1", `"B1"`, "duplicate"}},
		{name: "empty geometry", buildings: plantest.Collection(ok1, plantest.Building("B7", "5", "null")), want: []string{"feature 1", `"B7"`, "empty geometry"}},
		{name: "several bad features", buildings: plantest.Collection(ok1, plantest.Building("B7", "-5", plantest.Square(113.302, 40.08)), ok2, plantest.Building("B8", "", plantest.Square(113.303, 40.08)), plantest.Building("B1", "5", plantest.Square(113.304, 40.08))),
			want: []string{"buildings.geojson: 3 features cannot be used\n", `buildings.geojson: feature 1 (id "B7"): negative`, `buildings.geojson: feature 3 (id "B8"): missing household`, `buildings.geojson: feature 4 (id "B1"): duplicate id: feature 0 has the same id`}},
		{name: "bad features with --json", buildings: plantest.Collection(ok1, plantest.Building("B7", "-5", plantest.Square(113.302, 40.08)), plantest.Building("B8", "-1", plantest.Square(113.303, 40.08))), extra: []string{"--json"},
			want: []string{"2 features cannot be used", `feature 1 (id "B7")`, `feature 2 (id "B8")`}},
		{name: "coordinates out of range", buildings: plantest.Collection(ok1, plantest.Building("B7", "5", `{"type":"Point","coordinates":[213.3,40.08]}`)), want: []string{"feature 1", `"B7"`, "range"}},
		{name: "id not UTF-8", buildings: plantest.Collection(ok1, strings.Replace(plantest.Building("B7", "5", plantest.Square(113.302, 40.08)), `"B7"`, "\"B7\xff\"", 1)), want: []string{"feature 1", `B7\xff`, "not UTF-8"}},
		{name: "id with a lone surrogate", buildings: plantest.Collection(ok1, plantest.Building("B7", "5", plantest.Square(113.302, 40.08)), strings.Replace(plantest.Building("B8", "5", plantest.Square(113.303, 40.08)), `"B8"`, `"B8\udc00"`, 1)), want: []string{"feature 2", `\udc00`, "not UTF-8"}},
		{name: "across the antimeridian", buildings: plantest.Collection(plantest.Building("B7", "5", `{"type":"Polygon","coordinates":[[[179.9999,40.08],[-179.9999,40.08],[-179.9999,40.0801],[179.9999,40.0801],[179.9999,40.08]]]}`)), want: []string{"feature 0", `"B7"`, "antimeridian"}},
		{name: "wider than a city", buildings: plantest.Collection(ok1, plantest.Building("B7", "5", plantest.Square(13.302, 40.08))), want: []string{`feature 1 (id "B7")`, `feature 0 (id "B1")`, "500 km"}},
		{name: "projected metres", buildings: plantest.Collection(plantest.Building("B7", "5", `{"type":"Point","coordinates":[500000.5,4438000.25]}`), plantest.Building("B8", "5", `{"type":"Point","coordinates":[500100.5,4438000.25]}`)), want: []string{"buildings.geojson", "metres"}},
		{name: "outside every community", buildings: plantest.Collection(ok1, plantest.Building("B7", "5", plantest.Square(113.5, 40.08))),
			communities: plantest.Collection(community("C1", 113.29, 40.07, 113.31, 40.09)), want: []string{"buildings.geojson", "feature 1", `"B7"`, "outside every community"}},
		{name: "communities overlap", buildings: plantest.Collection(ok1),
			communities: plantest.Collection(community("C1", 113.29, 40.07, 113.31, 40.09), community("C2", 113.30, 40.07, 113.32, 40.09)), want: []string{"communities.geojson", `"C1"`, `"C2"`, "overlap"}},
		{name: "band inverted", buildings: plantest.Collection(ok1), extra: []string{"--min", "500", "--max", "300"}, want: []string{"--min"}},
		{name: "unknown flag", buildings: plantest.Collection(ok1), extra: []string{"--frobnicate"}, want: []string{"frobnicate"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "out")
			bpath := filepath.Join(dir, "buildings.geojson")
			if tc.buildings != "" {
				must(t, os.WriteFile(bpath, []byte(tc.buildings), 0o644))
			}
			args := append([]string{"partition", "--out", out}, tc.extra...)
			if tc.communities != "" {
				cpath := filepath.Join(dir, "communities.geojson")
				must(t, os.WriteFile(cpath, []byte(tc.communities), 0o644))
				args = append(args, "--communities", cpath)
			}
			code, stdout, stderr := gridplan(t, append(args, bpath)...)
			if code != 2 {
				t.Errorf("exit status %d, want 2; stderr:\n%s", code, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr does not mention %q:\n%s", w, stderr)
				}
			}
			if slices.Contains(tc.extra, "--json") {
				// --json: the refused features as JSON on stdout.
				var listed struct{ Errors []map[string]any }
				if err := json.Unmarshal([]byte(stdout), &listed); err != nil || len(listed.Errors) != 2 {
					t.Errorf("--json: stdout is not the 2 errors as JSON (%v):\n%s", err, stdout)
				}
			} else if stdout != "" {
				t.Errorf("stdout not empty on bad input:\n%s", stdout)
			}
			if files := listFiles(t, out); len(files) > 0 {
				t.Errorf("output directory holds %v after bad input, want nothing", files)
			}
		})
	}
}

// TestPartitionManyBadFeatures: a layer with 25 bad features is refused
// with the first 20 on stderr, one a line, and a count of the rest.
func TestPartitionManyBadFeatures(t *testing.T) {
	var fs []string
	for i := range 25 {
		fs = append(fs, plantest.Building(fmt.Sprintf("B%d", i), "-1", plantest.Square(113.3+0.0002*float64(i), 40.08)))
	}
	dir := t.TempDir()
	bpath := filepath.Join(dir, "buildings.geojson")
	must(t, os.WriteFile(bpath, []byte(plantest.Collection(fs...)), 0o644))
	code, stdout, stderr := gridplan(t, "partition", "--out", filepath.Join(dir, "out"), bpath)
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	if code != 2 || stdout != "" || len(lines) != 23 {
		t.Fatalf("exit %d, %d lines on stderr, stdout %q; want 2, 23 lines and nothing:\n%s", code, len(lines), stdout, stderr)
	}
	if lines[22] != "gridplan: --json lists all 25 on stdout" {
		t.Errorf("last line %q, want the --json hint", lines[22])
	}
	// --json: every one of them on stdout, as JSON.
	code, stdout, _ = gridplan(t, "partition", "--json", "--out", filepath.Join(dir, "out"), bpath)
	var listed struct {
		Errors []struct {
			File, ID, Problem string
			Feature           *int
		}
	}
	if err := json.Unmarshal([]byte(stdout), &listed); code != 2 || err != nil || len(listed.Errors) != 25 {
		t.Fatalf("--json: exit %d, %d errors (%v); want 2 and all 25:\n%s", code, len(listed.Errors), err, stdout)
	}
	for k, e := range listed.Errors {
		if e.File != bpath || e.Feature == nil || *e.Feature != k || e.ID != fmt.Sprintf("B%d", k) || !strings.Contains(e.Problem, "negative household count") {
			t.Errorf("--json error %d = %+v", k, e)
		}
	}
	for k, l := range lines[1:21] {
		if want := fmt.Sprintf("gridplan: %s: feature %d (id \"B%d\"): negative household count", bpath, k, k); !strings.HasPrefix(l, want) {
			t.Errorf("line %d = %q, want it to start %q", k+1, l, want)
		}
	}
	if want := fmt.Sprintf("gridplan: %s: ... and 5 more", bpath); lines[21] != want {
		t.Errorf("last line %q, want %q", lines[21], want)
	}
}

func TestPartitionUnwritableOutput(t *testing.T) {
	dir := t.TempDir()
	bpath := filepath.Join(dir, "buildings.geojson")
	must(t, os.WriteFile(bpath, []byte(plantest.Collection(plantest.Building("B1", "100", plantest.Square(113.3, 40.08)))), 0o644))
	file := filepath.Join(dir, "file")
	must(t, os.WriteFile(file, nil, 0o644))
	code, _, stderr := gridplan(t, "partition", "--out", filepath.Join(file, "out"), bpath)
	if code != 2 || !strings.Contains(stderr, "output directory") {
		t.Errorf("exit %d, stderr %q; want 2 naming the output directory", code, stderr)
	}
}

func TestStrict(t *testing.T) {
	dir := t.TempDir()
	bpath := filepath.Join(dir, "buildings.geojson")
	// One community of 220 households: too small for the band.
	must(t, os.WriteFile(bpath, []byte(plantest.Collection(plantest.Building("B1", "100", plantest.Square(113.3, 40.08)), plantest.Building("B2", "120", plantest.Square(113.3002, 40.08)))), 0o644))
	out := filepath.Join(dir, "out")
	if code, stdout, stderr := gridplan(t, "partition", "--out", out, bpath); code != 0 || !strings.Contains(stdout, "community_too_small") {
		t.Errorf("without --strict: exit %d, want 0 and the reason in the summary; stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	code, _, _ := gridplan(t, "partition", "--strict", "--out", out, bpath)
	if code != 1 {
		t.Errorf("--strict with a grid out of band: exit %d, want 1", code)
	}
	if files := listFiles(t, out); len(files) != 4 {
		t.Errorf("--strict: output holds %v, want the plan written (grids, assignment, stats, report)", files)
	}
}

func TestUnknownCommand(t *testing.T) {
	code, _, stderr := gridplan(t, "frobnicate")
	if code != 2 || !strings.Contains(stderr, `unknown command "frobnicate"`) {
		t.Errorf("exit %d, stderr %q; want 2 naming the command", code, stderr)
	}
}

func TestMissingRequiredFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"check", "--buildings", "b.geojson"}, "check needs --grids"},
		{[]string{"check", "--grids", "g.geojson"}, "check needs --buildings"},
		{[]string{"repartition", "--buildings", "b.geojson"}, "repartition needs --previous"},
	} {
		code, stdout, stderr := gridplan(t, tc.args...)
		if code != 2 || stdout != "" || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stdout %d bytes, stderr %q; want 2, nothing on stdout, %q", tc.args, code, len(stdout), stderr, tc.want)
		}
	}
}

// TestNegativeTolerances: a negative, infinite or NaN tolerance or weight
// is refused, every one named, before any layer is read.
func TestNegativeTolerances(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"partition", "--snap", "-1", "--sliver-tolerance", "NaN", "--out", t.TempDir(), "b.geojson"}, []string{"--snap -1", "--sliver-tolerance NaN"}},
		{[]string{"partition", "--shop-weight", "-3", "--out", t.TempDir(), "b.geojson"}, []string{"--shop-weight -3"}},
		{[]string{"repartition", "--snap", "Inf", "--previous", "p", "--buildings", "b.geojson", "--out", t.TempDir()}, []string{"--snap +Inf"}},
		{[]string{"check", "--straddle-tolerance", "-0.5", "--grids", "g.geojson", "--buildings", "b.geojson"}, []string{"--straddle-tolerance -0.5"}},
	} {
		code, stdout, stderr := gridplan(t, tc.args...)
		if code != 2 || stdout != "" {
			t.Errorf("%v: exit %d, stdout %d bytes; want 2 and nothing", tc.args, code, len(stdout))
		}
		for _, w := range tc.want {
			if !strings.Contains(stderr, w) || !strings.Contains(stderr, "not negative") {
				t.Errorf("%v: stderr %q lacks %q", tc.args, stderr, w)
			}
		}
	}
}
