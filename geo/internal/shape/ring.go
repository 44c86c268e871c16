package shape

import (
	"math"
	"slices"

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

// DropSpikes returns mp without the spikes of its rings: a vertex within
// eps of the one before it goes (a repeat), and so does a vertex B between
// A and C where the ring turns back on itself, A and C on the same side of
// B and one of them within eps of the line through B and the other (an
// edge out and back along itself, a spike of no width), until none is
// left; eps is relative, times the largest coordinate of B. A ring left
// with fewer than 4 positions is dropped, and a polygon whose exterior is.
// mp itself is returned, and nothing allocated, where no ring has any.
func DropSpikes(mp orb.MultiPolygon, eps float64) orb.MultiPolygon {
	return dropSpikesOf(mp, eps, true)
}

// DropTips is DropSpikes but that it leaves vertices near the one before
// them: of two grids that share a boundary, each would drop the other
// vertex of such a pair, and their boundaries part by the pair's distance.
func DropTips(mp orb.MultiPolygon, eps float64) orb.MultiPolygon {
	return dropSpikesOf(mp, eps, false)
}

func dropSpikesOf(mp orb.MultiPolygon, eps float64, repeats bool) orb.MultiPolygon {
	has := false
	for _, p := range mp {
		for _, r := range p {
			has = has || len(r) < 4 || hasSpike(r[:len(r)-1], eps, repeats)
		}
	}
	if !has {
		return mp
	}
	var out orb.MultiPolygon
	for _, p := range mp {
		var q orb.Polygon
		for k, r := range p {
			if len(r) >= 4 {
				if v := dropSpikes(slices.Clone(r[:len(r)-1]), eps, repeats); v != nil {
					r = append(orb.Ring(v), v[0])
				} else {
					r = nil
				}
			}
			if len(r) >= 4 {
				q = append(q, r)
			} else if k == 0 {
				break
			}
		}
		if len(q) > 0 {
			out = append(out, q)
		}
	}
	return out
}

// spikeAt reports whether b, between a and c, is the tip of a spike or,
// if repeats, a repeat of a (see DropSpikes).
func spikeAt(a, b, c orb.Point, eps float64, repeats bool) bool {
	tol := eps * max(1, math.Abs(b[0]), math.Abs(b[1]))
	ab, cb := orb.Point{a[0] - b[0], a[1] - b[1]}, orb.Point{c[0] - b[0], c[1] - b[1]}
	la, lc := math.Hypot(ab[0], ab[1]), math.Hypot(cb[0], cb[1])
	if la <= tol {
		// A repeat; without repeats, b only where c comes back to a (a
		// spike out of a and back, shorter than tol).
		return repeats || la == 0 || math.Hypot(c[0]-a[0], c[1]-a[1]) <= tol
	}
	if ab[0]*cb[0]+ab[1]*cb[1] <= 0 || lc <= tol {
		return false // it goes on (or c repeats b: c goes next)
	}
	cross := math.Abs(ab[0]*cb[1] - ab[1]*cb[0])
	return cross/max(la, lc) <= tol // the shorter arm's end, from the longer's line
}

// HasSpike reports whether a ring of mp has a spike or a near repeat (see
// DropSpikes).
func HasSpike(mp orb.MultiPolygon, eps float64) bool { return anySpike(mp, eps, true) }

// HasTip reports whether a ring of mp has the tip of a spike (see
// DropTips).
func HasTip(mp orb.MultiPolygon, eps float64) bool { return anySpike(mp, eps, false) }

func anySpike(mp orb.MultiPolygon, eps float64, repeats bool) bool {
	for _, p := range mp {
		for _, r := range p {
			if len(r) >= 4 && hasSpike(r[:len(r)-1], eps, repeats) {
				return true
			}
		}
	}
	return false
}

// hasSpike reports whether open ring v has a spike (see DropSpikes).
func hasSpike(v []orb.Point, eps float64, repeats bool) bool {
	n := len(v)
	for i := range v {
		if n >= 3 && spikeAt(v[(i+n-1)%n], v[i], v[(i+1)%n], eps, repeats) {
			return true
		}
	}
	return false
}

// dropSpikes removes the spikes of open ring v (see DropSpikes) in place;
// nil if fewer than 3 vertices stay.
func dropSpikes(v []orb.Point, eps float64, repeats bool) []orb.Point {
	for i := 0; i < len(v) && len(v) >= 3; {
		n := len(v)
		if spikeAt(v[(i+n-1)%n], v[i], v[(i+1)%n], eps, repeats) {
			v = append(v[:i], v[i+1:]...)
			i = max(0, i-1) // the vertex before may be a tip now
			continue
		}
		i++
	}
	if len(v) < 3 || hasSpike(v, eps, repeats) {
		// A tip at the seam, found after the pass went by: once more.
		if len(v) >= 3 {
			return dropSpikes(v, eps, repeats)
		}
		return nil
	}
	return v
}

// DoublesBack reports whether a ring of mp has an edge that doubles back
// along the one before it, exactly (the test of an audit of the layer):
// the three vertices on one line, the third on the first edge or the first
// on the second.
func DoublesBack(mp orb.MultiPolygon) bool {
	for _, p := range mp {
		for _, r := range p {
			n := len(r) - 1
			for i := 0; i < n; i++ {
				a, b, d := r[i], r[(i+1)%n], r[(i+2)%n]
				if robust.Orient(a, b, d) == 0 && (robust.InBox(a, b, d) || robust.InBox(b, d, a)) {
					return true
				}
			}
		}
	}
	return false
}
