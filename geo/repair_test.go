package geo_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/peterstace/simplefeatures/geom"

	"gridplan/geo"
	"gridplan/geo/internal/shape"
)

// The repair tests draw rings on a lattice of unit u degrees about (x0,
// y0), all exact binary fractions, so that collinear vertices and vertices
// on edges are exactly so.
const (
	x0 = 113.25
	y0 = 40.0625
	u  = 0x1p-12 // about 24 m of latitude
)

// latticeRing returns a GeoJSON ring of the lattice points (x, y) pairs.
func latticeRing(xy ...float64) string {
	var pts []string
	for i := 0; i+1 < len(xy); i += 2 {
		pts = append(pts, fmt.Sprintf("[%s,%s]",
			strconv.FormatFloat(x0+xy[i]*u, 'g', -1, 64), strconv.FormatFloat(y0+xy[i+1]*u, 'g', -1, 64)))
	}
	return "[" + strings.Join(pts, ",") + "]"
}

func polygonJSON(rings ...string) string {
	return `{"type":"Polygon","coordinates":[` + strings.Join(rings, ",") + `]}`
}

func multiPolygonJSON(polys ...[]string) string {
	var ps []string
	for _, p := range polys {
		ps = append(ps, "["+strings.Join(p, ",")+"]")
	}
	return `{"type":"MultiPolygon","coordinates":[` + strings.Join(ps, ",") + `]}`
}

// checkValid fails unless g is a valid Polygon or MultiPolygon by OGC rules,
// as simplefeatures validates them.
func checkValid(t *testing.T, g orb.Geometry) {
	t.Helper()
	raw, err := geojson.NewGeometry(g).MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	sf, err := geom.UnmarshalGeoJSON(raw)
	if err != nil {
		t.Errorf("invalid geometry %s: %v", raw, err)
		return
	}
	if err := sf.Validate(); err != nil {
		t.Errorf("invalid geometry %s: %v", raw, err)
	}
}

