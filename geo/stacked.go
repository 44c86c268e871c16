package geo

import (
	"math"
	"slices"
	"sort"

	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/shape"

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
// community: a point (a unit or an entrance recorded as a point) in
// another building's footprint or within [StackTolM] of it or of another
// point; a footprint whose representative point ([RepresentativePoint])
// lies in another footprint of comparable size ([StackSizeRatio]: one drawn
// twice), or that overlaps one of comparable size by more than
// [StackOverlapShare] of the smaller. No boundary can run between
// such buildings, so they must share a grid. It returns, for each building,
// the lowest index of the group of buildings standing on one another that
// it belongs to; a building on its own gets its own index.
//
// holds[i] lists the buildings whose footprint stands in i's (its
// representative point in it, or overlapping it by more than
// StackOverlapShare of theirs) but is much smaller: i is a podium under
// towers, or a parcel drawn as a building. They stay apart, and i's
// footprint cannot be kept whole by a grid that they do not share.
// Footprints drawn more than once (the same coordinates) share one slice
// of holds, which callers must not modify.
//
// Copies of one geometry (every unit of a tower given the tower's point or
// footprint) are compared with other buildings once, through their first
// copy, and points within StackTolM of one another are joined without
// trying every pair (joinNearPoints), so that n buildings at one spot cost
// O(n log n), not n² pairs.
func Stacked(bs []Building) (group []int, holds [][]int) {
	group = make([]int, len(bs))
	for i := range group {
		group[i] = i
	}
	holds = make([][]int, len(bs))
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
	// copiesOf, a serial pass over a map, overlaps the bounds and
	// representative points (of all buildings: only those of first copies
	// are used), and the tree of
	// footprints, built serially, the joining of copies and of points.
	var first []int
	var copies [][]int
	bounds := make([]orb.Bound, len(bs))
	reps := make([]orb.Point, len(bs)) // representative points
	parallel.Do(func() {
		parallel.EachChunk(len(bs), 256, func(i int) {
			if g := bs[i].Geometry; g != nil {
				bounds[i], reps[i] = shape.GeometryBound(g), shape.RepresentativePoint(g)
			}
		})
	}, func() { first, copies = copiesOf(bs) })
	// Only first copies are compared with one another (the tree holds
	// them alone); the others share their relations.
	var tr rtree.RTreeG[int]
	parallel.Do(func() {
		// Footprints are indexed, to find what stands on them.
		for i := range bs {
			if _, isPoint := bs[i].Geometry.(orb.Point); bs[i].Geometry != nil && !isPoint && first[i] == i {
				tr.Insert(bounds[i].Min, bounds[i].Max, i)
			}
		}
	}, func() {
		// A copy of a point, or of a footprint with an area, stands on
		// its first copy (the point, or the representative point, lies
		// in it). Points, which only points can stand on, are joined
		// apart.
		for f, cs := range copies {
			for _, c := range cs {
				union(f, c)
			}
		}
		joinNearPoints(bs, first, find, union)
	})
	// Each building's footprint hosts (and larger footprints it stands
	// in), found in parallel; joined in order below.
	hosts, in := make([][]int, len(bs)), make([][]int, len(bs))
	parallel.EachChunk(len(bs), 256, func(j int) {
		g := bs[j].Geometry
		if g == nil || first[j] != j {
			return
		}
		p := reps[j]
		_, isPoint := g.(orb.Point)
		lo, hi := p, p
		var dLon, dLat float64
		if isPoint {
			dLon, dLat = degreesFor(StackTolM, p[1])
			lo, hi = orb.Point{p[0] - dLon, p[1] - dLat}, orb.Point{p[0] + dLon, p[1] + dLat}
		}
		tr.Search(lo, hi, func(_, _ [2]float64, i int) bool {
			if i == j || bs[i].Community != bs[j].Community || !standsOn(p, bs[i].Geometry, isPoint, dLon, dLat) {
				return true
			}
			switch {
			case isPoint || comparable(g, bs[i].Geometry):
				hosts[j] = append(hosts[j], i)
			case footprintArea(g) < footprintArea(bs[i].Geometry):
				in[j] = append(in[j], i) // not a large one whose point falls in a small one
			}
			return true
		})
	})
	// held[i] lists the first copies of the footprints that i, a first
	// copy, holds.
	held := make([][]int, len(bs))
	for j, hs := range hosts {
		for _, i := range hs {
			union(i, j)
		}
		for _, i := range in[j] {
			held[i] = append(held[i], j)
		}
	}
	joined, alsoHeld := overlappingFootprints(bs, first, bounds, &tr)
	for _, pr := range joined {
		union(pr[0], pr[1])
	}
	for _, pr := range alsoHeld {
		held[pr[0]] = append(held[pr[0]], pr[1])
	}
	for i, hs := range held {
		if len(hs) == 0 {
			continue
		}
		slices.Sort(hs)
		hs = slices.Compact(hs)
		var all []int
		for _, j := range hs {
			all = append(all, j)
			all = append(all, copies[j]...)
		}
		slices.Sort(all)
		holds[i] = all
		for _, c := range copies[i] {
			holds[c] = all
		}
	}
	for i := range group {
		group[i] = find(i)
	}
	return group, holds
}

// copiesOf returns, for each building, the lowest index of a building of
// the same community with the same geometry (shape.FirstCopies), and, by
// that first copy, the later ones (nil for most). Only copies of a point
// or of a footprint with an area are told: they stand on their first copy,
// and so stand on, hold or are held by the buildings it does.
func copiesOf(bs []Building) (first []int, copies [][]int) {
	gs := make([]orb.Geometry, len(bs))
	community := make([]string, len(bs))
	for i := range bs {
		gs[i], community[i] = bs[i].Geometry, bs[i].Community
	}
	first = shape.FirstCopies(gs, community)
	copies = make([][]int, len(bs))
	stands := map[int]bool{} // by first copy: whether its copies stand on it
	for i, f := range first {
		if f == i {
			continue
		}
		on, ok := stands[f]
		if !ok {
			_, isPoint := gs[f].(orb.Point)
			on = isPoint || footprintArea(gs[f]) > 0
			stands[f] = on
		}
		if !on {
			first[i] = i // compared with the others on its own
			continue
		}
		copies[f] = append(copies[f], i)
	}
	return first, copies
}

// StackSizeRatio is the least ratio of the smaller to the larger of two
// footprints that stand on one another for them to be one building drawn
// twice (or a building and its unit). A footprint much smaller than the
// one it stands in is a tower on a podium or a building inside a parcel
// drawn as a footprint: joining them would make one unit of a whole
// complex, so they stay apart.
const StackSizeRatio = 0.5

// comparable reports whether footprints a and b (Polygon or MultiPolygon)
// are of comparable area (StackSizeRatio).
func comparable(a, b orb.Geometry) bool {
	x, y := footprintArea(a), footprintArea(b)
	return x > 0 && y > 0 && math.Min(x, y) >= StackSizeRatio*math.Max(x, y)
}

// StackOverlapShare is the share of the smaller of two overlapping
// footprints above which they stand on one another: a building drawn twice
// with a shift, or two footprints digitised across each other. Row houses
// whose shared wall was digitised with a few centimetres of overlap stay
// apart.
const StackOverlapShare = 0.05

// overlappingFootprints returns the pairs of first copies (first) of
// footprints of the same community (indexed in tr by their bounds) that
// overlap by more than StackOverlapShare of the smaller one: joined, of
// comparable size, and held, the larger first.
func overlappingFootprints(bs []Building, first []int, bounds []orb.Bound, tr *rtree.RTreeG[int]) (joined, held [][2]int) {
	isFootprint := func(g orb.Geometry) bool {
		_, isPoint := g.(orb.Point)
		return g != nil && !isPoint
	}
	found := make([][]int, len(bs))
	parallel.EachChunk(len(bs), 256, func(j int) {
		if !isFootprint(bs[j].Geometry) || first[j] != j {
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
		return nil, nil
	}
	sort.Slice(cand, func(a, b int) bool {
		if cand[a][0] != cand[b][0] {
			return cand[a][0] < cand[b][0]
		}
		return cand[a][1] < cand[b][1]
	})
	kind := make([]int8, len(cand)) // 1 joined, 2 held by the first, 3 by the second
	parallel.EachChunk(len(cand), 16, func(k int) {
		a, b := shape.Polygons(bs[cand[k][0]].Geometry), shape.Polygons(bs[cand[k][1]].Geometry)
		// Neighbours sharing a wall exactly are told apart without
		// an overlay (overlap.go).
		if !shape.InteriorsMayOverlap(shape.NewOverlapShape(a), shape.NewOverlapShape(b)) {
			return
		}
		inter, err := geom.Intersection(shape.ToSF(a), shape.ToSF(b))
		if err != nil {
			return // loaded footprints are valid; an overlay failure joins nothing
		}
		aa, ab := shape.MultiPolygonArea(a), shape.MultiPolygonArea(b)
		switch smaller := math.Min(aa, ab); {
		case smaller <= 0 || inter.Area() <= StackOverlapShare*smaller:
		case comparable(a, b):
			kind[k] = 1
		case aa > ab:
			kind[k] = 2
		default:
			kind[k] = 3
		}
	})
	for k, pr := range cand {
		switch kind[k] {
		case 1:
			joined = append(joined, pr)
		case 2:
			held = append(held, pr)
		case 3:
			held = append(held, [2]int{pr[1], pr[0]})
		}
	}
	return joined, held
}

// footprintArea is the area of a Polygon or MultiPolygon footprint in
// squared input units, 0 for anything else.
func footprintArea(g orb.Geometry) float64 { return shape.MultiPolygonArea(shape.Polygons(g)) }

// standsOn reports whether point p lies in footprint g, or, for a point
// building (near), within dLon, dLat degrees of a point g or of g's outline.
func standsOn(p orb.Point, g orb.Geometry, near bool, dLon, dLat float64) bool {
	if g, ok := g.(orb.Point); ok {
		return near && math.Abs(g[0]-p[0]) <= dLon && math.Abs(g[1]-p[1]) <= dLat
	}
	for _, poly := range shape.Polygons(g) {
		if len(poly) == 0 {
			continue
		}
		if shape.PolygonCovers(poly, p) {
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
				if shape.PointSegmentDist(orb.Point{}, scaled(r[k]), scaled(r[k+1])) <= 1 {
					return true
				}
			}
		}
	}
	return false
}

// PointOutside returns a point of footprint g, for drawing g as a point:
// its representative point if no footprint of others covers it, else the
// first vertex of its outline that none covers, else the representative
// point anyway.
func PointOutside(g orb.Geometry, others []orb.Geometry) orb.Point {
	free := func(p orb.Point) bool {
		for _, o := range others {
			if standsOn(p, o, false, 0, 0) {
				return false
			}
		}
		return true
	}
	rp := shape.RepresentativePoint(g)
	if free(rp) {
		return rp
	}
	for _, p := range shape.Polygons(g) {
		if len(p) == 0 {
			continue
		}
		for _, v := range p[0] {
			if free(v) {
				return v
			}
		}
	}
	return rp
}
