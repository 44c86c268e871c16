package shape

import (
	"math"

	"github.com/paulmach/orb"
)

// emptyBound is orb's bound of nothing (Min above Max).
var emptyBound = orb.Bound{Min: orb.Point{1, 1}, Max: orb.Point{-1, -1}}

// RingBound is orb's Ring.Bound (the box of the points; orb's empty bound
// for none) in one pass of comparisons: orb extends a bound point by point
// through a test and a copy each, which the many footprints and cells of a
// city make noticeable.
func RingBound(r []orb.Point) orb.Bound {
	if len(r) == 0 {
		return emptyBound
	}
	lo, hi := r[0], r[0]
	for _, p := range r[1:] {
		// As orb extends: a point in the box (closed) changes nothing,
		// any other takes math.Min and math.Max on both axes (which
		// settles signed zeros as orb does).
		if lo[0] <= p[0] && p[0] <= hi[0] && lo[1] <= p[1] && p[1] <= hi[1] {
			continue
		}
		lo = orb.Point{math.Min(lo[0], p[0]), math.Min(lo[1], p[1])}
		hi = orb.Point{math.Max(hi[0], p[0]), math.Max(hi[1], p[1])}
	}
	return orb.Bound{Min: lo, Max: hi}
}

// PolygonBound is orb's Polygon.Bound: its exterior's (RingBound).
func PolygonBound(p orb.Polygon) orb.Bound {
	if len(p) == 0 {
		return emptyBound
	}
	return RingBound(p[0])
}

// MultiPolygonBound is orb's MultiPolygon.Bound: the union of the
// polygons' bounds, the empty ones left out (all empty: orb's empty
// bound).
func MultiPolygonBound(mp orb.MultiPolygon) orb.Bound {
	b, found := emptyBound, false
	for _, p := range mp {
		pb := PolygonBound(p)
		if pb.IsEmpty() {
			continue
		}
		if !found {
			b, found = pb, true
			continue
		}
		// orb's Union: the other's four corners extend it in turn.
		b = RingBound([]orb.Point{b.Min, b.Max, pb.Min, pb.Max, {pb.Min[0], pb.Max[1]}, {pb.Max[0], pb.Min[1]}})
	}
	return b
}

// GeometryBound is g.Bound(), by PolygonBound and MultiPolygonBound for
// polygons.
func GeometryBound(g orb.Geometry) orb.Bound {
	switch g := g.(type) {
	case orb.Polygon:
		return PolygonBound(g)
	case orb.MultiPolygon:
		return MultiPolygonBound(g)
	}
	return g.Bound()
}
