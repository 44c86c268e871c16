package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gridplan/geo"
	"gridplan/geo/plan/plantest"
)

// TestCommunityByLocation: without a communities layer, buildings whose
// community property is null or absent, among buildings that have one,
// join the community whose area they lie in, with a warning each; they
// never make a community of their own.
func TestCommunityByLocation(t *testing.T) {
	dir := t.TempDir()
	pf := plantest.Files{Buildings: filepath.Join(dir, "b.geojson"), Out: filepath.Join(dir, "p"), Min: 300, Max: 500}
	var fs []string
	// Two communities side by side, W (lon 113.300-113.303) and E (from
	// 113.306), 16 buildings of 60 households each; every fourth has a null
	// community, and one in E has none at all.
	for i := 0; i < 32; i++ {
		c, lon := "W", 113.300+float64(i%4)*0.0008
		if i >= 16 {
			c, lon = "E", 113.306+float64(i%4)*0.0008
		}
		lat := 40.08 + float64((i%16)/4)*0.0008
		community := fmt.Sprintf(`,"community":%q`, c)
		switch {
		case i == 17:
			community = ""
		case i%4 == 1:
			community = `,"community":null`
		}
		fs = append(fs, fmt.Sprintf(`{"type":"Feature","properties":{"id":"B%d","households":60%s},"geometry":%s}`, i, community, plantest.Square(lon, lat)))
	}
	must(t, os.WriteFile(pf.Buildings, []byte(plantest.Collection(fs...)), 0o644))
	code, stdout, stderr := gridplan(t, pf.Args()...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	s := statsOf(t, pf.Out)
	if s.Totals.Communities != 2 {
		t.Errorf("%d communities, want 2 (W, E):\n%s", s.Totals.Communities, stdout)
	}
	byLocation := map[string]bool{}
	for _, w := range s.Warnings {
		if w.Kind == "community_by_location" {
			byLocation[w.ID] = true
			want := `"W"`
			var n int
			fmt.Sscanf(w.ID, "B%d", &n)
			if n >= 16 {
				want = `"E"`
			}
			if !strings.Contains(w.Note, want) {
				t.Errorf("building %s: %s; want community %s", w.ID, w.Note, want)
			}
		}
	}
	if len(byLocation) != 8 {
		t.Errorf("%d community_by_location warnings, want 8 (the null and absent ones)", len(byLocation))
	}
	if !strings.Contains(stderr, "community_by_location") {
		t.Errorf("stderr lacks the warnings:\n%s", stderr)
	}
	for _, g := range s.Grids {
		if g.Community == "" || !strings.HasPrefix(g.Code, g.Community) {
			t.Errorf("grid %s of community %q", g.Code, g.Community)
		}
	}
	plantest.CheckInvariants(t, pf)
	checkTiling(t, pf.Out)
}

// TestDuplicateCommunityIDs: two features of the communities layer with one
// id are one community in two parts; its buildings in both parts plan as
// one community, with a duplicate_id warning, and the grids tile both parts.
func TestDuplicateCommunityIDs(t *testing.T) {
	dir := t.TempDir()
	pf := plantest.Files{Buildings: filepath.Join(dir, "b.geojson"), Communities: filepath.Join(dir, "c.geojson"), Out: filepath.Join(dir, "p"), Min: 300, Max: 500}
	var fs []string
	for i := 0; i < 12; i++ {
		lon := 113.3 + float64(i%3)*0.0006
		if i >= 6 {
			lon += 0.006 // the second part, 0.004° east of the first
		}
		fs = append(fs, plantest.Building(fmt.Sprintf("B%d", i), "70", plantest.Square(lon, 40.0805+float64(i%6/3)*0.0006)))
	}
	must(t, os.WriteFile(pf.Buildings, []byte(plantest.Collection(fs...)), 0o644))
	must(t, os.WriteFile(pf.Communities, []byte(plantest.Collection(
		squareRegion("A", 113.299, 40.08, 0.003), squareRegion("A", 113.305, 40.08, 0.003))), 0o644))
	code, _, stderr := gridplan(t, pf.Args()...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, `duplicate_id: features 0, 1 share this id: taken as one area of 2 parts`) {
		t.Errorf("stderr lacks the duplicate_id warning:\n%s", stderr)
	}
	s := statsOf(t, pf.Out)
	if s.Totals.Communities != 1 || s.Totals.Households != 840 {
		t.Errorf("%d communities, %d households; want 1, 840", s.Totals.Communities, s.Totals.Households)
	}
	plantest.CheckInvariants(t, pf)
	checkTiling(t, pf.Out)
}

// TestOutside: buildings far outside every community polygon are refused by
// default (all counted, the first named), left out and listed in
// outside.csv with --outside skip, or joined to the nearest community with
// --outside nearest; either way every grid has its polygon and the plan
// passes its own check.
func TestOutside(t *testing.T) {
	dir := t.TempDir()
	pf := plantest.Files{Buildings: filepath.Join(dir, "b.geojson"), Communities: filepath.Join(dir, "c.geojson"), Min: 300, Max: 500}
	var fs []string
	for i := 0; i < 12; i++ {
		fs = append(fs, plantest.Building(fmt.Sprintf("B%d", i), "70", plantest.Square(113.3+float64(i%4)*0.0006, 40.0805+float64(i/4)*0.0006)))
	}
	// Three buildings 50-150 m east of the community, together a grid's worth.
	for k := 0; k < 3; k++ {
		fs = append(fs, plantest.Building(fmt.Sprintf("X%d", k), "120", plantest.Square(113.3035+float64(k)*0.0006, 40.081)))
	}
	must(t, os.WriteFile(pf.Buildings, []byte(plantest.Collection(fs...)), 0o644))
	must(t, os.WriteFile(pf.Communities, []byte(plantest.Collection(squareRegion("A", 113.299, 40.08, 0.003))), 0o644))

	pf.Out = filepath.Join(dir, "error")
	code, _, stderr := gridplan(t, pf.Args()...)
	if code != 2 || !strings.Contains(stderr, "3 buildings lie more than 5 m (--snap) outside every community polygon") || !strings.Contains(stderr, `(id "X0")`) {
		t.Errorf("default: exit %d, want 2 naming the 3 buildings:\n%s", code, stderr)
	}
	if names := listFiles(t, pf.Out); len(names) != 0 {
		t.Errorf("default: wrote %v", names)
	}

	pf.Out, pf.Outside = filepath.Join(dir, "skip"), geo.OutsideSkip
	if code, _, stderr := gridplan(t, pf.Args()...); code != 0 {
		t.Fatalf("skip: exit %d\n%s", code, stderr)
	}
	data, err := os.ReadFile(filepath.Join(pf.Out, "outside.csv"))
	must(t, err)
	if rows := strings.Split(strings.TrimSpace(string(data)), "\n"); len(rows) != 4 || !strings.HasPrefix(rows[1], "X0,113.") || !strings.HasSuffix(rows[3], ",A") {
		t.Errorf("outside.csv:\n%s", data)
	}
	if s := statsOf(t, pf.Out); s.Totals.Buildings != 12 || s.Input.OutsideSkipped != 3 {
		t.Errorf("skip: %d buildings planned, %d skipped; want 12, 3", s.Totals.Buildings, s.Input.OutsideSkipped)
	}
	plantest.CheckInvariants(t, pf)
	checkTiling(t, pf.Out)

	pf.Out, pf.Outside = filepath.Join(dir, "nearest"), geo.OutsideNearest
	code, _, stderr = gridplan(t, pf.Args()...)
	if code != 0 {
		t.Fatalf("nearest: exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stderr, "nearest_community") {
		t.Errorf("nearest: no warning:\n%s", stderr)
	}
	if s := statsOf(t, pf.Out); s.Totals.Buildings != 15 || s.Totals.Households != 1200 {
		t.Errorf("nearest: %d buildings, %d households; want 15, 1200", s.Totals.Buildings, s.Totals.Households)
	}
	plantest.CheckInvariants(t, pf)
	checkTiling(t, pf.Out)
}

// TestAcrossBoundary: a building whose community property names A but
// whose footprint lies mostly in the neighbouring community B is held by
// A's grid as far as A reaches (the rest is B's ground), with a warning;
// one lying wholly inside B is refused by default, and with --outside
// nearest put in B, the community that holds it. Either way the plan
// passes every check, its own included.
func TestAcrossBoundary(t *testing.T) {
	block := func(prefix, community string, lon0 float64) []string {
		var fs []string
		for i := 0; i < 12; i++ {
			fs = append(fs, fmt.Sprintf(`{"type":"Feature","properties":{"id":"%s%d","households":70,"community":%q},"geometry":%s}`,
				prefix, i, community, plantest.Square(lon0+0.0006*float64(i%4), 40.0805+0.0006*float64(i/4))))
		}
		return fs
	}
	layer := plantest.Collection(squareRegion("A", 113.299, 40.08, 0.004), squareRegion("B", 113.303, 40.08, 0.004))
	for _, tc := range []struct {
		name     string
		x        string // the geometry of building X, named A
		outside  geo.Outside
		code     int
		wantWarn string
		xIn      string // the community X ends up in
	}{
		{"straddling", box(113.30298, 40.0815, 113.30310, 40.0816), geo.OutsideError, 0, "across_community_boundary", "A"},
		{"inside the neighbour", plantest.Square(113.3050, 40.0815), geo.OutsideError, 2, "", ""},
		{"inside the neighbour, nearest", plantest.Square(113.3050, 40.0815), geo.OutsideNearest, 0, `in community "B": put in "B"`, "B"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			pf := plantest.Files{Buildings: filepath.Join(dir, "b.geojson"), Communities: filepath.Join(dir, "c.geojson"), Out: filepath.Join(dir, "out"), Min: 300, Max: 500, Outside: tc.outside}
			fs := append(block("A", "A", 113.3), block("B", "B", 113.3035)...)
			fs = append(fs, `{"type":"Feature","properties":{"id":"X","households":50,"community":"A"},"geometry":`+tc.x+`}`)
			must(t, os.WriteFile(pf.Buildings, []byte(plantest.Collection(fs...)), 0o644))
			must(t, os.WriteFile(pf.Communities, []byte(layer), 0o644))
			code, _, stderr := gridplan(t, pf.Args()...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", code, tc.code, stderr)
			}
			if code != 0 {
				if !strings.Contains(stderr, `(id "X")`) || !strings.Contains(stderr, `in "B"`) {
					t.Errorf("the error does not name X and the community it lies in:\n%s", stderr)
				}
				return
			}
			if !strings.Contains(stderr, tc.wantWarn) {
				t.Errorf("stderr lacks %q:\n%s", tc.wantWarn, stderr)
			}
			data, err := os.ReadFile(filepath.Join(pf.Out, "assignment.csv"))
			must(t, err)
			if !strings.Contains(string(data), "\nX,"+tc.xIn) {
				t.Errorf("X not in community %s:\n%s", tc.xIn, data)
			}
			plantest.CheckInvariants(t, pf)
			checkTiling(t, pf.Out)
		})
	}
}
