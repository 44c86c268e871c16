package geo_test

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"gridplan/geo"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/peterstace/simplefeatures/geom"
)

// Metres per degree near Datong (40.08°N), from metresPerDegree; used to
// place test geometry a given distance away.
var mLon, mLat = metresPerDegree(40.08)

func loadFile[T any](t *testing.T, name string, load func(string, *os.File) (T, error)) T {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, err := load(name, f)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func smallLayers(t *testing.T) ([]geo.Building, []geo.Region) {
	t.Helper()
	bs := loadFile(t, "testdata/buildings_small.geojson", func(n string, f *os.File) ([]geo.Building, error) {
		bs, _, err := geo.LoadBuildings(n, f, geo.DefaultFields())
		return bs, err
	})
	cs := loadFile(t, "testdata/communities_small.geojson", func(n string, f *os.File) ([]geo.Region, error) {
		cs, _, err := geo.LoadRegions(n, f, "id", geo.DefaultSliverM2)
		return cs, err
	})
	return bs, cs
}

func TestAssignCommunities(t *testing.T) {
	bs, cs := smallLayers(t)
	ws, _, err := geo.AssignCommunities("buildings.geojson", bs, cs, geo.DefaultSnapM, geo.OutsideError, false)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"A", "A", "A", "B", "B"}
	for i, b := range bs {
		if b.Community != want[i] {
			t.Errorf("building %q assigned to %q, want %q", b.ID, b.Community, want[i])
		}
	}
	if len(ws) != 0 {
		t.Errorf("warnings = %v, want none", ws)
	}
}

// building returns a square footprint of side sideM metres whose west edge
// is at lon and south edge at lat.
func building(id string, lon, lat, sideM float64) geo.Building {
	d, e := sideM/mLon, sideM/mLat
	return geo.Building{ID: id, Households: 10, Geometry: orb.Polygon{{{lon, lat}, {lon + d, lat}, {lon + d, lat + e}, {lon, lat + e}, {lon, lat}}}}
}

func TestAssignCommunitiesEdges(t *testing.T) {
	_, cs := smallLayers(t)
	const east = 113.3060 // east edge of community B
	const west = 113.2990 // west edge of community A
	const boundary = 113.3025
	bs := []geo.Building{
		building("straddles, mostly B", boundary-5/mLon, 40.0800, 20),
		building("straddles, mostly A", boundary-15/mLon, 40.0800, 20),
		building("4 m east of B", east+(4-5)/mLon, 40.0800, 10), // centre 4 m outside
		{ID: "point on the A|B boundary", Geometry: orb.Point{boundary, 40.0805}},
		building("named", west+100/mLon, 40.0800, 10),
	}
	bs[4].Community = "B" // a property wins over location
	for i := range bs {
		bs[i].Index = i
	}
	ws, _, err := geo.AssignCommunities("b.geojson", bs, cs, geo.DefaultSnapM, geo.OutsideError, false)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"B", "A", "B", "A", "B"} {
		if bs[i].Community != want {
			t.Errorf("building %q assigned to %q, want %q", bs[i].ID, bs[i].Community, want)
		}
	}
	// The straddling ones are named, with the quarter of each outside.
	if len(ws) != 3 || ws[2].Kind != "snapped_to_community" || ws[2].Index != 2 || ws[2].File != "b.geojson" || !strings.Contains(ws[2].Note, "4.0 m") {
		t.Errorf("warnings = %+v, want a snapped_to_community for building 2, 4.0 m out, after two others", ws)
	}
	for i, c := range []string{"B", "A"} {
		if len(ws) > i && (ws[i].Kind != "across_community_boundary" || ws[i].Index != i || !strings.Contains(ws[i].Note, fmt.Sprintf("(25%%) of its footprint lies outside its community %q", c))) {
			t.Errorf("warning %d = %+v, want across_community_boundary, 25%% outside %s", i, ws[i], c)
		}
	}
}

