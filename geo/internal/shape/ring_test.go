package shape_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// The exact crossing-number test agrees with orb's on points off the
// boundary, and puts every vertex and edge midpoint on it.
func TestRingContainsExact(t *testing.T) {
	// A comb: concave, with horizontal edges at the height of vertices.
	r := orb.Ring{{0, 0}, {10, 0}, {10, 10}, {8, 10}, {8, 4}, {6, 4}, {6, 10}, {4, 10}, {4, 4}, {2, 4}, {2, 10}, {0, 10}, {0, 0}}
	for _, ring := range []orb.Ring{r, reversed(r)} {
		for i := 0; i+1 < len(ring); i++ {
			for _, p := range []orb.Point{ring[i], {(ring[i][0] + ring[i+1][0]) / 2, (ring[i][1] + ring[i+1][1]) / 2}} {
				if in, on := shape.RingContainsExact(ring, p); in || !on {
					t.Errorf("%v on the ring: in %v on %v", p, in, on)
				}
			}
		}
		rng := rand.New(rand.NewPCG(1, 2))
		for range 2000 {
			p := orb.Point{rng.Float64()*14 - 2, rng.Float64()*14 - 2}
			if planar.RingContains(ring, p) && shape.OnRings(orb.Polygon{ring}, p) {
				continue // orb counts the boundary in
			}
			in, on := shape.RingContainsExact(ring, p)
			if on || in != planar.RingContains(ring, p) {
				t.Errorf("%v: in %v on %v, orb says %v", p, in, on, planar.RingContains(ring, p))
			}
		}
		// Points on the extension of a horizontal edge (the half-open rule).
		for _, p := range []orb.Point{{1, 4}, {5, 4}, {9, 4}, {-1, 4}, {11, 4}, {-1, 10}, {3, 10}, {11, 0}} {
			in, on := shape.RingContainsExact(ring, p)
			want := p[0] > 0 && p[0] < 10 && p[1] > 0 && p[1] < 10
			if on || in != want {
				t.Errorf("%v: in %v on %v, want in %v", p, in, on, want)
			}
		}
	}
}

// TestDropSpikes: spikes of no width (A, B, A, or an edge back along
// itself past the base, to within eps) and repeated vertices go, wherever
// they fall on the ring, seam included; a clean polygon comes back as it
// is.
func TestDropSpikes(t *testing.T) {
	sq := orb.Ring{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}
	for _, tc := range []struct {
		name string
		in   orb.Ring
	}{
		{"mid", orb.Ring{{0, 0}, {4, 0}, {4, 4}, {5, 5}, {4, 4}, {0, 4}, {0, 0}}},
		{"repeated", orb.Ring{{0, 0}, {4, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}},
		{"nearly repeated", orb.Ring{{0, 0}, {4, 0}, {4 + 1e-12, 0}, {4, 4}, {0, 4}, {0, 0}}},
		{"nested", orb.Ring{{0, 0}, {4, 0}, {4, 4}, {5, 5}, {6, 6}, {5, 5}, {4, 4}, {0, 4}, {0, 0}}},
		{"tip at the seam", orb.Ring{{-1, -1}, {0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}, {-1, -1}}},
		{"base at the seam", orb.Ring{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}, {-1, -1}, {0, 0}}},
		// Out from (4,4) to (4,6) and back past (4,4) along the edge to
		// (4,0): the square's corner (4,4) on the way back, 1e-13 off.
		{"back past the base", orb.Ring{{0, 0}, {4, 0}, {4 + 1e-13, 6}, {4, 4}, {0, 4}, {0, 0}}},
	} {
		got := shape.DropSpikes(orb.MultiPolygon{{tc.in}}, 1e-10)
		if len(got) != 1 || len(got[0]) != 1 || len(got[0][0]) != 5 || math.Abs(shape.RingArea(got[0][0])-16) > 1e-9 {
			t.Errorf("%s: DropSpikes(%v) = %v, want the square", tc.name, tc.in, got)
		}
	}
	clean := orb.MultiPolygon{{sq}}
	if got := shape.DropSpikes(clean, 1e-10); &got[0][0][0] != &clean[0][0][0] {
		t.Error("a clean polygon was copied")
	}
	if got := shape.DropSpikes(orb.MultiPolygon{{{{0, 0}, {1, 1}, {0, 0}, {0, 0}}}}, 1e-10); len(got) != 0 {
		t.Errorf("a ring of one return = %v, want nothing", got)
	}
	thin := orb.MultiPolygon{{{{0, 0}, {4, 0}, {4, 1e-3}, {0, 0}}}} // a sliver 1 mm wide at its end: no spike
	if got := shape.DropSpikes(thin, 1e-10); len(got) != 1 || len(got[0][0]) != 4 {
		t.Errorf("a thin triangle = %v, want it as it is", got)
	}
}

// TestDropTips: DropTips takes the tip of a spike, even one shorter than
// eps out of a vertex and back to a point beside it, but leaves a vertex
// close to the one before it that is no tip, as the neighbour sharing the
// pair keeps both.
func TestDropTips(t *testing.T) {
	near := orb.Ring{{0, 0}, {4, 0}, {4 + 1e-13, 1e-13}, {4, 4}, {0, 4}, {0, 0}}
	if shape.HasTip(orb.MultiPolygon{{near}}, 1e-12) {
		t.Errorf("%v: a pair of close vertices taken for a tip", near)
	}
	tip := orb.Ring{{0, 0}, {4, 0}, {4, 4}, {4 - 1e-13, 4 + 1e-12}, {4 + 1e-14, 4}, {0, 4}, {0, 0}}
	got := shape.DropTips(orb.MultiPolygon{{tip}}, 1e-12)
	if len(got) != 1 || len(got[0][0]) != 6 || slices.Contains(got[0][0], orb.Point{4 - 1e-13, 4 + 1e-12}) {
		t.Errorf("DropTips(%v) = %v, want the tip gone and the vertices beside it kept", tip, got)
	}
}
