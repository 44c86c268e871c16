package shape

import (
	"flag"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

var overlapSeed = flag.Uint64("overlap.seed", 1, "seed of TestInteriorsMayOverlapRandom")

func rect(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

func reversed(r orb.Ring) orb.Ring {
	out := append(orb.Ring(nil), r...)
	out.Reverse()
	return out
}

// overlayArea is the reference: the area of a ∩ b by polygon overlay.
func overlayArea(t *testing.T, a, b orb.MultiPolygon) float64 {
	t.Helper()
	inter, err := geom.Intersection(ToSF(a), ToSF(b))
	if err != nil {
		t.Fatalf("Intersection(%v, %v): %v", a, b, err)
	}
	return inter.Area()
}

func TestInteriorsMayOverlap(t *testing.T) {
	sq := rect(0, 0, 4, 4)
	for _, c := range []struct {
		name string
		a, b orb.MultiPolygon
		want bool
	}{
		{"apart", orb.MultiPolygon{{sq}}, orb.MultiPolygon{{rect(5, 0, 6, 4)}}, false},
		{"shared edge", orb.MultiPolygon{{sq}}, orb.MultiPolygon{{rect(4, 0, 6, 4)}}, false},
		{"shared edge, clockwise", orb.MultiPolygon{{reversed(sq)}}, orb.MultiPolygon{{rect(4, 0, 6, 4)}}, false},
		{"part of an edge", orb.MultiPolygon{{sq}}, orb.MultiPolygon{{rect(4, 1, 6, 3)}}, false},
		{"extra collinear vertices", orb.MultiPolygon{{sq}},
			orb.MultiPolygon{{{{4, 0}, {6, 0}, {6, 4}, {4, 4}, {4, 3}, {4, 2}, {4, 1}, {4, 0}}}}, false},
		{"corner", orb.MultiPolygon{{sq}}, orb.MultiPolygon{{rect(4, 4, 6, 6)}}, false},
		{"vertex on an edge", orb.MultiPolygon{{sq}}, orb.MultiPolygon{{{{4, 2}, {6, 0}, {6, 4}, {4, 2}}}}, false},
		{"equal", orb.MultiPolygon{{sq}}, orb.MultiPolygon{{sq}}, true},
		{"crossing", orb.MultiPolygon{{sq}}, orb.MultiPolygon{{rect(3, 1, 6, 3)}}, true},
		{"nested", orb.MultiPolygon{{sq}}, orb.MultiPolygon{{rect(1, 1, 2, 2)}}, true},
		{"nested, touching", orb.MultiPolygon{{sq}}, orb.MultiPolygon{{rect(0, 0, 2, 2)}}, true},
		{"diagonal inside", orb.MultiPolygon{{sq}}, orb.MultiPolygon{{{{0, 0}, {4, 0}, {4, 4}, {0, 0}}}}, true},
		{"same edge, same side", orb.MultiPolygon{{sq}}, orb.MultiPolygon{{rect(0, 0, 4, 1)}}, true},
		{"in a hole", orb.MultiPolygon{{rect(0, 0, 9, 9), reversed(rect(2, 2, 6, 6))}}, orb.MultiPolygon{{rect(3, 3, 4, 4)}}, false},
		{"filling a hole", orb.MultiPolygon{{rect(0, 0, 9, 9), reversed(rect(2, 2, 6, 6))}}, orb.MultiPolygon{{rect(2, 2, 6, 6)}}, false},
		{"over a hole", orb.MultiPolygon{{rect(0, 0, 9, 9), reversed(rect(2, 2, 6, 6))}}, orb.MultiPolygon{{rect(2, 2, 7, 6)}}, true},
		{"second polygon", orb.MultiPolygon{{rect(10, 10, 11, 11)}, {sq}}, orb.MultiPolygon{{rect(3, 3, 5, 5)}}, true},
		{"malformed", orb.MultiPolygon{{{{0, 0}, {1, 0}, {0, 0}}}}, orb.MultiPolygon{{sq}}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, swap := range []bool{false, true} {
				a, b := c.a, c.b
				if swap {
					a, b = b, a
				}
				if got := InteriorsMayOverlap(NewOverlapShape(a), NewOverlapShape(b)); got != c.want {
					t.Errorf("InteriorsMayOverlap(%v, %v) = %v, want %v", a, b, got, c.want)
				}
			}
		})
	}
}

// TestInteriorsMayOverlapRandom checks the pre-test against the overlay on
// random neighbours sharing a border on a small integer lattice, where exact
// contacts (shared vertices, collinear stretches, vertices on edges) are
// common: it must never answer false for a positive overlap.
func TestInteriorsMayOverlapRandom(t *testing.T) {
	t.Logf("seed %d (-overlap.seed)", *overlapSeed)
	rng := rand.New(rand.NewPCG(*overlapSeed, 2))
	const trials = 3000
	skipped, decided, overlaid := 0, 0, 0
	for n := range trials {
		// A monotone border from x=0 to x=16 at even lattice points, so
		// that midpoints are lattice points too.
		var path []orb.Point
		for x := 0.0; x <= 16; x += 4 {
			path = append(path, orb.Point{x, 2 * float64(1+rng.IntN(7))})
		}
		lower := append(orb.Ring{{0, 0}, {16, 0}}, reversedPts(path)...)
		upper := append(orb.Ring{}, path...)
		upper = append(upper, orb.Point{16, 16}, orb.Point{0, 16})
		perturb := func(r orb.Ring, lo, hi int) orb.Ring {
			switch rng.IntN(4) {
			case 0: // extra collinear vertices on one side
				var out orb.Ring
				for i := range r {
					out = append(out, r[i])
					if i >= lo && i < hi && rng.IntN(2) == 0 {
						out = append(out, orb.Point{(r[i][0] + r[i+1][0]) / 2, (r[i][1] + r[i+1][1]) / 2})
					}
				}
				return out
			case 1: // one border vertex moved up or down
				k := lo + rng.IntN(hi-lo+1)
				r = append(orb.Ring(nil), r...)
				r[k][1] += float64(rng.IntN(3) - 1)
				return r
			case 2: // shifted
				d := orb.Point{float64(rng.IntN(3) - 1), float64(rng.IntN(3) - 1)}
				out := make(orb.Ring, len(r))
				for i, p := range r {
					out[i] = orb.Point{p[0] + d[0], p[1] + d[1]}
				}
				return out
			}
			return r
		}
		lower = perturb(lower, 2, len(lower)-1)
		upper = perturb(upper, 0, len(path)-1)
		lower = append(lower, lower[0])
		upper = append(upper, upper[0])
		if !ringSimple(lower) {
			skipped++
			continue
		}
		if !ringSimple(upper) {
			skipped++
			continue
		}
		if rng.IntN(3) == 0 {
			lower.Reverse() // clockwise input must work too
		}
		a, b := orb.MultiPolygon{{lower}}, orb.MultiPolygon{{upper}}
		if rng.IntN(5) == 0 { // a hole, or a second polygon
			a = orb.MultiPolygon{{lower}, {rect(20, 0, 24, 4)}}
			b = orb.MultiPolygon{{upper}, {rect(20+float64(rng.IntN(5)), float64(rng.IntN(5)), 22, 2)}}
			if b[1][0][0][0] >= 22 || b[1][0][0][1] >= 2 {
				b = b[:1]
			}
		}
		area := overlayArea(t, a, b)
		may := InteriorsMayOverlap(NewOverlapShape(a), NewOverlapShape(b))
		if area > 0 && !may {
			t.Fatalf("trial %d: InteriorsMayOverlap(%v, %v) = false, overlay area %g", n, a, b, area)
		}
		switch {
		case !may:
			decided++
		case area == 0:
			overlaid++ // pre-test inconclusive: an overlay for nothing
		}
	}
	t.Logf("%d trials, %d invalid rings skipped; %d pairs found not to overlap without overlay, %d by overlay", trials, skipped, decided, overlaid)
	if decided == 0 {
		t.Errorf("the pre-test never answered false")
	}
}

func reversedPts(p []orb.Point) []orb.Point {
	out := make([]orb.Point, len(p))
	for i := range p {
		out[i] = p[len(p)-1-i]
	}
	return out
}

// ringSimple reports whether the closed ring r does not touch or cross
// itself (simplefeatures, an implementation independent of this package).
func ringSimple(r orb.Ring) bool {
	xy := make([]float64, 0, 2*len(r))
	for _, p := range r {
		xy = append(xy, p[0], p[1])
	}
	return geom.NewLineString(geom.NewSequence(xy, geom.DimXY)).IsSimple()
}