func TestAssignCommunitiesBadInput(t *testing.T) {
	_, cs := smallLayers(t)
	for _, c := range []struct {
		name string
		b    geo.Building
		want error
	}{
		{"far outside", building("far", 113.3060+100/mLon, 40.0800, 10), geo.ErrOutsideCommunities},
		{"unknown community", func() geo.Building { b := building("named", 113.3, 40.08, 10); b.Community = "Z"; return b }(), geo.ErrUnknownCommunity},
	} {
		t.Run(c.name, func(t *testing.T) {
			bs := []geo.Building{building("ok", 113.3, 40.08, 10), c.b}
			bs[0].Index, bs[1].Index = 0, 7
			_, _, err := geo.AssignCommunities("buildings.geojson", bs, cs, geo.DefaultSnapM, geo.OutsideError, false)
			if !errors.Is(err, c.want) {
				t.Fatalf("AssignCommunities = %v, want %v", err, c.want)
			}
			for _, m := range []string{"buildings.geojson", "feature 7", `"` + c.b.ID + `"`} {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q does not mention %q", err, m)
				}
			}
		})
	}
}

func TestAssignCommunitiesNone(t *testing.T) {
	bs := []geo.Building{building("x", 113.3, 40.08, 10)}
	if ws, _, err := geo.AssignCommunities("b.geojson", bs, nil, geo.DefaultSnapM, geo.OutsideError, false); err != nil || ws != nil || bs[0].Community != "" {
		t.Errorf("AssignCommunities without communities = %v, %v, community %q; want nothing done", ws, err, bs[0].Community)
	}
}

func TestAssignCompounds(t *testing.T) {
	comp := []geo.Region{{ID: "C1", Geometry: orb.MultiPolygon{{{{113.3, 40.08}, {113.301, 40.08}, {113.301, 40.081}, {113.3, 40.081}, {113.3, 40.08}}}}}}
	bs := []geo.Building{building("in", 113.3002, 40.0802, 10), building("out", 113.302, 40.0802, 10), building("own", 113.3002, 40.0802, 10)}
	bs[2].Compound = "X"
	ws := geo.AssignCompounds("q.geojson", bs, comp)
	for i, want := range []string{"C1", "", "X"} {
		if bs[i].Compound != want {
			t.Errorf("building %q compound = %q, want %q", bs[i].ID, bs[i].Compound, want)
		}
	}
	// The building inside C1 that names X: the polygon and the buildings
	// likely use ids of two kinds.
	if len(ws) != 1 || ws[0].Kind != "compound_name_differs" || ws[0].ID != "C1" || ws[0].File != "q.geojson" ||
		!strings.Contains(ws[0].Note, `"X" (1)`) || !strings.Contains(ws[0].Note, "same ids") {
		t.Errorf("warnings %+v, want one on C1 naming X and the fix", ws)
	}
	// Buildings that name the polygon's id, or none: nothing to say.
	bs[2].Compound = "C1"
	if ws := geo.AssignCompounds("q.geojson", bs, comp); len(ws) != 0 {
		t.Errorf("warnings %+v, want none", ws)
	}
}

func TestRepresentativePoint(t *testing.T) {
	// An L-shaped footprint whose centroid falls outside it.
	l := orb.Polygon{{{0, 0}, {10, 0}, {10, 1}, {1, 1}, {1, 10}, {0, 10}, {0, 0}}}
	// Rotate into a U whose centroid is in the notch.
	u := orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {9, 10}, {9, 1}, {1, 1}, {1, 10}, {0, 10}, {0, 0}}}
	for _, g := range []orb.Geometry{l, u, orb.MultiPolygon{{{{20, 20}, {21, 20}, {21, 21}, {20, 20}}}, u}, orb.Point{3, 4}} {
		p := shape.RepresentativePoint(g)
		in := false
		switch g := g.(type) {
		case orb.Polygon:
			in = planar.PolygonContains(g, p)
		case orb.MultiPolygon:
			in = planar.PolygonContains(g[1], p) // the larger polygon
		case orb.Point:
			in = p == g
		}
		if !in {
			t.Errorf("shape.RepresentativePoint(%v) = %v, not inside", g, p)
		}
	}
}

// region returns a community whose ring is the given lon/lat corners.
func region(i int, id string, pts ...orb.Point) geo.Region {
	return geo.Region{Index: i, ID: id, Geometry: orb.MultiPolygon{{append(orb.Ring(pts), pts[0])}}}
}

