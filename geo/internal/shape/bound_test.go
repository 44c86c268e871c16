package shape_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// The bounds are orb's, bit for bit (signed zeros included), on polygons
// with empty rings and parts, single points and repeated coordinates.
func TestBoundsMatchOrb(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	coord := func() float64 {
		switch r.IntN(8) {
		case 0:
			return 0
		case 1:
			return math.Copysign(0, -1)
		case 2:
			return 3 // repeated
		}
		return (r.Float64() - 0.5) * math.Pow(10, float64(r.IntN(9)))
	}
	ring := func() orb.Ring {
		out := make(orb.Ring, r.IntN(7))
		for i := range out {
			out[i] = orb.Point{coord(), coord()}
		}
		return out
	}
	same := func(a, b orb.Bound) bool {
		for i := range 2 {
			for _, v := range [][2]float64{{a.Min[i], b.Min[i]}, {a.Max[i], b.Max[i]}} {
				if math.Float64bits(v[0]) != math.Float64bits(v[1]) {
					return false
				}
			}
		}
		return true
	}
	for i := 0; i < 30000; i++ {
		mp := make(orb.MultiPolygon, r.IntN(4))
		for k := range mp {
			p := make(orb.Polygon, r.IntN(3))
			for l := range p {
				p[l] = ring()
			}
			mp[k] = p
		}
		if got, want := shape.MultiPolygonBound(mp), mp.Bound(); !same(got, want) {
			t.Fatalf("case %d: MultiPolygonBound(%v) = %v, orb gives %v", i, mp, got, want)
		}
		for _, p := range mp {
			if got, want := shape.PolygonBound(p), p.Bound(); !same(got, want) {
				t.Fatalf("case %d: PolygonBound(%v) = %v, orb gives %v", i, p, got, want)
			}
		}
	}
}
