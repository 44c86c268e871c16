package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// StackTolM is the distance, in metres, within which a point building
// stands on another building (a point at the same spot, or on a
// footprint's outline): well above the millimetre within which the
// tessellation merges sites, well below the gap between two buildings.
const StackTolM = 0.01

// Stacked finds the buildings that stand on another building of the same
// community: whose representative point ([RepresentativePoint]) lies in
// another building's footprint (a footprint digitised twice, a unit or an
// entrance recorded inside its building), or, for a point, within
// [StackTolM] of another point or footprint. No boundary can run between
// such buildings, so they must share a grid. It returns, for each building,
// the lowest index of the group of buildings standing on one another that
// it belongs to; a building on its own gets its own index.
func Stacked(bs []Building) []int {
	group := make([]int, len(bs))
	for i := range group {
		group[i] = i
	}
	find := func(i int) int {
		for group[i] != i {
			group[i] = group[group[i]]
			i = group[i]
		}
		return i
	}
	union := func(a, b int) {
		ra, rb := find(a), find(b)
		if ra > rb {
			ra, rb = rb, ra
		}
		group[rb] = ra
	}
	var tr rtree.RTreeG[int]
	for i := range bs {
		if g := bs[i].Geometry; g != nil {
			b := g.Bound()
			tr.Insert(b.Min, b.Max, i)
		}
	}
	for j := range bs {
		g := bs[j].Geometry
		if g == nil {
			continue
		}
		p := RepresentativePoint(g)
		_, isPoint := g.(orb.Point)
		lo, hi := p, p
		var dLon, dLat float64
		if isPoint {
			dLon, dLat = degreesFor(StackTolM, p[1])
			lo, hi = orb.Point{p[0] - dLon, p[1] - dLat}, orb.Point{p[0] + dLon, p[1] + dLat}
		}
		tr.Search(lo, hi, func(_, _ [2]float64, i int) bool {
			if i == j || bs[i].Community != bs[j].Community {
				return true
			}
			if standsOn(p, bs[i].Geometry, isPoint, dLon, dLat) {
				union(i, j)
			}
			return true
		})
	}
	for i := range group {
		group[i] = find(i)
	}
	return group
}

// standsOn reports whether point p lies in footprint g, or, for a point
// building (near), within dLon, dLat degrees of a point g or of g's outline.
func standsOn(p orb.Point, g orb.Geometry, near bool, dLon, dLat float64) bool {
	var polys []orb.Polygon
	switch g := g.(type) {
	case orb.Point:
		return near && math.Abs(g[0]-p[0]) <= dLon && math.Abs(g[1]-p[1]) <= dLat
	case orb.Polygon:
		polys = []orb.Polygon{g}
	case orb.MultiPolygon:
		polys = g
	}
	for _, poly := range polys {
		if len(poly) == 0 {
			continue
		}
		if polygonCovers(poly, p) {
			return true
		}
		if !near {
			continue
		}
		// Distances in units of the tolerance on each axis: a point
		// within about StackTolM of an outline.
		scaled := func(q orb.Point) orb.Point { return orb.Point{(q[0] - p[0]) / dLon, (q[1] - p[1]) / dLat} }
		for _, r := range poly {
			for k := 0; k+1 < len(r); k++ {
				if pointSegmentDist(orb.Point{}, scaled(r[k]), scaled(r[k+1])) <= 1 {
					return true
				}
			}
		}
	}
	return false
}
