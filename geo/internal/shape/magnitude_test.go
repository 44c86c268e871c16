package shape_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// BoundsMagnitude is the largest absolute corner of the multipolygons'
// orb bounds, empty parts and rings included, without making the bounds.
func TestBoundsMagnitudeMatchesOrbBounds(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	coord := func() float64 {
		switch r.IntN(8) {
		case 0:
			return 0
		case 1:
			return math.Copysign(0, -1)
		case 2:
			return (r.Float64() - 0.5) * 1e-3
		}
		return (r.Float64() - 0.5) * math.Pow(10, float64(r.IntN(8)))
	}
	ring := func() orb.Ring {
		n := r.IntN(6)
		if n == 0 && r.IntN(2) == 0 {
			return nil
		}
		out := make(orb.Ring, n)
		for i := range out {
			out[i] = orb.Point{coord(), coord()}
		}
		return out
	}
	for i := 0; i < 20000; i++ {
		mps := make([]orb.MultiPolygon, r.IntN(4))
		for j := range mps {
			mp := make(orb.MultiPolygon, r.IntN(4))
			for k := range mp {
				p := make(orb.Polygon, r.IntN(3))
				for l := range p {
					p[l] = ring()
				}
				mp[k] = p
			}
			mps[j] = mp
		}
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
