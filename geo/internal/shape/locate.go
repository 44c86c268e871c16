package shape

import (
	"math"

	"github.com/paulmach/orb"
)

// OutlineIndex answers whether a multipolygon covers a point (as
// PolygonCovers does for each of its polygons, with the same exact
// predicates) by looking only at the edges whose y-range holds the point:
// the edges are kept in horizontal strips. An outline traced from a Voronoi
// diagram has thousands of vertices, and the drawing locates every edge of
// its arrangement against it.
type OutlineIndex struct {
	minY, maxY, h float64
	strips        [][]stripEdge // sorted by polygon, then ring
}

type stripEdge struct {
	poly, ring int32
	a, b       orb.Point
}

func NewOutlineIndex(mp orb.MultiPolygon) *OutlineIndex {
	ix := &OutlineIndex{minY: math.Inf(1), maxY: math.Inf(-1)}
	n := 0
	for _, p := range mp {
		for _, r := range p {
			for _, v := range r {
				ix.minY, ix.maxY = math.Min(ix.minY, v[1]), math.Max(ix.maxY, v[1])
			}
			n += len(r)
		}
	}
	if n == 0 {
		return ix
	}
	k := max(1, min(4096, n/8))
	ix.h = (ix.maxY - ix.minY) / float64(k)
	if !(ix.h > 0) {
		k, ix.h = 1, 1
	}
	ix.strips = make([][]stripEdge, k)
	// Counted first, the strips are cut from one array.
	count := make([]int, k)
	total := 0
	for _, p := range mp {
		for _, r := range p {
			for i := 0; i+1 < len(r); i++ {
				a, b := r[i], r[i+1]
				lo, hi := ix.strip(math.Min(a[1], b[1])), ix.strip(math.Max(a[1], b[1]))
				for s := lo; s <= hi; s++ {
					count[s]++
				}
				total += hi - lo + 1
			}
		}
	}
	all := make([]stripEdge, 0, total)
	for s, c := range count {
		ix.strips[s] = all[len(all) : len(all) : len(all)+c]
		all = all[:len(all)+c]
	}
	for pi, p := range mp {
		for ri, r := range p {
			for i := 0; i+1 < len(r); i++ {
				a, b := r[i], r[i+1]
				lo, hi := ix.strip(math.Min(a[1], b[1])), ix.strip(math.Max(a[1], b[1]))
				for s := lo; s <= hi; s++ {
					ix.strips[s] = append(ix.strips[s], stripEdge{int32(pi), int32(ri), a, b})
				}
			}
		}
	}
	// Appended polygon by polygon, ring by ring: each strip is sorted so.
	return ix
}

func (ix *OutlineIndex) strip(y float64) int {
	s := int((y - ix.minY) / ix.h)
	return min(max(s, 0), len(ix.strips)-1)
}

// Covers reports whether p lies in the closed multipolygon: inside or on
// the exterior of some polygon and not strictly inside one of its holes.
func (ix *OutlineIndex) Covers(p orb.Point) bool {
	if len(ix.strips) == 0 || p[1] < ix.minY || p[1] > ix.maxY {
		return false
	}
	st := ix.strips[ix.strip(p[1])]
	poly, ring := int32(-1), int32(-1)
	in, extIn, holeIn := false, false, false
	closeRing := func() {
		if ring == 0 {
			extIn = in
		} else if ring > 0 && in {
			holeIn = true
		}
	}
	for _, e := range st {
		if e.poly != poly || e.ring != ring {
			closeRing()
			if e.poly != poly {
				if extIn && !holeIn {
					return true
				}
				extIn, holeIn = false, false
				poly = e.poly
			}
			ring, in = e.ring, false
		}
		cross, on := crossing(e.a, e.b, p)
		if on {
			return true // on a ring: covered
		}
		in = in != cross
	}
	closeRing()
	return extIn && !holeIn
}
