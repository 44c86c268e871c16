package main

import (
	"fmt"
	"gridplan/geo/plan/plantest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// squareRegion is a community polygon of side d degrees.
func squareRegion(id string, lon, lat, d float64) string {
	return fmt.Sprintf(`{"type":"Feature","properties":{"id":%q},"geometry":{"type":"Polygon","coordinates":[[[%[2]g,%[3]g],[%[4]g,%[3]g],[%[4]g,%[5]g],[%[2]g,%[5]g],[%[2]g,%[3]g]]]}}`,
		id, lon, lat, lon+d, lat+d)
}

// TestEmptyCommunity: a community of the layer without buildings, and one
// of shops only, each get one grid of no households covering it (type
// empty, outside the band figures), so the layer tiles every community;
// repartition keeps them as they were.
func TestEmptyCommunity(t *testing.T) {
	dir := t.TempDir()
	pf := plantest.Files{Buildings: filepath.Join(dir, "b.geojson"), Communities: filepath.Join(dir, "c.geojson"), Out: filepath.Join(dir, "p0"), Min: 300, Max: 500}
	// Buildings in A (113.299-113.302), none in B to the east, two shops
	// in S to the north.
	fs := rowOf(6, "80")
	fs = append(fs,
		`{"type":"Feature","properties":{"id":"S1","households":0,"kind":"shop"},"geometry":`+plantest.Square(113.3, 40.0825)+`}`,
		`{"type":"Feature","properties":{"id":"S2","households":0,"kind":"shop"},"geometry":`+plantest.Square(113.3006, 40.0825)+`}`)
	must(t, os.WriteFile(pf.Buildings, []byte(plantest.Collection(fs...)), 0o644))
	must(t, os.WriteFile(pf.Communities, []byte(plantest.Collection(
		squareRegion("A", 113.299, 40.079, 0.003), squareRegion("B", 113.302, 40.079, 0.003),
		squareRegion("S", 113.299, 40.082, 0.003))), 0o644))
	code, stdout, stderr := gridplan(t, pf.Args()...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	for _, want := range []string{
		"8 buildings, 480 households, 3 communities -> 3 grids (2 empty)\n",
		"band [300, 500], target 400: 1 of 1 residential grids in band (100.0%)\n",
		"communities without households, covered by empty grids outside the band figures: B, S\n",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "out of band") {
		t.Errorf("summary lists empty grids as out of band:\n%s", stdout)
	}
	s := statsOf(t, pf.Out)
	if s.Totals.EmptyGrids != 2 || s.Totals.ResidentialGrids != 1 || s.Totals.ShareInBand != 1 {
		t.Errorf("totals: %d empty, %d residential, share in band %g; want 2, 1, 1", s.Totals.EmptyGrids, s.Totals.ResidentialGrids, s.Totals.ShareInBand)
	}
	for _, c := range s.Communities {
		if len(c.Diagnoses) > 0 {
			t.Errorf("community %s: diagnoses %+v, want none", c.ID, c.Diagnoses)
		}
	}
	plantest.CheckInvariants(t, pf)
	checkTiling(t, pf.Out)

	pf1 := pf
	pf1.Out = filepath.Join(dir, "p1")
	repartition(t, pf.Out, pf1)
	for _, name := range differingFiles(t, pf.Out, pf1.Out, "assignment.csv", "grids.geojson") {
		t.Errorf("repartition: %s differs from the earlier plan", name)
	}
	if ch := changesOf(t, pf1.Out); ch.Classes["U"] != 3 || ch.PreviousGrids != 3 || ch.NewGrids != 0 {
		t.Errorf("repartition: changes = %+v, want both grids unchanged", ch)
	}
	data, err := os.ReadFile(filepath.Join(pf1.Out, "changes.csv"))
	must(t, err)
	if !strings.Contains(string(data), "\nB001,B001,U,0,0\n") {
		t.Errorf("changes.csv lacks the empty grid kept:\n%s", data)
	}
}
