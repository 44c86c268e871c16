package shape

import (
	"gridplan/geo/internal/robust"

	"github.com/paulmach/orb"
)

// RingIsCCW reports whether the simple closed ring v is counter-clockwise.
// At the lexicographically smallest vertex the ring turns convexly, so the
// exact orientation of that vertex and its neighbours gives the ring's
// orientation without summing areas.
func RingIsCCW(v []orb.Point) bool {
	n := len(v) - 1
	m := 0
	for i := 1; i < n; i++ {
		if v[i][0] < v[m][0] || (v[i][0] == v[m][0] && v[i][1] < v[m][1]) {
			m = i
		}
	}
	o := robust.Orient(v[(m+n-1)%n], v[m], v[m+1])
	if o != 0 {
		return o > 0
	}
	// Unreachable for a simple ring (a straight angle at the extreme vertex
	// would be a spike); fall back to the shoelace sum about v[0].
	return RingArea2(v, v[0]) > 0
}

// OnRings reports whether p lies on a ring of poly.
func OnRings(poly orb.Polygon, p orb.Point) bool {
	for _, r := range poly {
		if _, on := RingContainsExact(r, p); on {
			return true
		}
	}
	return false
}

// RingContainsExact reports whether p is inside the closed ring r (in) or
// on its boundary (on), using exact orientation tests (crossing number with
// the half-open rule on y).
func RingContainsExact(r orb.Ring, p orb.Point) (in, on bool) {
	for i := 0; i+1 < len(r); i++ {
		cross, on := crossing(r[i], r[i+1], p)
		if on {
			return false, true
		}
		in = in != cross
	}
	return in, false
}

// crossing is one step of the exact crossing-number test: whether the ray
// from p to +x crosses edge a→b (half-open on y), or p lies on the edge.
func crossing(a, b, p orb.Point) (cross, on bool) {
	if (a[1] > p[1]) != (b[1] > p[1]) {
		o := robust.Orient(a, b, p)
		if o == 0 {
			return false, true
		}
		// Edge goes up (a below p) and p is left of it, or goes down and
		// p is right of it: the ray crosses the edge.
		return (b[1] > a[1]) == (o > 0), false
	}
	return false, robust.InBox(a, b, p) && robust.Orient(a, b, p) == 0
}