func TestResolveCommunities(t *testing.T) {
	const x0, y0 = 113.30, 40.08
	h := 200 / mLat // 200 m tall
	a := region(0, "A", orb.Point{x0, y0}, orb.Point{x0 + 200/mLon, y0}, orb.Point{x0 + 200/mLon, y0 + h}, orb.Point{x0, y0 + h})
	t.Run("sliver", func(t *testing.T) {
		// B overlaps A by a 0.1 m wide strip along 200 m: 20 m².
		xb := x0 + 199.9/mLon
		b := region(1, "B", orb.Point{xb, y0}, orb.Point{xb + 200/mLon, y0}, orb.Point{xb + 200/mLon, y0 + h}, orb.Point{xb, y0 + h})
		in := []geo.Region{a, b}
		got, ws, err := geo.ResolveCommunities("c.geojson", in, geo.DefaultSliverM2)
		if err != nil {
			t.Fatal(err)
		}
		if len(ws) != 1 || ws[0].Kind != "sliver" || ws[0].ID != "B" || !strings.Contains(ws[0].Note, `"A"`) {
			t.Errorf("warnings = %+v, want one sliver on B naming A", ws)
		}
		if !orb.Equal(got[0].Geometry, a.Geometry) || !orb.Equal(in[1].Geometry, b.Geometry) {
			t.Errorf("A changed or the input was modified")
		}
		p := geo.NewProjection(orb.Point{x0, y0})
		if ov := overlapM2(t, p, got[0].Geometry, got[1].Geometry); ov > 1e-6 {
			t.Errorf("repaired communities still overlap by %g m²", ov)
		}
		lost := planar.Area(p.Geometry(b.Geometry)) - planar.Area(p.Geometry(got[1].Geometry))
		if lost < 19 || lost > 21 {
			t.Errorf("B lost %.2f m², want the 20 m² sliver", lost)
		}
		if o := got[1].Geometry[0][0].Orientation(); o != orb.CCW {
			t.Errorf("repaired ring orientation %v, want CCW", o)
		}
	})
	t.Run("long strip", func(t *testing.T) {
		// Outlines digitised apart along a long border: B overlaps A by a
		// 0.4 m strip 2 km long, 800 m², far above the area tolerance,
		// but a sliver. A strip 3 m wide is not.
		tall := 2000 / mLat
		a := region(0, "A", orb.Point{x0, y0}, orb.Point{x0 + 200/mLon, y0}, orb.Point{x0 + 200/mLon, y0 + tall}, orb.Point{x0, y0 + tall})
		for _, w := range []float64{0.4, 3} {
			xb := x0 + (200-w)/mLon
			b := region(1, "B", orb.Point{xb, y0}, orb.Point{xb + 200/mLon, y0}, orb.Point{xb + 200/mLon, y0 + tall}, orb.Point{xb, y0 + tall})
			_, ws, err := geo.ResolveCommunities("c.geojson", []geo.Region{a, b}, geo.DefaultSliverM2)
			switch {
			case w < geo.SliverWidthM && (err != nil || len(ws) != 1 || ws[0].Kind != "sliver" || !strings.Contains(ws[0].Note, "0.40 m wide")):
				t.Errorf("a %g m strip: %v, warnings %+v; want a sliver warning giving its width", w, err, ws)
			case w > geo.SliverWidthM && (!errors.Is(err, geo.ErrCommunityOverlap) || !strings.Contains(err.Error(), "--sliver-tolerance")):
				t.Errorf("a %g m strip: %v, want ErrCommunityOverlap naming --sliver-tolerance", w, err)
			}
		}
	})
	t.Run("substantial", func(t *testing.T) {
		xb := x0 + 150/mLon // 50 m × 200 m overlap
		b := region(1, "B", orb.Point{xb, y0}, orb.Point{xb + 200/mLon, y0}, orb.Point{xb + 200/mLon, y0 + h}, orb.Point{xb, y0 + h})
		c := region(2, "C", orb.Point{x0 + 1, y0}, orb.Point{x0 + 1.01, y0}, orb.Point{x0 + 1.01, y0 + 0.01})
		_, _, err := geo.ResolveCommunities("c.geojson", []geo.Region{c, a, b}, geo.DefaultSliverM2)
		if !errors.Is(err, geo.ErrCommunityOverlap) {
			t.Fatalf("ResolveCommunities = %v, want ErrCommunityOverlap", err)
		}
		for _, m := range []string{"c.geojson", "feature 1", `"B"`, "feature 0", `"A"`, "10000 m²"} {
			if !strings.Contains(err.Error(), m) {
				t.Errorf("error %q does not mention %q", err, m)
			}
		}
	})
	t.Run("every overlap named", func(t *testing.T) {
		// B overlaps A by 50 m × 200 m; D overlaps C far away by as much.
		xb := x0 + 150/mLon
		b := region(1, "B", orb.Point{xb, y0}, orb.Point{xb + 200/mLon, y0}, orb.Point{xb + 200/mLon, y0 + h}, orb.Point{xb, y0 + h})
		xc := x0 + 0.05
		c := region(2, "C", orb.Point{xc, y0}, orb.Point{xc + 200/mLon, y0}, orb.Point{xc + 200/mLon, y0 + h}, orb.Point{xc, y0 + h})
		xd := xc + 150/mLon
		d := region(3, "D", orb.Point{xd, y0}, orb.Point{xd + 200/mLon, y0}, orb.Point{xd + 200/mLon, y0 + h}, orb.Point{xd, y0 + h})
		_, _, err := geo.ResolveCommunities("c.geojson", []geo.Region{a, b, c, d}, geo.DefaultSliverM2)
		var le *geo.LayerError
		if !errors.As(err, &le) || len(le.Features) != 2 || le.Features[0].ID != "B" || le.Features[1].ID != "D" || !errors.Is(err, geo.ErrCommunityOverlap) {
			t.Fatalf("ResolveCommunities = %v, want both B and D named", err)
		}
	})
	t.Run("compounds", func(t *testing.T) {
		// Compound B is drawn 50 m across A, E lies inside A, F is a sliver
		// over B's far side: all kept, the shared parts left to the first.
		xb := x0 + 150/mLon
		b := region(1, "B", orb.Point{xb, y0}, orb.Point{xb + 200/mLon, y0}, orb.Point{xb + 200/mLon, y0 + h}, orb.Point{xb, y0 + h})
		xe, ye := x0+50/mLon, y0+50/mLat
		e := region(2, "E", orb.Point{xe, ye}, orb.Point{xe + 20/mLon, ye}, orb.Point{xe + 20/mLon, ye + 20/mLat}, orb.Point{xe, ye + 20/mLat})
		xf := xb + 199.9/mLon
		f := region(3, "F", orb.Point{xf, y0}, orb.Point{xf + 100/mLon, y0}, orb.Point{xf + 100/mLon, y0 + h}, orb.Point{xf, y0 + h})
		got, ws := geo.ResolveCompounds("q.geojson", []geo.Region{a, b, e, f}, geo.DefaultSliverM2)
		kinds := map[string]string{}
		for _, w := range ws {
			kinds[w.ID] = w.Kind + ": " + w.Note
		}
		if !strings.HasPrefix(kinds["B"], "compound_overlap: ") || !strings.Contains(kinds["B"], `(id "A") by 10000 m²`) ||
			!strings.Contains(kinds["E"], "wholly inside") || !strings.HasPrefix(kinds["F"], "sliver: ") || len(ws) != 3 {
			t.Fatalf("warnings %+v, want B's overlap with A, E inside A and F's sliver", ws)
		}
		p := geo.NewProjection(orb.Point{x0, y0})
		area := func(mp orb.MultiPolygon) float64 { return planar.Area(p.Geometry(mp)) }
		if lost := area(b.Geometry) - area(got[1].Geometry); lost < 9990 || lost > 10010 {
			t.Errorf("B lost %.0f m², want the 10000 m² it shares with A", lost)
		}
		if !orb.Equal(got[2].Geometry, e.Geometry) || !orb.Equal(got[0].Geometry, a.Geometry) {
			t.Errorf("A or E changed")
		}
	})
	t.Run("shared edge", func(t *testing.T) {
		xb := x0 + 200/mLon
		b := region(1, "B", orb.Point{xb, y0}, orb.Point{xb + 200/mLon, y0}, orb.Point{xb + 200/mLon, y0 + h}, orb.Point{xb, y0 + h})
		got, ws, err := geo.ResolveCommunities("c.geojson", []geo.Region{a, b}, geo.DefaultSliverM2)
		if err != nil || len(ws) != 0 || !orb.Equal(got[1].Geometry, b.Geometry) {
			t.Errorf("ResolveCommunities(neighbours) = %v, %v; want no change", ws, err)
		}
	})
	t.Run("shared edge, extra collinear vertices on one side", func(t *testing.T) {
		xb := x0 + 200/mLon // B's west edge is A's east edge, with 3 more vertices on it
		b := region(1, "B", orb.Point{xb, y0}, orb.Point{xb + 200/mLon, y0}, orb.Point{xb + 200/mLon, y0 + h}, orb.Point{xb, y0 + h},
			orb.Point{xb, y0 + 0.7*h}, orb.Point{xb, y0 + 0.5*h}, orb.Point{xb, y0 + 0.1*h})
		got, ws, err := geo.ResolveCommunities("c.geojson", []geo.Region{a, b}, geo.DefaultSliverM2)
		if err != nil || len(ws) != 0 || !orb.Equal(got[1].Geometry, b.Geometry) {
			t.Errorf("ResolveCommunities(neighbours) = %v, %v; want no change", ws, err)
		}
	})
	t.Run("nested", func(t *testing.T) {
		// B, 50 m × 50 m, lies inside A.
		xb, yb := x0+50/mLon, y0+50/mLat
		b := region(1, "B", orb.Point{xb, yb}, orb.Point{xb + 50/mLon, yb}, orb.Point{xb + 50/mLon, yb + 50/mLat}, orb.Point{xb, yb + 50/mLat})
		for _, in := range [][]geo.Region{{a, b}, {b, a}} {
			_, _, err := geo.ResolveCommunities("c.geojson", in, geo.DefaultSliverM2)
			if !errors.Is(err, geo.ErrCommunityOverlap) || !strings.Contains(err.Error(), `"A"`) || !strings.Contains(err.Error(), `"B"`) {
				t.Errorf("ResolveCommunities(%s inside %s) = %v, want ErrCommunityOverlap naming both", "B", "A", err)
			}
		}
	})
	t.Run("single point", func(t *testing.T) {
		xb, yb := x0+200/mLon, y0+h // B's south-west corner is A's north-east corner
		b := region(1, "B", orb.Point{xb, yb}, orb.Point{xb + 200/mLon, yb}, orb.Point{xb + 200/mLon, yb + h}, orb.Point{xb, yb + h})
		got, ws, err := geo.ResolveCommunities("c.geojson", []geo.Region{a, b}, geo.DefaultSliverM2)
		if err != nil || len(ws) != 0 || !orb.Equal(got[1].Geometry, b.Geometry) {
			t.Errorf("ResolveCommunities(touching at a corner) = %v, %v; want no change", ws, err)
		}
	})
}

