package shape

import (
	"slices"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// Departs reports whether the outlines of a and b part by more than tol
// somewhere: a vertex of either lies farther than tol from every edge of
// the other. Two drawings of one polygon (one read back through rounding
// or another coordinate system) do not; an edit that moves a boundary,
// even one that keeps the area (a jagged boundary straightened along a
// road), does.
func Departs(a, b orb.MultiPolygon, tol float64) bool {
	if alike(a, b, tol) {
		return false // the common case, in linear time
	}
	return departs(a, b, tol) || departs(b, a, tol)
}

// alike reports whether a and b have their rings in the same order, each
// with its vertices in the same order (from any start) within tol of the
// other's.
func alike(a, b orb.MultiPolygon, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	near := func(p, q orb.Point) bool { return SqDist(p[0], p[1], q[0], q[1]) <= tol*tol }
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j, ra := range a[i] {
			rb := b[i][j]
			n := len(ra) - 1 // closed rings: the last repeats the first
			if n < 1 || len(rb) != len(ra) {
				return false
			}
			k := slices.IndexFunc(rb[:n], func(q orb.Point) bool { return near(ra[0], q) })
			if k < 0 {
				return false
			}
			for v := range n {
				if !near(ra[v], rb[(v+k)%n]) {
					return false
				}
			}
		}
	}
	return true
}

// departs reports whether a vertex of a lies farther than tol from every
// edge of b.
func departs(a, b orb.MultiPolygon, tol float64) bool {
	var edges rtree.RTreeG[[2]orb.Point]
	for _, p := range b {
		for _, r := range p {
			for i := 1; i < len(r); i++ {
				e := orb.Bound{Min: r[i-1], Max: r[i-1]}.Extend(r[i])
				edges.Insert(e.Min, e.Max, [2]orb.Point{r[i-1], r[i]})
			}
		}
	}
	for _, p := range a {
		for _, r := range p {
			for _, v := range r {
				near := false
				edges.Search([2]float64{v[0] - tol, v[1] - tol}, [2]float64{v[0] + tol, v[1] + tol}, func(_, _ [2]float64, e [2]orb.Point) bool {
					near = PointSegmentDist(v, e[0], e[1]) <= tol
					return !near
				})
				if !near {
					return true
				}
			}
		}
	}
	return false
}
