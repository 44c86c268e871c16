package draw_test

import (
	"context"
	"math"
	"slices"
	"testing"

	"gridplan/geo/draw"
	"gridplan/geo/geotest"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/peterstace/simplefeatures/geom"
)

func rect(x0, y0, x1, y1 float64) orb.Polygon { return orb.Polygon{geotest.Square(x0, y0, x1, y1)} }

// areaOf is the area of a footprint, 0 for a point.
func areaOf(g orb.Geometry) float64 {
	switch g := g.(type) {
	case orb.Polygon:
		return planar.Area(g)
	case orb.MultiPolygon:
		return planar.Area(g)
	}
	return 0
}

func sfOf(t *testing.T, g orb.Geometry) geom.Geometry {
	t.Helper()
	var mp orb.MultiPolygon
	switch g := g.(type) {
	case orb.Polygon:
		mp = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		mp = g
	}
	polys := make([][][]float64, len(mp))
	for i, p := range mp {
		for _, r := range p {
			var xy []float64
			for _, v := range r {
				xy = append(xy, v[0], v[1])
			}
			polys[i] = append(polys[i], xy)
		}
	}
	return geom.NewMultiPolygonXY(polys...).AsGeometry()
}

// TestOwnFootprints: overlapping footprints lose what they share with
// smaller ones, and no two of the results overlap; walls shared exactly
// overlap nothing.
// ownFootprints is OwnFootprints with a context that is never done.
func ownFootprints(t testing.TB, fps []orb.Geometry) ([]orb.Geometry, []int) {
	t.Helper()
	own, changed, err := draw.OwnFootprints(context.Background(), fps)
	if err != nil {
		t.Fatalf("OwnFootprints: %v", err)
	}
	return own, changed
}

func TestOwnFootprints(t *testing.T) {
	for _, tc := range []struct {
		name     string
		fps      []orb.Geometry
		changed  []int
		wantArea []float64
	}{
		{"apart", []orb.Geometry{rect(0, 0, 10, 10), rect(20, 0, 30, 10), orb.Point{5, 5}}, nil, []float64{100, 100, 0}},
		{"shared wall", []orb.Geometry{rect(0, 0, 10, 10), rect(10, 0, 20, 10), rect(10, 10, 15, 12)}, nil, []float64{100, 100, 10}},
		{"podium and towers", []orb.Geometry{rect(0, 0, 40, 30), rect(5, 5, 15, 15), rect(25, 5, 35, 15), rect(20, 25, 30, 35)}, []int{0}, []float64{1200 - 100 - 100 - 50, 100, 100, 100}},
		{"overlap 0.3 m", []orb.Geometry{rect(0, 0, 10.3, 10), rect(10, 0, 20, 10.5)}, []int{1}, []float64{103, 105 - 3}},
		{"duplicate", []orb.Geometry{rect(0, 0, 10, 10), rect(0, 0, 10, 10)}, []int{1}, []float64{100, 0}},
		{"shifted copy", []orb.Geometry{rect(0, 0, 10, 10), rect(0.03, 0.03, 10.03, 10.03)}, []int{1}, []float64{100, 100 - 9.97*9.97}},
		{"three copies", []orb.Geometry{rect(0, 0, 10, 10), rect(0, 0, 10, 10), rect(20, 0, 30, 10), rect(0, 0, 10, 10)}, []int{1, 3}, []float64{100, 0, 100, 0}},
		{"copies of a tower on a podium", []orb.Geometry{rect(0, 0, 40, 30), rect(5, 5, 15, 15), rect(5, 5, 15, 15), rect(25, 5, 35, 15)}, []int{0, 2}, []float64{1200 - 100 - 100, 100, 0, 100}},
		{"copies of a podium under a tower", []orb.Geometry{rect(5, 5, 15, 15), rect(0, 0, 40, 30), rect(0, 0, 40, 30)}, []int{1, 2}, []float64{100, 1200 - 100, 0}},
		{"copies across a smaller footprint", []orb.Geometry{rect(0, 0, 20, 10), rect(15, 0, 25, 10), rect(0, 0, 20, 10)}, []int{0, 2}, []float64{150, 100, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			own, changed := ownFootprints(t, tc.fps)
			if !slices.Equal(changed, tc.changed) {
				t.Errorf("OwnFootprints changed %v, want %v", changed, tc.changed)
			}
			for i, g := range own {
				if a := areaOf(g); math.Abs(a-tc.wantArea[i]) > 1e-9 {
					t.Errorf("footprint %d: area %g, want %g", i, a, tc.wantArea[i])
				}
				if !slices.Contains(changed, i) && !orb.Equal(g, tc.fps[i]) {
					t.Errorf("footprint %d unchanged but returned as %v", i, g)
				}
				if _, isPoint := g.(orb.Point); isPoint && tc.wantArea[i] == 0 {
					continue
				}
				for j := range i {
					if areaOf(own[j]) == 0 {
						continue
					}
					inter, err := geom.Intersection(sfOf(t, g), sfOf(t, own[j]))
					if err != nil {
						t.Fatal(err)
					}
					if a := inter.Area(); a > 1e-9 {
						t.Errorf("footprints %d and %d still overlap by %g", j, i, a)
					}
				}
			}
		})
	}
}