// overlapM2 returns the area in m² common to a and b.
func overlapM2(t *testing.T, p *geo.Projection, a, b orb.MultiPolygon) float64 {
	t.Helper()
	toSF := func(mp orb.MultiPolygon) geom.Geometry {
		mp = p.Geometry(mp).(orb.MultiPolygon)
		var polys [][][]float64
		for _, pg := range mp {
			var rings [][]float64
			for _, r := range pg {
				var xy []float64
				for _, pt := range r {
					xy = append(xy, pt[0], pt[1])
				}
				rings = append(rings, xy)
			}
			polys = append(polys, rings)
		}
		return geom.NewMultiPolygonXY(polys...).AsGeometry()
	}
	inter, err := geom.Intersection(toSF(a), toSF(b))
	if err != nil {
		t.Fatal(err)
	}
	return inter.Area()
}

// TestAssignCommunitiesOutside: buildings beyond the snap distance of every
// community are one error that counts them and names the first few, or are
// returned to be left out (skip), or join the nearest community (nearest).
func TestAssignCommunitiesOutside(t *testing.T) {
	_, cs := smallLayers(t)
	layer := func() []geo.Building {
		bs := []geo.Building{building("in", 113.3, 40.08, 10)}
		for k := 0; k < 7; k++ {
			bs = append(bs, building(fmt.Sprintf("far%d", k), 113.3060+float64(50+10*k)/mLon, 40.0800, 10))
		}
		for i := range bs {
			bs[i].Index = i
		}
		return bs
	}
	bs := layer()
	_, _, err := geo.AssignCommunities("b.geojson", bs, cs, geo.DefaultSnapM, geo.OutsideError, false)
	if !errors.Is(err, geo.ErrOutsideCommunities) {
		t.Fatalf("error mode: %v, want ErrOutsideCommunities", err)
	}
	for _, want := range []string{"b.geojson", "7 buildings", `feature 1 (id "far0")`, `feature 5 (id "far4")`, "and 2 more", "--outside skip"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}

	bs = layer()
	ws, out, err := geo.AssignCommunities("b.geojson", bs, cs, geo.DefaultSnapM, geo.OutsideSkip, false)
	if err != nil || len(out) != 7 || len(ws) != 7 {
		t.Fatalf("skip mode: %d outside, %d warnings, %v; want 7, 7, nil", len(out), len(ws), err)
	}
	for k, o := range out {
		if o.Index != k+1 || o.Joined || bs[o.Index].Community != "" || o.DistanceM < 40 || o.Nearest == "" {
			t.Errorf("skip mode: outside %d = %+v, community %q", k, o, bs[o.Index].Community)
		}
	}

	bs = layer()
	ws, out, err = geo.AssignCommunities("b.geojson", bs, cs, geo.DefaultSnapM, geo.OutsideNearest, false)
	if err != nil || len(out) != 7 || len(ws) != 7 {
		t.Fatalf("nearest mode: %d outside, %d warnings, %v; want 7, 7, nil", len(out), len(ws), err)
	}
	for _, o := range out {
		if !o.Joined {
			t.Errorf("nearest mode: %+v not joined", o)
		}
	}
	for _, b := range bs[1:] {
		if b.Community == "" {
			t.Errorf("nearest mode: building %s has no community", b.ID)
		}
	}
	if ws[0].Kind != "nearest_community" || !strings.Contains(ws[0].Note, "joined the nearest") {
		t.Errorf("nearest mode: warning %+v", ws[0])
	}
}

