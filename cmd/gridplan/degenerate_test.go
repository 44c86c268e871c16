package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func point(lon, lat float64) string {
	return fmt.Sprintf(`{"type":"Point","coordinates":[%g,%g]}`, lon, lat)
}

// TestPartitionDegenerate runs partition on inputs that break naive
// triangulations and checks every hard rule and, where the band is
// reachable, that every grid is in it.
func TestPartitionDegenerate(t *testing.T) {
	many := func(n int, households string, at func(i int) string) string {
		var fs []string
		for i := 0; i < n; i++ {
			fs = append(fs, building(fmt.Sprintf("B%d", i), households, at(i)))
		}
		return collection(fs...)
	}
	for _, tc := range []struct {
		name      string
		buildings string
		inBand    bool // every grid must be in band
	}{
		{"single building", many(1, "350", func(int) string { return square(113.3, 40.08) }), true},
		{"co-located points", many(10, "50", func(int) string { return point(113.3, 40.08) }), true},
		{"collinear points", many(20, "50", func(i int) string { return point(113.3+float64(i)*0.0002, 40.08) }), true},
		{"exact lattice", many(64, "40", func(i int) string { return point(113.3+float64(i%8)*0.0003, 40.08+float64(i/8)*0.0003) }), true},
		{"near-duplicate points", many(12, "60", func(i int) string { return point(113.3+float64(i%2)*1e-9, 40.08+float64(i/2)*0.0004) }), true},
		{"lattice of squares", many(36, "45", func(i int) string { return square(113.3+float64(i%6)*0.0003, 40.08+float64(i/6)*0.0003) }), true},
		{"all empty", many(5, "0", func(i int) string { return square(113.3+float64(i)*0.0003, 40.08) }), false},
		// Buildings standing on one another: no boundary can run between
		// them, so each pair shares a grid, even one of 700 households.
		{"co-located towers", many(2, "350", func(int) string { return point(113.3, 40.08) }), false},
		{"footprint digitised twice", collection(append(rowOf(6, "80"),
			building("T1", "350", square(113.3, 40.081)), building("T1-copy", "350", square(113.3, 40.081)))...), false},
		{"towers digitised across each other", collection(append(rowOf(6, "80"),
			building("T1", "350", bigSquare(113.3, 40.081)), building("T2", "350", bigSquare(113.30025, 40.081)))...), false},
		// Towers on a podium, drawn as footprints inside the podium's: each
		// tower is its own building, the podium may be cut by grids.
		{"towers on a podium", collection(append(rowOf(6, "80"),
			building("P", "0", bigSquare(113.3, 40.081)),
			building("T1", "250", square(113.30005, 40.08105)), building("T2", "250", square(113.30025, 40.08105)),
			building("T3", "250", square(113.30005, 40.08125)), building("T4", "250", square(113.30025, 40.08125)))...), false},
		{"footprints and a point inside a footprint", collection(append(rowOf(6, "80"),
			building("T1", "200", bigSquare(113.3, 40.081)), building("T1-unit", "200", square(113.30005, 40.08105)),
			building("T1-entrance", "200", point(113.3001, 40.0811)))...), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			pf := planFiles{buildings: filepath.Join(dir, "b.geojson"), out: filepath.Join(dir, "out"), min: 300, max: 500}
			must(t, os.WriteFile(pf.buildings, []byte(tc.buildings), 0o644))
			code, stdout, stderr := gridplan(t, pf.args()...)
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			misses, _ := checkInvariants(t, pf)
			checkTiling(t, pf.out)
			if tc.inBand && (misses > 0 || strings.Contains(stdout, "out of band")) {
				t.Errorf("grids out of band:\n%s", stdout)
			}
		})
	}
}

// rowOf is a row of n square buildings of the given households.
func rowOf(n int, households string) []string {
	var fs []string
	for i := 0; i < n; i++ {
		fs = append(fs, building(fmt.Sprintf("R%d", i), households, square(113.3+float64(i)*0.0003, 40.08)))
	}
	return fs
}

// bigSquare is a footprint four times the size of square's.
func bigSquare(lon, lat float64) string {
	const d = 0.0004
	return fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%[1]g,%[2]g],[%[3]g,%[2]g],[%[3]g,%[4]g],[%[1]g,%[4]g],[%[1]g,%[2]g]]]}`, lon, lat, lon+d, lat+d)
}