// TestOwnFootprintsSnap: where a footprint's wall passes a nanometre off
// the corner of the one it overlaps (lon/lat corners on one line, rounded
// apart when projected), the trimmed footprint takes that corner exactly:
// no vertex a nanometre from another remains, and the two share the wall.
func TestOwnFootprintsSnap(t *testing.T) {
	const nm = 1e-9
	a := rect(0, 0, 10.3, 10)                                             // the larger: trimmed
	b := orb.Polygon{{{10, nm}, {20, 0}, {20, 9.5}, {10, 9.5}, {10, nm}}} // its corner a nanometre above a's wall
	own, changed := ownFootprints(t, []orb.Geometry{a, b})
	if !slices.Equal(changed, []int{0}) {
		t.Fatalf("OwnFootprints changed %v, want [0]", changed)
	}
	verts := map[orb.Point]bool{}
	for _, v := range b[0] {
		verts[v] = true
	}
	p, ok := own[0].(orb.Polygon)
	if !ok {
		t.Fatalf("trimmed footprint %v, want a polygon", own[0])
	}
	hasCorner := false
	for k, v := range p[0][:len(p[0])-1] {
		w := p[0][k+1]
		if d := math.Hypot(v[0]-w[0], v[1]-w[1]); d < 1e-6 {
			t.Errorf("trimmed footprint has vertices %v and %v %g m apart", v, w, d)
		}
		hasCorner = hasCorner || v == orb.Point{10, nm}
	}
	if !hasCorner {
		t.Errorf("trimmed footprint %v does not take the corner {10, 1e-9} of the other", p)
	}
}

// TestOwnFootprintsSize: copies of a footprint lose it to the first without
// an overlay, so what OwnFootprints allocates grows linearly with their
// number (every pair of n copies once cost an overlay, and the last copy a
// union of all the others).
func TestOwnFootprintsSize(t *testing.T) {
	const n = 300
	fps := make([]orb.Geometry, n)
	for i := range fps {
		fps[i] = rect(0, 0, 20, 20)
	}
	fps = append(fps, rect(5, 5, 10, 10), rect(15, 15, 25, 25))
	var own []orb.Geometry
	var changed []int
	bytes := geotest.BytesAllocated(func() { own, changed, _ = draw.OwnFootprints(context.Background(), fps) })
	if len(changed) != n || changed[0] != 0 || changed[n-1] != n-1 {
		t.Fatalf("OwnFootprints changed %d footprints (%v ...), want the %d copies and the first", len(changed), changed[:min(3, len(changed))], n)
	}
	if a := areaOf(own[0]); math.Abs(a-(400-25-25)) > 1e-9 {
		t.Errorf("first copy: area %g, want 350", a)
	}
	for i := 1; i < n; i++ {
		if _, ok := own[i].(orb.Point); !ok {
			t.Fatalf("copy %d: %v, want a point", i, own[i])
		}
	}
	// About 600 bytes a footprint are needed; an overlay takes tens of
	// kilobytes.
	if per := bytes / uint64(len(fps)); per > 5000 {
		t.Errorf("OwnFootprints of %d copies allocated %d bytes, %d a footprint, want at most 5000", n, bytes, per)
	}
}

// BenchmarkOwnFootprintsCopies takes the overlaps away from 2,000 copies
// of one footprint.
func BenchmarkOwnFootprintsCopies(b *testing.B) {
	fps := make([]orb.Geometry, 2000)
	for i := range fps {
		fps[i] = rect(0, 0, 20, 20)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := draw.OwnFootprints(context.Background(), fps); err != nil {
			b.Fatal(err)
		}
	}
}
