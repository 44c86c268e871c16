package shape_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// randomMultiPolygons returns a few multipolygons of random rings, empty
// rings, polygons and parts among them, with zeros of both signs,
// repeated coordinates and magnitudes from 1e-3 to 1e8.
func randomMultiPolygons(r *rand.Rand) []orb.MultiPolygon {
	coord := func() float64 {
		switch r.IntN(8) {
		case 0:
			return 0
		case 1:
			return math.Copysign(0, -1)
		case 2:
			return 3 // repeated
		}
		return (r.Float64() - 0.5) * math.Pow(10, float64(r.IntN(12)-3))
	}
	mps := make([]orb.MultiPolygon, r.IntN(4))
	for j := range mps {
		mp := make(orb.MultiPolygon, r.IntN(4))
		for k := range mp {
			p := make(orb.Polygon, r.IntN(3))
			for l := range p {
				ring := make(orb.Ring, r.IntN(7))
				for i := range ring {
					ring[i] = orb.Point{coord(), coord()}
				}
				p[l] = ring
			}
			mp[k] = p
		}
		mps[j] = mp
	}
	return mps
}

// The bounds are orb's, bit for bit (signed zeros included), on polygons
// with empty rings and parts, single points and repeated coordinates.
func TestBoundsMatchOrb(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
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
	for i := 0; i < 20000; i++ {
		for _, mp := range randomMultiPolygons(r) {
			if got, want := shape.MultiPolygonBound(mp), mp.Bound(); !same(got, want) {
				t.Fatalf("case %d: MultiPolygonBound(%v) = %v, orb gives %v", i, mp, got, want)
			}
			if got, want := shape.GeometryBound(mp), mp.Bound(); !same(got, want) {
				t.Fatalf("case %d: GeometryBound(%v) = %v, orb gives %v", i, mp, got, want)
			}
			for _, p := range mp {
				if got, want := shape.PolygonBound(p), p.Bound(); !same(got, want) {
					t.Fatalf("case %d: PolygonBound(%v) = %v, orb gives %v", i, p, got, want)
				}
			}
		}
	}
}

// BoundsMagnitude is the largest absolute corner of the multipolygons'
// orb bounds, empty parts and rings included, without making the bounds.
func TestBoundsMagnitudeMatchesOrbBounds(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 20000; i++ {
		mps := randomMultiPolygons(r)
		want := 0.0
		for _, mp := range mps {
			if len(mp) > 0 {
				b := mp.Bound()
				want = max(want, math.Abs(b.Min[0]), math.Abs(b.Min[1]), math.Abs(b.Max[0]), math.Abs(b.Max[1]))
			}
		}
		if got := shape.BoundsMagnitude(mps); got != want {
			t.Fatalf("case %d: BoundsMagnitude(%v) = %v, want %v", i, mps, got, want)
		}
	}
}
