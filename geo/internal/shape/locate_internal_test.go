package shape

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// TestOutlineIndex: the strip index answers as polygonCovers over the
// polygons, on random points and on vertices and edge midpoints, for a
// multipolygon with holes, an island in a hole and jagged rings.
func TestOutlineIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	jagged := func(cx, cy, rad float64, n int, ccw bool) orb.Ring {
		var ring orb.Ring
		for i := 0; i < n; i++ {
			a := 2 * math.Pi * float64(i) / float64(n)
			if !ccw {
				a = -a
			}
			rr := rad * (0.7 + 0.3*r.Float64())
			ring = append(ring, orb.Point{cx + rr*math.Cos(a), cy + rr*math.Sin(a)})
		}
		return append(ring, ring[0])
	}
	mp := orb.MultiPolygon{
		{jagged(0, 0, 100, 500, true), jagged(0, 0, 30, 60, false)},
		{jagged(0, 0, 15, 40, true)}, // an island in the hole
		{jagged(250, 40, 60, 300, true)},
		{{{400, 0}, {500, 0}, {500, 100}, {400, 100}, {400, 0}}}, // axis-parallel edges
	}
	ix := NewOutlineIndex(mp)
	want := func(p orb.Point) bool {
		for _, poly := range mp {
			if PolygonCovers(poly, p) {
				return true
			}
		}
		return false
	}
	var pts []orb.Point
	for i := 0; i < 20000; i++ {
		pts = append(pts, orb.Point{-150 + 700*r.Float64(), -150 + 300*r.Float64()})
	}
	for _, poly := range mp {
		for _, ring := range poly {
			for i := 0; i+1 < len(ring); i++ {
				pts = append(pts, ring[i], orb.Point{(ring[i][0] + ring[i+1][0]) / 2, (ring[i][1] + ring[i+1][1]) / 2})
			}
		}
	}
	pts = append(pts, orb.Point{450, 0}, orb.Point{450, 100}, orb.Point{450, 50}, orb.Point{0, 0})
	for _, p := range pts {
		if got, w := ix.Covers(p), want(p); got != w {
			t.Fatalf("covers(%v) = %v, PolygonCovers says %v", p, got, w)
		}
	}
	if NewOutlineIndex(nil).Covers(orb.Point{}) {
		t.Error("an empty outline covers a point")
	}
}