// TestAssignCommunitiesNamedAway: with named, a building whose property
// names a community whose polygon is far from it is refused (or left out,
// or kept in the community it names), and one a few metres out is snapped
// to it; without named, the property wins silently.
func TestAssignCommunitiesNamedAway(t *testing.T) {
	_, cs := smallLayers(t)
	const west = 113.2990 // west edge of community A; B lies east of A
	layer := func() []geo.Building {
		bs := []geo.Building{building("far", west-100/mLon, 40.0800, 10), building("near", west-13/mLon, 40.0800, 10),
			building("across", west-8/mLon, 40.0800, 10)} // 2 m of it inside A
		for i := range bs {
			bs[i].Index, bs[i].Community = i, "A"
		}
		bs[0].Community = "B"
		return bs
	}
	bs := layer()
	if _, _, err := geo.AssignCommunities("b.geojson", bs, cs, geo.DefaultSnapM, geo.OutsideError, false); err != nil {
		t.Fatalf("without named: %v", err)
	}
	bs = layer()
	_, _, err := geo.AssignCommunities("b.geojson", bs, cs, geo.DefaultSnapM, geo.OutsideError, true)
	if !errors.Is(err, geo.ErrOutsideCommunities) || !strings.Contains(err.Error(), `(id "far")`) || strings.Contains(err.Error(), `"near"`) {
		t.Fatalf("named: %v; want the far building refused, the near one snapped", err)
	}
	bs = layer()
	ws, out, err := geo.AssignCommunities("b.geojson", bs, cs, geo.DefaultSnapM, geo.OutsideNearest, true)
	if err != nil || len(out) != 2 || !out[0].Joined || out[0].Nearest != "B" || !out[1].Joined || out[1].Nearest != "A" {
		t.Fatalf("named, nearest: %+v, %v; want both joined, to B and A", out, err)
	}
	if bs[0].Community != "B" || bs[2].Community != "A" || len(ws) != 3 {
		t.Fatalf("named, nearest: communities %q, %q, warnings %+v", bs[0].Community, bs[2].Community, ws)
	}
	kinds := map[string]string{}
	for _, w := range ws {
		kinds[w.ID] = w.Kind
	}
	if kinds["near"] != "snapped_to_community" || kinds["across"] != "across_community_boundary" || kinds["far"] != "nearest_community" {
		t.Errorf("named, nearest: warnings %+v", ws)
	}
	// The part outside given, as for a footprint mostly inside: 8 of 10 m.
	for _, w := range ws {
		if w.ID == "across" && !strings.Contains(w.Note, `(80%) of its footprint lies outside its community "A"`) {
			t.Errorf("across: %q, want the 80%% outside A", w.Note)
		}
	}
}

