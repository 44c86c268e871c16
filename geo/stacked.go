package geo

import (
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
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
// entrance recorded inside its building), whose footprint overlaps another
// by more than [StackOverlapShare] of the smaller, or, for a point, within
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
	bounds := make([]orb.Bound, len(bs))
	forEachParallelChunk(len(bs), 1024, func(i int) {
		if g := bs[i].Geometry; g != nil {
			bounds[i] = g.Bound()
		}
	})
	var tr rtree.RTreeG[int]
	for i := range bs {
		if bs[i].Geometry != nil {
			tr.Insert(bounds[i].Min, bounds[i].Max, i)
		}
	}
	// Each building's hosts, found in parallel; joined in order below.
	hosts := make([][]int, len(bs))
	forEachParallelChunk(len(bs), 256, func(j int) {
		g := bs[j].Geometry
		if g == nil {
			return
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
			if i != j && bs[i].Community == bs[j].Community && standsOn(p, bs[i].Geometry, isPoint, dLon, dLat) {
				hosts[j] = append(hosts[j], i)
			}
			return true
		})
	})
	for j, hs := range hosts {
		for _, i := range hs {
			union(i, j)
		}
	}
	for _, pr := range overlappingFootprints(bs, bounds, &tr) {
		union(pr[0], pr[1])
	}
	for i := range group {
		group[i] = find(i)
	}
	return group
}

// StackOverlapShare is the share of the smaller of two overlapping
// footprints above which they stand on one another: a building drawn twice
// with a shift, or two footprints digitised across each other. Row houses
// whose shared wall was digitised with a few centimetres of overlap stay
// apart.
const StackOverlapShare = 0.05

// overlappingFootprints returns the pairs of footprints of the same
// community (indexed in tr by their bounds) that overlap by more than
// StackOverlapShare of the smaller one.
func overlappingFootprints(bs []Building, bounds []orb.Bound, tr *rtree.RTreeG[int]) [][2]int {
	footprint := func(g orb.Geometry) orb.MultiPolygon {
		switch g := g.(type) {
		case orb.Polygon:
			return orb.MultiPolygon{g}
		case orb.MultiPolygon:
			return g
		}
		return nil
	}
	isFootprint := func(g orb.Geometry) bool {
		_, isPoint := g.(orb.Point)
		return g != nil && !isPoint
	}
	found := make([][]int, len(bs))
	forEachParallelChunk(len(bs), 256, func(j int) {
		if !isFootprint(bs[j].Geometry) {
			return
		}
		bj := bounds[j]
		tr.Search(bj.Min, bj.Max, func(_, _ [2]float64, i int) bool {
			if i >= j || bs[i].Community != bs[j].Community || !isFootprint(bs[i].Geometry) {
				return true
			}
			// Bounds that only touch cannot overlap with area.
			bi := bounds[i]
			if min(bi.Max[0], bj.Max[0]) > max(bi.Min[0], bj.Min[0]) && min(bi.Max[1], bj.Max[1]) > max(bi.Min[1], bj.Min[1]) {
				found[j] = append(found[j], i)
			}
			return true
		})
	})
	var cand [][2]int
	for j, is := range found {
		for _, i := range is {
			cand = append(cand, [2]int{i, j})
		}
	}
	if len(cand) == 0 {
		return nil
	}
	sort.Slice(cand, func(a, b int) bool {
		if cand[a][0] != cand[b][0] {
			return cand[a][0] < cand[b][0]
		}
		return cand[a][1] < cand[b][1]
	})
	keep := make([]bool, len(cand))
	forEachParallelChunk(len(cand), 16, func(k int) {
		a, b := footprint(bs[cand[k][0]].Geometry), footprint(bs[cand[k][1]].Geometry)
		// Neighbours sharing a wall exactly are told apart without
		// an overlay (overlap.go).
		if !interiorsMayOverlap(newOverlapShape(a), newOverlapShape(b)) {
			return
		}
		inter, err := geom.Intersection(toSF(a), toSF(b))
		if err != nil {
			return // loaded footprints are valid; an overlay failure joins nothing
		}
		smaller := math.Min(multiPolygonArea(a), multiPolygonArea(b))
		keep[k] = smaller > 0 && inter.Area() > StackOverlapShare*smaller
	})
	var out [][2]int
	for k, pr := range cand {
		if keep[k] {
			out = append(out, pr)
		}
	}
	return out
}

func multiPolygonArea(mp orb.MultiPolygon) float64 {
	a := 0.0
	for _, p := range mp {
		if len(p) > 0 {
			a += polygonArea(p)
		}
	}
	return a
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
