package main

import (
	"encoding/csv"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gridplan/geo/crs"
	"gridplan/geo/feature"
	"gridplan/geo/format"
	"gridplan/geo/plan/plantest"
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

// TestEmptyOptionalLayers: a compounds or barriers layer without features
// (a district without walled compounds or rivers, in a batch over
// districts), in GeoJSON or as a Shapefile of no records, is planned as
// without the layer, with one warning naming the file. An empty
// buildings or communities layer is refused.
func TestEmptyOptionalLayers(t *testing.T) {
	dir := t.TempDir()
	var fs []string
	for i := 0; i < 6; i++ {
		fs = append(fs, plantest.Building(fmt.Sprintf("B%d", i), "100", plantest.Square(113.3+float64(i)*0.0004, 40.08)))
	}
	bpath := filepath.Join(dir, "buildings.geojson")
	must(t, os.WriteFile(bpath, []byte(plantest.Collection(fs...)), 0o644))
	none := filepath.Join(dir, "none.geojson")
	must(t, os.WriteFile(none, []byte(`{"type":"FeatureCollection","features":[]}`), 0o644))
	files, err := format.Encode("nothing", []feature.Field{{Name: "id", Type: feature.String}}, nil, format.WriteOptions{Kind: format.Shapefile, System: crs.WGS84})
	must(t, err)
	for _, f := range files {
		must(t, os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644))
	}
	noRecords := filepath.Join(dir, "nothing.shp")

	plain := partitionGrids(t, bpath, filepath.Join(dir, "plain"))
	for i, tc := range []struct{ flag, file, what string }{
		{"--compounds", none, "compounds"}, {"--barriers", none, "barriers"},
		{"--compounds", noRecords, "compounds"}, {"--barriers", noRecords, "barriers"},
	} {
		out := filepath.Join(dir, fmt.Sprint("o", i))
		code, _, stderr := gridplan(t, "partition", "--out", out, tc.flag, tc.file, bpath)
		if code != 0 {
			t.Errorf("%s %s: exit %d, want 0\n%s", tc.flag, tc.file, code, stderr)
			continue
		}
		want := "gridplan: warning: " + tc.file + ": empty_layer: layer has no features: planned without " + tc.what + "\n"
		if strings.Count(stderr, "empty_layer") != 1 || !strings.Contains(stderr, want) {
			t.Errorf("%s %s: stderr lacks %q once:\n%s", tc.flag, tc.file, want, stderr)
		}
		var n int
		for _, w := range statsOf(t, out).Warnings {
			if w.Kind == "empty_layer" && w.File == tc.file && w.Index == -1 {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s %s: %d empty_layer warnings in stats.json, want 1", tc.flag, tc.file, n)
		}
		if got := partitionGrids(t, bpath, filepath.Join(dir, fmt.Sprint("p", i)), tc.flag, tc.file); !maps.Equal(got, plain) {
			t.Errorf("%s %s: grids %v, want those without the layer %v", tc.flag, tc.file, got, plain)
		}
	}
	for _, args := range [][]string{{"--communities", none, bpath}, {"--communities", noRecords, bpath}, {none}, {noRecords}} {
		code, _, stderr := gridplan(t, append([]string{"partition", "--out", filepath.Join(dir, "refused")}, args...)...)
		if code != 2 || !strings.Contains(stderr, "layer has no features") {
			t.Errorf("partition %v: exit %d, want 2 with the layer refused\n%s", args, code, stderr)
		}
	}
}