// TestAssignCommunitiesStraddling: a footprint whose point lies in its
// community but which reaches well beyond the outline is named (its grid
// holds only the part inside); a wall drawn a few centimetres over the
// outline, or a footprint wholly inside, is not.
func TestAssignCommunitiesStraddling(t *testing.T) {
	_, cs := smallLayers(t)
	const west = 113.2990 // west edge of community A
	bs := []geo.Building{
		building("across", west-4/mLon, 40.0800, 10),  // 4 of 10 m outside
		building("wall", west-0.02/mLon, 40.0803, 10), // 2 cm over the line
		building("inside", west+20/mLon, 40.0806, 10), // wholly inside
		building("named", west-3/mLon, 40.0809, 10),   // named A, 3 m out
	}
	for i := range bs {
		bs[i].Index = i
	}
	bs[3].Community = "A"
	ws, _, err := geo.AssignCommunities("b.geojson", bs, cs, geo.DefaultSnapM, geo.OutsideError, true)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, w := range ws {
		got[w.ID] = w.Kind + ": " + w.Note
	}
	for _, id := range []string{"across", "named"} {
		if !strings.HasPrefix(got[id], "across_community_boundary: ") || !strings.Contains(got[id], `outside its community "A"`) {
			t.Errorf("%s: warning %q, want across_community_boundary naming A", id, got[id])
		}
	}
	if !strings.Contains(got["across"], "(40%)") {
		t.Errorf("across: %q, want the 40%% outside", got["across"])
	}
	for _, id := range []string{"wall", "inside"} {
		if got[id] != "" {
			t.Errorf("%s: unexpected warning %q", id, got[id])
		}
	}
}

