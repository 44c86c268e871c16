package robust

import "math"

// VertexSnapRel scales the coordinate magnitude to the distance below which
// two Voronoi vertices joined by an edge are taken as one. A circumcentre of
// nearly cocircular sites is computed to within a few hundred ulps of the
// magnitude; 2^-40 (4 µm at a projected northing of 4.4e6 m) is well above
// that and far below anything visible on a map.
const VertexSnapRel = 0x1p-40

// OverlaySnapRel is the largest snap tolerance, relative to the coordinate
// magnitude, that simplefeatures' overlay (a port of JTS OverlayNGRobust)
// falls back to when floating-point noding fails: 1e-12, tried five times,
// ten times larger each time.
const OverlaySnapRel = 1e-8

// ExactOrigin returns an origin for values in [lo, hi] whose subtraction is
// exact for every value in the range: by Sterbenz's lemma x-o is exact when
// o/2 <= x <= 2o, so data far from zero (projected metres, hi <= 2·lo) use lo
// (or hi for negative data); data near zero gain nothing from a shift and use 0.
func ExactOrigin(lo, hi float64) float64 {
	switch {
	case lo > 0 && hi <= 2*lo:
		return lo
	case hi < 0 && lo >= 2*hi:
		return hi
	}
	return 0
}

func IsFinite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
