package main

import (
	"encoding/csv"
	"fmt"
	"gridplan/geo/plan/plantest"
	"os"
	"path/filepath"
	"testing"
)

// TestBarriers lays 4×2 buildings of 100 households in a wide block: two
// compact grids of 400 are its left and right halves. A road along the
// middle of the block makes top and bottom rows the grids instead.
func TestBarriers(t *testing.T) {
	dir := t.TempDir()
	const dLon, dLat = 0.0004, 0.0003 // about 34 m by 33 m at 40°N
	var fs []string
	for row := 0; row < 2; row++ {
		for col := 0; col < 4; col++ {
			fs = append(fs, plantest.Building(fmt.Sprintf("B%d%d", row, col), "100", plantest.Square(113.3+float64(col)*dLon, 40.08+float64(row)*dLat)))
		}
	}
	bpath := filepath.Join(dir, "buildings.geojson")
	must(t, os.WriteFile(bpath, []byte(plantest.Collection(fs...)), 0o644))
	road := `{"type":"Feature","properties":{"id":"R1"},"geometry":{"type":"LineString","coordinates":[[113.299,40.08025],[113.302,40.08025]]}}`
	rpath := filepath.Join(dir, "roads.geojson")
	must(t, os.WriteFile(rpath, []byte(plantest.Collection(road)), 0o644))

	plain := partitionGrids(t, bpath, filepath.Join(dir, "plain"))
	if plain["B00"] != plain["B10"] || plain["B03"] != plain["B13"] || plain["B00"] == plain["B03"] {
		t.Errorf("without barriers: grids %v, want left and right halves", plain)
	}
	split := partitionGrids(t, bpath, filepath.Join(dir, "road"), "--barriers", rpath)
	for col := 0; col < 4; col++ {
		if split[fmt.Sprintf("B0%d", col)] != split["B00"] || split[fmt.Sprintf("B1%d", col)] != split["B10"] || split["B00"] == split["B10"] {
			t.Errorf("with a road between the rows: grids %v, want the rows", split)
			break
		}
	}
}

// TestCompoundsLayer: six buildings of 100 households in a row split 3+3;
// a compound wall around the third and fourth keeps them together.
func TestCompoundsLayer(t *testing.T) {
	dir := t.TempDir()
	const dLon = 0.0004
	var fs []string
	for i := 0; i < 6; i++ {
		fs = append(fs, plantest.Building(fmt.Sprintf("B%d", i), "100", plantest.Square(113.3+float64(i)*dLon, 40.08)))
	}
	bpath := filepath.Join(dir, "buildings.geojson")
	must(t, os.WriteFile(bpath, []byte(plantest.Collection(fs...)), 0o644))
	wall := `{"type":"Feature","properties":{"id":"Q1"},"geometry":{"type":"Polygon","coordinates":[[[113.3007,40.0799],[113.3015,40.0799],[113.3015,40.0802],[113.3007,40.0802],[113.3007,40.0799]]]}}`
	qpath := filepath.Join(dir, "compounds.geojson")
	must(t, os.WriteFile(qpath, []byte(plantest.Collection(wall)), 0o644))

	plain := partitionGrids(t, bpath, filepath.Join(dir, "plain"))
	if plain["B2"] == plain["B3"] {
		t.Errorf("without compounds: %v, want B2 and B3 in different grids (3+3)", plain)
	}
	walled := partitionGrids(t, bpath, filepath.Join(dir, "walled"), "--compounds", qpath)
	if walled["B2"] != walled["B3"] {
		t.Errorf("with a compound around B2 and B3: %v, want them in one grid", walled)
	}
}

// partitionGrids runs partition on buildings into out with extra flags and
// returns each building's grid code.
func partitionGrids(t *testing.T, buildings, out string, extra ...string) map[string]string {
	t.Helper()
	args := append([]string{"partition", "--out", out}, extra...)
	if code, _, stderr := gridplan(t, append(args, buildings)...); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	f, err := os.Open(filepath.Join(out, "assignment.csv"))
	must(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	must(t, err)
	m := map[string]string{}
	for _, r := range rows[1:] {
		m[r[0]] = r[1]
	}
	return m
}
