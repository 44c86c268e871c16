package shape_test

import (
	"math"
	"slices"
	"testing"

	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func square(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

func reversed(r orb.Ring) orb.Ring {
	r = slices.Clone(r)
	slices.Reverse(r)
	return r
}

// An L-shaped polygon with a hole, far from the origin as projected
// coordinates are, in every orientation of its rings.
func TestAreaKernels(t *testing.T) {
	const x, y = 500_000.0, 3_400_000.0
	outer := orb.Ring{{x, y}, {x + 30, y}, {x + 30, y + 10}, {x + 10, y + 10}, {x + 10, y + 30}, {x, y + 30}, {x, y}}
	hole := reversed(square(x+2, y+2, x+6, y+6))
	const area, per = 30*10 + 10*20 - 16, 30 + 10 + 20 + 20 + 10 + 30 + 16
	for _, p := range []orb.Polygon{
		{outer, hole}, {reversed(outer), hole}, {outer, reversed(hole)}, {reversed(outer), reversed(hole)},
	} {
		if got := shape.PolygonArea(p); math.Abs(got-area) > 1e-6 {
			t.Errorf("PolygonArea = %v, want %v", got, area)
		}
		a, l := shape.AreaPerimeter(orb.MultiPolygon{p, {square(x+100, y, x+101, y+1)}})
		if math.Abs(a-area-1) > 1e-6 || math.Abs(l-per-4) > 1e-6 {
			t.Errorf("AreaPerimeter = %v, %v, want %v, %v", a, l, area+1, per+4)
		}
		// The L's centroid lies outside it: the point must still be inside.
		if got := shape.PolygonPoint(p); !planar.PolygonContains(orb.Polygon{outer, hole}, got) {
			t.Errorf("PolygonPoint = %v, outside the polygon", got)
		}
	}
	// A square with an off-centre hole: its centroid lies inside, and the
	// hole pushes it away whatever the rings' orientation.
	sq, h := square(x, y, x+30, y+30), reversed(square(x+2, y+2, x+6, y+6))
	want, _ := planar.CentroidArea(orb.Polygon{sq, h})
	for _, p := range []orb.Polygon{{sq, h}, {reversed(sq), h}, {sq, reversed(h)}, {reversed(sq), reversed(h)}} {
		if got := shape.PolygonPoint(p); math.Abs(got[0]-want[0]) > 1e-6 || math.Abs(got[1]-want[1]) > 1e-6 {
			t.Errorf("PolygonPoint = %v, want the centroid %v", got, want)
		}
	}
	if got, want := shape.RingArea(outer), float64(area+16); math.Abs(got-want) > 1e-6 {
		t.Errorf("RingArea(ccw) = %v, want %v", got, want)
	}
	if got := shape.RingArea(outer[:len(outer)-1]); got != shape.RingArea(outer) {
		t.Errorf("RingArea(open) = %v, want the closed ring's %v", got, shape.RingArea(outer))
	}
	if got := shape.RingArea(reversed(outer)); got >= 0 {
		t.Errorf("RingArea(cw) = %v, want negative", got)
	}
	var m shape.Moments
	if _, ok := m.Centroid(); ok {
		t.Error("Centroid of nothing reported ok")
	}
}
