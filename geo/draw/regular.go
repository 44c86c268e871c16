package draw

import (
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
)

// regularAt returns mp as the arrangement, which takes points within tol
// of each other or of an edge as one, can hold it: without vertices within
// tol of the one before, and without spikes narrower than tol (an edge that
// doubles back along the one before, to within tol). Rings left with fewer
// than three vertices are dropped, and so is a polygon whose exterior is.
// It returns mp itself, and false, when it has no such vertex.
//
// Overlays leave such features where two footprints share a corner up to
// rounding: a footprint that loses a strip to a neighbour whose corner lies
// a nanometre off its edge keeps a spike a nanometre wide along that edge.
// Noded with the neighbour, the spike's two edges would become one, with
// the footprint's outline running both ways along it: the footprint on
// neither side, but labelled on both, and the grids traced from the
// arrangement would overlap and leave gaps.
func regularAt(mp orb.MultiPolygon, tol float64) (orb.MultiPolygon, bool) {
	var out orb.MultiPolygon // nil until something changes
	for i, poly := range mp {
		var q orb.Polygon // nil until something changes in poly
		for j, r := range poly {
			v, changed := regularRing(r, tol)
			if changed && q == nil {
				q = append(make(orb.Polygon, 0, len(poly)), poly[:j]...)
			}
			if q != nil && len(v) > 0 {
				q = append(q, v)
			}
			if len(v) == 0 && j == 0 {
				q = orb.Polygon{} // the exterior gone: the whole polygon
				break
			}
		}
		if q != nil && out == nil {
			out = append(make(orb.MultiPolygon, 0, len(mp)), mp[:i]...)
		}
		switch {
		case q == nil && out != nil:
			out = append(out, poly)
		case len(q) > 0:
			out = append(out, q)
		}
	}
	if out == nil {
		return mp, false
	}
	return out, true
}

// regularRing returns the closed ring r without vertices within tol of the
// one kept before them and without the tips of spikes narrower than tol,
// and whether any was removed (r itself if not); nil when fewer than three
// vertices are left. Linear: a stack, each vertex pushed and removed at
// most once.
func regularRing(r orb.Ring, tol float64) (orb.Ring, bool) {
	if len(r) < 2 {
		return r, false
	}
	v := r
	if v[0] == v[len(v)-1] {
		v = v[:len(v)-1]
	}
	tol2 := tol * tol
	near := func(a, b orb.Point) bool { return shape.SqDist(a[0], a[1], b[0], b[1]) <= tol2 }
	// spike: a→b→c doubles back at b, c within tol of ab or a of bc.
	spike := func(a, b, c orb.Point) bool {
		if (b[0]-a[0])*(c[0]-b[0])+(b[1]-a[1])*(c[1]-b[1]) >= 0 {
			return false
		}
		return shape.PointSegmentDist(c, a, b) <= tol || shape.PointSegmentDist(a, b, c) <= tol
	}
	// Most rings have nothing to remove: told without a copy. The stack
	// below removes nothing unless some vertex, taken with the one before
	// and after it around the ring, is near or a spike's tip.
	n := len(v)
	clean := true
	for i := 0; i < n && clean && n >= 3; i++ {
		a, b, c := v[(i+n-1)%n], v[i], v[(i+1)%n]
		clean = !near(a, b) && !spike(a, b, c)
	}
	if clean && n >= 3 {
		return r, false
	}
	st := make([]orb.Point, 0, len(v))
	removed := false
	for _, p := range v {
		if n := len(st); n > 0 && near(st[n-1], p) {
			removed = true
			continue
		}
		st = append(st, p)
		for n := len(st); n >= 3 && spike(st[n-3], st[n-2], st[n-1]); n = len(st) {
			removed = true
			st = append(st[:n-2], st[n-1])
			if n := len(st); near(st[n-2], st[n-1]) {
				st = st[:n-1]
			}
		}
	}
	// Where the ring closes: the last vertex, and the first.
	for n := len(st); n >= 3; n = len(st) {
		switch {
		case near(st[n-1], st[0]):
			st = st[:n-1]
		case spike(st[n-2], st[n-1], st[0]):
			st = st[:n-1]
		case spike(st[n-1], st[0], st[1]):
			st = st[1:]
		default:
			if !removed {
				return r, false
			}
			return append(orb.Ring(st), st[0]), true
		}
		removed = true
	}
	return nil, true
}
