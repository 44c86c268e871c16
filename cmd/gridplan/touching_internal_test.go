package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gridplan/geo/plan"
	"gridplan/geo/plan/plantest"
)

// touchLon, touchLat is the south-west corner of the community of the
// touching-footprint cases.
const touchLon, touchLat = 116.4, 39.9

// box is a GeoJSON polygon from (lon0, lat0) to (lon1, lat1).
func box(lon0, lat0, lon1, lat1 float64) string {
	return fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%[1]v,%[2]v],[%[3]v,%[2]v],[%[3]v,%[4]v],[%[1]v,%[4]v],[%[1]v,%[2]v]]]}`, lon0, lat0, lon1, lat1)
}

// scattered is n square buildings of the given households on a lattice in
// the south of the touching cases' community, clear of the north where the
// cases put their footprints.
func scattered(n int, households string) []string {
	var fs []string
	for i := range n {
		lon := touchLon + 0.0003 + float64(i%6)*0.0005
		lat := touchLat + 0.0003 + float64(i/6)*0.0004
		fs = append(fs, plantest.Building(fmt.Sprintf("S%d", i), households, plantest.Square(lon, lat)))
	}
	return fs
}

// rowHouses is a row of n footprints of width dLon (degrees) from lon,
// lat, each drawn overlap degrees into the next (0: sharing its wall
// exactly).
func rowHouses(prefix string, n int, lon, lat, dLon, overlap float64, households string) []string {
	var fs []string
	for i := range n {
		x0 := lon + float64(i)*dLon
		x1 := lon + float64(i+1)*dLon
		if i+1 < n {
			x1 += overlap
		}
		fs = append(fs, plantest.Building(fmt.Sprintf("%s%d", prefix, i), households, box(x0, lat, x1, lat+0.00009)))
	}
	return fs
}

// touchingRun partitions buildings in a one-community layer and returns the
// plan's files.
func touchingRun(t *testing.T, buildings []string) plantest.Files {
	t.Helper()
	dir := t.TempDir()
	pf := plantest.Files{Buildings: filepath.Join(dir, "b.geojson"), Communities: filepath.Join(dir, "c.geojson"), Out: filepath.Join(dir, "out"), Min: 300, Max: 500}
	must(t, os.WriteFile(pf.Buildings, []byte(plantest.Collection(buildings...)), 0o644))
	must(t, os.WriteFile(pf.Communities, []byte(plantest.Collection(squareRegion("C", touchLon, touchLat, 0.004))), 0o644))
	if code, _, stderr := gridplan(t, pf.Args()...); code != 0 {
		t.Fatalf("partition: exit %d\n%s", code, stderr)
	}
	return pf
}

// checkWhole asserts what the touching cases share: the hard rules, the
// tiling with every grid one polygon, and every footprint whole in its
// grid except where it overlaps another footprint (plantest.CheckGeometry).
func checkWhole(t *testing.T, pf plantest.Files) {
	t.Helper()
	plantest.CheckInvariants(t, pf)
	checkTiling(t, pf.Out)
	var s plan.Stats
	data, err := os.ReadFile(filepath.Join(pf.Out, "stats.json"))
	must(t, err)
	must(t, json.Unmarshal(data, &s))
	for _, g := range s.Grids {
		if g.Pieces != 1 {
			t.Errorf("grid %s: %d pieces, want 1", g.Code, g.Pieces)
		}
	}
}

// sameGrid asserts that the buildings ids share one grid.
func sameGrid(t *testing.T, pf plantest.Files, ids ...string) {
	t.Helper()
	gridOf := readAssignment(t, filepath.Join(pf.Out, "assignment.csv"))
	for _, id := range ids[1:] {
		if gridOf[id] != gridOf[ids[0]] {
			t.Errorf("building %s in grid %s, %s in %s: want one grid", id, gridOf[id], ids[0], gridOf[ids[0]])
		}
	}
}

// TestPodiumWhole: three towers of 150 households standing in a podium
// (450, within the band) are one unit with the podium, drawn with its
// whole footprint. Towers of 200 (600 together) cannot share a grid: the
// podium is crossed, as its warning says, and every other footprint is
// whole.
func TestPodiumWhole(t *testing.T) {
	for _, tc := range []struct {
		households string
		whole      bool
	}{{"150", true}, {"200", false}} {
		t.Run(tc.households, func(t *testing.T) {
			fs := scattered(12, "80")
			x, y := touchLon+0.0015, touchLat+0.0022
			fs = append(fs, plantest.Building("P", "0", box(x, y, x+0.0005, y+0.0004)),
				plantest.Building("T1", tc.households, plantest.Square(x+0.00005, y+0.00005)),
				plantest.Building("T2", tc.households, plantest.Square(x+0.0002, y+0.00005)),
				plantest.Building("T3", tc.households, plantest.Square(x+0.00035, y+0.00025)))
			pf := touchingRun(t, fs)
			if tc.whole {
				checkWhole(t, pf)
				sameGrid(t, pf, "P", "T1", "T2", "T3")
				return
			}
			// Every footprint whole but P's, which its warning lets grids
			// cross (plantest.CheckGeometry).
			plantest.CheckInvariants(t, pf)
			checkTiling(t, pf.Out)
			var s plan.Stats
			data, err := os.ReadFile(filepath.Join(pf.Out, "stats.json"))
			must(t, err)
			must(t, json.Unmarshal(data, &s))
			warned := false
			for _, w := range s.Warnings {
				warned = warned || w.ID == "P" && w.Kind == "container_footprint" && strings.Contains(w.Note, "grids may cross it")
			}
			if !warned {
				t.Errorf("no container_footprint warning saying that grids may cross P: %+v", s.Warnings)
			}
		})
	}
}

// TestRowHouses: row houses sharing their walls exactly, a few centimetres
// apart, or drawn up to half a metre into each other (tiles merged), in
// rows square to the axes and slanted, beside other buildings.
func TestRowHouses(t *testing.T) {
	for _, tc := range []struct {
		name    string
		overlap float64 // degrees of longitude; 1e-5 is about 0.85 m here; negative: a gap
		slant   bool
	}{
		{"shared walls", 0, false},
		{"gap 5 cm", -0.06e-5, false},
		{"overlap 1 mm", 0.0012e-5, false},
		{"overlap 1 cm", 0.012e-5, false},
		{"overlap 0.1 m", 0.12e-5, false},
		{"overlap 0.5 m", 0.6e-5, false},
		{"slanted shared walls", 0, true},
		{"slanted overlap 1 cm", 0.012e-5, true},
		{"slanted overlap 0.25 m", 0.3e-5, true},
	} {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			fs := scattered(12, "60")
			if tc.slant {
				fs = append(fs, slantedRow(10, tc.overlap)...)
			} else {
				fs = append(fs, rowHouses("H", 10, touchLon+0.0008, touchLat+0.0025, 0.0001, tc.overlap, "40")...)
				fs = append(fs, rowHouses("K", 6, touchLon+0.0008, touchLat+0.0034, 0.00012, tc.overlap, "70")...)
			}
			checkWhole(t, touchingRun(t, fs))
		})
	}
}

// slantedRow is a row of n parallelograms of 40 households climbing to the
// north-east, each drawn overlap degrees into the next.
func slantedRow(n int, overlap float64) []string {
	var fs []string
	for i := range n {
		x0 := touchLon + 0.0008 + float64(i)*0.0001
		y0 := touchLat + 0.0025 + float64(i)*0.00003
		x1, y1 := x0+0.0001+overlap, y0+0.00003+0.3*overlap
		g := fmt.Sprintf(`{"type":"Polygon","coordinates":[[[%v,%v],[%v,%v],[%v,%v],[%v,%v],[%v,%v]]]}`,
			x0, y0, x1, y1, x1-0.00002, y1+0.00009, x0-0.00002, y0+0.00009, x0, y0)
		fs = append(fs, plantest.Building(fmt.Sprintf("H%d", i), "40", g))
	}
	return fs
}

// TestDuplicateShifted: a footprint drawn twice, 3 cm apart, under two ids.
func TestDuplicateShifted(t *testing.T) {
	fs := scattered(12, "80")
	const shift = 0.035e-5 // about 3 cm
	x, y := touchLon+0.0015, touchLat+0.0025
	fs = append(fs, plantest.Building("D", "90", box(x, y, x+0.0002, y+0.00015)),
		plantest.Building("D-copy", "90", box(x+shift, y+shift, x+0.0002+shift, y+0.00015+shift)),
		plantest.Building("E", "90", box(x+0.0002, y, x+0.0004, y+0.00015)))
	pf := touchingRun(t, fs)
	checkWhole(t, pf)
	sameGrid(t, pf, "D", "D-copy")
}

// metresLonLat maps metres east and north of touchLon, touchLat to lon/lat.
func metresLonLat(x, y float64) (float64, float64) {
	return touchLon + x/85300, touchLat + y/111000
}

// TestStrayPieces: in a community with a hook-shaped arm whose tip bends
// back over the main body (draw's hookCase, in lon/lat), the cell of a
// body building reaching under the tip is cut off from it by the outline;
// that stray piece goes to the grid around it, also when two footprints of
// the two grids overlap by 30 cm.
func TestStrayPieces(t *testing.T) {
	outline := [][2]float64{{0, 0}, {140, 0}, {140, 220}, {10, 220}, {10, 150}, {30, 150}, {30, 200}, {120, 200},
		{120, 20}, {100, 20}, {100, 100}, {0, 100}, {0, 0}}
	var ring []string
	for _, p := range outline {
		x, y := metresLonLat(p[0], p[1])
		ring = append(ring, fmt.Sprintf("[%v,%v]", x, y))
	}
	rect := func(x, y, w, h float64) string {
		x0, y0 := metresLonLat(x, y)
		x1, y1 := metresLonLat(x+w, y+h)
		return box(x0, y0, x1, y1)
	}
	var fs []string
	for i, p := range [][2]float64{{10, 10}, {50, 10}, {10, 50}, {50, 50}, {20, 85}, {45, 85}} {
		fs = append(fs, plantest.Building(fmt.Sprintf("B%d", i), "60", rect(p[0], p[1], 8, 8)))
	}
	fs = append(fs, plantest.Building("A", "350", rect(125, 60, 8, 8)),
		plantest.Building("R1", "30", rect(86, 4, 8, 8)), plantest.Building("R2", "30", rect(93.7, 4, 8, 8)))
	dir := t.TempDir()
	pf := plantest.Files{Buildings: filepath.Join(dir, "b.geojson"), Communities: filepath.Join(dir, "c.geojson"), Out: filepath.Join(dir, "out"), Min: 300, Max: 500}
	must(t, os.WriteFile(pf.Buildings, []byte(plantest.Collection(fs...)), 0o644))
	must(t, os.WriteFile(pf.Communities, []byte(plantest.Collection(
		`{"type":"Feature","properties":{"id":"C"},"geometry":{"type":"Polygon","coordinates":[[`+strings.Join(ring, ",")+`]]}}`)), 0o644))
	if code, _, stderr := gridplan(t, pf.Args()...); code != 0 {
		t.Fatalf("partition: exit %d\n%s", code, stderr)
	}
	checkWhole(t, pf)
	gridOf := readAssignment(t, filepath.Join(pf.Out, "assignment.csv"))
	if gridOf["R1"] == gridOf["R2"] {
		t.Errorf("R1 and R2 share grid %s: the case tests no overlap across grids", gridOf["R1"])
	}
}
