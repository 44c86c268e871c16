package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"gridplan/geo/geotest"
	"gridplan/geo/plan"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// checkTiling asserts the tiling rules of SPEC §4 on a written plan: one
// valid polygon feature per grid, counter-clockwise exteriors, the
// properties of SPEC §5, and, per community, the coverage check of
// stats.json within its tolerance (no gap, no overlap, nothing outside,
// every building inside its own grid). Gap and overlap are measured again,
// independently, by .ci/check_grids.py.
func checkTiling(t *testing.T, out string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(out, "grids.geojson"))
	must(t, err)
	fc, err := geojson.UnmarshalFeatureCollection(data)
	must(t, err)
	var s plan.Stats
	sdata, err := os.ReadFile(filepath.Join(out, "stats.json"))
	must(t, err)
	must(t, json.Unmarshal(sdata, &s))
	if len(fc.Features) != len(s.Grids) {
		t.Fatalf("grids.geojson has %d features, stats.json %d grids", len(fc.Features), len(s.Grids))
	}
	pieces := make([]orb.MultiPolygon, 0, len(fc.Features))
	for i, f := range fc.Features {
		code, _ := f.Properties["code"].(string)
		if code != s.Grids[i].Code {
			t.Errorf("feature %d: code %q, want %q", i, code, s.Grids[i].Code)
		}
		for _, key := range []string{"community", "type", "households", "buildings", "shops", "compounds", "split_compound", "area_m2", "perimeter_m", "polsby_popper", "status", "reason"} {
			if _, ok := f.Properties[key]; !ok {
				t.Errorf("grid %s: no property %q", code, key)
			}
		}
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			pieces = append(pieces, orb.MultiPolygon{g})
		case orb.MultiPolygon:
			pieces = append(pieces, g)
		default:
			t.Errorf("grid %s: geometry %T, want a Polygon or MultiPolygon", code, f.Geometry)
		}
	}
	// The grids of all communities: valid, RFC 7946 orientation, no edge
	// twice (no overlap); the overlay checks are the coverage figures below.
	geotest.CheckTiling(t, pieces, nil, 0)
	if !s.Coverage.OK {
		t.Errorf("coverage check failed: %+v", s.Coverage)
	}
	for _, c := range s.Communities {
		if c.Coverage != nil && !c.Coverage.OK {
			t.Errorf("community %s: coverage %+v", c.ID, *c.Coverage)
		}
	}
}
