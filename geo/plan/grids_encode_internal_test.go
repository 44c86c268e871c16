package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// TestGridsGeoJSONThreads: grids.geojson, encoded in parallel runs of
// grids, is the same bytes on one thread and on several, a valid
// FeatureCollection with one feature a line, in grid order, empty grids
// and multipart ones included.
func TestGridsGeoJSONThreads(t *testing.T) {
	const n = 5*gridsPerEncoder + 3
	shapes := &gridShapes{written: make([]orb.MultiPolygon, n)}
	table := make([]GridStats, n)
	for i := range n {
		x, y := 113+float64(i)*1e-3, 40+float64(i%7)*1e-3
		sq := orb.Polygon{{{x, y}, {x + 5e-4, y}, {x + 5e-4, y + 5e-4}, {x, y + 5e-4}, {x, y}}}
		switch i % 5 {
		case 0: // no polygon
		case 1:
			shapes.written[i] = orb.MultiPolygon{sq, sq}
		default:
			shapes.written[i] = orb.MultiPolygon{sq}
		}
		table[i] = GridStats{Code: fmt.Sprintf("C%04d", i), Community: "C", Households: 300 + i, AreaM2: float64(i) / 3, Status: "in_band"}
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	one := gridsGeoJSON(shapes, table, "")
	for _, procs := range []int{2, 3, 8} {
		runtime.GOMAXPROCS(procs)
		if got := gridsGeoJSON(shapes, table, ""); !bytes.Equal(got, one) {
			t.Errorf("gridsGeoJSON on %d threads differs from on one", procs)
		}
	}
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Properties struct {
				Code string `json:"code"`
			} `json:"properties"`
			Geometry *struct {
				Type string `json:"type"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(one, &fc); err != nil {
		t.Fatalf("gridsGeoJSON is not JSON: %v", err)
	}
	if len(fc.Features) != n {
		t.Fatalf("gridsGeoJSON has %d features, want %d", len(fc.Features), n)
	}
	for i, f := range fc.Features {
		if f.Properties.Code != table[i].Code {
			t.Fatalf("feature %d is grid %s, want %s", i, f.Properties.Code, table[i].Code)
		}
		want := "Polygon"
		switch i % 5 {
		case 0:
			want = ""
		case 1:
			want = "MultiPolygon"
		}
		got := ""
		if f.Geometry != nil {
			got = f.Geometry.Type
		}
		if got != want {
			t.Errorf("feature %d geometry %q, want %q", i, got, want)
		}
	}
	if lines := bytes.Count(one, []byte("\n")); lines != n+2 {
		t.Errorf("gridsGeoJSON has %d lines, want %d (one a feature)", lines, n+2)
	}
}

// TestGridFeatureAsJSONMarshal holds gridFeature, which writes the
// coordinates itself, to json.Marshal of the feature as a map: the same
// bytes for lon/lat, metres, tiny, huge, negative and zero coordinates,
// nil and empty rings, multipart and missing geometry, and names that
// need escaping.
func TestGridFeatureAsJSONMarshal(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	num := func() float64 {
		switch r.IntN(8) {
		case 0:
			return 0
		case 1:
			return math.Copysign(0, -1)
		case 2:
			return (r.Float64() - 0.5) * 1e-7 // exponent form, e-7 and e-8
		case 3:
			return math.Ldexp(r.Float64(), -40-r.IntN(900))
		case 4:
			return (r.Float64() + 1) * 1e21 * float64(1+r.IntN(1000))
		case 5:
			return 39512345.25 + r.Float64()
		}
		return 113 + r.Float64()
	}
	for trial := range 3000 {
		var mp orb.MultiPolygon
		for range r.IntN(4) {
			var p orb.Polygon
			switch r.IntN(6) {
			case 0: // nil polygon
			case 1:
				p = orb.Polygon{}
			default:
				for range 1 + r.IntN(3) {
					var ring orb.Ring
					if r.IntN(8) > 0 {
						ring = orb.Ring{}
						for range r.IntN(7) {
							ring = append(ring, orb.Point{num(), num()})
						}
					}
					p = append(p, ring)
				}
			}
			mp = append(mp, p)
		}
		g := GridStats{Code: fmt.Sprintf("C<%d>&\" ", trial), Community: "社区", Type: "residential",
			Households: r.IntN(900), AreaM2: num(), PerimeterM: r.Float64() * 1e4, PolsbyPopper: r.Float64(),
			Status: "under", Reason: "indivisible_units"}
		var geom any
		switch len(mp) {
		case 0:
		case 1:
			geom = map[string]any{"type": "Polygon", "coordinates": mp[0]}
		default:
			geom = map[string]any{"type": "MultiPolygon", "coordinates": mp}
		}
		props := map[string]any{
			"code": g.Code, "community": g.Community, "type": g.Type,
			"households": g.Households, "buildings": g.Buildings, "shops": g.Shops,
			"compounds": g.Compounds, "split_compound": g.SplitCompound,
			"area_m2": g.AreaM2, "perimeter_m": g.PerimeterM, "polsby_popper": g.PolsbyPopper,
			"pieces": g.Pieces, "status": g.Status, "reason": g.Reason,
		}
		want, err := json.Marshal(map[string]any{"type": "Feature", "properties": props, "geometry": geom})
		if err != nil {
			t.Fatal(err)
		}
		if got := gridFeature(mp, g); !bytes.Equal(got, want) {
			t.Fatalf("trial %d:\ngot  %s\nwant %s", trial, got, want)
		}
	}
}

// TestValidityRepairs: a written grid polygon that only spikes or parts
// meeting along an edge make invalid (as the written vertices can, put
// exactly where the layers have them) is replaced by the same area made
// valid; one invalid otherwise stays so.
func TestValidityRepairs(t *testing.T) {
	sq := func(x float64) orb.Polygon {
		return orb.Polygon{{{x, 0}, {x + 1, 0}, {x + 1, 1}, {x, 1}, {x, 0}}}
	}
	spike := orb.Polygon{{{5, 5}, {5, 6}, {5, 7}, {5, 6}, {5, 5}}}
	bowtie := orb.Polygon{{{0, 0}, {1, 1}, {1, 0}, {0, 1}, {0, 0}}}
	// A square whose corner (1,1) has a tip a micrometre out and back to a
	// point beside it.
	tip := orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {1 + 1e-12, 1 + 1e-6}, {1 + 1e-14, 1}, {0, 1}, {0, 0}}}
	grids := []orb.MultiPolygon{{sq(0), sq(1)}, {sq(0), spike}, {bowtie}, {tip}}
	invalid := validity(grids, nil)
	for g, want := range []int{1, 1, -1, 1} {
		switch {
		case want < 0 && invalid[g] == nil:
			t.Errorf("grid %d: a bow-tie taken for valid: %v", g, grids[g])
		case want > 0 && (invalid[g] != nil || len(grids[g]) != want):
			t.Errorf("grid %d: %v, %v; want one valid part", g, grids[g], invalid[g])
		}
	}
	if slices.Contains(grids[3][0][0], orb.Point{1 + 1e-12, 1 + 1e-6}) {
		t.Errorf("the tip stayed: %v", grids[3])
	}
	if a, _ := shape.AreaPerimeter(grids[0]); math.Abs(a-2) > 1e-12 {
		t.Errorf("two squares along an edge made %v, area %g; want 2", grids[0], a)
	}
}

// TestValidityKeepsNarrowInlet: a grid in Gauss–Krüger metres with the
// zone in its eastings, made invalid by a spike a third of a millimetre
// wide where a kept polygon met a drawn one, along an edge with an inlet 3
// mm wide and 1.75 m deep that the community outline has. The spike goes;
// the inlet stays (1e-10 of the eastings is 3.9 mm, and it went too: the
// grid then covered 0.003 m² outside its community).
func TestValidityKeepsNarrowInlet(t *testing.T) {
	x, y := 38622800.0, 4307000.0
	ring := orb.Ring{
		{x, y}, {x + 400, y},
		{x + 400, y + 60}, {x + 400.0003, y + 60}, {x + 400, y + 60}, // the spike
		{x + 400, y + 100},
		{x + 181.5668, y + 100}, {x + 181.5019, y + 98.25}, {x + 181.5638, y + 100}, // the inlet
		{x, y + 100}, {x, y},
	}
	grids := []orb.MultiPolygon{{{ring}}}
	if invalid := validity(grids, nil); invalid[0] != nil {
		t.Fatalf("not repaired: %v", invalid[0])
	}
	got := grids[0][0][0]
	if slices.Contains(got, orb.Point{x + 400.0003, y + 60}) {
		t.Errorf("the spike stayed: %v", got)
	}
	if !slices.Contains(got, orb.Point{x + 181.5019, y + 98.25}) || len(got) != len(ring)-2 {
		t.Errorf("the inlet went: %v", got)
	}
}