// TestAssignCommunitiesCorner: a building over the corner where three
// communities meet, its point on all their borders, goes to the one that
// holds most of it.
func TestAssignCommunitiesCorner(t *testing.T) {
	const x0, y0 = 113.30, 40.08
	dx, dy := 100/mLon, 100/mLat
	cs := []geo.Region{
		region(0, "C1", orb.Point{x0 - dx, y0 - dy}, orb.Point{x0, y0 - dy}, orb.Point{x0, y0}, orb.Point{x0 - dx, y0}),
		region(1, "C2", orb.Point{x0, y0 - dy}, orb.Point{x0 + dx, y0 - dy}, orb.Point{x0 + dx, y0}, orb.Point{x0, y0}),
		region(2, "C3", orb.Point{x0 - dx, y0}, orb.Point{x0 + dx, y0}, orb.Point{x0 + dx, y0 + dy}, orb.Point{x0 - dx, y0 + dy}),
	}
	b := building("corner", x0-10/mLon, y0-10/mLat, 20) // centred on the corner, half of it in C3
	if p := shape.RepresentativePoint(b.Geometry); math.Abs(p[0]-x0) > 1e-9 || math.Abs(p[1]-y0) > 1e-9 {
		t.Skipf("the representative point %v is not the corner", p)
	}
	bs := []geo.Building{b}
	if _, _, err := geo.AssignCommunities("b.geojson", bs, cs, geo.DefaultSnapM, geo.OutsideError, false); err != nil {
		t.Fatal(err)
	}
	if bs[0].Community != "C3" {
		t.Errorf("the corner building is in %q, want C3, which holds half of it", bs[0].Community)
	}
}

