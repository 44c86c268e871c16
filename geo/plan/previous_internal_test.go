package plan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gridplan/geo"
	"gridplan/partition"
)

// TestReadAssignment: an earlier assignment.csv is whole (it ends with a
// line break) and every row is a building of one grid in one community;
// every bad row is named by its line.
func TestReadAssignment(t *testing.T) {
	const header = "building_id,grid_code,community\n"
	for _, tc := range []struct {
		name, csv string
		says      []string // in the error; nil: read without error
	}{
		{"communities", header + "B1,A001,A\nB2,A001,A\nB3,B001,B\n", nil},
		{"no communities", header + "B1,001,\nB2,002,\n", nil},
		{"spreadsheet", "\xef\xbb\xbf" + strings.ReplaceAll(header+"B1,A001,A\n", "\n", "\r\n"), nil},
		{"empty", "", []string{"a.csv", "empty"}},
		{"a header alone", header, []string{"a.csv", "line 1", "no rows"}},
		{"cut mid-row", header + "B1,A001,A\nB2,A0", []string{"a.csv", "cut short", `"B2,A0"`}},
		{"cut after a row", header + "B1,A001,A\nB2,A001,A", []string{"a.csv", "cut short"}},
		{"header of two columns", "building_id,grid_code\nB1,A001\n", []string{"a.csv: previous plan: 2 bad lines", "line 1: header", "line 2"}},
		{"two fields", header + "B1,A001,A\nB2,A001\n", []string{`a.csv: previous plan: line 3 (id "B2"): want 3 fields`, "have 2"}},
		{"four fields", header + "B1,A001,A,x\n", []string{"line 2", "have 4"}},
		{"empty id", header + "B1,A001,A\n,A001,A\n", []string{"line 3", "empty building_id"}},
		{"empty code", header + "B1,,A\n", []string{`line 2 (id "B1")`, "empty grid_code"}},
		{"assigned twice", header + "B1,A001,A\nB2,A001,A\nB1,A002,A\n", []string{`line 4 (id "B1")`, "twice", "A001 on line 2", "A002 here"}},
		{"grid in two communities", header + "B1,A001,A\nB2,A001,B\n", []string{`line 3 (id "B2")`, `"A" on line 2`, `"B" here`}},
		{"a community missing", header + "B1,A001,A\nB2,A002,\nB3,A002,\n", []string{"2 bad lines", `line 3 (id "B2"): empty community`, "line 4"}},
		{"not UTF-8", header + "B1,A001,A\nB\xff2,A001,A\n", []string{"line 3", "not UTF-8"}},
		{"not UTF-8 in a community", header + "B1,A001,A\xff\n", []string{"line 2", "field 3 is not UTF-8"}},
		{"not CSV", header + "B1,A001,A\nB\"2,A001,A\n", []string{"line 3"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pp, err := readAssignment("a.csv", []byte(tc.csv))
			if tc.says == nil {
				if err != nil || len(pp.buildings) == 0 {
					t.Fatalf("readAssignment(%q) = %v", tc.csv, err)
				}
				return
			}
			if !errors.Is(err, errPrevious) {
				t.Fatalf("readAssignment(%q) = %v, want a previous plan error", tc.csv, err)
			}
			for _, s := range tc.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("readAssignment(%q) = %q, want it to say %q", tc.csv, err, s)
				}
			}
		})
	}
	var b strings.Builder
	b.WriteString(header)
	for i := 1; i <= 25; i++ {
		fmt.Fprintf(&b, "B%d,A001\n", i)
	}
	_, err := readAssignment("a.csv", []byte(b.String()))
	var te *TableError
	if !errors.As(err, &te) || te.Bad != 25 || len(te.Lines) != maxBadLines || !strings.HasSuffix(err.Error(), "\n  and 5 more") {
		t.Errorf("25 bad lines: %v", err)
	}
}

