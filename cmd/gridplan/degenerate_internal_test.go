package main

import (
	"fmt"
	"gridplan/geo/plan/plantest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPartitionDegenerate runs partition on inputs that break naive
// triangulations and checks every hard rule and, where the band is
// reachable, that every grid is in it.
func TestPartitionDegenerate(t *testing.T) {
	many := func(n int, households string, at func(i int) string) string {
		var fs []string
		for i := 0; i < n; i++ {
			fs = append(fs, plantest.Building(fmt.Sprintf("B%d", i), households, at(i)))
		}
		return plantest.Collection(fs...)
	}
	for _, tc := range []struct {
		name      string
		buildings string
		inBand    bool // every grid must be in band
	}{
		{"single building", many(1, "350", func(int) string { return plantest.Square(113.3, 40.08) }), true},
		{"co-located points", many(10, "50", func(int) string { return plantest.Point(113.3, 40.08) }), true},
		{"collinear points", many(20, "50", func(i int) string { return plantest.Point(113.3+float64(i)*0.0002, 40.08) }), true},
		{"exact lattice", many(64, "40", func(i int) string { return plantest.Point(113.3+float64(i%8)*0.0003, 40.08+float64(i/8)*0.0003) }), true},
		{"near-duplicate points", many(12, "60", func(i int) string { return plantest.Point(113.3+float64(i%2)*1e-9, 40.08+float64(i/2)*0.0004) }), true},
		{"lattice of squares", many(36, "45", func(i int) string { return plantest.Square(113.3+float64(i%6)*0.0003, 40.08+float64(i/6)*0.0003) }), true},
		{"all empty", many(5, "0", func(i int) string { return plantest.Square(113.3+float64(i)*0.0003, 40.08) }), false},
		// Buildings standing on one another: no boundary can run between
		// them, so each pair shares a grid, even one of 700 households.
		{"co-located towers", many(2, "350", func(int) string { return plantest.Point(113.3, 40.08) }), false},
		{"footprint digitised twice", plantest.Collection(append(rowOf(6, "80"),
			plantest.Building("T1", "350", plantest.Square(113.3, 40.081)), plantest.Building("T1-copy", "350", plantest.Square(113.3, 40.081)))...), false},
		{"towers digitised across each other", plantest.Collection(append(rowOf(6, "80"),
			plantest.Building("T1", "350", plantest.BigSquare(113.3, 40.081)), plantest.Building("T2", "350", plantest.BigSquare(113.30025, 40.081)))...), false},
		// Towers on a podium, drawn as footprints inside the podium's: each
		// tower is its own building, the podium may be cut by grids.
		{"towers on a podium", plantest.Collection(append(rowOf(6, "80"),
			plantest.Building("P", "0", plantest.BigSquare(113.3, 40.081)),
			plantest.Building("T1", "250", plantest.Square(113.30005, 40.08105)), plantest.Building("T2", "250", plantest.Square(113.30025, 40.08105)),
			plantest.Building("T3", "250", plantest.Square(113.30005, 40.08125)), plantest.Building("T4", "250", plantest.Square(113.30025, 40.08125)))...), false},
		{"footprints and a point inside a footprint", plantest.Collection(append(rowOf(6, "80"),
			plantest.Building("T1", "200", plantest.BigSquare(113.3, 40.081)), plantest.Building("T1-unit", "200", plantest.Square(113.30005, 40.08105)),
			plantest.Building("T1-entrance", "200", plantest.Point(113.3001, 40.0811)))...), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			pf := plantest.Files{Buildings: filepath.Join(dir, "b.geojson"), Out: filepath.Join(dir, "out"), Min: 300, Max: 500}
			must(t, os.WriteFile(pf.Buildings, []byte(tc.buildings), 0o644))
			code, stdout, stderr := gridplan(t, pf.Args()...)
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, stderr)
			}
			misses, _ := plantest.CheckInvariants(t, pf)
			checkTiling(t, pf.Out)
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
		fs = append(fs, plantest.Building(fmt.Sprintf("R%d", i), households, plantest.Square(113.3+float64(i)*0.0003, 40.08)))
	}
	return fs
}