// TestLoadBuildingsRepairs: each kind of invalid footprint is repaired into
// a valid geometry enclosing what the ring drew, with a repaired_geometry
// warning naming the repair.
func TestLoadBuildingsRepairs(t *testing.T) {
	square := latticeRing(0, 0, 4, 0, 4, 4, 0, 4, 0, 0)
	for _, tc := range []struct {
		name   string
		geom   string
		typ    string  // GeoJSON type of the result
		parts  int     // polygons in the result
		holes  int     // holes in all of them
		area   float64 // in square units
		point  orb.Point
		notes  []string // the repaired_geometry notes, in order
		orient bool     // a ring_orientation summary as well
	}{
		{name: "spike A-B-A", geom: polygonJSON(latticeRing(0, 0, 2, 0, 2, 1, 3, 1, 2, 1, 2, 2, 0, 2, 0, 0)),
			typ: "Polygon", parts: 1, area: 4, notes: []string{"removed 1 spike at vertex 3"}},
		{name: "spike doubling back along its edge", geom: polygonJSON(latticeRing(0, 0, 2, 0, 2, 2, 2, 1, 0, 2, 0, 0)),
			typ: "Polygon", parts: 1, area: 3, notes: []string{"removed 1 spike at vertex 2"}},
		{name: "spike at the first vertex", geom: polygonJSON(latticeRing(3, 1, 2, 1, 2, 2, 0, 2, 0, 0, 2, 0, 2, 1, 3, 1)),
			typ: "Polygon", parts: 1, area: 4, notes: []string{"removed 1 spike at vertex 0"}},
		{name: "spikes on spikes", geom: polygonJSON(latticeRing(0, 0, 2, 0, 2, 1, 3, 1, 4, 1, 3, 1, 2, 1, 2, 2, 1, 2, 1, 3, 1, 2, 0, 2, 0, 0)),
			typ: "Polygon", parts: 1, area: 4, notes: []string{"removed 3 spikes at vertices 3, 4 and 9"}},
		{name: "clockwise spike", geom: polygonJSON(latticeRing(0, 0, 0, 2, 2, 2, 2, 1, 3, 1, 2, 1, 2, 0, 0, 0)),
			typ: "Polygon", parts: 1, area: 4, notes: []string{"removed 1 spike at vertex 4"}, orient: true},
		{name: "pinched at a repeated vertex", geom: polygonJSON(latticeRing(0, 0, 1, 1, 2, 0, 2, 2, 1, 1, 0, 2, 0, 0)),
			typ: "MultiPolygon", parts: 2, area: 2, notes: []string{"split a self-touching ring at vertex 4 into 2 parts"}},
		{name: "vertex on an edge", geom: polygonJSON(latticeRing(0, 0, 2, 0, 2, 2, 1, 0, 0, 2, 0, 0)),
			typ: "MultiPolygon", parts: 2, area: 2, notes: []string{"split a self-touching ring at vertex 3 into 2 parts"}},
		{name: "courtyard drawn as a keyhole", geom: polygonJSON(latticeRing(0, 0, 6, 0, 6, 6, 0, 6, 0, 3, 2, 3, 2, 4, 4, 4, 4, 2, 2, 2, 2, 3, 0, 3, 0, 0)),
			typ: "Polygon", parts: 1, holes: 1, area: 32, notes: []string{"split a self-touching ring at vertices 10 and 11 into 1 part with 1 hole"}},
		{name: "bow-tie", geom: polygonJSON(latticeRing(0, 0, 2, 2, 2, 0, 0, 2, 0, 0)),
			typ: "MultiPolygon", parts: 2, area: 2, notes: []string{"split a self-crossing ring into 2 parts"}},
		{name: "figure-eight of 3 loops", geom: polygonJSON(latticeRing(0, 0, 2, 2, 4, 0, 4, 2, 2, 0, 0, 2, 0, 0)),
			typ: "MultiPolygon", parts: 3, area: 4, notes: []string{"split a self-crossing ring into 3 parts"}},
		{name: "chain of 4 loops", geom: polygonJSON(latticeRing(0, 0, 2, 2, 4, 0, 6, 2, 6, 0, 4, 2, 2, 0, 0, 2, 0, 0)),
			typ: "MultiPolygon", parts: 4, area: 6, notes: []string{"split a self-crossing ring into 4 parts"}},
		{name: "bow-tie off the lattice", geom: polygonJSON(latticeRing(0, 0, 3, 1.7, 3, 0.3, 0.1, 2, 0, 0)),
			typ: "MultiPolygon", parts: 2, area: bowTieArea([4][2]float64{{0, 0}, {3, 1.7}, {3, 0.3}, {0.1, 2}}), notes: []string{"split a self-crossing ring into 2 parts"}},
		{name: "hole crossing the exterior", geom: polygonJSON(square, latticeRing(2, 1, 2, 3, 6, 3, 6, 1, 2, 1)),
			typ: "Polygon", parts: 1, area: 12, notes: []string{"rings 0 and 1 cross: took the exterior ring minus the holes, leaving 1 part"}},
		{name: "holes crossing each other", geom: polygonJSON(square, latticeRing(1, 1, 1, 3, 2, 3, 2, 1, 1, 1), latticeRing(1.5, 1.5, 1.5, 2.5, 3, 2.5, 3, 1.5, 1.5, 1.5)),
			typ: "Polygon", parts: 1, holes: 1, area: 16 - 2 - 1, notes: []string{"rings 1 and 2 cross: took the exterior ring minus the holes, leaving 1 part with 1 hole"}},
		{name: "hole outside the exterior", geom: polygonJSON(square, latticeRing(5, 1, 5, 2, 6, 2, 6, 1, 5, 1)),
			typ: "Polygon", parts: 1, area: 16, notes: []string{"ring 1 (a hole) lies outside the exterior ring: took the exterior ring minus the holes, leaving 1 part"}},
		{name: "hole cutting the polygon apart", geom: polygonJSON(square, latticeRing(2, 0, 2, 2, 4, 2, 2, 0)),
			typ: "MultiPolygon", parts: 2, area: 14, notes: []string{"rings touch so as to cut the polygon apart: took the exterior ring minus the holes, leaving 2 parts"}},
		{name: "hole covering the exterior", geom: polygonJSON(square, latticeRing(0, 0, 0, 4, 4, 4, 4, 0, 0, 0)),
			typ: "Point", point: orb.Point{2, 2}, notes: []string{"rings 0 and 1 cross: took the exterior ring minus the holes, leaving nothing", "zero area after repair: taken as a point at its centroid"}},
		{name: "self-crossing hole", geom: polygonJSON(square, latticeRing(1, 1, 3, 3, 3, 1, 1, 3, 1, 1)),
			typ: "Polygon", parts: 1, holes: 2, area: 14, notes: []string{"ring 1 crosses itself: took the exterior ring minus the holes, leaving 1 part with 2 holes"}},
		{name: "self-crossing exterior with a hole", geom: polygonJSON(latticeRing(0, 0, 4, 4, 4, 0, 0, 4, 0, 0), latticeRing(0.5, 1, 0.5, 3, 1, 2, 0.5, 1)),
			typ: "MultiPolygon", parts: 2, holes: 1, area: 8 - 0.5, notes: []string{"ring 0 crosses itself: took the exterior ring minus the holes, leaving 2 parts with 1 hole"}},
		{name: "collinear ring", geom: polygonJSON(latticeRing(0, 0, 2, 0, 1, 0, 0, 0)),
			typ: "Point", point: orb.Point{1, 0}, notes: []string{"removed 1 spike at vertex 1", "zero area after repair: taken as a point at its centroid"}},
		{name: "two-vertex ring", geom: polygonJSON(latticeRing(0, 0, 2, 1, 2, 1, 0, 0)),
			typ: "Point", point: orb.Point{1, 0.5}, notes: []string{"zero area after repair: taken as a point at its centroid"}},
		{name: "zero-area part of a MultiPolygon", geom: multiPolygonJSON([]string{square}, []string{latticeRing(5, 0, 7, 0, 6, 0, 5, 0)}),
			typ: "MultiPolygon", parts: 1, area: 16, notes: []string{"polygon 1: removed 1 spike at vertex 1", "polygon 1: dropped, no area left after repair"}},
		{name: "self-crossing second polygon", geom: multiPolygonJSON([]string{latticeRing(5, 0, 6, 0, 6, 1, 5, 0)}, []string{latticeRing(0, 0, 2, 2, 2, 0, 0, 2, 0, 0)}),
			typ: "MultiPolygon", parts: 3, area: 2.5, notes: []string{"polygon 1: split a self-crossing ring into 2 parts"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := fc(ok(0), feat(`"id":"r","households":5`, tc.geom))
			bs, ws, err := geo.LoadBuildings("b.geojson", strings.NewReader(data), geo.DefaultFields())
			if err != nil {
				t.Fatal(err)
			}
			checkBuildings(t, bs)
			g := bs[1].Geometry
			if g.GeoJSONType() != tc.typ {
				t.Fatalf("geometry %v, want a %s", g, tc.typ)
			}
			if tc.typ == "Point" {
				want := orb.Point{x0 + tc.point[0]*u, y0 + tc.point[1]*u}
				if p := g.(orb.Point); math.Abs(p[0]-want[0]) > 1e-12 || math.Abs(p[1]-want[1]) > 1e-12 {
					t.Errorf("point %v, want %v", p, want)
				}
			} else {
				checkValid(t, g)
				mp := shape.Polygons(g)
				holes := 0
				for _, p := range mp {
					holes += len(p) - 1
				}
				if len(mp) != tc.parts || holes != tc.holes {
					t.Errorf("%d parts with %d holes, want %d with %d: %v", len(mp), holes, tc.parts, tc.holes, g)
				}
				if a := shape.MultiPolygonArea(mp) / (u * u); math.Abs(a-tc.area) > 1e-9*tc.area {
					t.Errorf("area %.12g square units, want %.12g", a, tc.area)
				}
			}
			var notes []string
			orient := false
			for _, w := range ws {
				switch w.Kind {
				case "repaired_geometry":
					if w.Index != 1 || w.ID != "r" || w.File != "b.geojson" {
						t.Errorf("warning %+v does not name feature 1, id r", w)
					}
					notes = append(notes, w.Note)
				case "ring_orientation":
					orient = true
				case "duplicate_vertex":
				default:
					t.Errorf("unexpected warning %+v", w)
				}
			}
			if strings.Join(notes, "|") != strings.Join(tc.notes, "|") {
				t.Errorf("repaired_geometry notes %q, want %q", notes, tc.notes)
			}
			if orient != tc.orient {
				t.Errorf("ring_orientation warning: %v, want %v", orient, tc.orient)
			}
		})
	}
}

