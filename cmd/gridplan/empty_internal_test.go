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

// TestEmptyCommunity: a community of the layer without buildings gets one
// grid of no households covering it, so the layer tiles every community;
// repartition keeps it as it was.
func TestEmptyCommunity(t *testing.T) {
	dir := t.TempDir()
	pf := plantest.Files{Buildings: filepath.Join(dir, "b.geojson"), Communities: filepath.Join(dir, "c.geojson"), Out: filepath.Join(dir, "p0"), Min: 300, Max: 500}
	// Buildings in A (113.299-113.302), none in B to the east.
	must(t, os.WriteFile(pf.Buildings, []byte(plantest.Collection(rowOf(6, "80")...)), 0o644))
	must(t, os.WriteFile(pf.Communities, []byte(plantest.Collection(
		squareRegion("A", 113.299, 40.079, 0.003), squareRegion("B", 113.302, 40.079, 0.003))), 0o644))
	code, stdout, stderr := gridplan(t, pf.Args()...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "B001             under     0  community_too_small") {
		t.Errorf("summary does not list the empty community's grid:\n%s", stdout)
	}
	plantest.CheckInvariants(t, pf)
	checkTiling(t, pf.Out)

	pf1 := pf
	pf1.Out = filepath.Join(dir, "p1")
	repartition(t, pf.Out, pf1)
	for _, name := range differingFiles(t, pf.Out, pf1.Out, "assignment.csv", "grids.geojson") {
		t.Errorf("repartition: %s differs from the earlier plan", name)
	}
	if ch := changesOf(t, pf1.Out); ch.Classes["U"] != 2 || ch.PreviousGrids != 2 || ch.NewGrids != 0 {
		t.Errorf("repartition: changes = %+v, want both grids unchanged", ch)
	}
	data, err := os.ReadFile(filepath.Join(pf1.Out, "changes.csv"))
	must(t, err)
	if !strings.Contains(string(data), "\nB001,B001,U,0,0\n") {
		t.Errorf("changes.csv lacks the empty grid kept:\n%s", data)
	}
}
