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

// DropReturns returns mp without the returns of its rings: a vertex met
// again right after the one that follows it (A, B, A: an edge out and back,
// a spike of no width) loses B and the second A, and a vertex repeated at
// once loses the repeat, until none is left; a ring left with fewer than 4
// positions is dropped, and a polygon whose exterior is. mp itself is
// returned, and nothing allocated, where no ring has any.
func DropReturns(mp orb.MultiPolygon) orb.MultiPolygon {
	has := false
	for _, p := range mp {
		for _, r := range p {
			has = has || hasReturn(r)
		}
	}
	if !has {
		return mp
	}
	var out orb.MultiPolygon
	for _, p := range mp {
		var q orb.Polygon
		for k, r := range p {
			if r = dropReturns(r); len(r) >= 4 {
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

// hasReturn reports whether closed ring r has a repeated vertex or a
// return (see DropReturns).
func hasReturn(r orb.Ring) bool {
	n := len(r) - 1 // distinct positions, the closing one left out
	for i := 0; i < n; i++ {
		a, b, c := r[i], r[(i+1)%n], r[(i+2)%n]
		if a == b || n > 2 && a == c {
			return true
		}
	}
	return false
}

// dropReturns is DropReturns of one closed ring, in new storage.
func dropReturns(r orb.Ring) orb.Ring {
	st := make([]orb.Point, 0, len(r))
	for _, p := range r[:len(r)-1] {
		if n := len(st); n > 0 && st[n-1] == p {
			continue
		}
		st = append(st, p)
		for n := len(st); n >= 3 && st[n-3] == st[n-1]; n = len(st) {
			st = st[:n-2] // B and the second A
		}
	}
	// Where the ring closes.
	for n := len(st); n >= 3; n = len(st) {
		switch {
		case st[n-1] == st[0]:
			st = st[:n-1]
		case st[n-2] == st[0]:
			st = st[:n-1] // ..., A, B | A: B goes
			st = st[:len(st)-1]
		case st[n-1] == st[1]:
			st = st[1 : n-1] // B | A, B, ...: ring starts again at B
		default:
			return append(orb.Ring(st), st[0])
		}
	}
	return nil
}
