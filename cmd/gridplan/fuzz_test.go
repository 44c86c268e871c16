package main

import (
	"bytes"
	"testing"

	"gridplan/geo"
	"gridplan/partition"
)

// FuzzPipeline runs loading, atoms, tessellation, search and grid drawing
// on fuzzed buildings layers: rejecting input is fine, panicking is not,
// and every accepted layer gets a plan that covers every building.
//
//	go test -fuzz=FuzzPipeline ./cmd/gridplan
func FuzzPipeline(f *testing.F) {
	f.Add([]byte(collection(building("B1", "100", square(113.3, 40.08)), building("B2", "250", square(113.3002, 40.08)))))
	f.Add([]byte(collection(building("B1", "100", point(113.3, 40.08)), building("B2", "100", point(113.3, 40.08)), building("B3", "120", point(113.3, 40.0801)))))
	f.Add([]byte(collection(building("B1", "400", `{"type":"MultiPolygon","coordinates":[[[[113.3,40.08],[113.3001,40.08],[113.3001,40.0801],[113.3,40.08]]],[[[113.301,40.08],[113.3011,40.08],[113.3011,40.0801],[113.301,40.08]]]]}`))))
	// Buildings standing on one another: a copy, a point inside, towers on
	// a podium.
	f.Add([]byte(collection(building("B1", "300", square(113.3, 40.08)), building("B1c", "300", square(113.3, 40.08)),
		building("U", "20", point(113.30005, 40.08005)), building("P", "0", bigSquare(113.301, 40.08)),
		building("T1", "250", square(113.30105, 40.08005)), building("T2", "250", square(113.30125, 40.08025)))))
	f.Fuzz(func(t *testing.T, data []byte) {
		bs, _, err := geo.LoadBuildings("fuzz.geojson", bytes.NewReader(data), geo.DefaultFields())
		if err != nil || len(bs) > 200 {
			return
		}
		d, err := newDistrict(bs, geo.NewProjection(geo.CenterOf(bs)), atomOptions{max: 500})
		if err != nil {
			return // a tessellation error is reported, not a crash
		}
		res, err := partition.Solve(d.problem, nil)
		if err != nil {
			t.Fatalf("Solve: %v", err)
		}
		if _, err := d.drawGrids(res, nil); err != nil {
			return
		}
		for i := range bs {
			if g := res.AtomGrid[d.atomOf[i]]; g < 0 || g >= len(res.Grids) {
				t.Fatalf("building %d in grid %d of %d", i, g, len(res.Grids))
			}
		}
	})
}