// writeTestPlan plans 24 buildings of 50 households, 16 in community A (two
// grids) and 8 in B (one), and writes the plan's files to dir.
func writeTestPlan(t *testing.T, dir string) {
	t.Helper()
	var fs []string
	for i := 0; i < 24; i++ {
		c := "A"
		if i >= 16 {
			c = "B"
		}
		fs = append(fs, fmt.Sprintf(`{"type":"Feature","properties":{"id":"B%d","households":50,"community":%q},"geometry":{"type":"Point","coordinates":[%g,40.08]}}`, i+1, c, 113.3+float64(i)*0.0005))
	}
	data := []byte(`{"type":"FeatureCollection","features":[` + strings.Join(fs, ",\n") + `]}`)
	src := Source{Name: "b.geojson", Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
	o := &Options{Settings: partition.Settings{Min: 300, Target: 400, Max: 500}, Fields: geo.DefaultFields(), RegionIDField: "id", CodeWidth: 3}
	in, err := Load(context.Background(), Layers{Buildings: src}, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Partition(context.Background(), in, o)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range mustFiles(t, p) {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLoadPreviousConsistent: the files of an earlier plan directory must
// all be there and agree; whatever is missing or differs is refused,
// named. An assignment alone is read, and said to be unchecked.
func TestLoadPreviousConsistent(t *testing.T) {
	base := filepath.Join(t.TempDir(), "p0")
	writeTestPlan(t, base)
	pp, err := LoadPrevious(context.Background(), base, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(pp.codes) != 3 || len(pp.buildings) != 24 || pp.Unchecked() != "" {
		t.Fatalf("plan of %d grids, %d buildings, unchecked %q; want 3, 24 and checked", len(pp.codes), len(pp.buildings), pp.Unchecked())
	}
	bare := filepath.Join(base, assignmentFile)
	if pp, err := LoadPrevious(context.Background(), bare, nil); err != nil || !strings.Contains(pp.Unchecked(), "no grids.geojson and stats.json") {
		t.Errorf("LoadPrevious(%s) = %v, unchecked %q; want it read, said to be unchecked", bare, err, pp.Unchecked())
	}
	// The grid layer named: the plan of its directory.
	layer := filepath.Join(base, gridsFile)
	if pp, err := LoadPrevious(context.Background(), layer, nil); err != nil || len(pp.codes) != 3 || pp.Unchecked() != "" {
		t.Errorf("LoadPrevious(%s) = %v; want the plan of its directory", layer, err)
	}
	// A grid layer away from its plan, and a plan with two grid layers
	// (one saved from a GIS beside the one written), are refused, named.
	alone := filepath.Join(t.TempDir(), gridsFile)
	if data, err := os.ReadFile(layer); err != nil || os.WriteFile(alone, data, 0o644) != nil {
		t.Fatal(err)
	}
	if _, err := LoadPrevious(context.Background(), alone, nil); err == nil || !strings.Contains(err.Error(), "a grid layer alone is not a plan") {
		t.Errorf("LoadPrevious(a grid layer alone) = %v", err)
	}
	two := filepath.Join(t.TempDir(), "p1")
	writeTestPlan(t, two)
	if data, err := os.ReadFile(filepath.Join(two, gridsFile)); err != nil || os.WriteFile(filepath.Join(two, "grids.gpkg"), data, 0o644) != nil {
		t.Fatal(err)
	}
	if _, err := LoadPrevious(context.Background(), two, nil); err == nil || !strings.Contains(err.Error(), "it holds grids.geojson and grids.gpkg; name the grid layer") {
		t.Errorf("LoadPrevious(two grid layers) = %v", err)
	}
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(base, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	assignment, grids, stats := read(assignmentFile), read(gridsFile), read(statsFile)
	lines := strings.SplitAfter(assignment, "\n")
	codes := map[string]bool{}
	for _, l := range lines[1:] {
		if f := strings.Split(l, ","); len(f) == 3 {
			codes[f[1]] = true
		}
	}
	if len(codes) != 3 || !strings.Contains(stats, `"code": "A001"`) || !strings.Contains(grids, `"code":"A001"`) {
		t.Fatalf("the test plan has grids %v; want A001, A002, B001 in all files", codes)
	}
	b001 := strings.SplitN(stats, `"code": "B001"`, 2)
	if len(b001) != 2 || !strings.Contains(b001[1], `"buildings": 8,`) {
		t.Fatalf("stats.json has no grid B001 of 8 buildings:\n%s", stats)
	}
	b001[0] += `"code": "B001"`
	for _, tc := range []struct {
		name  string
		files map[string]string // replaced, "" to remove
		says  []string
	}{
		{"assignment cut at a line break", map[string]string{assignmentFile: strings.Join(lines[:len(lines)-3], "")},
			[]string{"p0", "its files disagree", "assignment.csv has 22 rows of buildings", "stats.json counts 24 (totals.buildings)", "B001 (8 buildings, 6 rows)"}},
		{"assignment cut mid-row", map[string]string{assignmentFile: strings.TrimSuffix(assignment, "\n")[:len(assignment)-5]},
			[]string{"assignment.csv", "cut short"}},
		{"a grid invented", map[string]string{assignmentFile: strings.Replace(assignment, "B24,B001,B", "B24,C0,B", 1)},
			[]string{"grid codes of " + bare + " that are not grids of", "C0 (1 rows, the first building \"B24\" on line 25)", "B001 (8 buildings, 7 rows)"}},
		{"no grids.geojson", map[string]string{gridsFile: ""}, []string{"p0", "no grids.geojson", "pass its assignment.csv"}},
		{"no stats.json", map[string]string{statsFile: ""}, []string{"p0", "no stats.json"}},
		{"no assignment.csv", map[string]string{assignmentFile: ""}, []string{"p0", "no assignment.csv"}},
		{"stats.json cut short", map[string]string{statsFile: stats[:len(stats)/2]}, []string{"stats.json", "not JSON"}},
		{"stats.json of another plan", map[string]string{statsFile: strings.ReplaceAll(stats, `"B001"`, `"B002"`)},
			[]string{"grid codes of " + bare + " that are not grids of " + filepath.Join(base, statsFile) + ": B001", "grids of " + filepath.Join(base, statsFile) + " that are not in " + filepath.Join(base, gridsFile) + ": B002"}},
		{"a grid's count", map[string]string{statsFile: b001[0] + strings.Replace(b001[1], `"buildings": 8,`, `"buildings": 9,`, 1)},
			[]string{"are not their rows", "(9 buildings, 8 rows)"}},
		{"a grid missing from grids.geojson", map[string]string{gridsFile: strings.ReplaceAll(grids, `"code":"A002"`, `"code":"Z002"`)},
			[]string{"not in " + filepath.Join(base, statsFile) + ": Z002", "not grids of " + filepath.Join(base, gridsFile) + ": A002"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "p0")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			for name, data := range map[string]string{assignmentFile: assignment, gridsFile: grids, statsFile: stats} {
				if s, ok := tc.files[name]; ok {
					data = s
				}
				if data != "" {
					if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			_, err := LoadPrevious(context.Background(), dir, nil)
			if err == nil {
				t.Fatalf("LoadPrevious accepted the plan")
			}
			msg := strings.ReplaceAll(err.Error(), dir, base)
			for _, s := range tc.says {
				if !strings.Contains(msg, s) {
					t.Errorf("LoadPrevious = %q, want it to say %q", msg, s)
				}
			}
		})
	}
}

// mustFiles returns the files of p, failing the test if they cannot be
// encoded.
func mustFiles(t testing.TB, p *Plan) []Output {
	t.Helper()
	fs, err := p.Files()
	if err != nil {
		t.Fatal(err)
	}
	return fs
}
