package draw

import (
	"context"
	"slices"

	"gridplan/geo/internal/parallel"
	"gridplan/geo/internal/robust"
	"gridplan/geo/internal/shape"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
	"github.com/tidwall/rtree"
)

// OwnFootprints returns the footprints (projected metres) with the parts
// they share with others taken away from all but one of them, so that no
// two overlap: a footprint keeps what it shares with every larger one and
// loses what it shares with every smaller one (equal areas: the earlier
// keeps it). A tower keeps its whole footprint in the podium it stands in,
// which keeps the rest; of two row houses digitised a few centimetres
// across each other, the smaller keeps the strip, and the two then share a
// wall exactly. Footprints that overlap nothing are returned as they are
// (the same values), and so are points; a footprint that loses everything
// (covered by smaller ones) becomes its representative point.
//
// The parts a footprint keeps are what its grid must hold (SPEC §4: every
// footprint in its grid, where two overlap the shared part in one of them),
// and what the tessellation and the drawing are given: overlapping
// footprints would put sites of one inside the other, whose cells, cut off
// by the other's footprint, become stray pieces of its grid, and give the
// drawing two owners of the shared part.
//
// changed lists the indices of the footprints that lost a part, ascending.
//
// Tens of thousands of footprints take a second or more: once ctx is done
// OwnFootprints returns ctx.Err() within milliseconds. It only reads ctx,
// so the result does not depend on it.
func OwnFootprints(ctx context.Context, footprints []orb.Geometry) (own []orb.Geometry, changed []int, err error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	own = footprints
	polys := make([]orb.MultiPolygon, len(footprints))
	area := make([]float64, len(footprints))
	poll := parallel.NewPoll(ctx)
	for i, fp := range footprints {
		if poll.Stop() {
			return nil, nil, ctx.Err()
		}
		polys[i] = shape.Polygons(fp)
		area[i] = shape.MultiPolygonArea(polys[i])
	}
	// A copy of a footprint (the same coordinates) loses all of it to its
	// first copy, which keeps their overlap: it becomes its representative
	// point without an overlay, and only first copies are compared with
	// the others. A later footprint that loses to a copy loses the same to
	// the first copy. Copies too thin to overlap are compared on their own.
	first := shape.FirstCopies(footprints, nil)
	copyOf, copies := make([]bool, len(footprints)), 0
	for i, f := range first {
		if f == i || len(polys[i]) == 0 {
			continue
		}
		if area[f] > overlapFloorM2(polys[f], polys[f]) {
			copyOf[i] = true
			copies++
		} else {
			first[i] = i
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	var tr rtree.RTreeG[int]
	for i := range footprints {
		if poll.Stop() {
			return nil, nil, ctx.Err()
		}
		if len(polys[i]) > 0 && first[i] == i {
			b := shape.MultiPolygonBound(polys[i])
			tr.Insert(b.Min, b.Max, i)
		}
	}
	// Pairs whose bounds overlap with area (bounds that only touch cannot
	// hold an overlap), the earlier of each first.
	found := make([][]int, len(footprints))
	if err := parallel.EachChunkContext(ctx, len(footprints), 256, func(j int) {
		if len(polys[j]) == 0 || first[j] != j {
			return
		}
		bj := shape.MultiPolygonBound(polys[j])
		tr.Search(bj.Min, bj.Max, func(_, _ [2]float64, i int) bool {
			bi := shape.MultiPolygonBound(polys[i])
			if i < j && min(bi.Max[0], bj.Max[0]) > max(bi.Min[0], bj.Min[0]) && min(bi.Max[1], bj.Max[1]) > max(bi.Min[1], bj.Min[1]) {
				found[j] = append(found[j], i)
			}
			return true
		})
	}); err != nil {
		return nil, nil, err
	}
	var cand [][2]int
	for j, is := range found {
		slices.Sort(is)
		for _, i := range is {
			cand = append(cand, [2]int{i, j})
		}
	}
	if len(cand) == 0 && copies == 0 {
		return own, nil, nil
	}
	// keeps reports whether footprint i keeps what it shares with j.
	keeps := func(i, j int) bool {
		if area[i] != area[j] {
			return area[i] < area[j]
		}
		return i < j
	}
	overlaps := make([]bool, len(cand))
	if err := parallel.EachChunkContext(ctx, len(cand), 16, func(k int) {
		a, b := polys[cand[k][0]], polys[cand[k][1]]
		// Neighbours sharing a wall exactly are told apart without an
		// overlay (shape.InteriorsMayOverlap).
		if !shape.InteriorsMayOverlap(shape.NewOverlapShape(a), shape.NewOverlapShape(b)) {
			return
		}
		inter, err := geom.Intersection(shape.ToSF(a), shape.ToSF(b))
		overlaps[k] = err == nil && inter.Area() > overlapFloorM2(a, b)
	}); err != nil {
		return nil, nil, err
	}
	// Each footprint loses the footprints it overlaps and does not keep
	// its overlap with.
	loses := map[int][]int{}
	for k, pr := range cand {
		if !overlaps[k] {
			continue
		}
		i, j := pr[0], pr[1]
		if keeps(i, j) {
			i, j = j, i
		}
		loses[i] = append(loses[i], j)
	}
	if len(loses) == 0 && copies == 0 {
		return own, nil, nil
	}
	for i := range loses {
		changed = append(changed, i)
	}
	for i, c := range copyOf {
		if c {
			changed = append(changed, i)
		}
	}
	slices.Sort(changed)
	own = slices.Clone(footprints)
	trimmed := make([]orb.Geometry, len(changed))
	if err := parallel.EachChunkContext(ctx, len(changed), 1, func(k int) {
		i := changed[k]
		if copyOf[i] {
			trimmed[k] = shape.RepresentativePoint(footprints[i])
			return
		}
		trimmed[k] = trim(footprints[i], polys[i], polys, loses[i])
	}); err != nil {
		return nil, nil, err
	}
	for k, i := range changed {
		own[i] = trimmed[k]
	}
	return own, changed, nil
}

// overlapFloorM2 is the area of overlap below which footprints a and b are
// taken as sharing walls, not overlapping: a strip along the shorter
// perimeter as wide as the rounding of projected coordinates (the vertex
// snap distance, VertexSnapRel of the coordinate magnitude), within which
// the drawing takes two walls as one.
func overlapFloorM2(a, b orb.MultiPolygon) float64 {
	_, pa := shape.AreaPerimeter(a)
	_, pb := shape.AreaPerimeter(b)
	return min(pa, pb) * shape.BoundsMagnitude([]orb.MultiPolygon{a, b}) * robust.VertexSnapRel
}

// trimSnapM is the distance, in metres, within which a vertex that the
// overlay computes (where the walls of two footprints cross) is taken as a
// vertex of either footprint. Footprints come as longitude/latitude, whose
// rounding is about a nanometre once projected (an ulp of a longitude
// near 116° is 1.4e-14°, 1.2 nm), so walls that meet at a corner in
// lon/lat cross a nanometre or so off it in metres; kept apart, the two
// points leave a sliver between the trimmed footprint's new wall and the
// other's, and an edge that unprojects to a single point. A micrometre is
// a thousand times that rounding and a thousand times below the
// millimetre of any survey.
const trimSnapM = 1e-6

// trim returns footprint fp (polygons mp) less the footprints others[k] of
// less, or its representative point if nothing remains or the overlay
// fails. Vertices of fp and of the others are kept exactly (the overlay
// computes only crossings, and a crossing within trimSnapM of one of their
// vertices becomes that vertex), so a trimmed footprint shares its new
// walls with the footprints that took them; spikes narrower than trimSnapM
// are removed (regularAt).
func trim(fp orb.Geometry, mp orb.MultiPolygon, others []orb.MultiPolygon, less []int) orb.Geometry {
	slices.Sort(less)
	cut := make([]geom.Geometry, len(less))
	var anchors []orb.Point
	addAnchors := func(mp orb.MultiPolygon) {
		for _, p := range mp {
			for _, r := range p {
				anchors = append(anchors, r...)
			}
		}
	}
	addAnchors(mp)
	for k, j := range less {
		cut[k] = shape.ToSF(others[j])
		addAnchors(others[j])
	}
	u, err := geom.UnionMany(cut)
	if err == nil {
		var rest geom.Geometry
		if rest, err = geom.Difference(shape.ToSF(mp), u); err == nil {
			out := snapVertices(shape.FromSF(rest), anchors, trimSnapM)
			// A wall of another that ends on fp's wall up to rounding
			// leaves a spike along it narrower than that: gone.
			out, _ = regularAt(out, trimSnapM)
			if shape.MultiPolygonArea(out) > 0 {
				if len(out) == 1 {
					return out[0]
				}
				return out
			}
		}
	}
	return shape.RepresentativePoint(fp)
}

// snapVertices moves every vertex of mp within tol of one of anchors onto
// the nearest, and drops the repeated vertices, rings of fewer than three
// vertices and polygons without an exterior that this leaves.
func snapVertices(mp orb.MultiPolygon, anchors []orb.Point, tol float64) orb.MultiPolygon {
	exact := make(map[orb.Point]bool, len(anchors))
	for _, a := range anchors {
		exact[a] = true
	}
	return shape.MapVertices(mp, func(v orb.Point) orb.Point {
		if exact[v] {
			return v
		}
		best, bestD := v, tol*tol
		for _, a := range anchors {
			if d := shape.SqDist(v[0], v[1], a[0], a[1]); d <= bestD {
				best, bestD = a, d
			}
		}
		return best
	})
}