// bowTieArea is the area enclosed by the self-crossing quadrilateral q
// whose edges 0 and 2 cross: the two triangles that meet at the crossing.
func bowTieArea(q [4][2]float64) float64 {
	a, b, c, d := q[0], q[1], q[2], q[3]
	// Edge a→b crosses edge c→d at a + t(b-a).
	den := (b[0]-a[0])*(d[1]-c[1]) - (b[1]-a[1])*(d[0]-c[0])
	t := ((c[0]-a[0])*(d[1]-c[1]) - (c[1]-a[1])*(d[0]-c[0])) / den
	x := [2]float64{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
	tri := func(p, q, r [2]float64) float64 {
		return math.Abs((q[0]-p[0])*(r[1]-p[1])-(r[0]-p[0])*(q[1]-p[1])) / 2
	}
	return tri(a, x, d) + tri(x, b, c)
}

// TestLoadRegionsRepairs: community outlines are repaired as footprints
// are, including the self-intersections that rounding to 7 decimals makes,
// within the sliver tolerance; a repair that would change the area by more
// is refused, naming the change.
func TestLoadRegionsRepairs(t *testing.T) {
	// A community 0.01° square (about 850 m by 1100 m) at 7 decimals.
	outline := func(pts ...[2]float64) string {
		var s []string
		for _, p := range pts {
			s = append(s, fmt.Sprintf("[%.7f,%.7f]", p[0], p[1]))
		}
		return `{"type":"Polygon","coordinates":[[` + strings.Join(s, ",") + `]]}`
	}
	const lo, hi, mid = 113.3, 113.31, 113.305
	const bot, top = 40.08, 40.09
	for _, tc := range []struct {
		name string
		// drawn is the outline as rounded; meant is what it was before
		// rounding (valid), whose area the repair must keep within the
		// tolerance.
		drawn [][2]float64
		meant [][][2]float64
		parts int
		note  string
	}{
		{
			name:  "notch tip rounded across the opposite edge",
			drawn: [][2]float64{{lo, bot}, {hi, bot}, {hi, top}, {mid, bot - 1e-7}, {lo, top}, {lo, bot}},
			meant: [][][2]float64{{{lo, bot}, {hi, bot}, {hi, top}, {mid, bot + 1e-7}, {lo, top}, {lo, bot}}},
			parts: 2, note: "split a self-crossing ring into 2 parts (and dropped 1 speck of",
		},
		{
			name:  "near-coincident vertices crossing at a corner",
			drawn: [][2]float64{{lo, bot}, {hi, bot}, {hi, top}, {hi + 1e-7, top - 1e-7}, {lo, top}, {lo, bot}},
			meant: [][][2]float64{{{lo, bot}, {hi, bot}, {hi, top}, {hi - 1e-7, top - 1e-7}, {lo, top}, {lo, bot}}},
			parts: 1, note: "split a self-crossing ring into 1 part (and dropped 1 speck of",
		},
		{
			name:  "vertex rounded onto an edge",
			drawn: [][2]float64{{lo, bot}, {hi, bot}, {hi, top}, {mid, bot}, {lo, top}, {lo, bot}},
			meant: [][][2]float64{{{lo, bot}, {hi, bot}, {hi, top}, {mid, bot + 1e-7}, {lo, top}, {lo, bot}}},
			parts: 2, note: "split a self-touching ring at vertex 3 into 2 parts",
		},
		{
			name:  "bow-tie",
			drawn: [][2]float64{{lo, bot}, {hi, top}, {hi, bot}, {lo, top}, {lo, bot}},
			meant: [][][2]float64{{{lo, bot}, {mid, (bot + top) / 2}, {lo, top}, {lo, bot}}, {{mid, (bot + top) / 2}, {hi, bot}, {hi, top}, {mid, (bot + top) / 2}}},
			parts: 2, note: "split a self-crossing ring into 2 parts",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := fc(feat(`"id":"C1"`, outline(tc.drawn...)))
			rs, ws, err := geo.LoadRegions("c.geojson", strings.NewReader(data), "id", geo.DefaultSliverM2)
			if err != nil {
				t.Fatal(err)
			}
			mp := rs[0].Geometry
			checkValid(t, mp)
			if len(mp) != tc.parts {
				t.Errorf("%d parts, want %d: %v", len(mp), tc.parts, mp)
			}
			proj := geo.NewProjection(orb.Point{mid, (bot + top) / 2})
			got := shape.MultiPolygonArea(proj.Geometry(mp).(orb.MultiPolygon))
			want := meantArea(proj, tc.meant)
			if d := math.Abs(got - want); d > geo.DefaultSliverM2 {
				t.Errorf("area %.3f m², want %.3f m² within %g m² (off by %.3f)", got, want, geo.DefaultSliverM2, d)
			}
			if len(ws) != 1 || ws[0].Kind != "repaired_geometry" || ws[0].ID != "C1" || !strings.HasPrefix(ws[0].Note, tc.note) {
				t.Errorf("warnings %+v, want one repaired_geometry for C1 starting %q", ws, tc.note)
			}
		})
	}

	square := outline([2]float64{lo, bot}, [2]float64{hi, bot}, [2]float64{hi, top}, [2]float64{lo, top}, [2]float64{lo, bot})
	holeOutside := `{"type":"Polygon","coordinates":[` + strings.TrimSuffix(strings.TrimPrefix(square, `{"type":"Polygon","coordinates":[`), `]}`) +
		`,[[113.32,40.08],[113.32,40.081],[113.321,40.081],[113.321,40.08],[113.32,40.08]]]}`
	cases := []errCase{
		{"hole outside, beyond the tolerance", fc(feat(`"id":"C1"`, square), feat(`"id":"C2"`, holeOutside)), geo.ErrSelfIntersection,
			[]string{"feature 1", `"C2"`, "lies outside the exterior ring", "would change its area by", "m²", "tolerance of 50 m²"}},
		{"collinear outline", fc(feat(`"id":"C1"`, outline([2]float64{lo, bot}, [2]float64{hi, bot}, [2]float64{mid, bot}, [2]float64{lo, bot}))), geo.ErrZeroArea,
			[]string{"feature 0", `"C1"`, "removed 1 spike at vertex 1"}},
		{"two-vertex ring", fc(feat(`"id":"C1"`, outline([2]float64{lo, bot}, [2]float64{hi, bot}, [2]float64{lo, bot}))), geo.ErrZeroArea,
			[]string{"feature 0", `"C1"`}},
	}
	runErrCases(t, cases, loadRegions)
}

