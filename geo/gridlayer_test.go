package geo_test

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"gridplan/geo"
	"gridplan/geo/audit"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// FuzzLoadGrids feeds arbitrary bytes to the grid-layer loader: it must
// reject bad files with a file or feature error, never panic, and return
// grids with unique codes whose repaired geometry is closed rings in
// longitude/latitude range. The grids it accepts are audited against an
// empty district, which must not panic either.
func FuzzLoadGrids(f *testing.F) {
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[116.4,39.9],[116.401,39.9],[116.401,39.901],[116.4,39.9]]]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[116.4,39.9],[116.401,39.901],[116.401,39.9],[116.4,39.901]]]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A","community":"C1","type":"dedicated"},"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[2,2],[3,2],[3,3],[2,2]]]]}},{"type":"Feature","properties":{"code":"B"},"geometry":null}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[0,0]}}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]],[[2,2],[3,2],[3,3],[2,2]]]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		gs, err := geo.LoadGrids("grids.geojson", bytes.NewReader(data), "")
		if err != nil {
			var fe *geo.FeatureError
			var fileErr *geo.FileError
			if !errors.As(err, &fe) && !errors.As(err, &fileErr) {
				t.Fatalf("error %T (%v) is neither FeatureError nor FileError", err, err)
			}
			return
		}
		seen := map[string]bool{}
		for i, g := range gs {
			if g.Index != i {
				t.Errorf("grid %d: Index %d", i, g.Index)
			}
			if g.Code == "" || seen[g.Code] {
				t.Errorf("grid %d: code %q empty or repeated", i, g.Code)
			}
			seen[g.Code] = true
			if g.Invalid == "" && g.Raw != nil && !sameArea(g.Raw, g.Geometry) {
				t.Errorf("grid %s: valid, but its geometry differs from the raw one", g.Code)
			}
			for _, p := range g.Geometry {
				for _, r := range p {
					if len(r) < 4 || r[0] != r[len(r)-1] {
						t.Errorf("grid %s: repaired ring of %d points, open or too short", g.Code, len(r))
					}
					for _, v := range r {
						if v[0] < -180 || v[0] > 180 || v[1] < -90 || v[1] > 90 {
							t.Errorf("grid %s: vertex %v outside longitude/latitude range", g.Code, v)
						}
					}
				}
				if planar.Area(p) < 0 {
					t.Errorf("grid %s: repaired polygon of negative area", g.Code)
				}
			}
		}
		audit.Audit(nil, gs, nil, nil)
	})
}

// sameArea reports whether two polygons (the second oriented, the first as
// given) have the same parts of the same area.
func sameArea(raw, geometry orb.MultiPolygon) bool {
	if len(raw) != len(geometry) {
		return false
	}
	for i := range raw {
		a, b := math.Abs(planar.Area(raw[i])), planar.Area(geometry[i])
		if math.Abs(a-b) > 1e-9*max(a, b, 1e-12) {
			return false
		}
	}
	return true
}

// TestLoadGridsCodes: a grid without the code property, and one whose
// code is blank, are each refused saying which, though they have ids.
func TestLoadGridsCodes(t *testing.T) {
	sq := `"geometry":{"type":"Polygon","coordinates":[[[116.4,39.9],[116.401,39.9],[116.401,39.901],[116.4,39.9]]]}`
	// Feature ids (a GeoPackage's primary keys number its rows) are no
	// code.
	layer := `{"type":"FeatureCollection","features":[{"type":"Feature","id":1,"properties":{"name":"x"},` + sq + `},{"type":"Feature","id":2,"properties":{"code":"  "},` + sq + `}]}`
	_, err := geo.LoadGrids("g.geojson", strings.NewReader(layer), "")
	var le *geo.LayerError
	if !errors.As(err, &le) || len(le.Features) != 2 || !errors.Is(err, geo.ErrMissingCode) ||
		!strings.Contains(le.Features[0].Error(), `no "code" property`) || !strings.Contains(le.Features[1].Error(), `"code" is blank`) {
		t.Errorf("LoadGrids = %v; want feature 0 without a code, feature 1's blank", err)
	}
}

// TestLoadGridsAudit: for an audit, a code left blank, absent or given
// twice is no error: the grid gets a code of its own, and says why.
func TestLoadGridsAudit(t *testing.T) {
	sq := `"geometry":{"type":"Polygon","coordinates":[[[116.4,39.9],[116.401,39.9],[116.401,39.901],[116.4,39.9]]]}`
	layer := `{"type":"FeatureCollection","features":[` +
		`{"type":"Feature","properties":{"code":"A"},` + sq + `},` +
		`{"type":"Feature","properties":{"code":"A"},` + sq + `},` +
		`{"type":"Feature","properties":{"code":""},` + sq + `},` +
		`{"type":"Feature","properties":{"name":"x"},` + sq + `}]}`
	if _, err := geo.LoadGrids("g.geojson", strings.NewReader(layer), ""); err == nil {
		t.Fatal("LoadGrids took the codes")
	}
	gs, err := geo.LoadGridsAudit("g.geojson", strings.NewReader(layer), "")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ code, problem string }{
		{"A", ""}, {"A (feature 1)", `code "A" is also feature 0's`}, {"(feature 2)", `"code" is blank`}, {"(feature 3)", `no "code" property`},
	}
	for i, w := range want {
		if gs[i].Code != w.code || gs[i].CodeProblem != w.problem || len(gs[i].Geometry) != 1 {
			t.Errorf("grid %d: code %q, problem %q, %d polygons; want %q, %q and its polygon", i, gs[i].Code, gs[i].CodeProblem, len(gs[i].Geometry), w.code, w.problem)
		}
	}
}
