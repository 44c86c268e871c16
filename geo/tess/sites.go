package tess

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// Sites returns tessellation sites for a projected footprint: every ring
// vertex plus points every spacingM metres along each ring edge (edges are
// divided into equal parts no longer than spacingM; spacingM <= 0 gives the
// vertices only); a Point is one site. The closing vertex of a ring is not
// repeated. Order is deterministic: rings in order, vertices along each ring.
func Sites(g orb.Geometry, spacingM float64) []orb.Point {
	var out []orb.Point
	return AppendSites(out, g, spacingM)
}

// AppendSites appends the sites of g (see [Sites]) to out and returns it,
// so that a caller gathering the sites of many footprints grows one slice.
func AppendSites(out []orb.Point, g orb.Geometry, spacing float64) []orb.Point {
	eachPart(g, func(pts []orb.Point, path, ring bool) {
		if path {
			out = appendPath(out, pts, ring, spacing)
		} else {
			out = append(out, pts...)
		}
	})
	return out
}

// NumSites returns len(Sites(g, spacingM)), without making them.
func NumSites(g orb.Geometry, spacingM float64) int {
	n := 0
	eachPart(g, func(pts []orb.Point, path, ring bool) {
		if path {
			n += pathSites(pts, ring, spacingM)
		} else {
			n += len(pts)
		}
	})
	return n
}

// eachPart calls fn with each part of g that gives sites, in order: points
// as they are (path false), line strings and rings as paths (ring true for
// a ring).
func eachPart(g orb.Geometry, fn func(pts []orb.Point, path, ring bool)) {
	switch g := g.(type) {
	case orb.Point:
		fn([]orb.Point{g}, false, false)
	case orb.MultiPoint:
		fn(g, false, false)
	case orb.LineString:
		fn(g, true, false)
	case orb.MultiLineString:
		for _, l := range g {
			fn(l, true, false)
		}
	case orb.Ring:
		fn(g, true, true)
	case orb.Polygon:
		for _, r := range g {
			fn(r, true, true)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				fn(r, true, true)
			}
		}
	case orb.Collection:
		for _, x := range g {
			eachPart(x, fn)
		}
	case orb.Bound:
		eachPart(g.ToPolygon(), fn)
	}
}

// maxEdgeSplits caps the points added along one edge, so a corrupt
// coordinate cannot make Sites allocate without bound.
const maxEdgeSplits = 1 << 16

// pathSites is the number of sites appendPath adds for path: the loop
// below without the points.
func pathSites(path []orb.Point, ring bool, spacing float64) int {
	n := len(path)
	if ring && n > 1 && path[0] == path[n-1] {
		n--
	}
	count := n
	for i := range n {
		if i+1 == n && !ring {
			break
		}
		a, b := path[i], path[(i+1)%n]
		if spacing <= 0 || a == b {
			continue
		}
		if k := math.Ceil(math.Hypot(b[0]-a[0], b[1]-a[1]) / spacing); k > 1 {
			count += int(min(k, maxEdgeSplits)) - 1
		}
	}
	return count
}

func appendPath(out []orb.Point, path []orb.Point, ring bool, spacing float64) []orb.Point {
	n := len(path)
	if ring && n > 1 && path[0] == path[n-1] {
		n--
	}
	out = slices.Grow(out, pathSites(path, ring, spacing)) // grown once
	for i := range n {
		a := path[i]
		out = append(out, a)
		if i+1 == n && !ring {
			break
		}
		b := path[(i+1)%n]
		if spacing <= 0 || a == b {
			continue
		}
		l := math.Hypot(b[0]-a[0], b[1]-a[1])
		k := math.Ceil(l / spacing)
		if !(k > 1) {
			continue
		}
		k = min(k, maxEdgeSplits)
		for j := 1; j < int(k); j++ {
			f := float64(j) / k
			out = append(out, orb.Point{a[0] + (b[0]-a[0])*f, a[1] + (b[1]-a[1])*f})
		}
	}
	return out
}
