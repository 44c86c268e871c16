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
	switch g := g.(type) {
	case orb.Point:
		return append(out, g)
	case orb.MultiPoint:
		return append(out, g...)
	case orb.LineString:
		return appendPath(out, g, false, spacing)
	case orb.MultiLineString:
		for _, l := range g {
			out = appendPath(out, l, false, spacing)
		}
	case orb.Ring:
		return appendPath(out, g, true, spacing)
	case orb.Polygon:
		for _, r := range g {
			out = appendPath(out, r, true, spacing)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				out = appendPath(out, r, true, spacing)
			}
		}
	case orb.Collection:
		for _, x := range g {
			out = AppendSites(out, x, spacing)
		}
	case orb.Bound:
		return AppendSites(out, g.ToPolygon(), spacing)
	}
	return out
}

// maxEdgeSplits caps the points added along one edge, so a corrupt
// coordinate cannot make Sites allocate without bound.
const maxEdgeSplits = 1 << 16

// NumSites returns len(Sites(g, spacingM)), without making them.
func NumSites(g orb.Geometry, spacingM float64) int {
	switch g := g.(type) {
	case orb.Point:
		return 1
	case orb.MultiPoint:
		return len(g)
	case orb.LineString:
		return pathSites(g, false, spacingM)
	case orb.MultiLineString:
		n := 0
		for _, l := range g {
			n += pathSites(l, false, spacingM)
		}
		return n
	case orb.Ring:
		return pathSites(g, true, spacingM)
	case orb.Polygon:
		n := 0
		for _, r := range g {
			n += pathSites(r, true, spacingM)
		}
		return n
	case orb.MultiPolygon:
		n := 0
		for _, p := range g {
			for _, r := range p {
				n += pathSites(r, true, spacingM)
			}
		}
		return n
	case orb.Collection:
		n := 0
		for _, x := range g {
			n += NumSites(x, spacingM)
		}
		return n
	case orb.Bound:
		return NumSites(g.ToPolygon(), spacingM)
	}
	return 0
}

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