// TestAssignCommunitiesUnknownAllNamed: every building whose community
// property names no community is named in one run (a community renamed
// in one layer only leaves many), the first with the ids the layer has.
func TestAssignCommunitiesUnknownAllNamed(t *testing.T) {
	_, cs := smallLayers(t)
	bs := []geo.Building{building("a", 113.3, 40.08, 10), building("b", 113.301, 40.08, 10), building("c", 113.302, 40.08, 10)}
	for i := range bs {
		bs[i].Index, bs[i].Community = i, "C005"
	}
	bs[1].Community = ""
	_, _, err := geo.AssignCommunities("b.geojson", bs, cs, geo.DefaultSnapM, geo.OutsideError, true)
	var le *geo.LayerError
	if !errors.As(err, &le) || len(le.Features) != 2 || le.Features[0].ID != "a" || le.Features[1].ID != "c" || !errors.Is(err, geo.ErrUnknownCommunity) {
		t.Fatalf("err = %v, want a and c named", err)
	}
	if !strings.Contains(le.Features[0].Error(), `the communities layer has "A", "B"`) {
		t.Errorf("first error %q does not list the layer's ids", le.Features[0].Error())
	}
}

// TestAssignCommunitiesByName: buildings whose community property holds
// the communities' names (an attribute table of names beside a layer of
// codes) go to the community of that name, with one warning for the
// layer; a name two communities share is still refused, as is a value
// that is neither an id nor a name.
func TestAssignCommunitiesByName(t *testing.T) {
	bs, cs := smallLayers(t)
	cs[0].Name, cs[1].Name = "幸福里社区", "光明社区"
	want := make([]string, len(bs))
	for i := range bs {
		want[i] = bs[i].Community
		switch bs[i].Community {
		case "", cs[0].ID:
			bs[i].Community = cs[0].Name // also those assigned by location
			want[i] = cs[0].ID
		case cs[1].ID:
			bs[i].Community = cs[1].Name
		}
	}
	ws, _, err := geo.AssignCommunities("buildings.geojson", bs, cs, geo.DefaultSnapM, geo.OutsideError, false)
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range bs {
		if b.Community != want[i] {
			t.Errorf("building %q in %q, want %q", b.ID, b.Community, want[i])
		}
	}
	if len(ws) != 1 || ws[0].Kind != "community_by_name" || !strings.Contains(ws[0].Note, `"幸福里社区" is "A"`) {
		t.Errorf("warnings %+v, want one community_by_name", ws)
	}

	// A community drawn as two features of one id, named apart: either
	// part's name is the community's.
	bs, cs = smallLayers(t)
	cs[1].Name, cs[1].Names = "光明社区西片 / 光明社区东片", []string{"光明社区西片", "光明社区东片"}
	for i := range bs {
		if bs[i].Community == cs[1].ID {
			bs[i].Community = cs[1].Names[i%2]
		}
	}
	if _, _, err := geo.AssignCommunities("buildings.geojson", bs, cs, geo.DefaultSnapM, geo.OutsideError, false); err != nil {
		t.Errorf("a community's parts named apart: %v", err)
	}
	for _, b := range bs {
		if strings.HasPrefix(b.Community, "光明") {
			t.Errorf("building %q in %q", b.ID, b.Community)
		}
	}

	bs, cs = smallLayers(t)
	cs[0].Name, cs[1].Name = "光明社区", "光明社区"
	bs[0].Community, bs[1].Community = "光明社区", "C9"
	_, _, err = geo.AssignCommunities("buildings.geojson", bs, cs, geo.DefaultSnapM, geo.OutsideError, false)
	var le *geo.LayerError
	if !errors.As(err, &le) || len(le.Features) != 2 || !errors.Is(le.Features[0].Err, geo.ErrUnknownCommunity) {
		t.Errorf("a name two communities share, and a value that is none: %v; want both refused", err)
	}
}