// meantArea is the area in m² in proj of simple closed rings that do not
// overlap.
func meantArea(proj *geo.Projection, loops [][][2]float64) float64 {
	a := 0.0
	for _, l := range loops {
		var r orb.Ring
		for _, p := range l {
			r = append(r, proj.Forward(orb.Point{p[0], p[1]}))
		}
		a += math.Abs(shape.RingArea(r))
	}
	return a
}

// seed returns the seed of a random test: GRIDPLAN_SEED if set, else def.
func seed(t *testing.T, def uint64) uint64 {
	t.Helper()
	s := def
	if v := os.Getenv("GRIDPLAN_SEED"); v != "" {
		var err error
		if s, err = strconv.ParseUint(v, 10, 64); err != nil {
			t.Fatalf("GRIDPLAN_SEED=%q: %v", v, err)
		}
	}
	t.Logf("seed %d (set GRIDPLAN_SEED to change)", s)
	return s
}

// TestRepairRandomRings: random polygons, most of their rings touching or
// crossing themselves and each other, are returned as valid geometry that
// covers exactly the points their exterior ring winds around (non-zero
// winding rule) and no hole does, or refused with a FeatureError; never
// an invalid geometry.
func TestRepairRandomRings(t *testing.T) {
	rng := rand.New(rand.NewPCG(seed(t, 1), 0))
	const polygons = 400
	var feats []string
	var drawn [][][][2]float64 // the rings of each polygon
	for i := range polygons {
		var rings [][][2]float64
		var json []string
		for r := range 1 + rng.IntN(3)*(i%2) {
			n := 3 + rng.IntN(9)
			var pts [][2]float64
			for range n {
				switch {
				case i%4 == 3: // off the lattice: crossings in general position
					pts = append(pts, [2]float64{rng.Float64() * 6, rng.Float64() * 6})
				case r > 0: // holes mostly inside
					pts = append(pts, [2]float64{float64(1 + rng.IntN(5)), float64(1 + rng.IntN(5))})
				default:
					pts = append(pts, [2]float64{float64(rng.IntN(7)), float64(rng.IntN(7))})
				}
			}
			pts = append(pts, pts[0])
			var xy []float64
			for _, p := range pts {
				xy = append(xy, p[0], p[1])
			}
			rings = append(rings, pts)
			json = append(json, latticeRing(xy...))
		}
		drawn = append(drawn, rings)
		feats = append(feats, feat(fmt.Sprintf(`"id":"r%d","households":1`, i), polygonJSON(json...)))
	}
	bs, ws, err := geo.LoadBuildings("random.geojson", strings.NewReader(fc(feats...)), geo.DefaultFields())
	if err != nil {
		var le *geo.LayerError
		if !errors.As(err, &le) {
			t.Fatalf("error %v is not a LayerError", err)
		}
		t.Logf("refused: %v", err)
		return
	}
	checkBuildings(t, bs)
	hull := map[int]bool{}
	for _, w := range ws {
		if strings.Contains(w.Note, "convex hull") {
			hull[w.Index] = true
		}
	}
	t.Logf("%d polygons, %d warnings, %d convex hulls", polygons, len(ws), len(hull))
	for i, b := range bs {
		if _, ok := b.Geometry.(orb.Point); !ok {
			checkValid(t, b.Geometry)
		}
		if hull[i] {
			continue
		}
		mp := shape.Polygons(b.Geometry)
		// Sample off the lattice lines (and off every edge between
		// lattice points: no line through two of them passes here).
	sample:
		for sx := 0.0; sx < 6; sx += 0.5 {
			for sy := 0.0; sy < 6; sy += 0.5 {
				p := [2]float64{sx + 0.1234567, sy + 0.2718281}
				want := true
				for k, r := range drawn[i] {
					if onEdge(r, p) {
						continue sample
					}
					if in := winding(r, p) != 0; in != (k == 0) {
						want = false
					}
				}
				got := shape.MultiPolygonCovers(mp, orb.Point{x0 + p[0]*u, y0 + p[1]*u})
				if got != want {
					t.Fatalf("polygon %d %v: point %v covered %v, want %v; got %v", i, drawn[i], p, got, want, b.Geometry)
				}
			}
		}
	}
}

