package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
