package shape_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// TestPlainRingAgreesWithSimplefeatures: whatever PlainRing calls a valid
// shell, simplefeatures' validation accepts as a polygon, on random rings
// (stars, which are simple; random walks, which mostly cross; rings with
// a vertex repeated, a spike, a straight-through vertex, an edge touching
// another, points on a lattice where touching is exact); and it shows
// nearly every star and convex ring, as grids mostly are.
func TestPlainRingAgreesWithSimplefeatures(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	shown, stars := 0, 0
	for trial := range 20000 {
		n := 3 + r.IntN(40)
		var ring orb.Ring
		kind := trial % 6
		switch kind {
		case 0, 1: // a star around the origin: simple
			angles := make([]float64, n)
			for i := range angles {
				angles[i] = (float64(i) + 0.8*r.Float64()) / float64(n) * 2 * math.Pi
			}
			for _, a := range angles {
				d := 1 + 9*r.Float64()
				ring = append(ring, orb.Point{113 + 1e-3*d*math.Cos(a), 40 + 1e-3*d*math.Sin(a)})
			}
		case 2: // a random walk on a lattice: crossings, touchings, spikes
			for range n {
				ring = append(ring, orb.Point{float64(r.IntN(6)), float64(r.IntN(6))})
			}
		default: // a star damaged
			for i := range n {
				a := float64(i) / float64(n) * 2 * math.Pi
				ring = append(ring, orb.Point{math.Round(10 * math.Cos(a)), math.Round(10 * math.Sin(a))})
			}
			k := r.IntN(n)
			switch kind {
			case 3: // a vertex repeated elsewhere (a touching)
				ring = append(ring[:k+1], append(orb.Ring{ring[(k+n/2)%n]}, ring[k+1:]...)...)
			case 4: // a spike out and back
				ring = append(ring[:k+1], append(orb.Ring{{ring[k][0] * 2, ring[k][1] * 2}, ring[k]}, ring[k+1:]...)...)
			default: // a midpoint on an edge (straight through)
				q := ring[(k+1)%n]
				ring = append(ring[:k+1], append(orb.Ring{{(ring[k][0] + q[0]) / 2, (ring[k][1] + q[1]) / 2}}, ring[k+1:]...)...)
			}
		}
		ring = append(ring, ring[0])
		got := shape.PlainRing(ring)
		if kind < 2 {
			stars++
			if got {
				shown++
			}
		}
		if !got {
			continue
		}
		if err := shape.ToSF(orb.MultiPolygon{{ring}}).Validate(); err != nil {
			t.Fatalf("trial %d: PlainRing accepts %v, simplefeatures says %v", trial, ring, err)
		}
	}
	if shown < stars*99/100 {
		t.Fatalf("PlainRing showed only %d of %d simple stars", shown, stars)
	}
	for _, bad := range []orb.Ring{
		{{0, 0}, {1, 0}, {0, 0}},                                  // too few
		{{0, 0}, {1, 0}, {1, 1}, {0, 1}},                          // not closed
		{{0, 0}, {2, 0}, {2, 2}, {1, 0}, {0, 2}, {0, 0}},          // touches itself
		{{0, 0}, {2, 2}, {2, 0}, {0, 2}, {0, 0}},                  // bow-tie
		{{0, 0}, {1, 0}, {2, 0}, {2, 2}, {0, 2}, {0, 0}},          // straight through
		{{0, 0}, {2, 0}, {2, 0}, {2, 2}, {0, 2}, {0, 0}},          // repeated vertex
		{{0, 0}, {2, 0}, {3, 0}, {2, 0}, {2, 2}, {0, 2}, {0, 0}},  // spike
		{{0, 0}, {2, 0}, {math.NaN(), 1}, {2, 2}, {0, 2}, {0, 0}}, // not a number
		{{0, 0}, {math.Inf(1), 0}, {2, 2}, {0, 2}, {0, 0}},        // infinite
	} {
		if shape.PlainRing(bad) {
			t.Errorf("PlainRing accepts %v", bad)
		}
	}
}