// winding is the winding number of the closed ring pts about p.
func winding(pts [][2]float64, p [2]float64) int {
	w := 0
	for i := 0; i+1 < len(pts); i++ {
		a, b := pts[i], pts[i+1]
		cross := (b[0]-a[0])*(p[1]-a[1]) - (p[0]-a[0])*(b[1]-a[1])
		if a[1] <= p[1] && b[1] > p[1] && cross > 0 {
			w++
		} else if a[1] > p[1] && b[1] <= p[1] && cross < 0 {
			w--
		}
	}
	return w
}

// onEdge reports whether p is within 1e-6 units of an edge of pts.
func onEdge(pts [][2]float64, p [2]float64) bool {
	for i := 0; i+1 < len(pts); i++ {
		a, b := orb.Point(pts[i]), orb.Point(pts[i+1])
		if shape.PointSegmentDist(orb.Point(p), a, b) < 1e-6 {
			return true
		}
	}
	return false
}

// TestLoadBuildingsTangle: a ring of thousands of random vertices, with
// hundreds of thousands of self-crossings, is not worth splitting: it
// takes its convex hull, at once.
func TestLoadBuildingsTangle(t *testing.T) {
	rng := rand.New(rand.NewPCG(seed(t, 1), 0))
	var xy []float64
	for range 3000 {
		xy = append(xy, rng.Float64()*40, rng.Float64()*40)
	}
	xy = append(xy, xy[0], xy[1])
	data := fc(feat(`"id":"t","households":5`, polygonJSON(latticeRing(xy...))))
	bs, ws, err := geo.LoadBuildings("b.geojson", strings.NewReader(data), geo.DefaultFields())
	if err != nil {
		t.Fatal(err)
	}
	checkBuildings(t, bs)
	if len(ws) != 1 || ws[0].Note != "replaced by its convex hull" {
		t.Errorf("warnings %+v, want the convex hull", ws)
	}
	mp := shape.Polygons(bs[0].Geometry)
	for i := 0; i+1 < len(xy); i += 2 {
		if p := (orb.Point{x0 + xy[i]*u, y0 + xy[i+1]*u}); !shape.MultiPolygonCovers(mp, p) {
			t.Fatalf("vertex %d %v outside the hull %v", i/2, p, mp)
		}
	}
}
